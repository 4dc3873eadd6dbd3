import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Answers, Value } from "../src/engine/answers.js";
import { nextSince } from "../src/engine/next.js";
import { formatProblem } from "../src/flow/problems.js";
import type { Flow } from "../src/flow/types.js";
import { example } from "./helpers/cli.js";
import { bundledFlow, caseAnswers, compileWith } from "./helpers/flow.js";

// Issue 26: which questions `safeguard update` asks first (what may have happened since) is
// flow data, `over_time: true` on a question in flows/parts/questions.yaml; the engine's
// nextSince asks them in flow order, only while the pathway would ask them.
const TODAY = "2026-11-23";
const flow = bundledFlow();

const EX1 = caseAnswers(parse(readFileSync(example("ex-1-county-lines-15.yaml"), "utf8")));

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

  it("a child's case: asked in flow order, only over-time questions, only those the pathway would ask", () => {
    const asked = round(flow, EX1);
    expect(asked).toEqual(flowOrder(flow, asked));
    for (const id of asked) expect(flow.questions.find((q) => q.fact.id === id)?.overTime, id).toBe(true);
    expect(asked).toContain("strategy_discussion.outcome");
    expect(asked).toContain("concern.missing_episodes");
    // Saved answers are asked too: a count can grow.
    expect(asked).toContain("concern.missing_episodes");
    // Not held: its date is not asked. Not in MAACE: its meetings are not asked. A child: no adult's consent.
    expect(asked).not.toContain("strategy_discussion.date");
    expect(asked).not.toContain("maace.last_meeting_date");
    expect(asked).not.toContain("nrm.adult_consents");
  });

  it("a sparse case's first round is short: EX-1 is asked 9 questions, each one that changes with time", () => {
    expect(round(flow, EX1)).toEqual([
      "concern.imminent_harm",
      "concern.missing_now",
      "maace.in_process",
      "strategy_discussion.outcome",
      "nrm.decision",
      "concern.persistently_missing",
      "concern.missing_episodes",
      "missing.return_date",
      "person.open_to_childrens_services",
    ]);
  });

  it("an answer opens what it makes worth asking, in the same round: a strategy discussion held, then when", () => {
    const held = round(flow, EX1, (id, now) =>
      id === "strategy_discussion.outcome" ? "significant-harm" : (now ?? null),
    );
    expect(held.indexOf("strategy_discussion.date")).toBe(held.indexOf("strategy_discussion.outcome") + 1);
    // Answered not known, the gate stays closed.
    expect(round(flow, EX1)).not.toContain("strategy_discussion.date");
    // In MAACE: its meetings and progress are asked.
    const inMaace = round(flow, EX1, (id, now) => (id === "maace.in_process" ? true : (now ?? null)));
    expect(inMaace).toContain("maace.last_meeting_date");
    expect(inMaace).toContain("maace.sustained_progress_weeks");
  });

  it("the round is the flow's data: a marker taken off leaves a question out, one put on brings it in", () => {
    const off = compileWith("parts/questions.yaml", (t) =>
      t.replace(
        "  - fact: strategy_discussion.outcome\n    over_time: true\n",
        "  - fact: strategy_discussion.outcome\n",
      ),
    );
    expect(off.problems).toEqual([]);
    expect(round(off.flow as Flow, EX1)).not.toContain("strategy_discussion.outcome");
    const on = compileWith("parts/questions.yaml", (t) =>
      t.replace("  - fact: person.has_siblings\n", "  - fact: person.has_siblings\n    over_time: true\n"),
    );
    const asked = round(on.flow as Flow, EX1);
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
