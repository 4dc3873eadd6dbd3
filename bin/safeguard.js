#!/usr/bin/env node
// Thin shim: everything lives in the built program; bin/boot.js says how it is started.
require("./boot.js").start(process.argv);
