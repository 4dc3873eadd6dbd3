import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileFlow } from "../src/flow/compile.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";
import { documentContext, renderDocument, templateEngine } from "../src/render/documents.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";

// An anonymous document (duty to notify) cannot leak what its context never holds.
describe("anonymous documents", () => {
  const ex3 = parse(readFileSync(join(packageRoot, "scenarios", "ex-3-transition-17.yaml"), "utf8")).case;
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

// Issue 21: the referrer's own details go into every draft's referrer section, but the duty to
// notify carries nothing of them beyond what the Home Office asks of the notifying organisation.
describe("the duty to notify and the referrer's details", () => {
  it("carries the notifying organisation and a contact there, as the Home Office form asks, never the referrer's name or role", () => {
    const flow = bundledFlow();
    const referrer = {
      name: "Alexis Leadperson",
      role: "Exploitation lead practitioner",
      organisation: "Example Council",
      phone: "0121 555 0199",
      email: "alexis@example.gov.uk",
    };
    const given = Object.fromEntries(
      Object.entries(referrer).filter(([f]) => flow.facts.has(`referrer.${f}`)),
    );
    const p = decideCase({
      case_id: "DTN-1",
      concern: { date: "2026-11-20", about: "individual", types: ["labour"] },
      person: { age: 34, location: "england" },
      responder: { organisation: "local-authority" },
      nrm: { indicators: true, adult_consents: "no" },
      capacity: { doubt: false },
      ...(Object.keys(given).length > 0 ? { referrer: given } : {}),
    });
    expect(p.documents).toContain("duty-to-notify");
    const doc = flow.documents.get("duty-to-notify");
    if (!doc) throw new Error("no duty-to-notify");
    const text = renderDocument(templateEngine(flow.templates), flow, p, doc);
    for (const s of [referrer.name, "Alexis", referrer.role]) expect(text).not.toContain(s);
    expect(text).toContain(referrer.organisation);
    expect(text).toContain(referrer.phone);
    // The same details do reach a draft with a referrer section, once its template reads them.
    const named = p.documents.filter((id) => flow.documents.get(id)?.reads?.includes("referrer.name"));
    for (const id of named) {
      const d = flow.documents.get(id);
      if (d) expect(renderDocument(templateEngine(flow.templates), flow, p, d), id).toContain(referrer.name);
    }
  });
});
