import { Environment } from "@marcbachmann/cel-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../src/engine/answers.js";
import { celContext } from "../src/engine/evaluate.js";
import { guardedBy } from "../src/flow/conditions.js";
import { buildEnvironment } from "../src/flow/expr.js";
import type { Fact } from "../src/flow/types.js";
import { bundledFlow, conditionsOf } from "./helpers/flow.js";

// A rule of a part with applies_when is evaluated as guardedBy(guard, rule) rather than by
// parsing "(guard) && (rule)" into every rule (issue 10). It must give exactly what CEL's
// && gives, a fact not known (absent, so CEL throws) included, on both sides.

const env = new Environment();
env.registerVariable("p", "bool");
env.registerVariable("q", "bool");
env.registerVariable({ name: "person", schema: { age: "int", group: "string" } });
const expressions = [
  "p",
  "!p",
  "q",
  "p || q",
  "p && q",
  "person.age >= 18",
  'person.group == "adult"',
  "!has(person.age) || person.age < 18",
  'has(person.group) && person.group == "child"',
  "true",
  "false",
];
const outcome = (run: () => unknown): string => {
  try {
    return `value ${String(run())}`;
  } catch {
    return "throws";
  }
};

describe("a part's applies_when, evaluated apart from each rule", () => {
  it("property: guardedBy(g, b) is CEL's (g) && (b), for every fact known or not", () => {
    const facts = fc.record(
      {
        p: fc.boolean(),
        q: fc.boolean(),
        age: fc.integer({ min: 0, max: 40 }),
        group: fc.constantFrom("child", "adult"),
      },
      { requiredKeys: [] },
    );
    const pick = fc.constantFrom(...expressions);
    fc.assert(
      fc.property(pick, pick, facts, (g, b, f) => {
        const context: Record<string, unknown> = { person: {} };
        if (f.p !== undefined) context.p = f.p;
        if (f.q !== undefined) context.q = f.q;
        if (f.age !== undefined) (context.person as Record<string, unknown>).age = BigInt(f.age);
        if (f.group !== undefined) (context.person as Record<string, unknown>).group = f.group;
        const together = env.parse(`(${g}) && (${b})`);
        const guard = env.parse(g);
        const body = env.parse(b);
        const apart = guardedBy({ evaluate: (c) => guard(c) }, (c) => body(c));
        expect(
          outcome(() => apart(context)),
          `(${g}) && (${b}) ${JSON.stringify(f)}`,
        ).toBe(outcome(() => together(context)));
      }),
      { numRuns: 3000 },
    );
  });

  it("every rule of a part with applies_when carries it as its guard, and the rule's own text apart", () => {
    const flow = bundledFlow();
    const guarded = flow.actions.flatMap((a) => (a.appliesWhen ? a.rules : []));
    expect(guarded.length).toBeGreaterThan(50);
    for (const r of guarded) {
      expect(r.when.guard?.source, r.id).toBe(flow.actions.find((a) => a.rules.includes(r))?.appliesWhen);
      expect(r.when.expanded, r.id).toBe(`(${r.when.guard?.expanded}) && (${r.when.body})`);
    }
    const unguarded = flow.actions.flatMap((a) => (a.appliesWhen ? [] : a.rules));
    for (const r of unguarded) expect(r.when.guard, r.id).toBeUndefined();
  });
});

describe("every condition of the flow, evaluated as the engine evaluates it, is its expanded text", () => {
  it("property: same value, or both throw, for any facts known or not and any steps decided", () => {
    const flow = bundledFlow();
    const conditions = conditionsOf(flow);
    expect(conditions.length).toBeGreaterThan(150);
    expect(conditions.filter((c) => c.named.length > 0).length).toBeGreaterThan(20);
    // The expanded texts (the guard ANDed in), parsed whole as they were before.
    const reference = buildEnvironment(flow.facts);
    const expanded = new Map(conditions.map((c) => [c, reference.parse(c.expanded)]));
    const anyValue = (f: Fact): fc.Arbitrary<Value> => {
      const values = (f.values ?? []).filter((v) => v !== f.notKnown);
      switch (f.type) {
        case "bool":
          return fc.boolean();
        case "int":
          return fc.integer({ min: 0, max: 30 });
        case "enum":
          return values.length > 0 ? fc.constantFrom(...values) : fc.constant("x");
        case "list":
          return fc.subarray(values);
        case "date":
          return fc.constantFrom("2008-03-01", "2009-09-14", "2026-08-26", "2026-11-23");
        default:
          return fc.constantFrom("", "some words");
      }
    };
    const factList = [...flow.facts.values()].filter((f) => !f.derived || f.id === "person.group");
    const facts = fc.tuple(...factList.map((f) => fc.option(anyValue(f), { freq: 2 })));
    const steps = fc.tuple(...flow.actions.map(() => fc.option(fc.boolean(), { freq: 2 })));
    fc.assert(
      fc.property(facts, steps, (values, decided) => {
        const known = new Map<string, Value>();
        values.forEach((v, i) => {
          if (v !== null) known.set((factList[i] as Fact).id, v);
        });
        const recommends = new Map<string, boolean>();
        decided.forEach((v, i) => {
          if (v !== null) recommends.set(flow.actions[i]?.id as string, v);
        });
        const ctx = celContext(flow, known, recommends);
        const plain = { ...ctx };
        for (const c of conditions) {
          const was = outcome(() => expanded.get(c)?.(plain));
          expect(
            outcome(() => c.evaluate(ctx)),
            c.source,
          ).toBe(was);
        }
      }),
      { numRuns: 150 },
    );
  });
});
