import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decideCase } from "../src/case/decide.js";
import { doneByFacts, whyNotMarkable } from "../src/case/done.js";
import type { Pathway } from "../src/engine/decide.js";
import { formatProblem } from "../src/flow/problems.js";
import { compactPathway } from "../src/prompts/screens.js";
import { assembleCase } from "../src/render/case-files.js";
import { pathwayText } from "../src/render/text.js";
import { bundledFlow, compileWith } from "./helpers/flow.js";

// Steps done (issue 26): marked in a case file, or shown by the facts; never overdue, and
// shown done on their date in the glance, the drafts, deadlines.ics and pathway.json.

const TODAY = "2026-09-10";
const child = {
  case_id: "D-1",
  concern: { date: "2026-08-26", about: "individual", types: ["criminal", "county-lines"] },
  person: { dob: "2011-05-19" },
  screening: { outcome: "evidence", significant_harm: "likely" },
};

function decided(c: Record<string, unknown>): Pathway {
  const d = decideCase(bundledFlow(), { file: "c.yaml", text: stringify(c) }, { today: TODAY });
  if (!d.ok) throw new Error(d.problems.map(formatProblem).join("\n"));
  return d.pathway;
}
const step = (p: Pathway, id: string) => p.actions.find((a) => a.id === id);
const text = (p: Pathway, name: string) => {
  const f = assembleCase(bundledFlow(), p, { folder: "out/D-1" }).files.find((x) => x.path === name);
  return new TextDecoder().decode(f?.bytes);
};

describe("a step marked done in the case file", () => {
  it("is done on its date and never overdue; the same step unmarked is overdue", () => {
    const open = decided(child);
    expect(step(open, "mash-referral")?.daysOverdue).toBeGreaterThan(0);
    const done = decided({ ...child, done: { "mash-referral": "2026-08-27" } });
    const a = step(done, "mash-referral");
    expect(a?.done).toEqual({ date: "2026-08-27", source: "marked" });
    expect(a?.daysOverdue).toBe(0);
    expect(a?.workingDaysOverdue).toBe(0);
    // Only the step marked: the others keep their lateness.
    expect(step(done, "nrm-referral")?.daysOverdue).toBe(step(open, "nrm-referral")?.daysOverdue);
  });

  it("shows done on its date in pathway.json, deadlines.ics, the case summary, the terminal and the glance", () => {
    const p = decided({ ...child, done: { "mash-referral": "2026-08-27" } });
    const json = JSON.parse(text(p, "pathway.json"));
    const a = json.actions.find((x: { id: string }) => x.id === "mash-referral");
    expect(a.done).toEqual({ date: "2026-08-27", source: "marked" });
    expect(a.overdue).toBe(false);
    const ics = text(p, "deadlines.ics").replace(/\r\n /g, "");
    const event = ics.split("BEGIN:VEVENT").find((e) => e.includes("done: Refer to Children's Services"));
    expect(event).toContain("DTSTART;VALUE=DATE:20260827");
    expect(event).toContain("STATUS:CONFIRMED");
    expect(text(p, "case-summary.md")).toContain("done Thu 27 Aug 2026");
    expect(pathwayText(p, { colour: false })).toContain("done Thu 27 Aug 2026");
    const glance = compactPathway(p, false, 100);
    expect(glance).toMatch(/done Thu 27 Aug +Refer to Children's Services/);
    // Done steps come last: nothing is left to act on.
    expect(glance.trim().split("\n").at(-1)).toContain("Refer to Children's Services");
  });

  it("a case file's mark of a step the pathway does not recommend is refused with the reason, at its line and field", () => {
    const text = stringify({ ...child, done: { "slavery-case-conference": "2026-08-28" } });
    const d = decideCase(bundledFlow(), { file: "c.yaml", text }, { today: TODAY });
    if (d.ok) throw new Error("a mark of a step not recommended was accepted");
    const line = text.split("\n").findIndex((l) => l.includes("slavery-case-conference")) + 1;
    expect(d.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^c\\.yaml:${line}:3  done\\.slavery-case-conference: cannot be marked done: the pathway does not recommend "[^"]+" for this case's facts`,
        ),
      ),
    ]);
    // Not decided yet: refused too, saying what it waits on.
    const waits = decideCase(
      bundledFlow(),
      { file: "c.yaml", text: stringify({ case_id: "W-1", done: { "mash-referral": "2026-08-27" } }) },
      { today: TODAY },
    );
    expect(waits.ok ? [] : waits.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/cannot be marked done: .* is not decided yet for this case: it waits on/),
    ]);
  });

  it("a case file's mark of a step the facts show done already is accepted; a mark kept in the history from before stays, said once", () => {
    const held = decided({
      ...child,
      strategy_discussion: { date: "2026-08-31" },
      done: { "strategy-discussion": "2026-08-31" },
    });
    expect(held.doneAlready?.map((d) => d.id)).toContain("strategy-discussion");
    // A mark made with safeguard done when the step was recommended: the facts changed since.
    const before = new Map([["slavery-case-conference", { date: "2026-08-28" }]]);
    const d = decideCase(
      bundledFlow(),
      { file: "c.yaml", text: stringify(child) },
      { today: TODAY, marks: before },
    );
    if (!d.ok) throw new Error(d.problems.map(formatProblem).join("\n"));
    expect(step(d.pathway, "slavery-case-conference")).toBeUndefined();
    expect(d.pathway.warnings.map((w) => w.text).join("\n")).toMatch(
      /marked done on Fri 28 Aug 2026, but the pathway/,
    );
  });

  it("every problem of a done mapping, with line, column and field; null is not done", () => {
    const bad = `case_id: x\ndone:\n  mash-referal: 2026-08-27\n  strategy-discussion: 31/08/2026\n  nrm-referral: null\n`;
    const d = decideCase(bundledFlow(), { file: "c.yaml", text: bad }, { today: TODAY });
    if (d.ok) throw new Error("refused");
    expect(d.problems.map(formatProblem)).toEqual([
      'c.yaml:3:3  done.mash-referal: no step "mash-referal" in this flow; did you mean "mash-referral"?',
      'c.yaml:4:24  done.strategy-discussion: "31/08/2026" is not a date (use YYYY-MM-DD)',
    ]);
    const notDone = decided({ ...child, done: { "nrm-referral": null } });
    expect(step(notDone, "nrm-referral")?.done).toBeUndefined();
    const list = decideCase(bundledFlow(), { file: "c.yaml", text: "done: [a]\n" }, { today: TODAY });
    expect(list.ok ? [] : list.problems.map((p) => p.field)).toEqual(["done"]);
  });
});

describe("a step the facts show done", () => {
  it("a strategy discussion held: done on its date without marking, on every output; not held, not done", () => {
    const p = decided({ ...child, strategy_discussion: { date: "2026-08-31" } });
    // No longer recommended, since it is done: listed as done, never as a step to act on.
    expect(step(p, "strategy-discussion")).toBeUndefined();
    const done = { date: "2026-08-31", source: "facts", fact: "strategy_discussion.date" };
    expect(p.doneAlready?.find((d) => d.id === "strategy-discussion")?.done).toEqual(done);
    const json = JSON.parse(text(p, "pathway.json"));
    expect(json.done_steps).toContainEqual({ id: "strategy-discussion", title: expect.any(String), ...done });
    const ics = text(p, "deadlines.ics").replace(/\r\n /g, "");
    expect(ics).toMatch(
      /DTSTART;VALUE=DATE:20260831\r\nDTEND[^\n]*\r\nSTATUS:CONFIRMED\r\nSUMMARY:D-1: done: Expect a strategy discussion/,
    );
    expect(pathwayText(p, { colour: false })).toMatch(
      /Done already, as the facts show:\n(.*\n)* {2}- Expect a strategy discussion, and take part in it: done Mon 31 Aug 2026/,
    );
    expect(compactPathway(p, false, 100)).toContain("done Mon 31 Aug: Expect a strategy discussion");
    const open = decided(child);
    expect(open.doneAlready).toBeUndefined();
    expect(JSON.parse(text(open, "pathway.json")).done_steps).toBeUndefined();
  });

  it("not known stays not known: a referral made with no date given is done with no date; not made, or not known, is open", () => {
    const by = (answers: [string, string | boolean | null][]) => doneByFacts(bundledFlow(), new Map(answers));
    const made = by([["mash.referral_made", true]]);
    expect(made.get("mash-referral")).toEqual({ date: null, source: "facts", fact: "mash.referral_made" });
    const dated = by([
      ["mash.referral_made", true],
      ["referral.date", "2026-08-27"],
    ]);
    expect(dated.get("mash-referral")?.date).toBe("2026-08-27");
    expect(by([["mash.referral_made", false]]).has("mash-referral")).toBe(false);
    expect(by([["mash.referral_made", null]]).has("mash-referral")).toBe(false);
    expect(by([]).size).toBe(0);
    // A date a default fills in is not a date anything was done on.
    expect(by([["referral.date", "2026-08-27"]]).size).toBe(0);
  });

  it("which facts show a step done is flow data (done_when:): a changed done_when changes what is done", () => {
    const shown = (flow: ReturnType<typeof bundledFlow>) =>
      doneByFacts(flow, new Map([["nrm.referral_date", "2026-08-28"]])).get("nrm-referral");
    expect(shown(bundledFlow())).toEqual({ date: "2026-08-28", source: "facts", fact: "nrm.referral_date" });
    const edited = compileWith("parts/consent-nrm.yaml", (t) => t.replace(/ {4}done_when: .*\n/, ""));
    if (!edited.flow) throw new Error(edited.problems.map(formatProblem).join("\n"));
    expect(shown(edited.flow)).toBeUndefined();
  });

  it("flows validate checks done_when: an unknown fact with a did-you-mean, and a date that is not a date fact", () => {
    const bad = compileWith("parts/consent-nrm.yaml", (t) =>
      t.replace(/done_when: .*\n/, "done_when: { shown_by: [nrm.referal_date], date: mash.referral_made }\n"),
    );
    const lines = bad.problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /consent-nrm\.yaml:\d+:\d+ +actions\[\d+\]\.done_when\.shown_by\[0\]: .*"nrm\.referal_date".*did you mean "nrm\.referral_date"/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/done_when\.date: .*mash\.referral_made.*not a date/i),
    );
  });
});

describe("whyNotMarkable", () => {
  it("a recommended step may be marked; otherwise the reason: no such step, not decided yet, not recommended", () => {
    const flow = bundledFlow();
    const p = decided(child);
    expect(whyNotMarkable(flow, p, "mash-referral")).toBeUndefined();
    expect(whyNotMarkable(flow, p, "mash-referal")).toMatch(
      /no step "mash-referal"; did you mean "mash-referral"/,
    );
    expect(whyNotMarkable(flow, p, "s42-enquiry")).toMatch(
      /does not recommend "[^"]+" for this case's facts/,
    );
    const early = decided({ case_id: "D-2", concern: { date: "2026-08-26" } });
    const waiting = early.undecided[0];
    if (!waiting) throw new Error("a step waits on facts");
    expect(whyNotMarkable(flow, early, waiting.id)).toMatch(/is not decided yet for this case: it waits on /);
  });
});
