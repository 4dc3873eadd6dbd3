import { chmodSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Output folder name for a case: the case_id made safe for every file system. */
export function caseFolderName(caseId: string): string {
  const safe = caseId
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 80);
  return safe || "case";
}

/** Write files holding personal data: owner-only folder (0700) and files (0600), atomically. */
export function writePrivateFiles(dir: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const [name, content] of files) {
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, target);
  }
}
