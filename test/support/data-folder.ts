import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Every test process, and every program it starts, gets a data folder of its own unless the
// test sets one: a case written with --out is added to the data folder's list of cases
// (issue 26), never to that of whoever runs the tests.
process.env.SAFEGUARD_DATA_DIR ??= mkdtempSync(join(tmpdir(), "safeguard-data-"));
