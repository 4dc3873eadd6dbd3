import { dotPath, type Problem, parseSource, positionOf } from "../flow/problems.js";
import { compileLexiconDetailed, type Lexicon } from "./check.js";

/**
 * A lexicon file's text (language.yaml, shown as `file`) compiled: the lexicon, or every
 * problem in it, each with its line and column. Reading the file is io/lexicon.ts's.
 */
export function lexiconFromText(file: string, text: string): { lexicon?: Lexicon; problems: Problem[] } {
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
