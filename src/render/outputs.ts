import type { Liquid } from "liquidjs";
import type { Pathway } from "../engine/decide.js";
import { BEFORE_YOU_SEND, CASE_SUMMARY } from "../flow/templates.js";
import type { Flow } from "../flow/types.js";
import { renderDocument } from "./documents.js";
import { deadlinesIcs } from "./ics.js";
import { REDACTED_NOTE } from "./redact.js";
import { type ResultObject, resultObject } from "./result.js";
import { pathwaySvg } from "./timeline.js";

/**
 * Every file of a case's output folder, by name, and the result object. Pure; `folder`
 * is the folder as the caller will show it (for the result's documents[].path, as --json
 * prints it), or null when nothing is written; pathway.json's paths are the files' names.
 */
export function renderOutputs(
  liquid: Liquid,
  flow: Flow,
  pathway: Pathway,
  folder: string | null,
): { files: Map<string, string>; result: ResultObject } {
  const join = (name: string) => (folder === null ? null : `${folder.replace(/[\\/]+$/, "")}/${name}`);
  const result = resultObject(pathway, (id) => join(`${id}.md`));
  const files = new Map<string, string>();
  // The folder's own pathway.json names its documents relative to itself (cli-contract):
  // the same case written to two folders gives the same file, and no path of the machine.
  const inFolder = { ...result, documents: result.documents.map((d) => ({ ...d, path: `${d.id}.md` })) };
  files.set("pathway.json", `${JSON.stringify(inFolder, null, 2)}\n`);
  files.set(
    "case-summary.md",
    renderDocument(liquid, flow, pathway, flow.documents.get("case-summary") ?? CASE_SUMMARY),
  );
  // What the lead checks before each draft goes: never in a draft meant to be sent.
  files.set("before-you-send.md", renderDocument(liquid, flow, pathway, BEFORE_YOU_SEND));
  for (const id of pathway.documents) {
    const doc = flow.documents.get(id);
    if (doc) files.set(`${id}.md`, renderDocument(liquid, flow, pathway, doc));
  }
  files.set("deadlines.ics", deadlinesIcs(pathway));
  files.set("pathway.svg", pathwaySvg(result));
  // A redacted copy says so at the top of every draft, so none is taken for the original.
  if (pathway.redacted)
    for (const [name, text] of files)
      if (name.endsWith(".md")) files.set(name, `> ${REDACTED_NOTE}\n\n${text}`);
  return { files, result };
}
