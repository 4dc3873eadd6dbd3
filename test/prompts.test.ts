// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { PassThrough } from "node:stream";
import { render } from "@inquirer/testing";
import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import type { Question } from "../src/flow/types.js";
import { bundledFlowsDir } from "../src/io/paths.js";
import { loadLexicon } from "../src/language/load.js";
import { createUi, helpText, pager, type QuestionOptions, type Ui, valueWords } from "../src/prompts/ask.js";
import { decidesLine } from "../src/prompts/screens.js";
import { wrapText } from "../src/render/wrap.js";
import { bundledFlow } from "./helpers/flow.js";

/** The wizard's prompt wrapper, driven through @inquirer/testing's virtual screen. */

const question = (id: string): Question => {
  const q = bundledFlow().questions.find((x) => x.fact.id === id);
  if (!q) throw new Error(`no question for ${id}`);
  return q;
};

function makeUi(size: { rows?: number; columns?: number } = {}): { ui: Ui; said: () => string } {
  const out = Object.assign(new PassThrough(), size);
  let said = "";
  out.on("data", (d: Buffer) => {
    said += d.toString();
  });
  const ui = createUi({
    // The same stream the mocked prompts read, so our Esc, ? and < keys see the keypresses.
    input: screen.input,
    output: out,
    colour: false,
    today: () => "2026-11-23",
    lexicon: () => loadLexicon(bundledFlowsDir),
  });
  return { ui, said: () => said };
}

const ask = (ui: Ui, id: string, opts: Partial<QuestionOptions> = {}) =>
  ui.question(question(id), { canGoBack: false, ...opts });

describe("one question, one prompt: enum and bool as lists", () => {
  it("an enum lists the flow's choices, not known (in the flow's words), help; Enter picks", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { canGoBack: true });
    const shown = screen.getScreen();
    expect(shown).toContain("What does the All Age Exploitation Screening Tool indicate?");
    expect(shown).toContain("At risk of exploitation");
    expect(shown).toContain("Not completed yet"); // not_known_label in flows/parts/questions.yaml
    expect(shown).toContain("Help: what this means");
    expect(shown).toContain("Back to the previous question");
    screen.keypress("down");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "at-risk" });
  });

  it("not known is offered only where the flow allows it", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    expect(screen.getScreen()).not.toContain("Not known");
    expect(screen.getScreen()).not.toContain("Back to");
    screen.keypress("down");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: false });
  });

  it("a bool is Yes / No / Not known", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.missing_now");
    screen.keypress("down");
    screen.keypress("down");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: null });
  });

  it("the answer given before is the default", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { default: "evidence" });
    expect(screen.getScreen()).toMatch(/❯ Evidence of exploitation/);
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "evidence" });
  });

  it("? shows the help text and the procedure section, then asks again", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "screening.outcome");
    screen.type("?");
    await screen.next();
    expect(said()).toContain("If the screening tool is not completed yet");
    expect(said()).toContain("From: Procedures §11, §12, §13.");
    expect(screen.getScreen()).toContain("What does the All Age Exploitation Screening Tool indicate?");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "no-risk" });
  });

  it("the Help entry does the same as ?", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    for (let i = 0; i < 4; i++) screen.keypress("down");
    screen.keypress("enter");
    await screen.next();
    expect(said()).toContain("From: Procedures §13.3.");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: true });
  });

  it("< goes back, except on the first question", async () => {
    const { ui } = makeUi();
    const first = ask(ui, "concern.about", { canGoBack: false });
    screen.type("<");
    screen.keypress("enter");
    await expect(first).resolves.toEqual({ kind: "answer", value: "individual" });

    const later = ask(ui, "concern.about", { canGoBack: true });
    screen.type("<");
    await expect(later).resolves.toEqual({ kind: "back" });
  });
});

describe("typed answers: refused at the prompt with the reason", () => {
  it('a date takes YYYY-MM-DD or "today"', async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "person.dob");
    screen.type("2026-02-31");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain('"2026-02-31" is not a date (use YYYY-MM-DD)');
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("today");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2026-11-23" });
  });

  it("Enter alone is not known where allowed, and refused where not", async () => {
    const { ui } = makeUi();
    const optional = ask(ui, "strategy_discussion.date");
    screen.keypress("enter");
    await expect(optional).resolves.toEqual({ kind: "answer", value: null });

    const required = ask(ui, "concern.date");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("An answer is needed here");
    screen.type("2026-08-26");
    screen.keypress("enter");
    await expect(required).resolves.toEqual({ kind: "answer", value: "2026-08-26" });
  });

  it("a whole number within the fact's range", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "person.age");
    screen.type("fifteen");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain('"fifteen" should be a whole number');
    for (let i = 0; i < 7; i++) screen.keypress("backspace");
    screen.type("130");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("130 is above 120");
    for (let i = 0; i < 3; i++) screen.keypress("backspace");
    screen.type("15");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: 15 });
  });

  it("the answer given before is offered, and Enter keeps it", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.date", { default: "2026-08-26", canGoBack: true });
    expect(screen.getScreen()).toContain("(2026-08-26)");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2026-08-26" });
  });

  it("? and < typed alone are help and back", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "referral.date", { canGoBack: true });
    screen.type("?");
    screen.keypress("enter");
    await screen.next();
    expect(said()).toContain("Defaults to the concern date.");
    screen.type("<");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "back" });
  });
});

describe("a list: tick what applies", () => {
  it("space ticks, Enter submits; nothing ticked is none of these", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: ["criminal", "county-lines"] });

    const none = ask(ui, "concern.other_harms");
    screen.keypress("enter");
    await expect(none).resolves.toEqual({ kind: "answer", value: [] });
  });

  it("not known goes on its own", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types", { default: ["sexual"] });
    // Up from the top stays there (no looping); the last entry is Not known.
    for (let i = 0; i < 12; i++) screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("Not known goes on its own");
    for (let i = 0; i < 12; i++) screen.keypress("up");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: null });
  });
});

describe('open to children\'s services: every reason, and "Not open" on its own (issue 21)', () => {
  it("two reasons together; Not open with a reason is refused", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "person.open_to_childrens_services");
    screen.keypress("space"); // Not open
    screen.keypress("down");
    screen.keypress("down");
    screen.keypress("space"); // For mental health
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("Not open goes on its own");
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("space"); // Not open, unticked
    for (let i = 0; i < 3; i++) screen.keypress("down");
    screen.keypress("space"); // For exploitation
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: ["mental-health", "exploitation"] });
  });
});

describe("stopping: a value, not an exception", () => {
  it("Esc", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome");
    screen.keypress("escape");
    await expect(answer).resolves.toEqual({ kind: "cancel" });
  });

  it("Ctrl-C", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.date");
    screen.type("2026-0");
    screen.keypress({ name: "c", ctrl: true });
    await expect(answer).resolves.toEqual({ kind: "cancel" });
  });
});

describe("free text: victim-blaming language is flagged, never blocked", () => {
  it("shows the phrase and a suggestion, and lets you keep or edit it", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "concern.description");
    screen.type("He says it is a lifestyle choice");
    screen.keypress("enter");
    await screen.next();
    expect(said()).toContain('"lifestyle choice"');
    expect(said()).toContain("suggest:");
    expect(screen.getScreen()).toContain("Change the wording?");
    screen.keypress("enter"); // Edit the wording
    await screen.next();
    for (let i = 0; i < "a lifestyle choice".length; i++) screen.keypress("backspace");
    screen.type("being exploited");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "He says it is being exploited" });
  });

  it("keeping it as written is allowed", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.description");
    screen.type("A lifestyle choice, she said");
    screen.keypress("enter");
    await screen.next();
    screen.keypress("down");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "A lifestyle choice, she said" });
  });
});

describe("a date worth a second look (issue 14)", () => {
  const doubt = (v: unknown) =>
    v === "2027-01-05" ? "2027-01-05 is after today (2026-11-23): that is in the future." : undefined;

  it("a date in the future is questioned: keep it, and it is the answer", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "referral.date", { doubt });
    screen.type("2027-01-05");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("that is in the future. Keep it?");
    screen.keypress("enter"); // Keep it
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2027-01-05" });
  });

  it("change it: the date comes back to edit", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.date", { doubt });
    screen.type("2027-01-05");
    screen.keypress("enter");
    await screen.next();
    screen.keypress("down");
    screen.keypress("enter"); // Change it
    await screen.next();
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("2026-11-20");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2026-11-20" });
  });

  it("a plausible date is not questioned", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.date", { doubt });
    screen.type("2026-11-20");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2026-11-20" });
  });
});

describe("menus and words", () => {
  it("choose returns the value picked; text returns what was typed", async () => {
    const { ui } = makeUi();
    const picked = ui.choose("Pick", [
      { value: { n: 1 }, name: "one" },
      { separator: " " },
      { value: { n: 2 }, name: "two" },
    ]);
    screen.keypress("down");
    screen.keypress("enter");
    await expect(picked).resolves.toEqual({ kind: "pick", value: { n: 2 } });
    const typed = ui.text("Folder", { default: "./safeguard-out" });
    screen.keypress("enter");
    await expect(typed).resolves.toEqual({ kind: "pick", value: "./safeguard-out" });
  });

  it("values in words, help with the case-file field", () => {
    expect(valueWords(question("concern.types"), ["county-lines"])).toBe("County lines");
    expect(valueWords(question("concern.missing_now"), null)).toBe("not known");
    expect(valueWords(question("concern.missing_now"), false)).toBe("No");
    expect(helpText(question("concern.imminent_harm"))).toContain(
      "In a case file this is concern.imminent_harm.",
    );
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

describe("a screen longer than the terminal: a page at a time", () => {
  const text = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the detail`).join("\n");

  it("fits: printed as it is, and no keys to learn", async () => {
    const { ui, said } = makeUi({ rows: 24 });
    await expect(ui.page("one\ntwo\nthree", 4)).resolves.toBe("said");
    expect(said()).toContain("one\ntwo\nthree");
  });

  /** The pager alone, on a virtual screen of `rows` x `columns`. */
  const renderPager = (rows: number, columns: number) =>
    render(pager, {
      text,
      width: () => columns,
      height: () => rows,
      colour: false,
      at: { line: 0 },
      footer: (keys: [string, string][]) =>
        wrapText(keys.map(([k, what]) => `${k} ${what}`).join(" • "), columns),
    });

  it("space and b move a page, q goes back; the line under the text says where it is", async () => {
    const { answer, events, getScreen } = await renderPager(12, 120);
    let shown = getScreen();
    // 12 rows: 9 lines of text, where it is, the keys, one spare.
    expect(shown).toMatch(/^line 1 of the detail$/m);
    expect(shown).toMatch(/^line 9 of the detail$/m);
    expect(shown).not.toMatch(/^line 10 of/m);
    expect(shown).toContain("Lines 1-9 of 40 (more below)");
    expect(shown).toContain("space next page • b previous • ↑↓ line • q back to the menu");
    events.keypress("space");
    shown = getScreen();
    expect(shown).toContain("Lines 10-18 of 40 (more below)");
    expect(shown).toMatch(/^line 10 of the detail$/m);
    expect(shown).not.toMatch(/^line 9 of/m);
    events.keypress("down");
    expect(getScreen()).toContain("Lines 11-19 of 40");
    events.keypress("b");
    expect(getScreen()).toContain("Lines 2-10 of 40");
    events.keypress("end");
    expect(getScreen()).toContain("Lines 32-40 of 40 (the end)");
    events.keypress("home");
    expect(getScreen()).toContain("Lines 1-9 of 40");
    events.keypress("q");
    await expect(answer).resolves.toBeUndefined();
  });

  it("Enter reads on a page, and on the last page is done with it", async () => {
    const { answer, events, getScreen } = await renderPager(12, 120);
    for (const at of ["10-18", "19-27", "28-36", "32-40"]) {
      events.keypress("enter");
      expect(getScreen()).toContain(`Lines ${at} of 40`);
    }
    events.keypress("enter");
    await expect(answer).resolves.toBeUndefined();
  });

  it("Esc goes back from the pager, and does not stop the wizard; Ctrl-C does", async () => {
    const first = makeUi({ rows: 12 }).ui.page(text);
    screen.keypress("escape");
    await expect(first).resolves.toBe("paged");
    const second = makeUi({ rows: 12 }).ui.page(text);
    screen.keypress({ name: "c", ctrl: true });
    await expect(second).resolves.toBe("cancel");
  });

  it("narrow: the keys wrap to the width, and the page is shorter for it", async () => {
    const { answer, events, getScreen } = await renderPager(12, 30);
    const shown = getScreen();
    const lines = shown.split("\n");
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(30);
    // The keys take two lines at 30 columns: 12 rows less those, the line saying where, one spare.
    const at = lines.findIndex((l) => l.startsWith("Lines "));
    expect(lines.length - at - 1).toBe(2);
    expect(shown).toContain("Lines 1-8 of 40 (more below)");
    expect(shown).not.toMatch(/^line 9 of/m);
    events.keypress("escape");
    await expect(answer).resolves.toBeUndefined();
  });
});

describe("a group's screen (grid.ts): a row each", () => {
  const flow = bundledFlow();
  /** The screen, lines wrapped to the width read as the text they came from. */
  const shown = () => screen.getScreen().replace(/\s+/g, " ");
  /** A Ui that renders to the virtual screen, as the grid is our own prompt (not one the testing library mocks). */
  // The prompt ends the stream it writes to when it is done (on a terminal, stdout is never
  // ended): the screen's output is kept open for the answered lines after it.
  const makeUi = () => {
    const output = new (class extends PassThrough {
      override end() {
        return this;
      }
    })();
    output.pipe(screen.createOutput());
    return { ui: createUi({ input: screen.input, output, colour: false, today: () => "2026-11-23" }) };
  };
  const group = flow.groups.get("childrens-social-care");
  if (!group) throw new Error("no group");
  const rows = group.facts.map(question);
  /** As the engine's liveRows would say for these rows: not open at Level 4 leaves out the next two. */
  const live = (values: ReadonlyMap<string, unknown>) =>
    rows.map((_, i) => !(values.get("person.allocated_social_worker") === false && (i === 1 || i === 2)));

  it("every row starts not known; Enter alone answers each not known, never no", async () => {
    const { ui } = makeUi();
    const answer = ui.group(group, rows, { defaults: new Map(), canGoBack: false, live });
    expect(shown()).toContain(group.heading);
    for (const q of rows) expect(shown()).toContain(q.ask);
    expect(shown().match(/◉ Not known/g)).toHaveLength(4);
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? [...got.values.values()] : got).toEqual([null, null, null, null]);
  });

  it("← → and keys choose, ↓ skips rows not needed, ? shows the row's help, < goes back", async () => {
    const { ui } = makeUi();
    const answer = ui.group(group, rows, {
      defaults: new Map(),
      canGoBack: true,
      live,
      decides: () => ["A step"],
    });
    screen.keypress("right"); // Not known -> Yes
    expect(shown()).toMatch(/◉ Yes/);
    screen.keypress("n");
    expect(shown()).toContain("(not needed, given the answers above)");
    screen.keypress("down"); // to the siblings
    screen.keypress("1");
    screen.keypress("?");
    expect(shown()).toContain("In a case file this is person.has_siblings.");
    expect(shown()).toContain("Asked because it decides: A step.");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "person.allocated_social_worker": false,
      "person.child_protection_plan": null,
      "person.looked_after": null,
      "person.has_siblings": true,
    });
    const back = ui.group(group, rows, { defaults: new Map(), canGoBack: true, live });
    screen.type("<");
    await expect(back).resolves.toEqual({ kind: "back" });
  });

  it("a row that cannot be not known must be chosen; the answer given before is offered", async () => {
    const now = flow.groups.get("right-now");
    if (!now) throw new Error("no group");
    const { ui } = makeUi();
    const answer = ui.group(now, now.facts.map(question), {
      defaults: new Map([["concern.missing_now", true]]),
      canGoBack: false,
      live: () => [true, true],
    });
    expect(shown()).toContain("(an answer is needed)");
    screen.keypress("enter");
    expect(shown()).toContain("Choose an answer for: Is there a risk of imminent harm?");
    screen.keypress("y");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "concern.imminent_harm": true,
      "concern.missing_now": true,
    });
  });
});
