import { describe, expect, it } from "vitest";
import { visibleWidth, wrapLine, wrapText } from "../src/render/wrap.js";

/** The wizard's word wrapping: at word boundaries, to any width, colour codes taking no room. */

const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const TEXT =
  "Send a copy of the completed screening tool to the Exploitation Team, with the referral attached";

describe("wrapLine", () => {
  for (const width of [20, 33, 40, 60, 80]) {
    it(`at ${width} columns every line fits and the words are whole, in order`, () => {
      const lines = wrapLine(TEXT, width, "  3. ", "     ");
      for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
      expect(lines[0]?.startsWith("  3. Send")).toBe(true);
      for (const l of lines.slice(1)) expect(l).toMatch(/^ {5}\S/);
      expect(lines.map((l) => l.trim()).join(" ")).toBe(`3. ${TEXT}`);
    });
  }

  it("a date as the tool writes it stays whole on one line: 'Wed 26' never ends a line with 'Aug 2026' on the next", () => {
    const text =
      "due: Wed 26 Aug 2026 overdue (15 days) (immediately (concern.date, Wed 26 Aug 2026)) by Fri 25 Sep";
    // From the width a date fits in (a date wider than the line is cut, as any word is).
    for (let width = 18; width <= 100; width++) {
      const lines = wrapLine(text, width);
      for (const l of lines) expect(visibleWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(width);
      expect(lines.join(" ")).toBe(text);
      const joined = lines.join("\n");
      expect(joined, `${width}`).not.toMatch(/(Wed|Fri)\n|(Wed|Fri) \d+\n|Aug\n2026|Sep\n/);
      expect(joined.match(/Wed 26 Aug 2026/g), `${width}`).toHaveLength(2);
    }
  });

  it("a line that fits is left as it is", () => {
    expect(wrapLine("Refer to MASH", 80)).toEqual(["Refer to MASH"]);
  });

  it("a word wider than the line is the only thing cut, and only where it must be", () => {
    const lines = wrapLine(`see ${"x".repeat(25)} now`, 12);
    expect(lines).toEqual(["see", "x".repeat(12), "x".repeat(12), "x now"]);
  });

  it("colour codes take no room and are kept", () => {
    const red = (s: string) => `${ESC}[31m${s}${ESC}[39m`;
    const lines = wrapLine(`${red("overdue (3 days)")} Discuss the concern with the lead`, 24);
    for (const l of lines) expect(l.replace(SGR, "").length).toBeLessThanOrEqual(24);
    expect(lines.join(" ").replace(SGR, "")).toBe("overdue (3 days) Discuss the concern with the lead");
    expect(lines[0]).toContain(`${ESC}[31m`);
  });

  it("wide characters take two columns", () => {
    expect(visibleWidth("山田")).toBe(4);
    const lines = wrapLine("案件 山田 太郎 花子", 10);
    for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(10);
    expect(lines).toEqual(["案件 山田", "太郎 花子"]);
  });
});

describe("wrapText", () => {
  it("keeps each line's indentation, and indents what it carries over by two more", () => {
    const text = `Heading\n  - ${TEXT}\n    short`;
    const out = wrapText(text, 40).split("\n");
    expect(out[0]).toBe("Heading");
    expect(out[1]?.startsWith("  - Send")).toBe(true);
    expect(out.slice(2, -1).every((l) => /^ {4}\S/.test(l))).toBe(true);
    expect(out.at(-1)).toBe("    short");
    for (const l of out) expect(l.length).toBeLessThanOrEqual(40);
  });
});
