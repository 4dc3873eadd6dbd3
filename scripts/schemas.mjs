// Build step: the JSON Schemas of a case file, the result object, a scenario file and a
// training story file, into schemas/, from the same definitions `safeguard schema
// case|result|scenario|story` prints (src/render/*-schema.ts).
import { mkdirSync, writeFileSync } from "node:fs";
import { loadFlow } from "../dist/io/flows.js";
import { packageRoot } from "../dist/io/paths.js";
import { caseSchema } from "../dist/render/case-schema.js";
import { resultSchema } from "../dist/render/result-schema.js";
import { scenarioNames, scenarioSchema } from "../dist/render/scenario-schema.js";

const dir = new URL("../schemas/", import.meta.url);
mkdirSync(dir, { recursive: true });
const flow = loadFlow(undefined, packageRoot);
const write = (name, schema) => writeFileSync(new URL(name, dir), `${JSON.stringify(schema, null, 2)}\n`);
const theCase = caseSchema(
  flow.facts,
  flow.factsVersion,
  flow.actions.map((a) => a.id),
);
write("case.schema.json", theCase);
write("result.schema.json", resultSchema);
for (const which of ["scenario", "story"])
  write(`${which}.schema.json`, scenarioSchema(which, scenarioNames(flow), theCase));
