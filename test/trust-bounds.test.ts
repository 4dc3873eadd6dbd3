import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_CASE_ID } from "../src/flow/values.js";
import { loadLexicon } from "../src/io/lexicon.js";
import { caseFolderName } from "../src/io/output.js";
import { bundledFlowsDir } from "../src/io/paths.js";
import { checkText } from "../src/language/check.js";
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

describe("bounded: a case reference and its folder's name", () => {
  it("a long case_id's folder name is shortened in one pass, never inside a %-escape", () => {
    // 1 + 39 escapes is 118 bytes; a 40th would pass the 120 allowed.
    expect(caseFolderName(`x${"/".repeat(100_000)}`)).toMatch(/^x(%2F){39}~[0-9a-f]{10}$/);
    expect(caseFolderName("a".repeat(1_000_000))).toMatch(/^a{120}~[0-9a-f]{10}$/);
    expect(caseFolderName("山".repeat(50))).toMatch(/^山{40}~[0-9a-f]{10}$/);
    expect(caseFolderName("山".repeat(40))).toBe("山".repeat(40));
    expect(caseFolderName(`${"a".repeat(120)}b`)).not.toBe(caseFolderName(`${"a".repeat(120)}c`));
  });

  it(`a case_id over ${MAX_CASE_ID} characters is refused at its line (exit 2); ${MAX_CASE_ID} is taken`, () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-bounds-"));
    const at = (n: number) => `case_id: ${"R".repeat(n)}\nconcern: { date: 2026-11-23 }\n`;
    writeFileSync(join(dir, "long.yaml"), at(MAX_CASE_ID + 1));
    const r = cli(["run", "--answers", "long.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `safeguard: error: the case file long.yaml has 1 problem:\n  long.yaml:1:10  case_id: is ${MAX_CASE_ID + 1} characters long: a case reference is at most ${MAX_CASE_ID} (give the reference your records use)\n`,
    );
    writeFileSync(join(dir, "most.yaml"), at(MAX_CASE_ID));
    const ok = cli(["run", "--answers", "most.yaml", "--out", "out"], { cwd: dir });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    // In a batch it is that case that fails, with the same words.
    const b = cli(["batch", "long.yaml", "most.yaml", "--out", "b"], { cwd: dir });
    expect(b.code).toBe(1);
    expect(b.stdout).toContain(`long.yaml:1:10  case_id: is ${MAX_CASE_ID + 1} characters long`);
    expect(b.stdout).toMatch(/ok +most\.yaml -> b\/R{120}~[0-9a-f]{10}\//);
  });
});

describe("bounded: NDJSON on standard input", () => {
  it("a line over 4 MB fails alone, as a case file would; lines across many reads, CRLF and a last line without a newline are read whole", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-bounds-"));
    const good = (id: string, pad = "") => `{"case_id":"${id}",${pad}"concern":{"date":"2026-11-23"}}`;
    const input = [
      good("A"),
      good("BIG", " ".repeat(4 * 1024 * 1024)),
      good("C", " ".repeat(1024 * 1024)),
      `${good("D")}\r`,
      "",
      good("E"),
    ].join("\n");
    const r = cli(["batch", "-", "--out", "out", "--json"], { cwd: dir, input });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.cases.map((c: { file: string; ok: boolean }) => [c.file, c.ok])).toEqual([
      ["stdin line 1", true],
      ["stdin line 2", false],
      ["stdin line 3", true],
      ["stdin line 4", true],
      ["stdin line 6", true],
    ]);
    expect(summary.cases[1].problems).toEqual([
      "stdin line 2 is larger than 4 MB: each line holds one case (NDJSON)",
    ]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["A", "C", "D", "E"]);
  });
});
