import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import type { TemplatePlan } from "../src/flow/template-plan.js";
import { BEFORE_YOU_SEND, CASE_SUMMARY } from "../src/flow/templates.js";
import { renderBothWays, templateEngine } from "../src/render/documents.js";
import { compileLiquid, compilePlan, planLiquid } from "../src/render/liquid-closures.js";
import { bundledFlow, decideCase, scenarios } from "./helpers/flow.js";

// Templates compiled to plain functions (src/render/liquid-closures.ts, issue 25) must write
// exactly what liquidjs writes: every document of the flow, for every scenario's case,
// rendered both ways (not only the drafts each case is given, so every branch of every
// template the scenarios reach is compared).

describe("templates compiled to plain functions", () => {
  const flow = bundledFlow();
  const liquid = templateEngine(flow.templates);
  const docs = [...flow.documents.values(), BEFORE_YOU_SEND];
  if (!flow.documents.has(CASE_SUMMARY.id)) docs.push(CASE_SUMMARY);

  it("render every document of every scenario byte for byte as liquidjs does, none left to it", () => {
    let compared = 0;
    for (const s of scenarios()) {
      const pathway = decideCase(s.case, s.today ?? "2026-11-23");
      for (const doc of docs) {
        const both = renderBothWays(liquid, flow, pathway, doc);
        expect(both.compiled, `${s.file}: ${doc.template} was not compiled`).toBeDefined();
        expect(both.compiled, `${s.file}: ${doc.template}`).toBe(both.liquid);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("leaves to liquidjs what it does not handle, and an error to liquidjs to say", () => {
    const partial = () => undefined;
    const compile = (text: string) => compileLiquid(liquid, liquid.parse(text), partial);
    // A for with options, an include it cannot find: not compiled.
    expect(compile("{% for x in xs %}{{ forloop.index }}{% endfor %}")?.({ xs: ["a", "b"] })).toBe("12");
    expect(compile("{% for x in xs limit: 2 %}{{ x }}{% endfor %}")).toBeUndefined();
    expect(compile("{% include 'x.md' %}")).toBeUndefined();
    // Compiled: the same text; a name not defined (strict variables) is not answered here.
    const t = compile(
      '{% if a == "x" %}{{ b | append: "!" }}{% else %}no{% endif %}{% for i in l %}[{{ i }}]{% endfor %}',
    );
    expect(t?.({ a: "x", b: "yes", l: [1, 2] })).toBe("yes![1][2]");
    expect(t?.({ a: "y", b: "yes", l: [] })).toBe("no");
    expect(t?.({ a: "x", l: [] })).toBeUndefined();
    // An answer that looks like Liquid is printed as it is, never run.
    expect(compile("{{ b }}")?.({ b: "{{ a }} {% if %}" })).toBe("{{ a }} {% if %}");
  });

  it("build from a plan that is plain data: kept by V8's serializer, it renders as liquidjs does", () => {
    const text = [
      "{% unless a == empty %}[{{ a | size }}]{% else %}none{% endunless %}",
      "{% if b == nil %}no b{% elsif b > 2 and c contains 'x' %}big{% endif %}",
      "{% case c %}{% when 'x', 'y' %}xy{% else %}other{% endcase %}",
      "{% assign d = c | append: '!' %}{% capture e %}<{{ d }}>{% endcapture %}{{ e }}",
      "{% for i in a %}{{ forloop.index }}{{ i }}{% else %}-{% endfor %}{% comment %}x{% endcomment %}",
      "{{ f.g[c] | default: 'none' }}",
    ].join("\n");
    const plan = planLiquid(liquid, liquid.parse(text));
    expect(plan).toBeDefined();
    const kept = deserialize(serialize(plan)) as TemplatePlan;
    expect(kept).toEqual(plan);
    const render = compilePlan(liquid, kept, () => undefined);
    for (const scope of [
      { a: [], b: null, c: "x", f: { g: { x: "gx" } } },
      { a: ["p", "q"], b: 3, c: "x", f: { g: {} } },
      { a: ["p"], b: 1, c: "z", f: { g: { z: 0 } } },
    ])
      expect(render?.(scope), JSON.stringify(scope)).toBe(liquid.parseAndRenderSync(text, scope));
    // An include is found by its name among the plans given; a range is left to liquidjs.
    const partial = (name: string) =>
      name === "p.md" ? planLiquid(liquid, liquid.parse("[{{ c }}]")) : undefined;
    const including = planLiquid(liquid, liquid.parse("{% include 'p.md' %}!")) as TemplatePlan;
    expect(compilePlan(liquid, including, partial)?.({ c: "x" })).toBe("[x]!");
    expect(compilePlan(liquid, including, () => undefined)).toBeUndefined();
    expect(planLiquid(liquid, liquid.parse("{% for i in (1..3) %}{{ i }}{% endfor %}"))).toBeUndefined();
  });
});
