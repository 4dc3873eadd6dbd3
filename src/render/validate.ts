import type { Problem } from "../flow/problems.js";
import { suggest } from "../flow/problems.js";
import type { DocumentDef, Flow, FlowSources } from "../flow/types.js";
import { templateEngine } from "./documents.js";
import { CASE_SUMMARY } from "./outputs.js";

const GLOBALS = [
  "document",
  "case_id",
  "reference_date",
  "today",
  "flow",
  "person",
  "facts",
  "actions",
  "all_actions",
  "recommended",
  "contacts",
  "locality",
  "warnings",
  "currency",
  "summary",
];

/** What an anonymous document's context leaves out (see documentContext). */
const NOT_FOR_ANONYMOUS = ["case_id", "today", "all_actions", "warnings", "summary"];

/**
 * Static checks of every template: it parses, and every name it reads exists: facts in
 * the catalogue, contacts in the locality file, actions in the flow. An anonymous
 * document (duty to notify) may not read a personal fact at all.
 */
export function templateProblems(flow: Flow, sources: FlowSources): Problem[] {
  const liquid = templateEngine();
  const problems: Problem[] = [];
  const docs: DocumentDef[] = [...flow.documents.values()];
  if (!flow.documents.has("case-summary")) docs.push(CASE_SUMMARY);
  for (const doc of docs) {
    const raw = sources.templates.get(doc.template);
    if (!raw) {
      problems.push({ file: sources.flow.file, message: `document ${doc.id}: no template ${doc.template}` });
      continue;
    }
    const at = (row: number, col: number, message: string) =>
      problems.push({ file: raw.file, line: row, column: col, message });
    let analysis: ReturnType<typeof liquid.analyzeSync>;
    try {
      analysis = liquid.analyzeSync(liquid.parse(raw.text, raw.file));
    } catch (error) {
      const m = error instanceof Error ? error.message : String(error);
      const pos = /line:(\d+), col:(\d+)/.exec(m);
      problems.push({
        file: raw.file,
        ...(pos ? { line: Number(pos[1]), column: Number(pos[2]) } : {}),
        message: `template does not parse: ${m.split(",")[0]}`,
      });
      continue;
    }
    for (const [name, uses] of Object.entries(analysis.globals)) {
      for (const v of uses) {
        const segs = v.segments.map(String);
        const { row, col } = v.location;
        if (!GLOBALS.includes(name)) {
          at(row, col, `unknown name "${name}"${suggest(name, GLOBALS)}`);
          continue;
        }
        if (
          doc.anonymous &&
          (NOT_FOR_ANONYMOUS.includes(name) || (name === "person" && segs[1] !== "group"))
        ) {
          at(row, col, `${segs.join(".")}: ${doc.id} must carry no identifying detail of the person`);
        }
        if (name === "facts" && segs.length >= 2) {
          const id = segs.length >= 3 ? `${segs[1]}.${segs[2]}` : (segs[1] as string);
          const fact = flow.facts.get(id);
          if (!fact) at(row, col, `unknown fact "${id}"${suggest(id, flow.facts.keys())}`);
          else if (doc.anonymous && (fact.personal || fact.type === "text" || fact.id === "case_id"))
            at(row, col, `${id}: ${doc.id} must carry no identifying detail of the person`);
        }
        if (name === "contacts" && segs[1] && !flow.locality.contacts.has(segs[1])) {
          at(row, col, `unknown contact "${segs[1]}"${suggest(segs[1], flow.locality.contacts.keys())}`);
        }
        if (name === "recommended" && segs[1] && !flow.actionById.has(segs[1])) {
          at(row, col, `unknown action "${segs[1]}"${suggest(segs[1], flow.actionById.keys())}`);
        }
      }
    }
  }
  return problems;
}
