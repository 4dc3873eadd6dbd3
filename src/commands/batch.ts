import { statSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { glob } from "tinyglobby";
import { useColour, type World } from "../cli/world.js";
import { UsageError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { decideCase, decodeCase, readCaseFile, wantsDocx } from "../io/cases.js";
import { loadFlow, shown } from "../io/flows.js";
import { fsProblem } from "../io/fs-errors.js";
import { applyCase, caseFolderName } from "../io/output.js";
import { assembleCase, withWordTwins } from "../render/case-files.js";
import { terminalSafe as t } from "../render/inert.js";
import { redactPathway, redactProblem } from "../render/redact.js";

interface Input {
  file: string;
  text?: string;
  /** Why the input could not be read at all. */
  error?: string;
  /** The file's name: the case's folder when it has no case_id. */
  stem: string;
}

interface Done {
  file: string;
  case_id: string | null;
  ok: boolean;
  folder: string | null;
  actions?: number;
  documents?: number;
  problems?: string[];
}

const CASE_FILE = /\.(ya?ml|json)$/i;

/**
 * Many case files to their folders: one bad case never stops or loses the others. Exit 0
 * when every case was written, 1 when any failed (each reported), 2 for bad usage.
 */
export interface BatchOptions {
  out: string | undefined;
  json: boolean;
  force: boolean;
  date: string | undefined;
  flow: string | undefined;
  locality: string | undefined;
  format: string | undefined;
  redact: boolean;
}

export async function run(world: World, args: string[], opts: BatchOptions): Promise<number> {
  const { out, date } = opts;
  if (!out) throw new UsageError("batch needs --out DIR: each case is written to DIR/<case_id>/");
  if (args.length === 0)
    throw new UsageError("give case files, folders, globs, or - for NDJSON on standard input");
  const docx = wantsDocx(opts.format);
  const flow = loadFlow(opts.flow, world.cwd, opts.locality);
  const inputs = await collect(world, args);
  if (inputs.length === 0) throw new UsageError(`no case files found in: ${args.join(" ")}`);

  const spinner = await progress(world, inputs.length);
  const used = new Map<string, string>();
  const done: Done[] = [];
  for (const [i, input] of inputs.entries()) {
    spinner?.update(i, input.file);
    done.push(
      await one(flow, input, {
        out,
        today: date ?? world.today(),
        cwd: world.cwd,
        used,
        force: opts.force,
        docx,
        redact: opts.redact,
      }),
    );
  }
  spinner?.stop();

  const failed = done.filter((d) => !d.ok).length;
  const written = done.length - failed;
  if (opts.json) {
    world.stdout.write(`${JSON.stringify({ cases: done, written, failed }, null, 2)}\n`);
  } else {
    for (const d of done) {
      if (d.ok)
        world.stdout.write(
          `ok      ${t(d.file)} -> ${t(d.folder ?? "")}/ (${plural(d.actions, "action")}, ${plural(d.documents, "document")})\n`,
        );
      else {
        world.stdout.write(`FAILED  ${t(d.file)}\n`);
        for (const p of d.problems ?? []) world.stdout.write(`          ${t(p)}\n`);
      }
    }
    const s = done.length === 1 ? "" : "s";
    world.stdout.write(`\n${done.length} case${s}: ${written} written to ${t(out)}/, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}

async function one(
  flow: Flow,
  input: Input,
  opts: {
    out: string;
    today: string;
    cwd: string;
    used: Map<string, string>;
    force: boolean;
    docx: boolean;
    redact: boolean;
  },
): Promise<Done> {
  const failed = (problems: string[], caseId: string | null = null): Done => ({
    file: input.file,
    case_id: caseId,
    ok: false,
    folder: null,
    problems,
  });
  if (input.error !== undefined || input.text === undefined) return failed([input.error ?? "cannot read it"]);
  let decided: ReturnType<typeof decideCase>;
  try {
    decided = decideCase(
      flow,
      { file: input.file, text: input.text },
      { today: opts.today, fallbackId: input.stem },
    );
  } catch (error) {
    // One case that cannot be decided (a date past 9999-12-31, say) never stops the others.
    const why = error instanceof Error ? error.message : String(error);
    return failed([`could not work out this case's pathway: ${why}`]);
  }
  if (!decided.ok)
    return failed(decided.problems.map((p) => formatProblem(opts.redact ? redactProblem(flow, p) : p)));
  const pathway = opts.redact ? redactPathway(flow, decided.pathway) : decided.pathway;
  const name = caseFolderName(pathway.caseId);
  const owner = opts.used.get(name);
  // Two cases with one case_id would overwrite each other's files: the second one fails.
  if (owner !== undefined) {
    return failed(
      [
        `case_id "${pathway.caseId}" is already used by ${owner} in this batch: give each case its own case_id`,
      ],
      pathway.caseId,
    );
  }
  opts.used.set(name, input.file);
  try {
    const folder = join(opts.out, name);
    const assembled = assembleCase(flow, pathway, { folder });
    applyCase(opts.docx ? await withWordTwins(assembled) : assembled, { cwd: opts.cwd, force: opts.force });
    return {
      file: input.file,
      case_id: pathway.caseId,
      ok: true,
      folder,
      actions: pathway.actions.length,
      documents: pathway.documents.length + 1,
    };
  } catch (error) {
    return failed([`could not write the files: ${fsProblem(error)}`], pathway.caseId);
  }
}

/** Files, folders (their case files, sorted), globs, and - (NDJSON, one case per line). */
async function collect(world: World, args: string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const arg of args) {
    if (arg === "-") {
      const bytes = await readAll(world.stdin);
      let start = 0;
      for (let i = 0; start < bytes.length; i++) {
        const end = bytes.indexOf(0x0a, start);
        const raw = bytes.subarray(start, end === -1 ? bytes.length : end);
        start = end === -1 ? bytes.length : end + 1;
        const file = `stdin line ${i + 1}`;
        try {
          const line = decodeCase(raw, "stdin", i + 1).replace(/\r$/, "");
          if (line.trim() !== "") inputs.push({ file, text: line, stem: `stdin-${i + 1}` });
        } catch (error) {
          inputs.push({ file, error: error instanceof Error ? error.message : String(error), stem: "none" });
        }
      }
      continue;
    }
    const path = resolve(world.cwd, arg);
    let kind: "file" | "dir" | "none" = "none";
    try {
      kind = statSync(path).isDirectory() ? "dir" : "file";
    } catch {
      kind = "none";
    }
    if (kind === "file") inputs.push(read(path, world.cwd));
    else if (kind === "dir") {
      const files = await glob(["**/*.yaml", "**/*.yml", "**/*.json"], { cwd: path, absolute: true });
      for (const f of files.sort()) inputs.push(read(f, world.cwd));
    } else if (/[*?[{]/.test(arg)) {
      const files = (await glob(arg, { cwd: world.cwd, absolute: true })).filter((f) => CASE_FILE.test(f));
      if (files.length === 0)
        inputs.push({ file: arg, error: "no case files match this pattern", stem: "none" });
      for (const f of files.sort()) inputs.push(read(f, world.cwd));
    } else inputs.push({ file: arg, error: "no such file or folder", stem: "none" });
  }
  return inputs;
}

function read(path: string, cwd: string): Input {
  const file = shown(path, cwd);
  const stem = basename(path, extname(path));
  try {
    return { file, text: readCaseFile(path, file), stem };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error), stem };
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** A spinner with a count, only on a terminal and never with NO_COLOR (cli-contract). */
async function progress(world: World, total: number) {
  if (!world.stderr.isTTY || !useColour({ ...world, stdout: world.stderr })) return undefined;
  const { default: ora } = await import("ora");
  const spinner = ora({ stream: world.stderr, text: `0/${total}` }).start();
  return {
    update: (i: number, file: string) => {
      spinner.text = `${i + 1}/${total}  ${file}`;
    },
    stop: () => spinner.stop(),
  };
}

function plural(n: number | undefined, word: string): string {
  return `${n ?? 0} ${word}${n === 1 ? "" : "s"}`;
}
