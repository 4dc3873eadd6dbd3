import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCase, type Value } from "../src/engine/answers.js";
import { decide, type Pathway } from "../src/engine/decide.js";
import { draftQuestions } from "../src/engine/next.js";
import { packageRoot } from "../src/io/paths.js";
import { REFERRER_FIELDS } from "../src/io/referrer.js";
import { renderDocument, templateEngine } from "../src/render/documents.js";
import { bundledFlow } from "./helpers/flow.js";

// Issue 21: the blanks left in each draft of the interviews of test/interviews/ (their case
// files, as the wizard's answers would give them), counted as the "[to complete" marks in each
// draft written. Before: the drafts on main at 8275aaf, before the round for the drafts, from
// the case files as they were then (the school's with a name and address, the others with
// none). After: the case file as a lead answers the interview (the person's name, address and
// phone, fictional, which the interview asks) and the round answered as a lead would (ROUND
// below: each of its questions, and the referrer's own details). The README's wizard section gives both (checked here): when
// a change to the templates or the round moves them, the failure shows the row to put there.
const TODAY = "2026-11-23";

const BEFORE: Record<string, Record<string, number>> = {
  "school-dsl-county-lines-14.yaml": {
    "fib-intelligence-report": 12,
    "mash-referral": 19,
    "vulnerability-tracker-entry": 3,
    "support-disruption-plan": 46,
    "nrm-referral": 17,
  },
  "hospital-adult-refuses-nrm.yaml": {
    "fib-intelligence-report": 14,
    "ofd-safeguarding-concern": 17,
    "shep-referral": 28,
  },
  "leaving-care-17-maace.yaml": {
    "fib-intelligence-report": 14,
    "vulnerability-tracker-entry": 5,
    "support-disruption-plan": 45,
    "transition-referral": 10,
  },
  // Written since (issue 21): counted on main at a1701c1, the round skipped, from this case
  // file without the name, address and phone (as the hospital's and the adviser's files were).
  "community-nurse-cuckooing-34.yaml": {
    "fib-intelligence-report": 16,
    "ofd-safeguarding-concern": 19,
    "vulnerability-tracker-entry": 11,
    "information-sharing-decision": 23,
    "capacity-assessment-record": 20,
    "advocacy-referral": 15,
  },
};

/** What a lead answers in the round: every question it can ask, and the referrer's details. */
const ROUND: Record<string, Value> = {
  "person.lives_in_locality": true,
  "person.school": "Example Academy",
  "referral.parents_aware": "yes",
  "capacity.decision": "share-information",
  "sharing.risk_to_person": true,
  "sharing.risk_to_others": false,
  "sharing.crime": true,
  "person.location": "england",
  "person.appearance_of_care_and_support_needs": "yes",
  "person.gender": "Male",
  "person.nationality": "British",
  "person.first_language": "English",
  "person.interpreter_needed": false,
  "person.communication_needs": "None known",
  "person.gp": "Example Medical Practice",
  "person.encountered_area": "Solihull town centre",
  "person.parents_carers": "Mother, Sam Example, same address, 07700 900000",
  "person.carer": "Brother, Alex Example",
  "person.social_worker": "E. Worker, Children in Care team, 0121 000 0002, e.worker@example.gov.uk",
  "person.lead_professional": "B. Worker, exploitation practitioner, Solihull Council",
  "services.involved": "Early Help family support worker, C. Support, 0121 000 0001",
  "intel.sent_date": "2026-11-20",
  "responder.lead_name": "D. Lead",
  "responder.lead_discussed_date": "2026-11-20",
  "person.strengths": "Plays football on Saturdays; close to his grandmother",
  "person.views": '"I just want to be left alone."',
  "consent.their_words": 'Asked on the visit, alone, on 20 November: "No, don\'t tell anyone."',
  "capacity.doubt_reason": "A learning disability; he could not say back what sharing would mean",
  "referral.asking_for": "A multi-agency response to the address and the people using it",
  "nrm.recruitment": "Approached at the station by older teenagers who offered him money",
  "nrm.movement": "Driven to addresses in Birmingham to deliver packages",
  "nrm.control": "Told he owes a debt for a phone; threatened if he does not pay",
  "referrer.name": "A. Lead",
  "referrer.role": "Designated safeguarding lead",
  "referrer.organisation": "Example Academy",
  "referrer.phone": "0121 000 0000",
  "referrer.email": "a.lead@example.org",
};

const BLANK = /\[to complete/g;

/** The blanks in each draft of a pathway, by document id. */
function blanks(p: Pathway): Record<string, number> {
  const flow = bundledFlow();
  const liquid = templateEngine(flow.templates);
  return Object.fromEntries(
    p.documents.map((id) => {
      const doc = flow.documents.get(id);
      if (!doc) throw new Error(`no document ${id}`);
      return [id, (renderDocument(liquid, flow, p, doc).match(BLANK) ?? []).length];
    }),
  );
}

function interview(file: string) {
  const flow = bundledFlow();
  const path = join(packageRoot, "test", "interviews", file);
  const { answers, problems } = readCase(path, readFileSync(path, "utf8"), flow.facts);
  if (!answers) throw new Error(problems.map((p) => p.message).join("; "));
  const without = decide(flow, answers, TODAY);
  const round = new Map(answers);
  for (const q of draftQuestions(flow, without)) {
    const v = ROUND[q.fact.id];
    if (v === undefined) throw new Error(`ROUND gives no answer for ${q.fact.id}, which the round asks`);
    round.set(q.fact.id, v);
  }
  for (const f of REFERRER_FIELDS) {
    const id = `referrer.${f}`;
    if (flow.facts.has(id) && !round.has(id)) round.set(id, ROUND[id] as Value);
  }
  return { without, with: decide(flow, round, TODAY) };
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** The README's row for an interview: each draft's blanks before and after, and all of them. */
function row(file: string, after: Record<string, number>): string {
  const flow = bundledFlow();
  const before = BEFORE[file] ?? {};
  const drafts = Object.keys(after).map(
    (id) => `${flow.documents.get(id)?.title ?? id} ${before[id] ?? 0} → ${after[id]}`,
  );
  return `| \`${file}\` | ${drafts.join("; ")} | ${sum(before)} → ${sum(after)} |`;
}

describe("blanks left in the drafts of the three interviews", () => {
  const readme = readFileSync(join(packageRoot, "README.md"), "utf8");
  for (const file of Object.keys(BEFORE)) {
    it(`${file}: the round leaves fewer, and the README says how many`, () => {
      const flow = bundledFlow();
      const { without, with: answered } = interview(file);
      const after = blanks(answered);
      const skipped = blanks(without);
      // The same drafts, the same steps: the round's answers fill drafts, they decide nothing.
      expect(Object.keys(after)).toEqual(Object.keys(BEFORE[file] ?? {}));
      // (The reasons' record of the facts they read shows the grounds given, as it should.)
      const steps = (p: Pathway) =>
        p.actions.map((x) => [x.id, x.title, x.due, x.because.map((b) => b.because)]);
      expect(steps(answered)).toEqual(steps(without));
      // No draft has more blanks for an answer; where the round gave a draft something to read, fewer.
      for (const id of Object.keys(after)) expect(after[id], id).toBeLessThanOrEqual(skipped[id] ?? 0);
      const given = [...answered.answers.keys()].filter((f) => !without.answers.has(f));
      const read = answered.documents.some((id) =>
        given.some((f) => flow.documents.get(id)?.reads?.includes(f)),
      );
      if (read) expect(sum(after)).toBeLessThan(sum(skipped));
      // Issue 21: at least half of them gone, answered as a lead would.
      expect(sum(after) * 2, "half the blanks before, at most").toBeLessThanOrEqual(sum(BEFORE[file] ?? {}));
      expect(readme, `the README's row for ${file}`).toContain(row(file, after));
    });
  }
});
