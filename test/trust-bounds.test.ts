import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledFlowsDir } from "../src/io/paths.js";
import { checkText } from "../src/language/check.js";
import { loadLexicon } from "../src/language/load.js";
import { cli } from "./helpers/cli.js";

const lexicon = loadLexicon(bundledFlowsDir);
const PHRASES = 'She keeps going missing and chose to go with them. "she chose" ';

describe("bounded time: check-language", () => {
  it("is linear: 1 MB of phrases is checked in seconds (it took minutes), capped with a note", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-bounds-"));
    const file = join(dir, "big.txt");
    writeFileSync(file, PHRASES.repeat(16_000));
    const t = Date.now();
    const r = cli(["check-language", file]);
    expect(r.code, r.stderr).toBe(1);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(r.stdout.trim().split("\n")).toHaveLength(1002);
    expect(r.stdout).toContain("Only the first 1000 phrases are shown; there are more.");
  });

  it("the limit keeps the first findings, in order, exactly as without it", () => {
    const text = PHRASES.repeat(50);
    expect(checkText(text, lexicon, 7)).toEqual(checkText(text, lexicon).slice(0, 7));
  });

  it("lines and columns count characters, quotations are found, over many findings on one line", () => {
    const line = 'He said "she keeps going missing" today. She keeps going missing. '.repeat(3);
    const plain = checkText(line, lexicon);
    const shifted = checkText(`😀 ${line}`, lexicon);
    expect(plain.length).toBeGreaterThanOrEqual(3);
    expect(shifted.map((f) => [f.line, f.column - 2, f.quoted])).toEqual(
      plain.map((f) => [f.line, f.column, f.quoted]),
    );
    expect(plain.map((f) => f.quoted)).toEqual([true, false, true, false, true, false]);
    const two = checkText(`x\n${line}`, lexicon);
    expect(two.every((f) => f.line === 2)).toBe(true);
    expect(two[0]?.column).toBe(plain[0]?.column);
  });
});
