import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";

/** `demo FILE` reads a case file through the same checks as `run --answers FILE`. */

const scratch = mkdtempSync(join(tmpdir(), "safeguard-trust-demo-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe("demo given a case file", () => {
  const cases: [string, () => string, RegExp][] = [
    [
      "invalid UTF-8 is refused with its line",
      () =>
        file(
          "bad-utf8.yaml",
          Buffer.concat([
            Buffer.from("case_id: D-1\nperson:\n  name: J"),
            Buffer.from([0xff, 0xfe]),
            Buffer.from("\n"),
          ]),
        ),
      /bad-utf8\.yaml:3: is not UTF-8 text/,
    ],
    [
      "the same fact twice is refused with both lines",
      () => file("dup.yaml", "case_id: D-2\nperson.age: 15\nperson:\n  age: 16\n"),
      /dup\.yaml:4:3 {2}person\.age: is given twice \(first at line 2\)/,
    ],
    [
      "a file over 4 MB is refused without reading it all",
      () => file("big.yaml", `case_id: D-3\nconcern:\n  description: "${"x".repeat(4 * 1024 * 1024)}"\n`),
      /the case file .*big\.yaml is larger than 4 MB/,
    ],
    [
      "an endless file is refused at the cap",
      () => "/dev/zero",
      /the case file \/dev\/zero is larger than 4 MB/,
    ],
    [
      "an implausible date of birth is refused against today when the case gives no concern date",
      () => file("old.yaml", "case_id: D-4\nperson:\n  dob: 1800-01-01\n"),
      /old\.yaml:3:\d+ {2}person\.dob: /,
    ],
    ["a folder is said to be one", () => scratch, /is a folder, not a case file/],
  ];
  for (const [what, path, message] of cases) {
    it(what, () => {
      const p = path();
      const demo = cli(["demo", p, "--all"], { cwd: scratch });
      expect(demo.code, demo.stdout).toBe(2);
      expect(demo.stderr).toMatch(message);
      expect(demo.stderr).not.toMatch(/This is a bug| {4}at /);
      // Word for word as run --answers says it.
      const run = cli(["run", "--answers", p], { cwd: scratch });
      expect(run.code).toBe(2);
      expect(run.stderr.replace(/^safeguard: error: the case in \S+ has/, "")).toMatch(message);
    });
  }

  it("a good case file still steps through", () => {
    const demo = cli([
      "demo",
      file("good.yaml", "case_id: D-5\nconcern:\n  date: 2026-11-02\nperson:\n  age: 15\n"),
      "--all",
    ]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain("D-5");
  });
});
