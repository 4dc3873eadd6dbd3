import { join } from "node:path";
import { compileFlow } from "../flow/compile.js";
import { notKnownWarnings } from "../flow/not-known.js";
import { formatProblem, type Problem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { exists } from "../io/assets.js";
import { locateFlow, readFlowSources, shown } from "../io/flows.js";
import { LEXICON_FILE, readLexicon } from "../io/lexicon.js";
import { bundledFlowsDir } from "../io/paths.js";
import type { World } from "../io/world.js";
import { hasProblems, plural } from "../words/words.js";

/**
 * Static checks of a flow, its templates, its locality file (or --locality FILE) and the
 * language lexicon beside it: every problem at once, with file:line:column.
 */
export async function run(
  world: World,
  args: string[],
  opts: { locality: string | undefined; json: boolean },
): Promise<number> {
  const loc = locateFlow(args[0], world.cwd, opts.locality);
  const file = shown(loc.flowFile, world.cwd);
  const { flow, problems } = compileFlow(readFlowSources(loc, world.cwd));
  // The bundled folder must hold the lexicon (the wizard and check-language read it);
  // another flow's folder is checked only when it has one.
  let entries: number | null = null;
  if (loc.flowsDir === bundledFlowsDir || exists(join(loc.flowsDir, LEXICON_FILE))) {
    const read = readLexicon(loc.flowsDir, shown(join(loc.flowsDir, LEXICON_FILE), world.cwd));
    problems.push(...read.problems);
    if (read.lexicon) entries = read.lexicon.entries.length;
  }
  const warnings = flow && problems.length === 0 ? notKnownWarnings(flow) : [];
  if (opts.json) {
    const counts = flow && problems.length === 0 ? flowCounts(flow, entries) : null;
    world.stdout.write(
      `${JSON.stringify({ file, ok: problems.length === 0, ...counts, problems: problems.map(problemJson), warnings: warnings.map(problemJson) }, null, 2)}\n`,
    );
    return problems.length === 0 ? 0 : 2;
  }
  if (problems.length > 0) {
    for (const p of problems) world.stderr.write(`${formatProblem(p)}\n`);
    world.stderr.write(`${hasProblems(file, problems.length)}\n`);
    return 2;
  }
  const c = flowCounts(flow as Flow, entries);
  for (const w of warnings) world.stderr.write(`warning: ${formatProblem(w)}\n`);
  world.stdout.write(
    `${file}: ok: ${plural(c.questions, "question")}, ${plural(c.actions, "action")}, ${plural(c.rules, "rule")}, ` +
      `${plural(c.documents, "document")}, ${plural(c.contacts, "contact")} (${c.locality})` +
      `${c.language_entries === null ? "" : `, ${plural(c.language_entries, "language entry", "language entries")}`}` +
      `${warnings.length > 0 ? `; ${plural(warnings.length, "warning")}` : ""}\n`,
  );
  return 0;
}

/** What a flow that passed holds, as `flows validate` reports it. */
function flowCounts(f: Flow, entries: number | null) {
  return {
    questions: f.questions.length,
    actions: f.actions.length,
    rules: f.actions.reduce((n, a) => n + a.rules.length, 0),
    documents: f.documents.size,
    contacts: f.locality.contacts.size,
    locality: f.locality.name,
    language_entries: entries,
  };
}

/** A problem as data: where (file, line, column, field, each null where not known) and what. */
function problemJson(p: Problem) {
  return {
    file: p.file,
    line: p.line ?? null,
    column: p.column ?? null,
    field: p.field ?? null,
    message: p.message,
  };
}
