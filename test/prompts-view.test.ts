import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import type { Question } from "../src/flow/types.js";
import { type GridConfig, gridView, rowOptions } from "../src/prompts/grid.js";
import { listEntries, listProblem } from "../src/prompts/list.js";
import { decidesLine } from "../src/prompts/screens.js";
import { NOT_KNOWN, selectEntries } from "../src/prompts/select.js";
import { parseTyped } from "../src/prompts/typed.js";
import {
  answeredLine,
  fitMessage,
  helpText,
  inlineRows,
  keyLine,
  listTheme,
  pagerLayout,
  pagerPage,
  typedHints,
  valueWords,
} from "../src/prompts/view.js";
import { bundledFlow } from "./helpers/flow.js";

/** What the prompts show, without a terminal (view.ts, and the pure parts of each prompt kind). */

const flow = bundledFlow();
const question = (id: string): Question => {
  const q = flow.questions.find((x) => x.fact.id === id);
  if (!q) throw new Error(`no question for ${id}`);
  return q;
};
const plain = new Chalk({ level: 0 });

describe("words", () => {
  it("values in words, help with the case-file field", () => {
    expect(valueWords(question("concern.types"), ["county-lines"])).toBe("County lines");
    expect(valueWords(question("concern.missing_now"), null)).toBe("not known");
    expect(valueWords(question("concern.missing_now"), undefined)).toBe("not known");
    expect(valueWords(question("concern.missing_now"), false)).toBe("No");
    expect(valueWords(question("concern.missing_now"), true)).toBe("Yes");
    expect(valueWords(question("concern.date"), "2026-12-05")).toBe("Sat 5 Dec 2026");
    expect(valueWords(question("concern.types"), [])).toBe("none of these");
    expect(helpText(question("concern.imminent_harm"))).toContain(
      "In a case file this is concern.imminent_harm.",
    );
  });

  it("a typed answer is said back inert: control characters made visible", () => {
    const said = valueWords(question("concern.description"), "a\u001b[2Jb");
    expect(said).not.toContain("\u001b");
    expect(said.startsWith("a")).toBe(true);
  });

  it("the answered line: a tick, the question, the answer", () => {
    expect(answeredLine("Is it so?", "Yes", 80, plain)).toBe("✔ Is it so? Yes\n");
    const narrow = answeredLine("A question long enough to wrap at twenty", "No", 20, plain).split("\n");
    for (const l of narrow) expect(l.length, l).toBeLessThanOrEqual(20);
    expect(narrow[1]?.startsWith("  ")).toBe(true);
  });
});

describe("why a question is asked, in a few lines", () => {
  const titles = Array.from({ length: 40 }, (_, i) => `Step number ${i + 1} of the pathway`);

  it("help names every step where they fit, and at most five lines of them, the rest counted", () => {
    const few = helpText(question("concern.imminent_harm"), titles.slice(0, 3), 78).replace(/\n/g, " ");
    expect(few).toContain(`Asked because it decides: ${titles.slice(0, 3).join("; ")}.`);
    const many = helpText(question("concern.about"), titles, 78).split("\n");
    const at = many.findIndex((l) => l.startsWith("Asked because it decides:"));
    const why = many.slice(at, -1); // up to the case-file line
    expect(why.length).toBeLessThanOrEqual(5);
    expect(why.length).toBeGreaterThan(3);
    for (const l of why) expect(l.length).toBeLessThanOrEqual(78);
    const said = why.join(" ");
    const more = Number(/; and (\d+) more steps\.$/.exec(said)?.[1]);
    expect(more).toBeGreaterThan(0);
    expect(said).toContain(titles.slice(0, 40 - more).join("; "));
    expect(said).not.toContain(titles[40 - more] as string);
  });

  it("the review's two lines: as many as fit, then where to read more; a first step too long for them, cut", () => {
    const two = decidesLine(titles, 60, 2, " (its help lists more)")?.split("\n") ?? [];
    expect(two).toHaveLength(2);
    expect(two.join(" ")).toMatch(/; and \d+ more steps \(its help lists more\)\.$/);
    // A long first step: where to read more gives way to it.
    const long =
      "Discuss the peer group, place or online space with your safeguarding lead and seek advice from the Exploitation Team";
    const others = ["Another step with a title about this long", "And a third one as long as that"];
    const said = decidesLine([long, ...others], 79, 2, " (its help lists more)")?.split("\n") ?? [];
    expect(said).toHaveLength(2);
    expect(said.join(" ")).toMatch(
      /^Asked because it decides: Discuss the peer group, .* …; and 2 more steps\.$/,
    );
    expect(
      long.startsWith(
        said
          .join(" ")
          .replace(/^Asked because it decides: /, "")
          .replace(/ …;.*/, ""),
      ),
    ).toBe(true);
    expect(decidesLine(["x".repeat(200)], 60, 2, " (its help lists more)")).toBe(
      "Asked because it decides 1 step (its help lists more).",
    );
    expect(decidesLine([], 60)).toBeUndefined();
  });
});

describe("no answer is chosen for the lead (style.md §8)", () => {
  const choices = flow.questions.filter((q) => q.fact.type === "bool" || q.fact.type === "enum");

  it("untouched, every yes/no and choice question starts on not known, or on an entry that cannot be picked", () => {
    expect(choices.length).toBeGreaterThan(40);
    for (const q of choices) {
      const { initial, choices: entries } = selectEntries(q, { canGoBack: true }, 80);
      if (q.notKnown) expect(initial, q.fact.id).toBe(NOT_KNOWN);
      else if (q.fact.notKnown !== undefined) expect(initial, q.fact.id).toBe(`=${q.fact.notKnown}`);
      else {
        expect(initial, q.fact.id).toBeUndefined();
        expect(entries[0], q.fact.id).toMatchObject({ disabled: "(it cannot be not known)" });
      }
    }
  });

  it("not known given before starts on not known too; an answer given before starts on it", () => {
    const q = question("concern.missing_now");
    expect(selectEntries(q, { canGoBack: false, default: null }, 80).initial).toBe(NOT_KNOWN);
    expect(selectEntries(q, { canGoBack: false, default: false }, 80).initial).toBe("=false");
    const required = question("concern.imminent_harm");
    const given = selectEntries(required, { canGoBack: false, default: true }, 80);
    expect(given.initial).toBe("=true");
    expect(given.choices[0]).not.toMatchObject({ disabled: "(it cannot be not known)" });
  });

  it("untouched, no list has anything ticked; none of these and not known are ticked only when given", () => {
    for (const q of flow.questions.filter((x) => x.fact.type === "list")) {
      const ticked = listEntries(q, { canGoBack: false }, 80).filter((e) => "checked" in e && e.checked);
      expect(ticked, q.fact.id).toEqual([]);
    }
    const q = question("concern.other_harms");
    const tickedOf = (d: null | string[]) =>
      listEntries(q, { canGoBack: false, default: d }, 80).flatMap((e) =>
        "checked" in e && e.checked ? [e.name] : [],
      );
    expect(tickedOf([])).toEqual(["None of these"]);
    expect(tickedOf(null)).toEqual([q.notKnownLabel]);
  });

  it("a list: nothing ticked is not known where it may be, refused where not; not known goes on its own", () => {
    const q = question("concern.other_harms");
    expect(listProblem(q, [])).toBe(true);
    expect(listProblem({ ...q, notKnown: false }, [])).toMatch(/^A choice is needed here/);
    const first = `=${q.fact.values?.[0]}`;
    expect(listProblem(q, [{ value: first }])).toBe(true);
    expect(listProblem(q, [{ value: first }, { value: NOT_KNOWN }])).toBe(
      `${q.notKnownLabel} goes on its own: untick it, or untick the others (space)`,
    );
  });

  it("typed: Enter alone is not known where allowed and refused where not; bad input refused with why", () => {
    expect(parseTyped(question("strategy_discussion.date"), "  ", "2026-11-23")).toEqual({ value: null });
    expect(parseTyped(question("concern.date"), "", "2026-11-23")).toBe(
      "An answer is needed here (it cannot be not known)",
    );
    expect(parseTyped(question("concern.date"), "today", "2026-11-23")).toEqual({ value: "2026-11-23" });
    expect(parseTyped(question("person.age"), "fifteen", "2026-11-23")).toBe(
      '"fifteen" should be a whole number',
    );
    expect(parseTyped(question("person.age"), "15", "2026-11-23")).toEqual({ value: 15 });
  });
});

describe("fitting to the width", () => {
  it("the key line breaks between keys, never inside one", () => {
    const keys: [string, string][] = [
      ["↑↓", "move"],
      ["space", "tick"],
      ["?", "help"],
      ["<", "back"],
      ["F2", "blank screen"],
      ["esc", "save and stop"],
    ];
    expect(keyLine(keys, 200, plain)).toBe(
      "↑↓ move • space tick • ? help • < back • F2 blank screen • esc save and stop",
    );
    const rows = keyLine(keys, 30, plain).split("\n");
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r.length, r).toBeLessThanOrEqual(30);
    const said = rows.map((r) => r.trim()).join(" • ");
    for (const [k, what] of keys) expect(said).toContain(`${k} ${what}`);
  });

  it("a message leaves room for the default shown after it", () => {
    const text = "Output folder (a folder for this case is made inside it)";
    for (const l of fitMessage(text, 40, 10).split("\n")) expect(l.length, l).toBeLessThanOrEqual(28);
    expect(fitMessage(text, 200)).toBe(text);
  });

  it("a list's hint is shown while asking, not once answered; a refusal is fitted under it", () => {
    const theme = listTheme(plain, () => 40, [], "(space ticks)");
    expect(theme.style.message("Which?", "idle")).toBe("Which? (space ticks)");
    expect(theme.style.message("Which?", "done")).toBe("Which?");
    const refusal = theme.style
      .error("A choice is needed here (it cannot be not known): tick what applies")
      .split("\n");
    expect(refusal[0]?.startsWith("> ")).toBe(true);
    for (const l of refusal) expect(l.length, l).toBeLessThanOrEqual(40);
  });

  it("a typed question's hint says what Enter does, and offers back only where there is a way back", () => {
    const dob = question("person.dob");
    const hint = typedHints(dob, undefined, false);
    expect(hint).toContain('day/month/year (5/12/2026) or "today"');
    expect(hint).toContain(`Enter alone: ${dob.notKnownLabel.toLowerCase()}`);
    expect(hint).not.toContain("<: back");
    expect(typedHints(dob, "2010-12-05", true)).toContain("Enter keeps it, Backspace then Enter:");
    expect(typedHints(dob, "2010-12-05", true)).toContain("<: back");
    expect(typedHints(question("concern.date"), undefined, false)).toContain("an answer is needed");
  });

  it("an inline menu keeps each entry whole, on a new row where the row is full", () => {
    const items = ["Write the files", "Why: choose a step", "Show everything", "Finish without writing"];
    expect(inlineRows("What next?", items, 1, 200, plain)).toEqual([
      "? What next?    Write the files  ❯ Why: choose a step    Show everything    Finish without writing",
    ]);
    const rows = inlineRows("What next?", items, 0, 40, plain);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r.length, r).toBeLessThanOrEqual(40);
    for (const item of items)
      expect(
        rows.some((r) => r.includes(item)),
        item,
      ).toBe(true);
  });

  it("the pager's page: as many lines as fit over the keys and where it is; the last page ends the text", () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n");
    const layout = pagerLayout(text, 80, 12, 1);
    expect(layout.room).toBe(9);
    expect(layout.lastStart).toBe(31);
    expect(pagerPage(layout, 0, plain).where).toBe("Lines 1-9 of 40 (more below)");
    const last = pagerPage(layout, 35, plain);
    expect(last.where).toBe("Lines 32-40 of 40 (the end)");
    expect(last.text.split("\n")).toHaveLength(9);
    // However small the screen, three lines of text.
    expect(pagerLayout(text, 80, 4, 2).room).toBe(3);
  });
});

describe("a group's screen (gridView), without a terminal", () => {
  const group = flow.groups.get("childrens-social-care");
  if (!group) throw new Error("no group");
  const rows = group.facts.map(question);
  const config = (height: number, width = 200): GridConfig => ({
    heading: group.heading,
    rows,
    options: rows.map(rowOptions),
    initial: rows.map(() => -1),
    live: () => rows.map(() => true),
    help: () => "",
    canGoBack: false,
    tools: {
      run: () => Promise.resolve({ kind: "cancel" }),
      answered: () => {},
      footer: (keys) => keys.map(([k, what]) => `${k} ${what}`).join(" • "),
      helpText,
      width: () => width,
      height: () => height,
      colour: false,
    },
  });
  const at = {
    chosen: rows.map(() => -1),
    active: 0,
    help: false,
    error: undefined,
    live: rows.map(() => true),
  };

  it("every row with its choices; a row not needed dimmed and said to be so; the keys apart", () => {
    const [body, footer] = gridView(config(40), { ...at, live: [true, false, true, true] }, plain);
    for (const q of rows) expect(body).toContain(q.ask);
    expect(body).toContain(`${rows[1]?.ask} (not needed, given the answers above)`);
    expect(body).toMatch(/^❯ /m);
    expect(footer).toBe("↑↓ row • ←→ choose • ⏎ done • ? help");
  });

  it("a row that cannot be not known and is not chosen says an answer is needed; chosen, it does not", () => {
    const required = [question("concern.imminent_harm")];
    const c = { ...config(40), rows: required, options: required.map(rowOptions) };
    const one = { ...at, chosen: [-1], live: [true] };
    expect(gridView(c, one, plain)[0]).toContain("(an answer is needed)");
    expect(gridView(c, { ...one, chosen: [0] }, plain)[0]).not.toContain("(an answer is needed)");
  });

  it("on a short screen the rows that do not fit are counted, the active one shown", () => {
    const [body] = gridView(config(10, 80), { ...at, active: 3 }, plain);
    expect(body).toContain(rows[3]?.ask);
    expect(body).toMatch(/↑ \d+ more above/);
    expect(body).not.toContain(rows[0]?.ask);
  });
});
