import { join } from "node:path";
import { InputError } from "../errors.js";
import { formatProblem, type Problem } from "../flow/problems.js";
import type { Lexicon } from "../language/check.js";
import { lexiconFromText } from "../language/parse.js";
import { say } from "../words/problems.js";
import { readText } from "./assets.js";
import { bundledFlowsDir } from "./paths.js";

export const LEXICON_FILE = "language.yaml";

/**
 * Reads and compiles FLOWS_DIR/language.yaml: the lexicon, or every problem in the file,
 * each with its line and column (`shownAs` is the file's name in those problems).
 */
export function readLexicon(flowsDir: string, shownAs?: string): { lexicon?: Lexicon; problems: Problem[] } {
  const path = join(flowsDir, LEXICON_FILE);
  const file = shownAs ?? path;
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problems: [{ file, message: say.cannotReadLexicon(code) }] };
  }
  return lexiconFromText(file, text);
}

/** As readLexicon, for a command that needs the lexicon: problems are an InputError (exit 2). */
export function loadLexicon(flowsDir: string): Lexicon {
  const file = join(flowsDir, LEXICON_FILE);
  const { lexicon, problems } = readLexicon(flowsDir);
  if (lexicon) return lexicon;
  throw new InputError(
    say.problemList(`the language lexicon ${file}`, problems.length),
    problems.map(formatProblem),
  );
}

let bundled: Lexicon | undefined;

/** The bundled language lexicon, loaded on first use and then kept. */
export function bundledLexicon(): Lexicon {
  bundled ??= loadLexicon(bundledFlowsDir);
  return bundled;
}
