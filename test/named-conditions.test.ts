import { describe, expect, it } from "vitest";
import { flowOutline } from "../src/render/graph.js";
import { resultObject } from "../src/render/result.js";
import { bundledFlow, compileWith, decideCase } from "./helpers/flow.js";

// Named conditions (flows/parts/conditions.yaml): one expression, said once in plain words
// with its citation, used by rules by name.

describe("named conditions", () => {
  it("are loaded with their meaning and citation, and rules read them by name", () => {
    const flow = bundledFlow();
    expect([...flow.conditions.keys()]).toContain("first_responder");
    const nrm = flow.actionById.get("nrm-referral");
    expect(nrm?.rules.some((r) => r.when.source.includes("first_responder"))).toBe(true);
    expect(nrm?.rules[0]?.when.facts).toContain("responder.organisation");
  });

  it("a misspelt name is an error with did you mean; a name given twice is an error", () => {
    const typo = compileWith("parts/consent-nrm.yaml", (t) =>
      t.replace("&& first_responder", "&& first_responders"),
    );
    expect(typo.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('unknown name "first_responders"; did you mean "first_responder"?'),
    );
    const twice = compileWith("parts/conditions.yaml", (t) =>
      t.replace("name: under_duty_to_notify", "name: first_responder"),
    );
    expect(twice.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('"first_responder" is already a name here'),
    );
  });

  it("sharing without consent and recording the decision not to share can never both hold, nor both fail", () => {
    const grounds = [
      "sharing.risk_to_person",
      "sharing.risk_to_others",
      "sharing.crime",
      "consent.asking_increases_risk",
      "consent.refusal_may_be_coerced",
    ];
    const values = [true, false, undefined];
    for (let i = 0; i < 3 ** grounds.length; i++) {
      const c: Record<string, unknown> = {
        case_id: "NC",
        "concern.date": "2026-11-23",
        "concern.about": "individual",
        "person.age": 30,
        "consent.to_share": "no",
        "capacity.lacks": "no",
      };
      grounds.forEach((g, k) => {
        const v = values[Math.floor(i / 3 ** k) % 3];
        if (v !== undefined) c[g] = v;
      });
      const p = decideCase(c);
      const on = (id: string) => p.actions.some((a) => a.id === id);
      const open = (id: string) => p.undecided.some((u) => u.id === id);
      const share = on("share-without-consent");
      const record = on("record-decision-not-to-share");
      expect(share && record, JSON.stringify(c)).toBe(false);
      // Both can wait on a fact not known, but never both be decided "no".
      if (!share && !record) expect(open("record-decision-not-to-share"), JSON.stringify(c)).toBe(true);
    }
  });

  it("why says which named conditions a rule read, what each means and whether it held", () => {
    const p = decideCase({
      case_id: "NC-WHY",
      concern: { date: "2026-11-23", about: "individual", types: ["labour"] },
      person: { age: 15 },
      nrm: { indicators: true },
      responder: { organisation: "health" },
    });
    const rules = resultObject(p, () => null).actions.find((a) => a.id === "nrm-referral")?.rules ?? [];
    const named = rules.flatMap((r) => r.named ?? []);
    expect(named).toContainEqual(expect.objectContaining({ name: "first_responder", holds: "false" }));
    expect(named.find((n) => n.name === "first_responder")?.meaning).toContain("first responder");
  });

  it("flows graph --format text lists them, with meaning, expression and citation", () => {
    const text = flowOutline(bundledFlow());
    expect(text).toContain("Named conditions (rules use them by name)");
    expect(text).toMatch(/ {2}no_nrm_yet: no NRM referral is recorded yet/);
  });
});
