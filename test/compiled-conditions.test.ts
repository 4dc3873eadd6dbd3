import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCel } from "../src/flow/closures.js";
import { buildEnvironment } from "../src/flow/expr.js";
import type { Fact } from "../src/flow/types.js";
import { bundledFlow, conditionsOf } from "./helpers/flow.js";

// Conditions compiled to closures (src/flow/closures.ts, issue 25) must give exactly what
// cel-js gives for the same parse: the same value, or both throw. Over random facts: each
// known, not known (absent), or null, with values at and past the edges of their type.

const outcome = (run: () => unknown): string => {
  try {
    return `value ${String(run())}`;
  } catch {
    return "throws";
  }
};

/** A value a fact of this kind may hold in the context, and some near its edges. */
function anyValue(f: Fact): fc.Arbitrary<unknown> {
  const values = (f.values ?? []).filter((v) => v !== f.notKnown);
  const word = fc.oneof(
    fc.constantFrom(...(values.length > 0 ? values : ["x"])),
    fc.string({ maxLength: 6 }),
  );
  switch (f.type) {
    case "bool":
      return fc.boolean();
    case "int":
      return fc.oneof(
        fc.bigInt({ min: -3n, max: 130n }),
        fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 60n),
      );
    case "list":
      return fc.oneof(fc.subarray(values), fc.array(word, { maxLength: 3 }));
    case "date":
      return fc.oneof(
        fc.constantFrom("2008-03-01", "2026-11-23", "2026-11-24", "2100-01-01", ""),
        fc.string({ maxLength: 10 }),
      );
    default:
      return word;
  }
}

describe("conditions compiled to closures", () => {
  const flow = bundledFlow();
  const env = buildEnvironment(flow.facts);
  const conditions = conditionsOf(flow);
  const texts = [...new Set(conditions.map((c) => c.expanded))];
  const parsed = texts.map((t) => {
    const p = env.parse(t);
    return { text: t, cel: p, compiled: compileCel(p.ast, () => "fell back") };
  });

  it("compiles every condition of the bundled flow (none left wholly to cel-js)", () => {
    expect(texts.length).toBeGreaterThan(150);
    const not = parsed.filter((p) => p.compiled === undefined).map((p) => p.text);
    expect(not).toEqual([]);
  });

  it("property: every condition of the bundled flow gives what cel-js gives, facts known, not known or null", () => {
    const facts = [...flow.facts.values()];
    const namespaces = [...new Set(facts.flatMap((f) => (f.id.includes(".") ? [f.id.split(".")[0]] : [])))];
    const factValues = fc.tuple(
      ...facts.map((f) =>
        fc.oneof(
          { weight: 2, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constant(null) },
          { weight: 4, arbitrary: anyValue(f) },
        ),
      ),
    );
    const steps = fc.tuple(...flow.actions.map(() => fc.option(fc.boolean(), { freq: 2, nil: undefined })));
    let fellBack = 0;
    let evaluations = 0;
    fc.assert(
      fc.property(factValues, steps, (values, decided) => {
        const ctx: Record<string, unknown> = {};
        for (const ns of namespaces) ctx[ns as string] = {};
        values.forEach((v, i) => {
          if (v === undefined) return;
          const id = (facts[i] as Fact).id;
          const dot = id.indexOf(".");
          if (dot < 0) ctx[id] = v;
          else (ctx[id.slice(0, dot)] as Record<string, unknown>)[id.slice(dot + 1)] = v;
        });
        const recommends = new Map<string, boolean>();
        decided.forEach((v, i) => {
          if (v !== undefined) recommends.set(flow.actions[i]?.id as string, v);
        });
        ctx.recommends = recommends;
        for (const p of parsed) {
          evaluations++;
          const was = outcome(() => p.cel(ctx));
          const now = outcome(() => p.compiled?.(ctx));
          if (now === "value fell back") fellBack++;
          else expect(now, p.text).toBe(was);
        }
      }),
      { numRuns: 250 },
    );
    // Falling back is for what the engine never gives (a null, text int() cannot read): rare.
    expect(fellBack).toBeLessThan(evaluations / 2);
  });

  it("absorbs a fact not known as CEL's && and || do, and falls back for what it does not handle", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["person.age >= 18 || true", { person: {} }, "value true"],
      ["person.age >= 18 && false", { person: {} }, "value false"],
      ["person.age >= 18 && true", { person: {} }, "throws"],
      ["!has(person.age) || person.age < 18", { person: {} }, "value true"],
      ["!has(person.age) || person.age < 18", { person: { age: 20n } }, "value false"],
      ['person.group == "child"', { person: { group: "child" } }, "value true"],
      ['person.group == "child"', { person: {} }, "throws"],
      ['"nrm-referral" in recommends', { recommends: new Map([["nrm-referral", false]]) }, "value true"],
      ['"nrm-referral" in recommends', { recommends: new Map() }, "value false"],
      ['person.group + "!" == "child!"', { person: { group: "child" } }, "value true"],
      ['person.group + "!" == "child!"', { person: {} }, "throws"],
    ];
    for (const [text, ctx, want] of cases) {
      const p = env.parse(text);
      const compiled = compileCel(p.ast, () => "fell back");
      expect(
        outcome(() => compiled?.(ctx)),
        text,
      ).toBe(want);
      expect(
        outcome(() => p(ctx)),
        text,
      ).toBe(want);
    }
    // A null where an int is expected: left to cel-js, whatever it makes of it.
    const p = env.parse("person.age >= 18");
    expect(compileCel(p.ast, () => "fell back")?.({ person: { age: null } })).toBe("fell back");
    // Something not handled at all (division) is not compiled.
    expect(compileCel(env.parse("person.age / 2 > 3").ast, p)).toBeUndefined();
  });
});
