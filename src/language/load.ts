import { join } from "node:path";
import { InputError } from "../errors.js";
import { dotPath, formatProblem, type Problem, parseSource, positionOf } from "../flow/problems.js";
import { readText } from "../io/assets.js";
import { compileLexiconDetailed, type Lexicon } from "./check.js";

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
    return { problems: [{ file, message: `cannot read the language lexicon${code ? ` (${code})` : ""}` }] };
  }
  const { source, problems: syntax } = parseSource(file, text);
  if (syntax.length > 0) return { problems: syntax };
  const { lexicon, problems } = compileLexiconDetailed(source.doc.toJS());
  if (problems.length === 0) return { lexicon, problems: [] };
  return {
    problems: problems.map((p) => ({
      file,
      ...positionOf(source, p.path),
      field: dotPath(p.path),
      message: p.message,
    })),
  };
}

/** As readLexicon, for a command that needs the lexicon: problems are an InputError (exit 2). */
export function loadLexicon(flowsDir: string): Lexicon {
  const file = join(flowsDir, LEXICON_FILE);
  const { lexicon, problems } = readLexicon(flowsDir);
  if (lexicon) return lexicon;
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  throw new InputError(`${count} in the language lexicon ${file}:`, problems.map(formatProblem));
}
