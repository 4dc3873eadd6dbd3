import { describe, expect, it } from "vitest";
import type { Value } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import { nextQuestion } from "../src/engine/next.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { bundledFlow } from "./helpers/flow.js";

// Any mix of valid facts, known or not, must decide, render every draft and pick a next
// question without an error: a rule or template that throws is a flow bug (seeded, so a
// failure can be replayed).
describe("any valid case decides and renders", () => {
  it("300 random cases from the fact catalogue", () => {
    const flow = bundledFlow();
    const liquid = templateEngine(flow.templates);
    let seed = 20261123;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const dates = [
      "2026-01-01",
      "2026-04-02",
      "2026-08-27",
      "2026-12-24",
      "2027-03-14",
      "2010-05-05",
      "2008-02-29",
    ];
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const answers = new Map<string, Value | null>();
      for (const f of flow.facts.values()) {
        if (f.derived || rnd() < 0.5) continue;
        let v: Value | null;
        if (f.type === "bool") v = rnd() < 0.5;
        else if (f.type === "int") v = Math.floor(rnd() * 30);
        else if (f.type === "enum") v = pick(f.values ?? []);
        else if (f.type === "list") v = (f.values ?? []).filter(() => rnd() < 0.3);
        else if (f.type === "date") v = pick(dates);
        else v = `text ${i}`;
        answers.set(f.id, rnd() < 0.1 ? null : v);
      }
      try {
        const p = decide(flow, answers, "2026-11-23");
        const { files } = renderOutputs(liquid, flow, p, "out");
        expect(files.get("case-summary.md")).toContain(`# Case summary: `);
        nextQuestion(flow, answers, "2026-11-23");
      } catch (error) {
        failures.push(`case ${i}: ${String(error).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
