// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { PassThrough } from "node:stream";
import { render } from "@inquirer/testing";
import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import type { Question } from "../src/flow/types.js";
import { loadLexicon } from "../src/io/lexicon.js";
import { bundledFlowsDir } from "../src/io/paths.js";
import { createUi, helpText, pager, type QuestionOptions, type Ui, valueWords } from "../src/prompts/ask.js";
import { decidesLine } from "../src/prompts/screens.js";
import { readTypedDate } from "../src/prompts/typed-date.js";
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
  it("an enum lists the flow's choices, not known (in the flow's words), help; ↑ ↓ and Enter pick", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { canGoBack: true });
    const shown = screen.getScreen();
    expect(shown).toContain("What does the All Age Exploitation Screening Tool indicate?");
    expect(shown).toContain("At risk of exploitation");
    expect(shown).toContain("Not completed yet"); // not_known_label in flows/parts/questions.yaml
    expect(shown).toContain("Help: what this means");
    expect(shown).toContain("Back to the previous question");
    // Untouched, the cursor is on not known: up from there is the last choice, then the one before.
    expect(shown).toMatch(/❯ Not completed yet/);
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "at-risk" });
  });

  it("a bool is Yes / No / Not known: Enter untouched keeps not known, never Yes", async () => {
    const { ui } = makeUi();
    const untouched = ask(ui, "concern.missing_now");
    expect(screen.getScreen()).toMatch(/❯ Not known/);
    expect(screen.getScreen()).not.toMatch(/❯ Yes/);
    screen.keypress("enter");
    await expect(untouched).resolves.toEqual({ kind: "answer", value: null });
    // Yes is chosen on purpose: two up from not known.
    const chosen = ask(ui, "concern.missing_now");
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("enter");
    await expect(chosen).resolves.toEqual({ kind: "answer", value: true });
  });

  it("a question that cannot be not known: Enter untouched records nothing and says a choice is needed", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    expect(screen.getScreen()).not.toContain("Not known");
    expect(screen.getScreen()).not.toContain("Back to");
    expect(screen.getScreen()).toMatch(/❯ Choose an answer below \(it cannot be not known\)/);
    screen.keypress("enter");
    expect(screen.getScreen()).toContain("A choice is needed here (it cannot be not known)");
    // Still asking: a second Enter does not answer either.
    screen.keypress("enter");
    expect(screen.getScreen()).toContain("Is there a risk of imminent harm?");
    screen.keypress("down"); // Yes
    screen.keypress("down"); // No
    expect(screen.getScreen()).not.toContain("A choice is needed here");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: false });
  });

  it("a choice that means not known (s42: not decided yet) is where the cursor starts", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "s42.duty_met");
    expect(screen.getScreen()).toMatch(/❯ Not decided yet/);
    expect(screen.getScreen()).not.toContain("Choose an answer below");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "unknown" });
  });

  it("every yes/no and choice question of the flow: Enter untouched never records an answer", async () => {
    const { ui } = makeUi();
    const asked = bundledFlow().questions.filter((q) => q.fact.type === "bool" || q.fact.type === "enum");
    expect(asked.length).toBeGreaterThan(40);
    const refused: string[] = [];
    for (const q of asked) {
      const answer = ui.question(q, { canGoBack: true });
      screen.keypress("enter");
      if (q.notKnown || q.fact.notKnown !== undefined) {
        const notKnown = q.notKnown ? null : q.fact.notKnown;
        await expect(answer, q.fact.id).resolves.toEqual({ kind: "answer", value: notKnown });
      } else {
        expect(screen.getScreen(), q.fact.id).toContain("A choice is needed here");
        refused.push(q.fact.id);
        screen.keypress("escape");
        await expect(answer, q.fact.id).resolves.toEqual({ kind: "cancel" });
      }
    }
    // The questions that cannot be not known, each refused.
    expect(refused.sort()).toEqual(["concern.about", "concern.imminent_harm", "person.age_disputed"]);
  });

  it("the answer given before is offered: Enter keeps it", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { default: "evidence" });
    expect(screen.getScreen()).toMatch(/❯ Evidence of exploitation/);
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "evidence" });
    const yes = ask(ui, "concern.imminent_harm", { default: true });
    expect(screen.getScreen()).toMatch(/❯ Yes/);
    expect(screen.getScreen()).not.toContain("Choose an answer below");
    screen.keypress("enter");
    await expect(yes).resolves.toEqual({ kind: "answer", value: true });
    const notKnown = ask(ui, "concern.missing_now", { default: null });
    expect(screen.getScreen()).toMatch(/❯ Not known/);
    screen.keypress("enter");
    await expect(notKnown).resolves.toEqual({ kind: "answer", value: null });
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
    await expect(answer).resolves.toEqual({ kind: "answer", value: null });
  });

  it("the Help entry does the same as ?", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    for (let i = 0; i < 4; i++) screen.keypress("down");
    screen.keypress("enter");
    await screen.next();
    expect(said()).toContain("From: Procedures §13.3.");
    screen.keypress("down"); // Yes
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: true });
  });

  it("< goes back, except on the first question", async () => {
    const { ui } = makeUi();
    const first = ask(ui, "concern.about", { canGoBack: false });
    screen.type("<");
    screen.keypress("down");
    screen.keypress("enter");
    await expect(first).resolves.toEqual({ kind: "answer", value: "individual" });

    const later = ask(ui, "concern.about", { canGoBack: true });
    screen.type("<");
    await expect(later).resolves.toEqual({ kind: "back" });
  });
});

describe("typed answers: refused at the prompt with the reason", () => {
  it('a date takes day/month/year, YYYY-MM-DD or "today"; an impossible one is refused with why', async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "person.dob");
    expect(screen.getScreen()).toContain('day/month/year (5/12/2026) or "today"');
    screen.type("31/2/2026");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain('"31/2/2026" is not a date: February 2026 has 28 days');
    for (let i = 0; i < 9; i++) screen.keypress("backspace");
    screen.type("5/12/2010");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "2010-12-05" });
    // Said back with its weekday, never as typed: no doubt which day it is.
    expect(said()).toContain("✔ The person's date of birth Sun 5 Dec 2010");

    const iso = ask(ui, "person.dob");
    screen.type("2026-02-31");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain('"2026-02-31" is not a date: February 2026 has 28 days');
    for (let i = 0; i < 10; i++) screen.keypress("backspace");
    screen.type("today");
    screen.keypress("enter");
    await expect(iso).resolves.toEqual({ kind: "answer", value: "2026-11-23" });
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

describe("UK dates as people type them (readTypedDate)", () => {
  const read = (s: string) => readTypedDate(s, "2026-11-23");

  it("day/month/year with / - or ., one or two digits: 5 December 2026", () => {
    for (const s of ["5/12/2026", "05/12/2026", "5-12-2026", "5.12.2026", " 05.12.2026 "])
      expect(read(s), s).toEqual({ value: "2026-12-05" });
    expect(read("12/5/2026")).toEqual({ value: "2026-05-12" });
    expect(read("29/2/2028")).toEqual({ value: "2028-02-29" });
  });

  it("YYYY-MM-DD and today still work", () => {
    expect(read("2026-12-05")).toEqual({ value: "2026-12-05" });
    expect(read("Today")).toEqual({ value: "2026-11-23" });
  });

  it("an impossible date is refused with why", () => {
    expect(read("31/2/2026")).toBe('"31/2/2026" is not a date: February 2026 has 28 days');
    expect(read("29/2/2026")).toBe('"29/2/2026" is not a date: February 2026 has 28 days');
    expect(read("31/4/2026")).toBe('"31/4/2026" is not a date: April 2026 has 30 days');
    expect(read("32/1/2026")).toBe('"32/1/2026" is not a date: January 2026 has 31 days');
    expect(read("0/1/2026")).toBe('"0/1/2026" is not a date: there is no day 0');
    expect(read("12/13/2026")).toBe(
      '"12/13/2026" is not a date: there is no month 13 (dates are day/month/year)',
    );
    expect(read("2026-13-01")).toBe(
      '"2026-13-01" is not a date: there is no month 13 (dates are day/month/year)',
    );
  });

  it("a two-digit year is refused with the two it could be; anything else says how to type a date", () => {
    expect(read("5/12/26")).toBe('"5/12/26": give the year in full (5/12/2026 or 5/12/1926)');
    expect(read("5.12.09")).toBe('"5.12.09": give the year in full (5.12.2009 or 5.12.1909)');
    expect(read("5/12/202")).toBe(
      '"5/12/202": the year should have four digits (day/month/year, e.g. 5/12/2026)',
    );
    expect(read("5/12-2026")).toBe(
      '"5/12-2026" is not a date: type it as day/month/year (5/12/2026), or "today"',
    );
    expect(read("5 Dec 2026")).toBe(
      '"5 Dec 2026" is not a date: type it as day/month/year (5/12/2026), or "today"',
    );
  });
});

describe("a list: tick what applies", () => {
  it("space ticks, Enter submits", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: ["criminal", "county-lines"] });
  });

  it("Enter with nothing ticked keeps not known; none of these is ticked on purpose", async () => {
    const { ui } = makeUi();
    const untouched = ask(ui, "concern.other_harms");
    expect(screen.getScreen()).toContain("(space ticks; nothing ticked: not known)");
    expect(screen.getScreen()).toContain("None of these");
    screen.keypress("enter");
    await expect(untouched).resolves.toEqual({ kind: "answer", value: null });

    const none = ask(ui, "concern.other_harms");
    // Down to the end (Not known), up one: None of these.
    for (let i = 0; i < 12; i++) screen.keypress("down");
    screen.keypress("up");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(none).resolves.toEqual({ kind: "answer", value: [] });
  });

  it("the answer given before is offered: none of these stays ticked, Enter keeps it", async () => {
    const { ui } = makeUi();
    const none = ask(ui, "concern.other_harms", { default: [] });
    expect(screen.getScreen()).toMatch(/◉ None of these/);
    screen.keypress("enter");
    await expect(none).resolves.toEqual({ kind: "answer", value: [] });
    const some = ask(ui, "concern.types", { default: ["sexual", "online"] });
    screen.keypress("enter");
    await expect(some).resolves.toEqual({ kind: "answer", value: ["sexual", "online"] });
  });

  it("not known, and none of these, go on their own", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types", { default: ["sexual"] });
    // Down from the top stays at the end (no looping); the last entry is Not known.
    for (let i = 0; i < 14; i++) screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("Not known goes on its own");
    screen.keypress("space"); // untick not known
    screen.keypress("up");
    screen.keypress("space"); // none of these, beside sexual
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("None of these goes on its own");
    for (let i = 0; i < 14; i++) screen.keypress("up");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: [] });
  });

  it("a list that cannot be not known: nothing ticked says a choice is needed", async () => {
    const { ui } = makeUi();
    const required: Question = { ...question("concern.other_harms"), notKnown: false };
    const answer = ui.question(required, { canGoBack: false });
    expect(screen.getScreen()).toContain("(space ticks; an answer is needed)");
    expect(screen.getScreen()).not.toContain("Not known");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("A choice is needed here (it cannot be not known)");
    for (let i = 0; i < 12; i++) screen.keypress("down"); // the last entry: None of these
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: [] });
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
    expect(valueWords(question("concern.date"), "2026-12-05")).toBe("Sat 5 Dec 2026");
    expect(valueWords(question("concern.types"), [])).toBe("none of these");
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

  it("a row whose not known is one of its choices (s42: not decided yet) starts on it", async () => {
    const { ui } = makeUi();
    const rows2 = [question("s42.duty_met"), question("concern.imminent_harm")];
    const answer = ui.group({ ...group, facts: rows2.map((q) => q.fact.id) }, rows2, {
      defaults: new Map(),
      canGoBack: false,
      live: () => [true, true],
    });
    expect(shown()).toContain("◉ Not decided yet");
    expect(shown()).toContain("(an answer is needed)");
    screen.keypress("down");
    screen.keypress("n");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "s42.duty_met": "unknown",
      "concern.imminent_harm": false,
    });
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
