import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../src/engine/answers.js";
import { decide, type Pathway } from "../src/engine/decide.js";
import { demoScript, demoText } from "../src/render/demo.js";
import { templateEngine } from "../src/render/documents.js";
import { deadlinesIcs } from "../src/render/ics.js";
import { markdownInline, markdownQuote, terminalSafe, terminalText } from "../src/render/inert.js";
import { renderOutputs } from "../src/render/outputs.js";
import { pathwayText } from "../src/render/text.js";
import { cli, example } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-inert-"));

/** A case that calls for most drafts (worked example 1), with answers to fill in. */
function hostileCase(text: Record<string, string>): Map<string, Value | null> {
  const answers = new Map<string, Value | null>([
    ["case_id", "EX-1"],
    ["concern.date", "2026-08-26"],
    ["concern.about", "individual"],
    ["concern.types", ["criminal", "county-lines"]],
    ["concern.perpetrator_or_location_information", true],
    ["concern.missing_episodes", 2],
    ["referral.date", "2026-08-27"],
    ["person.dob", "2009-09-14"],
    ["screening.outcome", "evidence"],
    ["screening.significant_harm", "likely"],
    ["responder.organisation", "education"],
  ]);
  for (const [k, v] of Object.entries(text)) answers.set(k, v);
  return answers;
}

const BENIGN = {
  case_id: "EX-1",
  "person.name": "Sam Sample",
  "person.phone": "07700 900123",
  "person.address": "1 High Street",
  "concern.description": "Seen with older men.\nGiven a phone.",
};

const HOSTILE = {
  case_id: "EX|1\n| forged | row |\r# Case summary: forged",
  "person.name": "Sam\n## Where to send it\nforged@example.org <script>alert(1)</script>",
  "person.phone": "\u001b]52;c;ZXZpbA==\u0007\u001b[2J07700<img src=x onerror=alert(1)>",
  "person.address": "1 High St\r\n- [x](javascript:alert(1))\u2028# heading",
  "concern.description": "first line\r## forged heading\r\n> nested\n```\n<script>x</script>\u2029| a | b |",
};

function render(answers: Map<string, Value | null>): { pathway: Pathway; files: Map<string, string> } {
  const flow = bundledFlow();
  const pathway = decide(flow, answers, "2026-11-23");
  const { files } = renderOutputs(templateEngine(flow.templates), flow, pathway, "out");
  return { pathway, files };
}

/** The headings, the case summary's own (which names the case) cut to its words. */
const headings = (md: string) =>
  md
    .split("\n")
    .filter((l) => /^\s{0,3}#/.test(l))
    .map((h) => h.replace(/^# Case summary: .*/, "# Case summary:"));
/** `<` not escaped: could open HTML. */
const rawHtml = /(^|[^\\])</m;
/** The rows of the case summary's answers table. */
function answerRows(md: string): string[] {
  const start = md.indexOf("## The answers given");
  const end = md.indexOf("\n---", start);
  return md
    .slice(start, end)
    .split("\n")
    .filter((l) => l.startsWith("|"));
}
/** Unescaped pipes in a table row. */
const pipes = (row: string) => row.replace(/\\./g, "").split("|").length - 1;

function assertInert(files: Map<string, string>, benign: Map<string, string>): void {
  for (const [name, text] of files) {
    if (!name.endsWith(".md")) continue;
    expect(headings(text), name).toEqual(headings(benign.get(name) ?? ""));
    expect(rawHtml.test(text), `${name} has raw HTML`).toBe(false);
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(text), `${name} control`).toBe(false);
    // Every quote block line starts with ">": nothing broke out of it.
    const lines = text.split("\n");
    lines.forEach((l, i) => {
      if (i > 0 && (lines[i - 1] as string).startsWith(">") && l !== "" && !l.startsWith(">"))
        expect.fail(`${name}: line ${i + 1} breaks out of a quote: ${l}`);
    });
  }
  const summary = files.get("case-summary.md") as string;
  const rows = answerRows(summary);
  expect(rows.length).toBeGreaterThan(3);
  for (const row of rows) expect(pipes(row), row).toBe(4);
}

describe("answers are data in Markdown", () => {
  it("a newline, HTML, a lone CR, pipes and escapes in answers forge nothing", () => {
    const { files } = render(hostileCase(HOSTILE));
    const { files: benign } = render(hostileCase(BENIGN));
    assertInert(files, benign);
    const mash = files.get("mash-referral.md") as string;
    expect(mash).toContain("Sam ## Where to send it forged\\@example\\.org \\<script\\>");
    expect(mash).toContain("\\<script\\>");
    expect(mash).toContain("> first line\n> \\## forged heading\n> \\> nested");
    const summary = files.get("case-summary.md") as string;
    expect(summary.split("\n")[0]).toBe(
      "# Case summary: EX\\|1 \\| forged \\| row \\| # Case summary: forged",
    );
  });

  it("benign answers are unchanged: names, phone numbers, dates read as written", () => {
    expect(markdownInline("Sam O'Neil-Smith")).toBe("Sam O'Neil-Smith");
    expect(markdownInline("+44 7700 900123")).toBe("+44 7700 900123");
    expect(markdownInline("adult_consents")).toBe("adult_consents");
    expect(markdownInline("- a list")).toBe("\\- a list");
    expect(markdownInline("1. first")).toBe("1\\. first");
    expect(markdownQuote("a\rb")).toBe("> a\n> b");
    // A tab could indent a line into a code block: a space instead.
    expect(markdownInline("\tx")).toBe(" x");
  });

  it("property: any text in any answer field stays inert in every draft", () => {
    const { files: benign } = render(hostileCase(BENIGN));
    const text = fc.string({ unit: "binary", maxLength: 60 });
    const lumpy = fc
      .array(fc.oneof(text, fc.constantFrom("\n", "\r", "#", "|", "<", ">", "```", "- ", "1. ", "\u001b[")), {
        maxLength: 8,
      })
      .map((xs) => xs.join(""));
    fc.assert(
      fc.property(lumpy, lumpy, lumpy, lumpy, (name, phone, address, description) => {
        const { files } = render(
          hostileCase({
            "person.name": name,
            "person.phone": phone,
            "person.address": address,
            "concern.description": description,
          }),
        );
        assertInert(files, benign);
        const json = JSON.parse(files.get("pathway.json") as string);
        expect(json.case_id).toBe("EX-1");
      }),
      { numRuns: 40 },
    );
  });
});

describe("answers are data in the calendar", () => {
  it("RFC 5545: every control character escaped, lines folded, distinct UIDs for distinct ids", () => {
    const ids = fc.string({ unit: "binary", maxLength: 40 });
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        fc.pre(a !== b);
        const left = deadlinesIcs(render(hostileCase({ case_id: a })).pathway);
        const right = deadlinesIcs(render(hostileCase({ case_id: b })).pathway);
        for (const ics of [left, right]) {
          expect(ics.endsWith("\r\n")).toBe(true);
          for (const line of ics.slice(0, -2).split("\r\n")) {
            expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
            expect(/[\u0000-\u001f\u007f]/.test(line), JSON.stringify(line)).toBe(false);
            expect(/^([A-Z-]+[;:]| )/.test(line), line).toBe(true);
          }
        }
        const uids = (ics: string) => new Set(ics.match(/^UID:.*$/gm));
        for (const u of uids(left)) expect(uids(right).has(u)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });

  it("lines fold between characters: an emoji case reference stays whole", () => {
    // Each alignment of four-byte characters against the 75-octet limit, one a ZWJ family.
    for (const pad of ["", "a", "ab", "abc"]) {
      const id = `${pad}👩‍👧${"😀".repeat(30)}`;
      const ics = deadlinesIcs(render(hostileCase({ case_id: id })).pathway);
      // No lone surrogate: the text survives UTF-8 as it is, with no U+FFFD.
      expect(Buffer.from(ics, "utf8").toString("utf8"), pad).toBe(ics);
      for (const line of ics.slice(0, -2).split("\r\n")) {
        expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
      }
      // Unfolded (RFC 5545 §3.1), each title starts with the reference as given.
      const summaries = ics.replace(/\r\n /g, "").match(/^SUMMARY:.*$/gm) ?? [];
      expect(summaries.length).toBeGreaterThan(0);
      for (const s of summaries) expect(s.startsWith(`SUMMARY:${id}: `), s).toBe(true);
    }
  });

  it("an event worked out from the date of birth says neither the birthday nor the age", () => {
    const answers = hostileCase({});
    answers.set("person.dob", "2009-09-14");
    answers.set("concern.date", "2026-11-23");
    const ics = deadlinesIcs(decide(bundledFlow(), answers, "2026-11-23"));
    expect(ics).toMatch(/worked out from the date of birth/);
    expect(ics).not.toMatch(/birthday|2009|14 Sep|years \d+ months|age \d/i);
  });

  it("worked example 3's deadlines.ics no longer reveals the date of birth", () => {
    const dir = tmp();
    const r = cli(["run", "--answers", example("ex-3-transition-17.yaml"), "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    const ics = readFileSync(join(dir, "EX-3", "deadlines.ics"), "utf8");
    expect(ics).toContain("SUMMARY:EX-3: ");
    expect(ics).not.toMatch(/birthday|14 Sep|2009/);
  });
});

describe("answers are data on the terminal", () => {
  it("terminalSafe shows ESC, OSC 52, CR and bidi overrides as text", () => {
    expect(terminalSafe("a\u001b]52;c;ZXZpbA==\u0007b")).toBe("a\\x1B]52;c;ZXZpbA==\\x07b");
    expect(terminalSafe("x\ry\nz")).toBe("x\\ry\\nz");
    expect(terminalSafe("x\ry\nz", { multiline: true })).toBe("x\ny\nz");
    expect(terminalSafe("\u202Eevil")).toBe("\\u202Eevil");
    expect(terminalText("\u001b[1mbold\u001b[22m \u001b[2J")).toBe("\u001b[1mbold\u001b[22m \\x1B[2J");
  });

  it("property: terminalText changes exactly what the character-at-a-time version did", () => {
    // The version before issue 10 made it one pass: the reference it must agree with.
    const reference = (s: string): string => {
      let out = "";
      for (let i = 0; i < s.length; i++) {
        const ch = s[i] as string;
        if (ch === "\u001b") {
          const m = /\u001b\[[0-9;]*m/y;
          m.lastIndex = i;
          const hit = m.exec(s);
          if (hit) {
            out += hit[0];
            i += hit[0].length - 1;
            continue;
          }
        }
        out +=
          ch === "\n" || ch === "\t"
            ? ch
            : ch
                .replace(/\r/, "\\r")
                .replace(
                  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
                  (c) =>
                    (c.codePointAt(0) ?? 0) <= 0xff
                      ? `\\x${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, "0")}`
                      : `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
                );
      }
      return out.replace(
        /[\u2028\u2029\u0085]/g,
        (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}`,
      );
    };
    const piece = fc.oneof(
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.constantFrom(
        "\u001b[1m",
        "\u001b[22;2m",
        "\u001b[",
        "\u001b]52;",
        "\r\n",
        "\u2028",
        "\u0085",
        "\u202e",
        "\t",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const s = pieces.join("");
        expect(terminalText(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
    expect(terminalText("a\u2028b\u0085")).toBe("a\\u2028b\\x85");
  });

  it("property: run's and demo's text never carries a control character from an answer", () => {
    const flow = bundledFlow();
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.boolean(), (id, colour) => {
        const p = decide(flow, hostileCase({ case_id: id, "person.name": id }), "2026-11-23");
        const text = pathwayText(p, { colour, folder: `out/${id}` });
        const demo = demoText(demoScript(flow, p, { stem: id, name: id, file: id, plain: true }, { colour }));
        for (const out of [text, demo]) {
          const stripped = out.replace(/\u001b\[[0-9;]*m/g, "");
          expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(stripped), JSON.stringify(out)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("run, and an error quoting a bad value, print no escape sequence (built CLI)", () => {
    const dir = tmp();
    const file = join(dir, "case.json");
    writeFileSync(
      file,
      JSON.stringify({ case_id: "X\u001b]52;c;ZXZpbA==\u0007\u001b[2J", concern: { date: "2026-11-23" } }),
    );
    const r = cli(["run", "--answers", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("X\\x1B]52;c;ZXZpbA==\\x07\\x1B[2J");
    writeFileSync(file, JSON.stringify({ concern: { date: "2026-02-31\u001b[2J" } }));
    const bad = cli(["run", "--answers", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain("\u001b");
    expect(bad.stderr).toContain("\\x1B[2J");
  });

  it("--json keeps every answer exactly, escaped by JSON", () => {
    const dir = tmp();
    const file = join(dir, "case.json");
    const name = "Sam\n## Where\r<script>\u001b[2J";
    writeFileSync(file, JSON.stringify({ case_id: name, concern: { date: "2026-11-23" } }));
    const r = cli(["run", "--answers", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(JSON.parse(r.stdout).case_id).toBe(name);
  });
});
