import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCase } from "../src/engine/answers.js";
import { readCaseFile } from "../src/io/case-text.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-values-"));
const read = (text: string, today?: string) =>
  readCase("case.yaml", text, bundledFlow().facts, today ? { today } : {});

describe("values are kept as given", () => {
  it("text keeps leading zeros and digits as written (YAML would read a number)", () => {
    const { answers, problems } = read("case_id: 000123\nperson:\n  phone: 07700900123\n  name: 1.50\n");
    expect(problems).toEqual([]);
    expect(answers?.get("case_id")).toBe("000123");
    expect(answers?.get("person.phone")).toBe("07700900123");
    expect(answers?.get("person.name")).toBe("1.50");
  });

  it("property: any digit string given for a text fact comes back exactly", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,15}$/), (digits) => {
        const { answers } = read(`case_id: ${digits}\nperson.phone: ${digits}\n`);
        expect(answers?.get("case_id")).toBe(digits);
        expect(answers?.get("person.phone")).toBe(digits);
      }),
    );
  });

  it("a !!timestamp is the calendar date written, never moved through UTC", () => {
    const late = read("person:\n  dob: !!timestamp 2009-09-14T23:30:00-05:00\n");
    expect(late.problems).toEqual([]);
    expect(late.answers?.get("person.dob")).toBe("2009-09-14");
    const early = read("person:\n  dob: !!timestamp 2009-09-14T00:30:00+05:00\n");
    expect(early.answers?.get("person.dob")).toBe("2009-09-14");
    expect(read("concern.date: !!timestamp 2026-11-23\n").answers?.get("concern.date")).toBe("2026-11-23");
  });

  it("the same fact given flat and nested is refused, with both lines", () => {
    const { answers, problems } = read("concern.date: 2026-11-23\nconcern:\n  date: 2026-11-24\n");
    expect(answers).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, field: "concern.date" });
    expect(problems[0]?.message).toContain("given twice (first at line 1)");
  });

  it("implausible dates: year 0000 and an age over 120 are problems; 120 itself is not", () => {
    const y0 = read("person:\n  dob: 0000-01-01\n");
    expect(y0.problems[0]?.message).toMatch(/not a plausible date .*check the year/);
    const old = read("concern.date: 2026-11-23\nperson:\n  dob: 1905-01-01\n");
    expect(old.problems[0]).toMatchObject({ line: 3, field: "person.dob" });
    expect(old.problems[0]?.message).toContain("age over 120");
    expect(read("person:\n  dob: 1905-01-01\n", "2026-11-23").problems).toHaveLength(1);
    expect(read("concern.date: 2026-11-23\nperson:\n  dob: 1906-11-23\n").problems).toEqual([]);
  });

  it("a date a deadline may count from is in the years whose bank holidays are known (1990 to 2100)", () => {
    for (const [text, line, field] of [
      ["concern.date: 1989-12-31\n", 1, "concern.date"],
      ["case_id: A\nreferral:\n  date: 2101-01-01\n", 3, "referral.date"],
    ] as const) {
      const { answers, problems } = read(text, "2026-11-23");
      expect(answers, text).toBeUndefined();
      expect(problems, text).toHaveLength(1);
      expect(problems[0]).toMatchObject({ line, field });
      expect(problems[0]?.message).toContain(
        "is outside the years whose bank holidays safeguard knows (1990 to 2100), so no working day can be counted from it",
      );
    }
    expect(read("concern.date: 1990-01-01\nreferral.date: 2100-12-31\n", "2026-11-23").problems).toEqual([]);
    // A date of birth is never counted from in working days: an adult born before 1990 is a case like any other.
    expect(read("concern.date: 2026-11-23\nperson:\n  dob: 1950-06-01\n").problems).toEqual([]);
  });
});

describe("case files read whole", () => {
  it("a file read in several pieces (over 64 KB, a character across a piece's end) comes back exactly", () => {
    // Every piece different, so a piece overwritten by the next read would show.
    const head = "case_id: A\nconcern.description: ";
    const text = `${head}${"x".repeat(65535 - head.length)}é${"y".repeat(70000)}ü${"z".repeat(9)}\n`;
    expect(Buffer.byteLength(text.slice(0, head.length + 65535 - head.length))).toBe(65535);
    const file = join(tmp(), "case.yaml");
    writeFileSync(file, text);
    expect(readCaseFile(file, "case.yaml")).toBe(text);
    // And a small file after it: nothing of the large one is left in what is read.
    writeFileSync(file, "case_id: B\n");
    expect(readCaseFile(file, "case.yaml")).toBe("case_id: B\n");
  });
});

describe("values refused (built CLI)", () => {
  it("invalid UTF-8: exit 2 with file:line, never replaced silently", () => {
    const dir = tmp();
    const file = join(dir, "case.yaml");
    writeFileSync(
      file,
      Buffer.concat([Buffer.from("case_id: A\nperson:\n  name: Ren"), Buffer.from([0xe9, 0x0a])]),
    );
    const r = cli(["run", "--answers", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3: is not UTF-8 text`);
    expect(r.stderr).not.toContain("at ");
  });

  it("a deadline the case's dates carry past 2100 is refused (exit 2), never counted without the holidays", () => {
    const dir = tmp();
    const file = join(dir, "case.yaml");
    const text = (date: string) =>
      `case_id: Z\nconcern.date: ${date}\nreferral.date: ${date}\nperson.age: 15\nscreening.outcome: evidence\nscreening.significant_harm: "yes"\n`;
    // 12 weeks from 29 Dec 2100 is in 2101.
    writeFileSync(file, text("2100-12-29"));
    const r = cli(["run", "--answers", file, "--date", "2100-12-30"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "a deadline or a step's lateness reaches 2101, outside the years whose bank holidays safeguard knows (1990 to 2100)",
    );
    expect(r.stderr).not.toContain("at ");
    // The same case a few months earlier has every deadline inside the table.
    writeFileSync(file, text("2100-09-01"));
    const ok = cli(["run", "--answers", file, "--date", "2100-09-02"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
  });

  it("leading zeros survive into the folder, pathway.json and the drafts", () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "c.yaml"),
      "case_id: 000123\nconcern.date: 2026-11-23\nperson.phone: 07700900123\n",
    );
    const r = cli(["run", "--answers", "c.yaml", "--out", "out", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).case_id).toBe("000123");
    expect(existsSync(join(dir, "out", "000123", "pathway.json"))).toBe(true);
    expect(readFileSync(join(dir, "out", "000123", "case-summary.md"), "utf8")).toContain("07700900123");
  });

  it("a case file that never ends (/dev/zero) or is too large: exit 2 at once", () => {
    const r = cli(["run", "--answers", "/dev/zero"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("larger than 4 MB");
    const dir = tmp();
    expect(cli(["run", "--answers", dir]).stderr).toContain("is a folder, not a case file");
  });

  it("batch: an invalid UTF-8 line on stdin fails alone; the others are written", () => {
    const dir = tmp();
    const input = Buffer.concat([
      Buffer.from('{"case_id":"A","concern":{"date":"2026-11-23"}}\n{"case_id":"B'),
      Buffer.from([0xff]),
      Buffer.from('"}\n{"case_id":"C","concern":{"date":"2026-11-23"}}\n'),
    ]);
    const r = cli(["batch", "-", "--out", dir], { input });
    expect(r.stdout).toContain("FAILED  stdin line 2");
    expect(r.stdout).toContain("stdin:2: is not UTF-8 text");
    expect(existsSync(join(dir, "A"))).toBe(true);
    expect(existsSync(join(dir, "C"))).toBe(true);
    expect(r.code).toBe(1);
  });
});
