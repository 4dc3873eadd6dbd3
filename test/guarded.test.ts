import { Environment } from "@marcbachmann/cel-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardedBy } from "../src/flow/conditions.js";
import { bundledFlow } from "./helpers/flow.js";

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
        expect(outcome(() => apart(context)), `(${g}) && (${b}) ${JSON.stringify(f)}`).toBe(
          outcome(() => together(context)),
        );
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
