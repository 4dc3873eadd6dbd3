import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";

/**
 * Issue 24, "the last escapes": what a case or a custom flow holds, and what the program
 * prints, reach a reader only as text.
 */

const BIN = join(packageRoot, "bin", "safeguard.js");

const oneLine = (r: { code: number | null; stderr: string }) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/This is a bug|\n\s+at |node:events/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
};

/** The built CLI with its output a pipe nobody reads: the reading end is closed before it starts. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("the fast start's own output fails as every command's does: exit 2, one line", () => {
  it("--version and -V onto a full disk (/dev/full)", () => {
    if (!existsSync("/dev/full")) return;
    for (const flag of ["--version", "-V", "--help"]) {
      const full = openSync("/dev/full", "w");
      const r = spawnSync(process.execPath, [BIN, flag], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      closeSync(full);
      oneLine({ code: r.status, stderr: r.stderr });
      expect(r.stderr).toBe("safeguard: error: cannot write the output: the disk is full\n");
    }
  });

  it("--help and --version into a closed pipe (`| head -0`)", async () => {
    for (const flag of ["--help", "--version"]) {
      const r = await intoClosedPipe([flag]);
      oneLine(r);
      expect(r.stderr).toBe(
        "safeguard: error: cannot write the output: the output was closed before everything was written\n",
      );
    }
  });
});
