import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { compileFlow, conditionsKey } from "../src/flow/compile.js";
import { analysisKey, analyzeTemplate } from "../src/flow/templates.js";
import type { Condition, Flow } from "../src/flow/types.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";

// The build's parse cache (scripts/flow-cache.mjs) must give exactly the flow a YAML parse
// gives, positions included: it only saves time.
describe("the flow cache", () => {
  const sources = readFlowSources(locateFlow(undefined, packageRoot), packageRoot);
  // A condition as compiled, all but its evaluator (the goldens run the evaluators).
  const cond = (c: Condition | undefined) => c && { ...c, evaluate: typeof c.evaluate };
  const view = (f: Flow | undefined) =>
    JSON.stringify({
      actions: f?.actions.map((a) => ({
        ...a,
        rules: a.rules.map((r) => ({ ...r, when: cond(r.when) })),
      })),
      questions: f?.questions.map((q) => [q.fact.id, q.origin, cond(q.when)]),
      checks: f?.checks.map((c) => [c.id, cond(c.when)]),
      conditions: [...(f?.conditions.values() ?? [])].map((n) => [n.name, cond(n.when)]),
      sha: f?.sha256,
    });

  it("is there after a build, and is used", () => {
    expect(sources.cache).toBeDefined();
    expect(sources.cache?.get(sources.flow.text)).toBeDefined();
    expect(sources.cache?.get(sources.flow.text)?.checked?.flow).toBeDefined();
    expect(sources.cache?.conditions?.(conditionsKey(sources))).toBeDefined();
  });

  it("gives the same flow when loaded from another folder (the files shown from there)", () => {
    const elsewhere = readFlowSources(locateFlow(undefined, tmpdir()), tmpdir());
    const { cache: _cache, ...uncached } = elsewhere;
    const a = compileFlow(elsewhere);
    const shown = new Set([elsewhere.flow.file, ...[...elsewhere.files.values()].map((f) => f.file)]);
    const origins = (a.flow?.actions ?? []).flatMap((x) => x.rules.flatMap((r) => r.when.hasTests));
    expect(origins.length).toBeGreaterThan(0);
    for (const t of origins) expect(shown.has(t.origin.file), t.origin.file).toBe(true);
    expect(view(a.flow)).toBe(view(compileFlow(uncached).flow));
  });

  it("gives the same flow as parsing the YAML", () => {
    const { cache: _cache, ...uncached } = sources;
    const a = compileFlow(sources);
    const b = compileFlow(uncached);
    expect(a.problems).toEqual([]);
    expect(view(a.flow)).toBe(view(b.flow));
  });

  it("holds what each bundled template reads, exactly as a Liquid parse finds it", () => {
    expect(sources.templates.size).toBeGreaterThan(0);
    const texts = new Map([...sources.templates].map(([n, r]) => [n, r.text]));
    for (const [name, raw] of sources.templates) {
      const cached = sources.cache?.template?.(analysisKey(raw.text, texts));
      expect(cached, name).toBeDefined();
      expect(cached, name).toEqual(analyzeTemplate(raw.text, texts));
    }
    expect(sources.cache?.template?.("{{ changed }}")).toBeUndefined();
  });

  it("is not used for a file whose text changed: its problems have their real positions", () => {
    const files = new Map(sources.files);
    const under18 = files.get("parts/under-18.yaml");
    const text = (under18?.text ?? "").replace(
      'screening.outcome in ["no-risk"',
      'screening.outcme in ["no-risk"',
    );
    files.set("parts/under-18.yaml", { file: under18?.file ?? "", text });
    const line = text.split("\n").findIndex((l) => l.includes("screening.outcme")) + 1;
    const { problems } = compileFlow({ ...sources, files });
    const typo = problems.find((p) => p.message.includes('"screening.outcme"'));
    expect(typo?.line).toBe(line);
    expect(line).toBeGreaterThan(1);
  });
});
