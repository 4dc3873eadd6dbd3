// Build step (issue 10): the image of each bundled flow, dist/flow-image/NAME.v8, that `run`
// and batch workers start from while every bundled file is as it was here
// (src/io/flow-image.ts). Compiled afresh (no build cache), with each file's name held by
// a placeholder, so the image holds wherever the user stands. Each condition's parse and
// each template's plan go with it (issue 25), so a run parses no CEL and no Liquid.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { compileFlow } from "../dist/flow/compile.js";
import { imageFile, makeImage, placeheld } from "../dist/io/flow-image.js";
import { locateFlow, readFlowSources } from "../dist/io/flows.js";
import { templatePlans } from "../dist/render/documents.js";

const root = new URL("..", import.meta.url).pathname;
// Another folder for the images of another Node (scripts/build-binary.mjs: the Node inside
// the single programs reads only the images it made itself).
const out = process.argv[2];
mkdirSync(out ?? join(root, "dist", "flow-image"), { recursive: true });
for (const name of readdirSync(join(root, "flows")).filter((f) => f.endsWith(".flow.yaml"))) {
  const loc = locateFlow(join("flows", name), root);
  const sources = placeheld(readFlowSources(loc, root));
  const { flow, problems } = compileFlow(sources);
  if (!flow) {
    process.stderr.write(`flow-image: ${name} has ${problems.length} problems: no image\n`);
    continue;
  }
  const file = imageFile(loc.flowFile, root);
  writeFileSync(out ? join(out, basename(file)) : file, makeImage(flow, sources, templatePlans(flow)));
}
