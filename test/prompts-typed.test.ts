// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { readTypedDate } from "../src/prompts/typed-date.js";
import { ask, makeUi } from "./helpers/prompts.js";

/** Typed answers (typed.ts): dates, whole numbers, text; a second look at a date; the language nudge (nudge.ts). */

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
