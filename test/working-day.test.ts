import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Answers, readCase } from "../src/engine/answers.js";
import { decide, type Pathway } from "../src/engine/decide.js";
import { compactPathway, lastWorkingDayWords, whyScreen } from "../src/prompts/screens.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { redactPathway } from "../src/render/redact.js";
import { resultObject } from "../src/render/result.js";
import { pathwayText } from "../src/render/text.js";
import { example } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";

/**
 * A deadline in calendar days that falls on a weekend or bank holiday keeps its date (the
 * procedures say "within N days"), and every place that shows the date names the last
 * working day before it: the glance, why, `run`, the case summary, pathway.json, the ICS.
 * EX-1, worked out on Thu 10 Sep 2026: the support and disruption plan meeting is due Sun
 * 27 Sep (10 calendar days from the MAACE meeting, Thu 17 Sep); the last working day
 * before it is Fri 25 Sep. The Vulnerability Tracker is due Mon 31 Aug, the Summer bank
 * holiday (5 calendar days from Wed 26 Aug); the last working day before it is Fri 28 Aug.
 */

const flow = bundledFlow();
const ex1 = (): Answers => {
  const { answers } = readCase(
    "ex-1.yaml",
    readFileSync(example("ex-1-county-lines-15.yaml"), "utf8"),
    flow.facts,
  );
  if (!answers) throw new Error("EX-1 does not read");
  return answers;
};
const step = (p: Pathway, id: string) => {
  const a = p.actions.find((x) => x.id === id);
  if (!a) throw new Error(`no ${id}`);
  return a;
};
const flat = (s: string) => s.replace(/\s+/g, " ");

describe("a due date on a weekend or bank holiday", () => {
  const p = decide(flow, ex1(), "2026-09-10");

  it("keeps its date, and carries why and the last working day before it", () => {
    const plan = step(p, "support-disruption-plan");
    expect(plan.due).toBe("2026-09-27");
    expect(plan.dueNonWorking).toEqual({ reason: "weekend", lastWorkingDay: "2026-09-25" });
    const tracker = step(p, "vulnerability-tracker");
    expect(tracker.due).toBe("2026-08-31");
    expect(tracker.dueNonWorking).toEqual({ reason: "Summer bank holiday", lastWorkingDay: "2026-08-28" });
    // Working days never land on one; the MAACE meeting (the earlier of two rules) is a Thursday.
    expect(step(p, "strategy-discussion").dueNonWorking).toBeUndefined();
    expect(step(p, "maace-meeting").dueNonWorking).toBeUndefined();
  });

  it("the earlier of two rules carries the note of the one that set the date", () => {
    // The strategy discussion held on Sat 29 Aug: 15 calendar days on is Sun 13 Sep, earlier
    // than 15 working days from the referral (Fri 18 Sep).
    const answers = new Map(ex1());
    answers.set("strategy_discussion.date", "2026-08-29");
    const maace = step(decide(flow, answers, "2026-09-10"), "maace-meeting");
    expect(maace.due).toBe("2026-09-13");
    expect(maace.dueNonWorking).toEqual({ reason: "weekend", lastWorkingDay: "2026-09-11" });
  });

  it("the glance names the last working day beside the step, compactly; not for a step already overdue", () => {
    const glance = flat(compactPathway(p, false, 80));
    expect(glance).toContain(
      "expected Sun 27 Sep Meet to develop the exploitation support and disruption plan (weekend; last working day Fri 25 Sep)",
    );
    // Once the strategy discussion agrees, the Vulnerability Tracker is overdue on 10 Sep: the
    // overdue days say it all (before it, the step is expected and never overdue: issue 22).
    const agreed = new Map(ex1());
    agreed.set("strategy_discussion.outcome", "significant-harm");
    agreed.set("strategy_discussion.date", "2026-09-01");
    expect(flat(compactPathway(decide(flow, agreed, "2026-09-10"), false, 80))).toMatch(
      /overdue: 10 calendar days Complete the Solihull Vulnerability Tracker template \(by the Exploitation Team\) \d+\./,
    );
    const early = flat(compactPathway(decide(flow, ex1(), "2026-08-27"), false, 80));
    expect(early).toContain(
      "Complete the Solihull Vulnerability Tracker template (by the Exploitation Team) (Summer bank holiday; last working day Fri 28 Aug)",
    );
    // On the Saturday between, the Friday has gone: "was".
    const saturday = decide(flow, ex1(), "2026-09-26");
    expect(lastWorkingDayWords(step(saturday, "support-disruption-plan"), saturday.today)).toBe(
      "weekend; last working day was Fri 25 Sep",
    );
    // A date in another year says its year.
    const plan = step(p, "support-disruption-plan");
    expect(lastWorkingDayWords(plan, "2025-12-01")).toBe("weekend; last working day Fri 25 Sep 2026");
  });

  it("the date stays whole on its line where the glance wraps", () => {
    for (const width of [40, 50, 60, 70, 80]) {
      const glance = compactPathway(p, false, width);
      expect(glance, `${width}`).toMatch(/Fri 25 Sep\)/);
      for (const l of glance.split("\n")) expect(l.length).toBeLessThanOrEqual(width);
    }
  });

  it("why, run, the case summary, pathway.json and the ICS all give the date and the last working day", () => {
    const plan = step(p, "support-disruption-plan");
    const why = flat(whyScreen(plan, false, 80));
    expect(why).toContain("Due: Sun 27 Sep 2026");
    expect(why).toContain(
      "Sun 27 Sep 2026 is a weekend day; the last working day before it is Fri 25 Sep 2026",
    );
    expect(flat(pathwayText(p, { colour: false }))).toContain(
      "due: Sun 27 Sep 2026, expected if the strategy discussion agrees (10 calendar days from the due date of maace-meeting (Thu 17 Sep 2026) because maace.last_meeting_date is not known; Sun 27 Sep 2026 is a weekend day; the last working day before it is Fri 25 Sep 2026)",
    );
    const json = resultObject(p, () => null).actions;
    expect(json.find((a) => a.id === "support-disruption-plan")).toMatchObject({
      due: "2026-09-27",
      last_working_day: "2026-09-25",
    });
    expect(json.find((a) => a.id === "vulnerability-tracker")?.last_working_day).toBe("2026-08-28");
    expect(json.find((a) => a.id === "strategy-discussion")?.last_working_day).toBeNull();
    const { files } = renderOutputs(templateEngine(flow.templates), flow, p, "out/EX-1");
    const summary = flat(files.get("case-summary.md") as string);
    expect(summary).toContain(
      "Due: **Sun 27 Sep 2026, expected if the strategy discussion agrees** (10 calendar days from the due date of maace-meeting (Thu 17 Sep 2026) because maace.last_meeting_date is not known; Sun 27 Sep 2026 is a weekend day; the last working day before it is Fri 25 Sep 2026)",
    );
    expect(summary).toMatch(
      /Sun 27 Sep 2026, expected if the strategy discussion agrees \| Meet to develop the exploitation support and disruption plan .*Sun 27 Sep 2026 is a weekend day; the last working day before it is Fri 25 Sep 2026 \|/,
    );
    const ics = (files.get("deadlines.ics") as string).replace(/\r\n /g, "");
    const event = ics.split("BEGIN:VEVENT").find((e) => e.includes("support and disruption plan")) ?? "";
    expect(event).toContain("DTSTART;VALUE=DATE:20260927");
    expect(event).toContain(
      "Sun 27 Sep 2026 is a weekend day\\; the last working day before it is Fri 25 Sep 2026",
    );
  });

  it("a redacted copy keeps the last working day only where it keeps the date", () => {
    const r = redactPathway(flow, p);
    expect(step(r, "support-disruption-plan").dueNonWorking?.lastWorkingDay).toBe("2026-09-25");
    // A birthday step's day is left out of a redacted copy: so is the working day that would give it.
    const plan = step(p, "support-disruption-plan");
    const birthday = {
      ...plan,
      dueFromDob: true,
      due: "2029-05-17",
      dueNonWorking: { reason: "weekend", lastWorkingDay: "2029-05-17" },
    };
    const onBirthday = { ...birthday, due: "2029-05-19" };
    const hidden = redactPathway(flow, { ...p, actions: [onBirthday] });
    expect(hidden.actions[0]?.due).toBeNull();
    expect(hidden.actions[0]?.dueNonWorking).toBeUndefined();
  });
});
