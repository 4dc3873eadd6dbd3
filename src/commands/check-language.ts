import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { STDIN_NAME } from "../io/case-text.js";
import { bundledLexicon } from "../io/lexicon.js";
import type { World } from "../io/world.js";
import { checkText, type Finding, MAX_FINDINGS } from "../language/check.js";
import { terminalSafe } from "../render/inert.js";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";

/**
 * `safeguard check-language [FILE|-] [--json]`: flags victim-blaming language (Procedures
 * §7). Exit 1 when a phrase should be reworded; phrases quoted as someone's own words get
 * a softer note and do not, on their own, change the exit code (spec/language.md).
 * Output never repeats the user's text beyond the matched phrase: notes hold names.
 */
export async function run(world: World, args: string[], opts: { json: boolean }): Promise<number> {
  const lexicon = bundledLexicon();
  const target = args[0];
  let file: string;
  let text: string;
  if (target === undefined || target === "-") {
    file = STDIN_NAME;
    if (world.stdin.isTTY)
      world.stderr.write("Reading the text to check from the terminal; end it with Ctrl-D.\n");
    text = await readAll(world.stdin);
  } else {
    file = target;
    text = readInput(resolve(world.cwd, target), target);
  }

  // One more than shown, to know whether there were more.
  const findings = checkText(text, lexicon, MAX_FINDINGS + 1);
  const more = findings.length > MAX_FINDINGS;
  if (more) findings.length = MAX_FINDINGS;
  const flagged = findings.filter((f) => !f.quoted).length;
  if (opts.json) {
    world.stdout.write(
      `${JSON.stringify({ file, findings: findings.map(findingJson), ...(more ? { truncated: true } : {}) }, null, 2)}\n`,
    );
  } else {
    for (const f of findings) world.stdout.write(`${formatFinding(file, f)}\n`);
    world.stdout.write(`${summary(flagged, findings.length - flagged)}\n`);
    if (more) world.stdout.write(`Only the first ${MAX_FINDINGS} phrases are shown; there are more.\n`);
  }
  return flagged > 0 ? 1 : 0;
}

/** A finding as --json gives it: snake_case, as every result object of the program. */
function findingJson({ entryId, ...f }: Finding) {
  return {
    line: f.line,
    column: f.column,
    phrase: f.phrase,
    entry_id: entryId,
    why: f.why,
    suggestion: f.suggestion,
    quoted: f.quoted,
    cite: f.cite,
  };
}

export function formatFinding(file: string, f: Finding): string {
  return `${terminalSafe(file)}:${f.line}:${f.column}  "${terminalSafe(f.phrase)}"  suggestion: ${f.suggestion}  (${f.why}; ${f.cite})`;
}

function summary(flagged: number, quoted: number): string {
  if (flagged === 0 && quoted === 0) return "No victim-blaming language found.";
  const parts: string[] = [];
  if (flagged > 0) parts.push(`${plural(flagged, "phrase")} to reword`);
  if (quoted > 0) parts.push(`${plural(quoted, "quoted phrase")} to check`);
  return `${parts.join(", ")}.`;
}

function readInput(path: string, shown: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a folder, not a file"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : (code ?? "unreadable");
    throw new InputError(say.cannotRead(shown, why));
  }
  return decode([bytes]);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  return decode(chunks);
}

/** UTF-8, dropping a byte-order mark (TextDecoder's default). */
function decode(chunks: Buffer[]): string {
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}
