import { describe, expect, it } from "vitest";
import { notKnownWarnings } from "../src/flow/not-known.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { resultObject } from "../src/render/result.js";
import { pathwayText } from "../src/render/text.js";
import { bundledFlow, compileWith, decideCase, scenarios } from "./helpers/flow.js";

// procedure-map §1: a choice that means not known is the same as the fact left out, for
// every rule, due date and document. Checked over every scenario and every such fact.

type Case = Record<string, unknown>;

/** Set (or, with undefined, remove) a dotted fact in a nested or flat case object. */
function withFact(c: Case, id: string, value: unknown): Case {
  const copy = structuredClone(c);
  delete copy[id];
  const [ns, field] = id.split(".") as [string, string];
  const node = copy[ns];
  if (node && typeof node === "object" && !Array.isArray(node)) delete (node as Case)[field];
  if (value !== undefined) copy[id] = value;
  return copy;
}

function decisions(c: Case, today?: string) {
  const p = decideCase(c, today);
  return {
    actions: p.actions.map((a) => [a.id, a.due, a.dueRule]),
    undecided: p.undecided.map((u) => [u.id, [...u.needs].sort()]),
    warnings: p.warnings.filter((w) => w.kind !== "default").map((w) => w.text),
  };
}

const notKnownFacts = [...bundledFlow().facts.values()].filter((f) => f.notKnown !== undefined);

describe("a not-known choice decides exactly what leaving the fact out decides", () => {
  it("the flows declare the four not-known choices of procedure-map §1", () => {
    expect(notKnownFacts.map((f) => f.id).sort()).toEqual([
      "person.appearance_of_care_and_support_needs",
      "person.unable_to_protect_self",
      "s42.duty_met",
      "screening.significant_harm",
    ]);
    for (const f of notKnownFacts) expect(f.notKnown).toBe("unknown");
  });

  for (const s of scenarios()) {
    it(`${s.file}: every not-known fact, answered not known or left out`, () => {
      for (const fact of notKnownFacts) {
        const left = decisions(withFact(s.case, fact.id, undefined), s.today);
        const unknown = decisions(withFact(s.case, fact.id, fact.notKnown), s.today);
        const nulled = decisions(withFact(s.case, fact.id, null), s.today);
        expect(unknown, `${fact.id}: ${fact.notKnown}`).toEqual(left);
        expect(nulled, `${fact.id}: null`).toEqual(left);
      }
    });
  }

  it("s42.duty_met unknown keeps the s42 enquiry and what follows it not decided (the reported case)", () => {
    const c = {
      case_id: "NK-S42",
      concern: { date: "2026-11-23", about: "individual", types: ["criminal"] },
      person: { age: 30, appearance_of_care_and_support_needs: "yes", unable_to_protect_self: "yes" },
      screening: { outcome: "evidence", significant_harm: "yes" },
      s42: { duty_met: "unknown" },
    };
    const p = decideCase(c);
    const recommended = p.actions.map((a) => a.id);
    // Recommended as expected (the local authority decides the duty), never silently dropped.
    expect(recommended).toContain("s42-enquiry");
    expect(recommended).toContain("safeguarding-adults-plan");
    const q = decideCase({ ...c, s42: { duty_met: "no" } });
    expect(q.actions.map((a) => a.id)).not.toContain("s42-enquiry");
    expect(q.actions.map((a) => a.id)).toContain("structured-partnership-approach");
  });

  it("the answers keep the not-known choice as given", () => {
    const p = decideCase({ case_id: "NK-A", person: { age: 30 }, s42: { duty_met: "unknown" } });
    expect(p.answers.get("s42.duty_met")).toBe("unknown");
    expect(p.facts.has("s42.duty_met")).toBe(false);
  });
});

describe("drafts say not known for an answer of not known, and leave a blank for a fact not asked", () => {
  const base = {
    case_id: "NK-D",
    concern: { date: "2026-11-23", about: "individual", types: ["criminal"] },
    person: { age: 30 },
    screening: { outcome: "evidence" },
  };
  const ofd = (c: Case) =>
    renderOutputs(
      templateEngine(bundledFlow().templates),
      bundledFlow(),
      decideCase(c),
      "out/NK-D",
    ).files.get("ofd-safeguarding-concern.md") ?? "";

  it("the not-known choice and null both read 'not known'", () => {
    for (const v of ["unknown", null]) {
      const text = ofd({ ...base, person: { age: 30, appearance_of_care_and_support_needs: v } });
      expect(text).toContain("**Appearance of needs for care and support:** not known");
      const harm = ofd({ ...base, screening: { outcome: "evidence", significant_harm: v } });
      expect(harm).toContain("**Significant harm, in your view:** not known");
    }
  });

  it("a fact left out is a blank to complete, and a real value is shown", () => {
    expect(ofd(base)).toContain("**Appearance of needs for care and support:** [to complete:");
    const yes = ofd({ ...base, person: { age: 30, appearance_of_care_and_support_needs: "yes" } });
    expect(yes).toContain("**Appearance of needs for care and support:** yes");
  });
});

describe("the flows say what not known means, and which facts other facts settle", () => {
  it("the bundled flows declare a reading for every !has test: flows validate has no warning", () => {
    expect(notKnownWarnings(bundledFlow())).toEqual([]);
  });

  it("a rule that fires on a fact left out, with no reading declared, is warned about with the fix", () => {
    const { flow, problems } = compileWith("facts.yaml", (t) =>
      t.replace(/, when_not_known: "capacity is presumed[^"]*"/, ""),
    );
    expect(problems).toEqual([]);
    const warnings = notKnownWarnings(flow as NonNullable<typeof flow>);
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w.file).toMatch(/(consent-nrm|conditions|implications)\.yaml$/);
      expect(w.line).toBeGreaterThan(0);
      expect(w.message).toContain("fires when capacity.lacks is not known (!has(capacity.lacks))");
      expect(w.message).toContain("when_not_known");
    }
  });

  it("a condition comparing with the not-known choice is an error: it could never hold", () => {
    const { problems } = compileWith("parts/adults.yaml", (t) =>
      t.replace('s42.duty_met == "no" &&', 's42.duty_met == "unknown" &&'),
    );
    expect(problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining(
        '"unknown" means not known, and a condition sees s42.duty_met left out instead',
      ),
    );
  });

  it("an implication naming an unknown fact or an impossible value is an error", () => {
    const { problems } = compileWith("parts/implications.yaml", (t) =>
      t
        .replace("settles: { sharing.risk_to_person: true }", "settles: { sharing.risk_to_persn: true }")
        .replace('settles: { nrm.adult_consents: "yes" }', 'settles: { nrm.adult_consents: "maybe" }'),
    );
    const messages = problems.map((p) => p.message);
    expect(messages).toContainEqual(expect.stringContaining('unknown fact "sharing.risk_to_persn"'));
    expect(messages).toContainEqual(expect.stringContaining('"maybe" is not one of'));
  });

  it("a settled fact is shown in why, in the result object and in the case summary", () => {
    const c = {
      case_id: "NK-WHY",
      concern: { date: "2026-11-23", about: "individual", types: ["criminal"], imminent_harm: true },
      person: { age: 30 },
      consent: { to_share: "no" },
    };
    const p = decideCase(c);
    const share = p.actions.find((a) => a.id === "share-without-consent");
    expect(share?.because[0]?.settled.map((s) => s.fact)).toEqual(["sharing.risk_to_person"]);
    const json = resultObject(p, () => null);
    expect(json.implied).toEqual([
      expect.objectContaining({ fact: "sharing.risk_to_person", value: true, cite: "Procedures §6.2" }),
    ]);
    const summary =
      renderOutputs(templateEngine(bundledFlow().templates), bundledFlow(), p, "out/NK-WHY").files.get(
        "case-summary.md",
      ) ?? "";
    expect(summary).toContain("## Settled by other facts");
    expect(summary).toContain("`sharing.risk_to_person`");
  });

  it("a rule that fired without a fact says what it took not known to mean", () => {
    const p = decideCase({
      case_id: "NK-READ",
      concern: { date: "2026-11-23", about: "individual", types: ["labour"] },
      person: { age: 30 },
      nrm: { indicators: true, adult_consents: "yes" },
      responder: { organisation: "police" },
    });
    const nrm = p.actions.find((a) => a.id === "nrm-referral");
    const facts = nrm?.because.flatMap((b) => b.notKnown.map((n) => n.fact)) ?? [];
    expect(facts).toContain("capacity.lacks");
    expect(nrm?.because[0]?.notKnown.find((n) => n.fact === "capacity.lacks")?.readsAs).toContain(
      "capacity is presumed",
    );
    expect(pathwayText(p, { colour: false })).toContain("Not known, and taken to mean:");
  });

  it("the wizard offers a fact's own not-known choice once, not a second 'Not known'", () => {
    for (const q of bundledFlow().questions.filter((x) => x.fact.notKnown !== undefined)) {
      expect(q.notKnown, q.fact.id).toBe(false);
      expect(q.fact.values).toContain(q.fact.notKnown);
    }
  });
});
