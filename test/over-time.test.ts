import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Answers, Value } from "../src/engine/answers.js";
import { nextSince, wouldAsk } from "../src/engine/next.js";
import { formatProblem } from "../src/flow/problems.js";
import type { Flow, Question } from "../src/flow/types.js";
import { example } from "./helpers/cli.js";
import { bundledFlow, caseAnswers, compileWith } from "./helpers/flow.js";

// Issue 26: which questions `safeguard update` asks first (what may have happened since) is
// flow data, `over_time: true` on a question in flows/parts/questions.yaml; the engine's
// nextSince asks them in flow order, only while the pathway would ask them, and only those
// answered before with something known: the first round is what has changed since.
const TODAY = "2026-11-23";
const flow = bundledFlow();

const EX1 = caseAnswers(parse(readFileSync(example("ex-1-county-lines-15.yaml"), "utf8")));
/**
 * EX-1 as its folder keeps it after a wizard run: each over-time question its pathway asks
 * answered, with something known, but the strategy discussion (not known: not held yet).
 */
const SAVED: Answers = new Map<string, Value | null>([
  ...EX1,
  ["concern.imminent_harm", false],
  ["concern.missing_now", false],
  ["maace.in_process", false],
  ["strategy_discussion.outcome", null],
  ["nrm.decision", "none"],
  ["concern.persistently_missing", false],
  ["missing.return_date", "2026-08-20"],
  ["person.open_to_childrens_services", ["no"]],
]);

/** The round as the wizard asks it: each question answered as `answer` says (its saved answer unless told). */
function round(
  f: Flow,
  start: Answers,
  answer: (id: string, now: Value | null | undefined) => Value | null = (_, now) => now ?? null,
): string[] {
  const answers = new Map(start);
  const asked: string[] = [];
  for (let q = nextSince(f, answers, new Set(), TODAY); q; q = nextSince(f, answers, new Set(asked), TODAY)) {
    asked.push(q.fact.id);
    answers.set(q.fact.id, answer(q.fact.id, answers.get(q.fact.id)));
  }
  return asked;
}

const question = (id: string) => flow.questions.find((q) => q.fact.id === id) as Question;

const flowOrder = (f: Flow, ids: readonly string[]) =>
  [...ids].sort(
    (a, b) => f.questions.findIndex((q) => q.fact.id === a) - f.questions.findIndex((q) => q.fact.id === b),
  );

describe("what may have happened since: the flow's over-time questions", () => {
  it("the bundled flow marks the meetings, decisions, NRM status, missing episodes and progress", () => {
    const marked = flow.questions.filter((q) => q.overTime).map((q) => q.fact.id);
    for (const id of [
      "strategy_discussion.outcome",
      "strategy_discussion.date",
      "nrm.decision",
      "nrm.decision_date",
      "concern.missing_episodes",
      "maace.last_meeting_date",
      "maace.sustained_progress_weeks",
      "s42.duty_met",
    ])
      expect(marked).toContain(id);
    // Steps taken are marked done, not asked again; what surrounds the case is changed after.
    for (const id of ["mash.referral_made", "referral.date", "consent.to_share", "support.package"])
      expect(marked).not.toContain(id);
    // Who they are and what was first seen do not change with time.
    for (const id of ["case_id", "concern.date", "person.dob", "concern.types", "person.name"])
      expect(marked).not.toContain(id);
    // None is only for the drafts' round: the update's first round asks what can change the pathway.
    expect(flow.questions.filter((q) => q.overTime && q.drafts && !q.always).map((q) => q.fact.id)).toEqual(
      [],
    );
  });

  it("a child's case: asked in flow order, only over-time questions answered before, only those the pathway would ask", () => {
    const asked = round(flow, SAVED);
    expect(asked).toEqual(flowOrder(flow, asked));
    for (const id of asked) expect(flow.questions.find((q) => q.fact.id === id)?.overTime, id).toBe(true);
    // Saved answers are asked: a count can grow, a decision can be made.
    expect(asked).toContain("concern.missing_episodes");
    expect(asked).toContain("nrm.decision");
    // Not known before (not held yet): no answer to change from; the interview asks it.
    expect(asked).not.toContain("strategy_discussion.outcome");
    // Not held: its date is not asked. Not in MAACE: its meetings are not asked. A child: no adult's consent.
    expect(asked).not.toContain("strategy_discussion.date");
    expect(asked).not.toContain("maace.last_meeting_date");
    expect(asked).not.toContain("nrm.adult_consents");
  });

  it("the first round is what has changed since: each over-time question answered before, and only those", () => {
    expect(round(flow, SAVED)).toEqual([
      "concern.imminent_harm",
      "concern.missing_now",
      "maace.in_process",
      "nrm.decision",
      "concern.persistently_missing",
      "concern.missing_episodes",
      "missing.return_date",
      "person.open_to_childrens_services",
    ]);
    // The case file as first written answers one of them: the round asks that one alone.
    expect(round(flow, EX1)).toEqual(["concern.missing_episodes"]);
    // Each of the others, answered "not known" or never, is left to the interview; it is still
    // one the pathway would ask, so the interview asks it.
    for (const id of ["concern.missing_now", "nrm.decision", "person.open_to_childrens_services"]) {
      for (const before of [null, undefined]) {
        const answers = new Map(SAVED);
        if (before === undefined) answers.delete(id);
        else answers.set(id, before);
        expect(round(flow, answers), `${id}: ${before}`).not.toContain(id);
        answers.delete(id);
        expect(wouldAsk(flow, question(id), answers, TODAY), id).toBe(true);
      }
    }
  });

  it("an answer opens what it makes worth asking, asked by the interview: a strategy discussion held, then when", () => {
    const heldBefore = new Map(SAVED).set("strategy_discussion.outcome", "no-significant-harm");
    // Held before, with no date given: the outcome is asked in the round, the date is not.
    const asked = round(flow, heldBefore, (id, now) =>
      id === "strategy_discussion.outcome" ? "significant-harm" : (now ?? null),
    );
    expect(asked).toContain("strategy_discussion.outcome");
    expect(asked).not.toContain("strategy_discussion.date");
    const after = new Map(heldBefore).set("strategy_discussion.outcome", "significant-harm");
    expect(wouldAsk(flow, question("strategy_discussion.date"), after, TODAY)).toBe(true);
    // Its date given before: asked in the round too.
    expect(round(flow, new Map(after).set("strategy_discussion.date", "2026-08-28"))).toContain(
      "strategy_discussion.date",
    );
    // In MAACE, its meetings given before: asked.
    const inMaace = new Map(SAVED)
      .set("maace.in_process", true)
      .set("maace.last_meeting_date", "2026-08-25")
      .set("maace.sustained_progress_weeks", 2);
    expect(round(flow, inMaace)).toContain("maace.last_meeting_date");
    expect(round(flow, inMaace)).toContain("maace.sustained_progress_weeks");
  });

  it("the round is the flow's data: a marker taken off leaves a question out, one put on brings it in", () => {
    const off = compileWith("parts/questions.yaml", (t) =>
      t.replace("  - fact: nrm.decision\n    over_time: true\n", "  - fact: nrm.decision\n"),
    );
    expect(off.problems).toEqual([]);
    expect(round(flow, SAVED)).toContain("nrm.decision");
    expect(round(off.flow as Flow, SAVED)).not.toContain("nrm.decision");
    const on = compileWith("parts/questions.yaml", (t) =>
      t.replace("  - fact: person.has_siblings\n", "  - fact: person.has_siblings\n    over_time: true\n"),
    );
    const siblings = new Map(SAVED).set("person.has_siblings", false);
    expect(round(flow, siblings)).not.toContain("person.has_siblings");
    const asked = round(on.flow as Flow, siblings);
    expect(asked).toContain("person.has_siblings");
    expect(asked).toEqual(flowOrder(on.flow as Flow, asked));
  });

  it("a marker that is not yes or no is refused when the flow is loaded, naming file, line and field", () => {
    const bad = compileWith("parts/questions.yaml", (t) =>
      t.replace(
        "  - fact: nrm.decision\n    over_time: true\n",
        "  - fact: nrm.decision\n    over_time: often\n",
      ),
    );
    expect(bad.problems.map(formatProblem)).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.over_time: should be true or false, not "often"$/,
      ),
    );
  });
});
