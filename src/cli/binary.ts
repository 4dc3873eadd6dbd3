// The entry of the single executable (scripts/build-binary.mjs bundles it to one CommonJS
// file): bin/safeguard.js without top-level await, which a CommonJS bundle cannot have.
import { ERROR_PREFIX } from "../errors.js";
import { main } from "./main.js";
import { refusedNodeOptions } from "./node-options.js";

const refused = refusedNodeOptions(process.env, process.versions.node);
if (refused) {
  process.stderr.write(`${ERROR_PREFIX}${refused}\n`);
  process.exitCode = 2;
} else {
  // Ignored by this Node (src/cli/node-options.ts): nor is it handed on to anything started.
  delete process.env.NODE_OPTIONS;
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
