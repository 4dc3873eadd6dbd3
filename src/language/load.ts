import { join } from "node:path";
import { InputError } from "../cli/errors.js";
import { dotPath, formatProblem, parseSource, positionOf } from "../flow/problems.js";
import { readText } from "../io/assets.js";
import { compileLexiconDetailed, type Lexicon } from "./check.js";

export const LEXICON_FILE = "language.yaml";

/**
 * Reads and compiles FLOWS_DIR/language.yaml. Every problem in the file is reported at
 * once, each with its line and column; a lexicon with problems is never used.
 */
export function loadLexicon(flowsDir: string): Lexicon {
  const file = join(flowsDir, LEXICON_FILE);
  let text: string;
  try {
    text = readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the language lexicon ${file}${code ? ` (${code})` : ""}`);
  }
  const { source, problems: syntax } = parseSource(file, text);
  if (syntax.length > 0) throw failure(file, syntax.map(formatProblem));
  const { lexicon, problems } = compileLexiconDetailed(source.doc.toJS());
  if (problems.length > 0) {
    throw failure(
      file,
      problems.map((p) =>
        formatProblem({ file, ...positionOf(source, p.path), field: dotPath(p.path), message: p.message }),
      ),
    );
  }
  return lexicon;
}

function failure(file: string, lines: string[]): InputError {
  const count = `${lines.length} problem${lines.length === 1 ? "" : "s"}`;
  return new InputError(`${count} in the language lexicon ${file}:\n  ${lines.join("\n  ")}`);
}
