import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { PATHWAY_PNG_WIDTH } from "../src/io/png.js";
import { example } from "./helpers/cli.js";
import { testWorld } from "./helpers/world.js";

/**
 * pathway.png beside pathway.svg (issue 28): written where it is asked for (`--format
 * md,png` on run and batch; the wizard always, see wizard-pty.test.ts), kept by an update of
 * a folder that has it, and never written otherwise: rasterising costs a second a case.
 */
const scratch = mkdtempSync(join(tmpdir(), "safeguard-png-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function safeguard(cwd: string, ...args: string[]) {
  const w = testWorld({ cwd });
  const code = await main(["node", "safeguard", ...args], w.world);
  return { code, stdout: w.out(), stderr: w.err() };
}

const EX1 = example("ex-1-county-lines-15.yaml");

/** `run --answers` the first worked example into OUT, with more options. */
const runEx1 = (cwd: string, out: string, ...more: string[]) =>
  safeguard(cwd, "run", "--answers", EX1, "--out", out, ...more);

function fresh(name: string): string {
  const dir = join(scratch, name);
  return mkdtempSync(`${dir}-`);
}

/** The PNG's size from its header, after checking it is one; and the size the SVG asks for at that width. */
function expectPictureOf(folder: string) {
  const png = readFileSync(join(folder, "pathway.png"));
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  const svg = readFileSync(join(folder, "pathway.svg"), "utf8");
  const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  expect(png.readUInt32BE(16)).toBe(PATHWAY_PNG_WIDTH);
  expect(png.readUInt32BE(20)).toBe(Math.round((Number(h) * PATHWAY_PNG_WIDTH) / Number(w)));
}

describe("pathway.png", () => {
  it("run --answers --out --format md,png writes it beside pathway.svg, and says so", async () => {
    const cwd = fresh("run");
    const r = await runEx1(cwd, "out", "--format", "md,png", "--date", "2026-08-20");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pathway\.svg, pathway\.png,/);
    expectPictureOf(join(cwd, "out", "EX-1"));
  }, 60_000);

  it("is not written without being asked for, and not named", async () => {
    const cwd = fresh("plain");
    const r = await runEx1(cwd, "out", "--format", "md,docx");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("pathway.png");
    const files = readdirSync(join(cwd, "out", "EX-1"));
    expect(files).toContain("pathway.svg");
    expect(files).not.toContain("pathway.png");
  }, 60_000);

  it("--format png without --out is refused: it is a file", async () => {
    const r = await safeguard(fresh("no-out"), "run", "--answers", EX1, "--format", "png");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("safeguard: error: --format docx or png writes files: give --out DIR as well\n");
  });

  it("is kept by an update of a folder that has it (run again, done), and not added to one that has not", async () => {
    const cwd = fresh("kept");
    expect((await runEx1(cwd, "with", "--format", "md,png")).code).toBe(0);
    expect((await runEx1(cwd, "without")).code).toBe(0);
    const again = await runEx1(cwd, "with", "--json");
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).update.drafts.removed).not.toContain("pathway.png");
    for (const out of ["with", "without"]) {
      const done = await safeguard(cwd, "done", join(out, "EX-1"), "mash-referral", "--date", "2026-11-19");
      expect(done.code, done.stderr).toBe(0);
    }
    expectPictureOf(join(cwd, "with", "EX-1"));
    expect(readdirSync(join(cwd, "without", "EX-1"))).not.toContain("pathway.png");
  }, 60_000);

  it("batch writes it for every case with --format md,png, and for none without", async () => {
    const cwd = fresh("batch");
    const batch = (out: string, ...more: string[]) =>
      safeguard(cwd, "batch", join(example("."), "*.yaml"), "--out", out, "--jobs", "1", ...more);
    const asked = await batch("png", "--format", "md,png");
    expect(asked.code, asked.stderr).toBe(0);
    const cases = readdirSync(join(cwd, "png"));
    expect(cases.length).toBe(3);
    for (const c of cases) expectPictureOf(join(cwd, "png", c));
    const plain = await batch("plain");
    expect(plain.code, plain.stderr).toBe(0);
    for (const c of readdirSync(join(cwd, "plain")))
      expect(readdirSync(join(cwd, "plain", c))).not.toContain("pathway.png");
  }, 120_000);
});
