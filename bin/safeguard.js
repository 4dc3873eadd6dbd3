#!/usr/bin/env node
// Thin shim: everything lives in the built entry (see src/cli/main.ts). --version and
// --help are answered without loading the command table (src/cli/fast.ts).
import { fastPath } from "../dist/cli/fast.js";

if (!fastPath(process.argv)) {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(process.argv);
}
