import { describe, expect, it } from "vitest";
import { didYouMean } from "../src/flow/problems.js";
import { explain, explainIds } from "../src/render/explain.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";
import { testWorld } from "./helpers/world.js";

const flow = bundledFlow();

describe("safeguard explain ID", () => {
  it("explains every action, fact, document, named condition and section of the flow", () => {
    const ids = explainIds(flow);
    expect(ids.length).toBeGreaterThan(150);
    for (const id of ids) {
      const e = explain(flow, id, didYouMean);
      expect(e.kind, id).not.toBe("unknown");
      if (e.kind !== "unknown") expect(e.text.length, id).toBeGreaterThan(40);
    }
  });

  it("an action: what it is, every rule in plain words with its citation, its due rule, the questions, the documents", () => {
    const r = cli(["explain", "duty-to-notify"]);
    expect(r.code, r.stderr).toBe(0);
    const a = flow.actionById.get("duty-to-notify");
    expect(r.stdout.startsWith(`${a?.title}\n`)).toBe(true);
    expect(r.stdout).toContain("  What it is\n    A notification does not safeguard anyone");
    for (const rule of a?.rules ?? []) expect(r.stdout).toContain(`    - ${rule.because} (${rule.cite})`);
    expect(r.stdout).toContain("  Due\n    immediately");
    expect(r.stdout).toContain(
      "Has the adult given informed consent to an NRM referral?  (nrm.adult_consents)",
    );
    expect(r.stdout).toContain("  Documents\n    - Duty to notify (anonymous)  (duty-to-notify.md)");
    // No CEL: conditions are said by their meaning.
    expect(r.stdout).not.toMatch(/&&|\|\||has\(/);
    const s47 = cli(["explain", "maace-meeting"]);
    expect(s47.stdout).toContain("15 calendar days from the date the strategy discussion was held");
    // A date counted from another only while the first is not known: said so, as a person would.
    expect(s47.stdout).toContain(
      'held (until that is known, from the date set for "Expect a strategy discussion, and take part in it")',
    );
    expect(cli(["explain", "support-disruption-plan"]).stdout).toContain(
      '10 calendar days from the date of the last MAACE meeting (until that is known, from the date set for "Multi-Agency Adult / Child Exploitation (MAACE) meeting")',
    );
    expect(s47.stdout + cli(["explain", "support-disruption-plan"]).stdout).not.toMatch(
      /or else|due date of/,
    );
    expect(cli(["explain", "transition-care-act-assessment-offer"]).stdout).toContain(
      "at age 17 years 6 months",
    );
    // A rule that says the step its own way (who makes an NRM referral): shown under the rule.
    expect(cli(["explain", "nrm-referral"]).stdout).toContain(
      "      the step then reads: Ask the local authority front door (MASH) to make a National Referral Mechanism (NRM) referral\n",
    );
  });

  it("a fact: the question, its answers, what not known means, the steps it decides, the documents that carry it", () => {
    const r = cli(["explain", "consent.to_share"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Has the adult consented to the referral and to sharing their information?");
    expect(r.stdout).toContain("    - not-asked: Not asked yet");
    expect(r.stdout).toContain("(share-without-consent)");
    expect(r.stdout).toContain("(information-sharing-decision)");
    const dob = cli(["explain", "person.dob"]).stdout;
    expect(dob).toContain("personal (redacted by --redact)");
    expect(dob).not.toContain("(duty-to-notify)");
  });

  it("a document, a named condition and a section", () => {
    expect(cli(["explain", "nrm-referral"]).stdout).toContain("action nrm-referral");
    const doc = cli(["explain", "capacity-assessment-record"]).stdout;
    expect(doc).toContain("Drafted for\n    - Assess mental capacity for the specific decision");
    const named = cli(["explain", "first_responder"]).stdout;
    expect(named).toContain(flow.conditions.get("first_responder")?.meaning);
    expect(named).toContain("(nrm-referral)");
    const section = cli(["explain", "under-18"]).stdout;
    expect(section).toMatch(/^Under 18\n/);
    expect(section).toContain("(mash-referral; Procedures §12.2)");
    // The names `flows graph --section` takes are taken here too, for every part.
    const adults = cli(["explain", "adults"]).stdout;
    expect(adults).toMatch(/^18 and over\n/);
    expect(adults).toContain("section 18-and-over of the procedures");
    for (const part of ["point-of-concern", "consent-nrm", "maace", "escalation", "transitions"])
      expect(cli(["explain", part]).code).toBe(0);
  });

  it("a typo is exit 2 with did you mean", () => {
    const r = cli(["explain", "duty-to-notfy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing called "duty-to-notfy" in the flow; did you mean "duty-to-notify"?');
    expect(r.stdout).toBe("");
    const none = cli(["explain", "zzzzzzzzzzzz"]).stderr;
    expect(none).not.toContain("did you mean");
    expect(none).toContain('nothing called "zzzzzzzzzzzz" in the flow. Give an action');
  });
});

describe("explain on a projector (issue 28)", () => {
  it.each([40, 80])(
    "at a %i-column terminal, lines break between words at its width; piped, as they are",
    async (columns) => {
      const { run } = await import("../src/commands/explain.js");
      const said = (tty: boolean) => testWorld({ tty, columns });
      const tty = said(true);
      const piped = said(false);
      await run(tty.world, ["duty-to-notify"], { flow: undefined, json: false });
      await run(piped.world, ["duty-to-notify"], { flow: undefined, json: false });
      for (const line of tty.out().split("\n")) expect(line.length, line).toBeLessThanOrEqual(columns);
      expect(tty.out().split(/\s+/)).toEqual(piped.out().split(/\s+/));
      expect(
        piped
          .out()
          .split("\n")
          .some((l) => l.length > columns),
      ).toBe(true);
    },
  );
});
