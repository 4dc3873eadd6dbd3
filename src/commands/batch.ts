import { readFileSync, statSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { glob } from "tinyglobby";
import { useColour, type World } from "../cli/world.js";
import { isIsoDate } from "../engine/dates.js";
import { UsageError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { decideCase, renderCase } from "../io/cases.js";
import { loadFlow, shown } from "../io/flows.js";
import { caseFolderName, writePrivateFiles } from "../io/output.js";
import { inWorkers, prepareInWorkers, workerCount } from "./batch-workers.js";

export interface Input {
  file: string;
  text?: string;
  /** Why the input could not be read at all. */
  error?: string;
  /** The file's name: the case's folder when it has no case_id. */
  stem: string;
}

export interface Done {
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
export async function run(world: World, args: string[], opts: Record<string, unknown>): Promise<number> {
  const out = opts.out as string | undefined;
  const date = opts.date as string | undefined;
  if (!out) throw new UsageError("batch needs --out DIR: each case is written to DIR/<case_id>/");
  if (args.length === 0)
    throw new UsageError("give case files, folders, globs, or - for NDJSON on standard input");
  if (date !== undefined && !isIsoDate(date))
    throw new UsageError(`--date "${date}" is not a date (use YYYY-MM-DD)`);
  const flow = loadFlow(opts.flow as string | undefined, world.cwd, opts.locality as string | undefined);
  const inputs = await collect(world, args);
  if (inputs.length === 0) throw new UsageError(`no case files found in: ${args.join(" ")}`);

  const spinner = await progress(world, inputs.length);
  const used = new Map<string, string>();
  const done: Done[] = [];
  const today = date ?? world.today();
  // A large batch is decided and rendered on worker threads; written here, in input order.
  const prepared = inWorkers(world, inputs.length)
    ? prepareInWorkers(inputs, {
        flow: opts.flow,
        locality: opts.locality,
        cwd: world.cwd,
        out,
        today,
        threads: workerCount(world, inputs.length),
      })
    : inputs.map((input) => () => prepare(flow, input, { out, today }));
  let i = 0;
  for await (const p of prepared) {
    spinner?.update(i, inputs[i]?.file ?? "");
    done.push(commit(typeof p === "function" ? p() : p, { cwd: world.cwd, used }));
    i++;
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
          `ok      ${d.file} -> ${d.folder}/ (${plural(d.actions, "action")}, ${plural(d.documents, "document")})\n`,
        );
      else {
        world.stdout.write(`FAILED  ${d.file}\n`);
        for (const p of d.problems ?? []) world.stdout.write(`          ${p}\n`);
      }
    }
    const s = done.length === 1 ? "" : "s";
    world.stdout.write(`\n${done.length} case${s}: ${written} written to ${out}/, ${failed} failed\n`);
  }
  return failed > 0 ? 1 : 0;
}

/**
 * One case up to its files, without writing or claiming a folder: pure enough to run on a
 * worker thread (src/commands/batch-workers.ts). `commit` then does the rest, in input order.
 */
export function prepare(flow: Flow, input: Input, opts: { out: string; today: string }): Prepared {
  const failed = (problems: string[]): Prepared => ({
    failed: { file: input.file, case_id: null, ok: false, folder: null, problems },
  });
  if (input.error !== undefined || input.text === undefined) return failed([input.error ?? "cannot read it"]);
  const decided = decideCase(
    flow,
    { file: input.file, text: input.text },
    { today: opts.today, fallbackId: input.stem },
  );
  if (!decided.ok) return failed(decided.problems.map(formatProblem));
  const { pathway } = decided;
  const name = caseFolderName(pathway.caseId);
  const base = {
    file: input.file,
    caseId: pathway.caseId,
    name,
    actions: pathway.actions.length,
    documents: pathway.documents.length + 1,
  };
  try {
    const { folder, files } = renderCase(flow, pathway, { out: opts.out, folderName: name });
    return { ...base, folder: folder as string, files: [...files] };
  } catch (error) {
    return { ...base, renderError: error instanceof Error ? error.message : String(error) };
  }
}

export type Prepared =
  | { failed: Done }
  | {
      file: string;
      caseId: string;
      name: string;
      actions: number;
      documents: number;
      folder?: string;
      files?: [string, string][];
      renderError?: string;
    };

function commit(p: Prepared, opts: { cwd: string; used: Map<string, string> }): Done {
  if ("failed" in p) return p.failed;
  const failed = (problems: string[]): Done => ({
    file: p.file,
    case_id: p.caseId,
    ok: false,
    folder: null,
    problems,
  });
  const owner = opts.used.get(p.name);
  // Two cases with one case_id would overwrite each other's files: the second one fails.
  if (owner !== undefined) {
    return failed([
      `case_id "${p.caseId}" is already used by ${owner} in this batch: give each case its own case_id`,
    ]);
  }
  opts.used.set(p.name, p.file);
  try {
    if (p.renderError !== undefined) throw new Error(p.renderError);
    writePrivateFiles(resolve(opts.cwd, p.folder as string), new Map(p.files));
    return {
      file: p.file,
      case_id: p.caseId,
      ok: true,
      folder: p.folder as string,
      actions: p.actions,
      documents: p.documents,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return failed([`could not write the files: ${why}`]);
  }
}

/** Files, folders (their case files, sorted), globs, and - (NDJSON, one case per line). */
async function collect(world: World, args: string[]): Promise<Input[]> {
  const inputs: Input[] = [];
  for (const arg of args) {
    if (arg === "-") {
      const text = await readAll(world.stdin);
      text.split(/\r?\n/).forEach((line, i) => {
        if (line.trim() !== "")
          inputs.push({ file: `stdin line ${i + 1}`, text: line, stem: `stdin-${i + 1}` });
      });
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
    return { file, text: readFileSync(path, "utf8"), stem };
  } catch (error) {
    return { file, error: `cannot read it: ${error instanceof Error ? error.message : String(error)}`, stem };
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
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
