// Build step: parse every bundled flow file once and keep its data and position table in
// dist/flow-cache.json, keyed by the sha256 of its text. Loading a flow then skips the YAML
// parse for unchanged files (src/io/flows.ts); an edited file is simply parsed. Each file is
// also checked against each schema (src/flow/read.ts): the value of each check it passes is
// kept, so that loading it needs no zod (the data itself is kept as JSON text, parsed only
// when a check is missing). The same is
// done for every bundled template: what it reads (or why it does not parse), so the load
// gate checks the bundled templates' names without a Liquid parse.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileFlow, conditionsKey } from "../dist/flow/compile.js";
import { parseSource, positionTable } from "../dist/flow/problems.js";
import { schemaOf } from "../dist/flow/read.js";
import { analysisKey, analyzeTemplate } from "../dist/flow/templates.js";
import { locateFlow, readFlowSources } from "../dist/io/flows.js";

const root = new URL("..", import.meta.url).pathname;
const sha = (text) => createHash("sha256").update(text).digest("hex");
const files = {};
const visit = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) visit(full);
    else if (/\.ya?ml$/.test(name) && name !== "language.yaml") {
      const text = readFileSync(full, "utf8");
      const { source, problems } = parseSource(full, text);
      if (problems.length > 0) continue; // a broken file is parsed, and reported, at run time
      const data = source.doc.toJS();
      const checked = {};
      for (const kind of ["flow", "facts", "part", "locality"]) {
        const result = schemaOf(kind).safeParse(data);
        if (result.success) checked[kind] = result.data;
      }
      files[sha(text)] = { dataText: JSON.stringify(data), positions: positionTable(source), checked };
    }
  }
};
visit(join(root, "flows"));
const templates = {};
const texts = new Map(
  readdirSync(join(root, "templates"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => [name, readFileSync(join(root, "templates", name), "utf8")]),
);
// Keyed by the template and what it includes (src/flow/templates.ts analysisKey).
for (const text of texts.values()) templates[sha(analysisKey(text, texts))] = analyzeTemplate(text, texts);
// What compiling each condition of each bundled flow finds (src/flow/conditions.ts), for a
// flow that compiles without problems: kept by the flow's sources, so it is used only for
// exactly these files.
const conditions = {};
for (const name of readdirSync(join(root, "flows")).filter((f) => f.endsWith(".flow.yaml"))) {
  const { cache: _previous, ...sources } = readFlowSources(locateFlow(join("flows", name), root), root);
  const record = {};
  if (compileFlow(sources, { record }).problems.length === 0) conditions[conditionsKey(sources)] = record;
}
writeFileSync(join(root, "dist", "flow-cache.json"), `${JSON.stringify({ files, templates, conditions })}\n`);
