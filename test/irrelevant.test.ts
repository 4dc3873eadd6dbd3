import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decideCase } from "../src/case/decide.js";
import type { Answers } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import { irrelevantAnswers, madeIrrelevant, outcome } from "../src/engine/irrelevant.js";
import { wouldAsk } from "../src/engine/next.js";
import type { Flow } from "../src/flow/types.js";
import { bundledFlow, scenarios } from "./helpers/flow.js";

/**
 * The definition, one re-decision per answer: an answer is irrelevant when the pathway
 * without it is the same, and nextQuestion would not ask for it again.
 */
function perAnswer(flow: Flow, answers: Answers, today: string): string[] {
  const base = outcome(decide(flow, answers, today));
  return [...answers.keys()].filter((f) => {
    const q = flow.questions.find((x) => x.fact.id === f);
    if (!q || q.always) return false;
    const without = new Map(answers);
    without.delete(f);
    return !wouldAsk(flow, q, without, today) && outcome(decide(flow, without, today)) === base;
  });
}

const flow = bundledFlow();
const cases = scenarios().map((s) => {
  const today = s.today ?? "2026-11-23";
  const decided = decideCase(flow, { file: s.file, text: stringify(s.case) }, { today });
  if (!decided.ok) throw new Error(s.file);
  return { file: s.file, today, answers: decided.pathway.answers };
});

describe("the answers a change made irrelevant (engine, one pass)", () => {
  it("are exactly those the per-answer definition finds, for every scenario's answers", () => {
    let irrelevant = 0;
    let relevant = 0;
    for (const c of cases) {
      const got = irrelevantAnswers(flow, c.answers, c.today);
      expect(got, c.file).toEqual(perAnswer(flow, c.answers, c.today));
      irrelevant += got.length;
      relevant += c.answers.size - got.length;
    }
    // Both sides are met: the comparison is not between two empty lists.
    expect(irrelevant).toBeGreaterThan(20);
    expect(relevant).toBeGreaterThan(200);
  }, 120_000);

  it("and for every scenario with each of its answers taken back to not known", () => {
    let compared = 0;
    for (const c of cases) {
      for (const f of c.answers.keys()) {
        if (!flow.questions.some((q) => q.fact.id === f)) continue;
        const answers = new Map(c.answers).set(f, null);
        expect(irrelevantAnswers(flow, answers, c.today), `${c.file} ${f}`).toEqual(
          perAnswer(flow, answers, c.today),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  }, 240_000);

  it("a change leaves out what it made irrelevant, and nothing that was so before it", () => {
    const before: Answers = new Map<string, string | number | boolean | string[] | null>([
      ["concern.about", "individual"],
      ["person.dob", "2010-05-19"],
      ["screening.outcome", "evidence"],
    ]);
    const order = [...before.keys()];
    // A concern about a place or group, not a person: some answers no longer matter.
    const after = new Map(before).set("concern.about", "context");
    const dropped = madeIrrelevant(flow, before, after, order, "concern.about", "2026-11-23");
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped).not.toContain("concern.about");
    for (const f of dropped) expect(irrelevantAnswers(flow, before, "2026-11-23")).not.toContain(f);
    const left = new Map(after);
    for (const f of dropped) left.delete(f);
    expect(outcome(decide(flow, left, "2026-11-23"))).toBe(outcome(decide(flow, after, "2026-11-23")));
  });
});
