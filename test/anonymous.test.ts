import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileFlow } from "../src/flow/compile.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";
import { documentContext } from "../src/render/documents.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";

// An anonymous document (duty to notify) cannot leak what its context never holds.
describe("anonymous documents", () => {
  const ex3 = parse(
    readFileSync(join(packageRoot, "test", "scenarios", "ex-3-transition-17.yaml"), "utf8"),
  ).case;
  const pathway = decideCase({
    ...ex3,
    person: { ...ex3.person, name: "Robin Example", dob: "2009-09-14", age: 30 },
  });

  it("get no warnings, other actions, summary, case id or personal facts", () => {
    const ctx = documentContext(bundledFlow(), pathway, {
      id: "duty-to-notify",
      title: "t",
      template: "x",
      anonymous: true,
      audience: "sent",
    });
    expect(pathway.warnings.some((w) => w.kind === "conflict")).toBe(true); // there are warnings to withhold
    for (const key of ["warnings", "all_actions", "summary", "case_id"]) expect(ctx).not.toHaveProperty(key);
    expect(ctx.person).toEqual({ group: "child" });
    const text = JSON.stringify(ctx);
    for (const s of ["Robin", "2009-09-14", "EX-3", "14 Sep 2009"]) expect(text).not.toContain(s);
  });

  it("never show a date worked out from the date of birth", () => {
    const named = documentContext(bundledFlow(), pathway, {
      id: "transition-referral",
      title: "t",
      template: "x",
      anonymous: false,
      audience: "sent",
    });
    const anon = documentContext(bundledFlow(), pathway, {
      id: "transition-referral",
      title: "t",
      template: "x",
      anonymous: true,
      audience: "sent",
    });
    const [a] = named.actions as { due_rule: string }[];
    const [b] = anon.actions as { due_rule: string; due: string | null }[];
    expect(a?.due_rule).toContain("17th birthday (Mon 14 Sep 2026)");
    expect(b?.due).toBeNull();
    expect(b?.due_rule).toContain("withheld");
    expect(JSON.stringify(anon)).not.toContain("14 Sep 2026");
  });

  it("flows validate rejects an anonymous template that reads warnings or the case id", () => {
    const sources = readFlowSources(locateFlow(undefined, packageRoot), packageRoot);
    const templates = new Map(sources.templates);
    const dtn = templates.get("duty-to-notify.md");
    templates.set("duty-to-notify.md", {
      file: dtn?.file ?? "duty-to-notify.md",
      text: `${dtn?.text}\n{{ case_id }}\n{% for w in warnings %}{{ w }}{% endfor %}\n`,
    });
    const withLeak = { ...sources, templates };
    const { flow, problems: found } = compileFlow(withLeak);
    expect(flow).toBeUndefined();
    const problems = found.map((p) => p.message);
    expect(problems.some((m) => m.startsWith("case_id:"))).toBe(true);
    expect(problems.some((m) => m.startsWith("warnings:"))).toBe(true);
  });
});
