// Build step: parse every bundled flow file once and keep its data and position table in
// dist/flow-cache.json, keyed by the sha256 of its text. Loading a flow then skips the YAML
// parse for unchanged files (src/io/flows.ts); an edited file is simply parsed.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSource, positionTable } from "../dist/flow/problems.js";

const root = new URL("..", import.meta.url).pathname;
const table = {};
const visit = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) visit(full);
    else if (/\.ya?ml$/.test(name) && name !== "language.yaml") {
      const text = readFileSync(full, "utf8");
      const { source, problems } = parseSource(full, text);
      if (problems.length > 0) continue; // a broken file is parsed, and reported, at run time
      const sha = createHash("sha256").update(text).digest("hex");
      table[sha] = { data: source.doc.toJS(), positions: positionTable(source) };
    }
  }
};
visit(join(root, "flows"));
writeFileSync(join(root, "dist", "flow-cache.json"), `${JSON.stringify(table)}\n`);
