// Run by test/trust-kill.test.ts: writes a case folder with the built writeCaseFolder and
// SIGKILLs itself just before its Nth change of the disk (a rename or a removal), so that a
// test can stop a write at every step in turn. Shipped code has no such hook: this script
// wraps node:fs for itself alone. Prints the number of steps when it is not stopped.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const [output, dir, caseId, filesJson, at, alongJson] = process.argv.slice(2);
let steps = 0;
for (const name of ["renameSync", "rmSync", "unlinkSync"]) {
  const real = fs[name];
  fs[name] = (...args) => {
    if (++steps === Number(at)) process.kill(process.pid, "SIGKILL");
    return real(...args);
  };
}
syncBuiltinESMExports();
const { writeCaseFolder } = await import(output);
const caseFiles = (json) =>
  Object.entries(JSON.parse(json)).map(([path, text]) => ({
    path,
    bytes: new TextEncoder().encode(text),
    mode: 0o600,
  }));
// ALONG: files a new folder is written with (its history), as src/case/record.ts gives them.
writeCaseFolder(dir, caseFiles(filesJson), {
  caseId,
  today: "2026-12-07",
  ...(alongJson ? { along: () => caseFiles(alongJson) } : {}),
});
process.stdout.write(String(steps));
