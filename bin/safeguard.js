#!/usr/bin/env node
// Thin shim: everything lives in the built entry (see src/cli/main.ts).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv);
