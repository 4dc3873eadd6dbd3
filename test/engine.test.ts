import { describe, expect, it } from "vitest";
import { readCase, type Value } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import { draftQuestions, neededFacts, nextQuestion } from "../src/engine/next.js";
import { formatProblem } from "../src/flow/problems.js";
import { deadlinesIcs } from "../src/render/ics.js";
import { resultObject } from "../src/render/result.js";
import { bundledFlow, compileWith, decideCase } from "./helpers/flow.js";

/** The interview to its end, answering "not known" to everything: the facts asked, in order. */
function askAllNotKnown(answers: Map<string, Value | null>): string[] {
  const asked: string[] = [];
  for (let i = 0; i < 200; i++) {
    const q = nextQuestion(bundledFlow(), answers, "2026-11-23");
    if (!q) break;
    asked.push(q.fact.id);
    answers.set(q.fact.id, null);
  }
  return asked;
}

const kinds = (p: ReturnType<typeof decideCase>) => p.warnings.map((w) => w.kind);
const ids = (p: ReturnType<typeof decideCase>) => p.actions.map((a) => a.id);

describe("facts not known are never no", () => {
  it("a rule that turns on a missing fact is reported as not decided, naming the fact", () => {
    const p = decideCase({
      case_id: "N1",
      concern: { date: "2026-11-23", about: "individual" },
      person: { age: 15 },
    });
    expect(ids(p)).not.toContain("police-emergency");
    const u = p.undecided.find((x) => x.id === "police-emergency");
    expect(u?.needs).toEqual([{ fact: "concern.imminent_harm" }]);
    expect(
      p.warnings.find((w) => w.kind === "not-decided" && w.text.includes("police-emergency"))?.text,
    ).toContain("concern.imminent_harm");
  });

  it("an explicit null is the same as leaving the fact out", () => {
    const a = decideCase({
      case_id: "N2",
      concern: { date: "2026-11-23", imminent_harm: null },
      person: { age: 30 },
    });
    const b = decideCase({ case_id: "N2", concern: { date: "2026-11-23" }, person: { age: 30 } });
    expect(a.actions).toEqual(b.actions);
    expect(a.undecided).toEqual(b.undecided);
  });

  it("false decides: the same rule with the fact given as false is decided", () => {
    const p = decideCase({
      case_id: "N3",
      concern: { date: "2026-11-23", imminent_harm: false },
      person: { age: 30 },
    });
    expect(p.undecided.map((u) => u.id)).not.toContain("police-emergency");
    expect(ids(p)).not.toContain("police-emergency");
  });

  it("only facts that could decide a rule are named (not those it reads only to guard)", () => {
    const p = decideCase({
      case_id: "N4",
      concern: { date: "2026-11-23", about: "individual" },
      person: { age: 15 },
    });
    const advocate = p.undecided.find((u) => u.id === "independent-advocate");
    expect(advocate?.needs).toEqual([{ fact: "advocacy.substantial_difficulty" }]);
  });
});

describe("age", () => {
  it("comes from the date of birth at the concern date, not today", () => {
    const p = decideCase(
      { case_id: "A1", concern: { date: "2026-09-13" }, person: { dob: "2008-09-14" } },
      "2030-01-01",
    );
    expect(p.person).toEqual({ age: 17, group: "child", ageSource: "dob" });
    const q = decideCase({ case_id: "A1", concern: { date: "2026-09-14" }, person: { dob: "2008-09-14" } });
    expect(q.person).toEqual({ age: 18, group: "adult", ageSource: "dob" });
  });

  // Issue 22: an age left blank is not reasonable grounds to believe they may be under 18
  // (Modern Slavery Act 2015 s51); a disputed one is.
  it("not known: the steps that differ by age wait for it (ask the age), with a warning that says so", () => {
    const p = decideCase({
      case_id: "A2",
      concern: { date: "2026-11-23", about: "individual", types: ["trafficking"] },
      nrm: { indicators: true },
      responder: { organisation: "police" },
    });
    expect(p.person.group).toBe("not-known");
    expect(p.person.age).toBeNull();
    expect(p.facts.has("person.group")).toBe(false);
    const w = p.warnings.find((x) => x.kind === "age");
    expect(w?.text).toContain("not decided until it is given");
    expect(ids(p)).not.toContain("nrm-referral");
    expect(ids(p)).not.toContain("ask-nrm-consent");
    expect(ids(p)).not.toContain("duty-to-notify");
    const undecided = p.undecided.map((u) => u.id);
    expect(undecided).toContain("nrm-referral");
    expect(undecided).toContain("ask-nrm-consent");
    // Asked for through the questions that decide the pathway, not as a derived fact.
    const needs = p.undecided.find((u) => u.id === "nrm-referral")?.needs ?? [];
    expect(needs).toContainEqual({ fact: "person.age" });
    expect(needs).toContainEqual({ fact: "person.age_disputed" });
    expect(needs).not.toContainEqual({ fact: "person.group" });
  });

  it("not known and disputed: the child pathway, and a child for NRM purposes", () => {
    const p = decideCase({
      case_id: "A2D",
      concern: { date: "2026-11-23", about: "individual", types: ["trafficking"] },
      person: { age_disputed: true },
      nrm: { indicators: true },
      responder: { organisation: "police" },
    });
    expect(p.person.group).toBe("child");
    expect(p.person.age).toBeNull();
    const w = p.warnings.find((x) => x.kind === "age");
    expect(w?.text).toContain("child pathway");
    expect(w?.text).toContain("NRM");
    expect(ids(p)).toContain("nrm-referral");
    expect(ids(p)).not.toContain("ask-nrm-consent");
  });

  it("a date of birth and an age that disagree: the date of birth wins, and the output says so", () => {
    const p = decideCase({
      case_id: "A3",
      concern: { date: "2026-11-23" },
      person: { dob: "2010-01-01", age: 19 },
    });
    expect(p.person.age).toBe(16);
    expect(p.warnings.find((w) => w.kind === "conflict")?.text).toContain("The age is given as 19");
  });

  it("a date of birth after the concern date is a conflict, and the age is treated as not known", () => {
    const p = decideCase({ case_id: "A4", concern: { date: "2026-11-23" }, person: { dob: "2027-01-01" } });
    expect(kinds(p)).toContain("conflict");
    expect(p.person.age).toBeNull();
    expect(p.person.group).toBe("not-known");
  });
});

describe("checks in the flows", () => {
  it("flags a screening outcome that contradicts the significant-harm answer", () => {
    const p = decideCase({
      case_id: "C1",
      concern: { date: "2026-11-23" },
      person: { age: 14 },
      screening: { outcome: "no-risk", significant_harm: "likely" },
    });
    expect(p.warnings.find((w) => w.kind === "conflict")?.text).toContain(
      "The screening tool indicates no risk",
    );
  });

  it("flags a referral dated before the concern", () => {
    const p = decideCase({
      case_id: "C2",
      concern: { date: "2026-11-23" },
      referral: { date: "2026-11-01" },
    });
    expect(p.warnings.map((w) => w.text).join("\n")).toContain(
      "The date of the referral is before the date the concern was identified",
    );
  });

  it("says the duty to notify does not apply in Scotland", () => {
    const p = decideCase({
      case_id: "C3",
      concern: { date: "2026-11-23" },
      person: { age: 30, location: "scotland" },
      nrm: { indicators: true, adult_consents: "no" },
      responder: { organisation: "police" },
    });
    expect(ids(p)).not.toContain("duty-to-notify");
    expect(p.warnings.map((w) => w.text).join("\n")).toContain("England and Wales only");
  });

  it("concern.date not given: today is used, and the output says so", () => {
    const p = decideCase({ case_id: "C4", person: { age: 30 } }, "2026-12-24");
    expect(p.referenceDate).toBe("2026-12-24");
    expect(p.warnings.find((w) => w.kind === "default")?.text).toContain("taken as today, 2026-12-24");
  });
});

describe("one engine for the wizard and case files", () => {
  it("nextQuestion asks only what can change the pathway, and stops when nothing can", () => {
    const flow = bundledFlow();
    const answers = new Map<string, string | number | boolean | readonly string[] | null>();
    const asked = askAllNotKnown(answers);
    expect(asked[0]).toBe("case_id");
    expect(asked).toContain("concern.imminent_harm");
    expect(new Set(asked).size).toBe(asked.length);
    expect(nextQuestion(flow, answers, "2026-11-23")).toBeNull();
  });

  it("a case file replayed gives the same pathway as the answers given one by one", () => {
    const flow = bundledFlow();
    const text =
      "case_id: W1\nconcern:\n  date: 2026-08-26\n  about: individual\nperson:\n  dob: 2011-05-19\nscreening:\n  outcome: evidence\n  significant_harm: likely\n";
    const { answers } = readCase("w.yaml", text, flow.facts);
    const fromFile = decide(flow, answers as Map<string, never>, "2026-11-23");
    const oneByOne = new Map();
    for (const [k, v] of answers ?? []) oneByOne.set(k, v);
    expect(decide(flow, oneByOne, "2026-11-23").actions).toEqual(fromFile.actions);
  });
});

describe("language in free text", () => {
  it("warns (never blocks) on victim-blaming phrases in free-text answers", async () => {
    const { loadLexicon } = await import("../src/io/lexicon.js");
    const { bundledFlowsDir } = await import("../src/io/paths.js");
    const flow = bundledFlow();
    const text =
      "case_id: L1\nconcern:\n  date: 2026-11-23\n  about: individual\n  description: She is making lifestyle choices.\nperson:\n  age: 15\n";
    const { answers } = readCase("l.yaml", text, flow.facts);
    const p = decide(flow, answers as Map<string, never>, "2026-11-23", {
      lexicon: loadLexicon(bundledFlowsDir),
    });
    const w = p.warnings.find((x) => x.kind === "language");
    expect(w?.field).toBe("concern.description");
    expect(w?.text).toContain("making lifestyle choices");
    // The lead reads it on the glance: the answer by its label, the id only in the field.
    expect(w?.text.startsWith("What has been seen or heard, line 1 column")).toBe(true);
    expect(w?.suggestion).toContain("exploited");
    expect(p.actions.length).toBeGreaterThan(0);
  });
});

describe("questions asked only when they make sense", () => {
  it("does not ask when the strategy discussion was held once it is known not to have been", () => {
    const flow = bundledFlow();
    const answers = new Map<string, string | number | boolean | readonly string[] | null>([
      ["case_id", "Q1"],
      ["concern.date", "2026-11-20"],
      ["concern.about", "individual"],
      ["person.dob", "2011-01-01"],
      ["screening.outcome", "evidence"],
      ["screening.significant_harm", "likely"],
    ]);
    const asked = askAllNotKnown(answers);
    expect(asked).toContain("strategy_discussion.outcome");
    expect(asked).not.toContain("strategy_discussion.date");
    answers.delete("strategy_discussion.outcome");
    answers.delete("strategy_discussion.date");
    answers.set("strategy_discussion.outcome", "significant-harm");
    expect(nextQuestion(flow, answers, "2026-11-23")?.fact.id).toBe("strategy_discussion.date");
  });
});

describe("a concern about a context only", () => {
  it("has no person: no individual pathway is recommended or left waiting on a fact", () => {
    const p = decideCase({
      case_id: "X1",
      concern: { date: "2026-11-23", about: "context", types: ["criminal"] },
    });
    expect(p.person.group).toBe("none");
    expect(p.warnings.map((w) => w.kind)).not.toContain("age");
    expect(p.actions.map((a) => a.id)).toEqual(["contextual-concern-advice", "fib-intelligence-report"]);
    expect(p.undecided.map((u) => u.id).sort()).toEqual(["other-harm-procedures", "police-emergency"]);
  });

  it("a concern whose subject is not given is treated as about a person", () => {
    const p = decideCase({
      case_id: "X2",
      concern: { date: "2026-11-23" },
      person: { age: 15 },
      screening: { outcome: "evidence" },
    });
    expect(p.actions.map((a) => a.id)).toContain("mash-referral");
  });
});

// Modern Slavery Act 2015 s51, procedure-map §5: an age in doubt across 18 is treated as an
// age not known; an age not in doubt is taken as given, with no age warning.
describe("an age in doubt", () => {
  const base = {
    case_id: "AD1",
    concern: { date: "2026-11-23", about: "individual", types: ["trafficking"] },
    nrm: { indicators: true, adult_consents: "no" },
    responder: { organisation: "police" },
  };
  const inDoubt = (p: ReturnType<typeof decideCase>) =>
    p.warnings.some((w) => w.text.startsWith("Age in doubt"));

  it("across 18, or disputed at 18 or over: the child pathway, with an age warning", () => {
    for (const person of [
      { dob: "2009-01-10", age: 19 },
      { dob: "2007-06-01", age: 17 },
      { dob: "2006-02-02", age_disputed: true },
      { age: 30, age_disputed: true },
    ]) {
      const p = decideCase({ ...base, person });
      expect(p.person.group, JSON.stringify(person)).toBe("child");
      expect(inDoubt(p), JSON.stringify(person)).toBe(true);
      expect(p.facts.get("person.may_be_child")).toBe(true);
      expect(ids(p)).toContain("nrm-referral");
      expect(ids(p)).not.toContain("duty-to-notify");
      expect(p.documents).not.toContain("duty-to-notify");
    }
  });

  it("not in doubt: no age warning, and the pathway the age gives", () => {
    for (const [person, group] of [
      [{ dob: "2006-02-02", age_disputed: false }, "adult"],
      [{ dob: "2006-02-02" }, "adult"],
      [{ dob: "2007-06-01", age: 18 }, "adult"],
      [{ dob: "2011-02-02", age_disputed: true }, "child"],
    ] as const) {
      const p = decideCase({ ...base, person });
      expect(p.person.group, JSON.stringify(person)).toBe(group);
      expect(inDoubt(p), JSON.stringify(person)).toBe(false);
      expect(p.facts.get("person.age_in_doubt")).toBe(false);
    }
  });

  it("the wizard asks whether the age is disputed of an adult, never of a child", () => {
    const flow = bundledFlow();
    const asked = (dob: string) => {
      const answers = new Map<string, string | number | boolean | readonly string[] | null>([
        ["case_id", "Q2"],
        ["concern.date", "2026-11-23"],
        ["concern.about", "individual"],
        ["person.dob", dob],
      ]);
      return nextQuestion(flow, answers, "2026-11-23")?.fact.id;
    };
    expect(asked("1990-01-01")).toBe("person.age_disputed");
    expect(asked("2012-01-01")).not.toBe("person.age_disputed");
  });
});

describe("an adult who lacks capacity to decide about an NRM referral", () => {
  it("the wizard asks the best-interests decision, not their consent", () => {
    const answers = new Map<string, string | number | boolean | readonly string[] | null>([
      ["case_id", "Q3"],
      ["concern.date", "2026-11-23"],
      ["concern.about", "individual"],
      ["person.dob", "1980-01-01"],
      ["person.age_disputed", false],
      ["capacity.lacks", "yes"],
      ["nrm.indicators", true],
      ["responder.organisation", "police"],
    ]);
    const asked = askAllNotKnown(answers);
    expect(asked).toContain("nrm.best_interests_decision");
    expect(asked).not.toContain("nrm.adult_consents");
  });
});

describe("who makes an NRM referral: the organisation is asked where it decides the route", () => {
  const TODAY = "2026-11-23";
  const given = (extra: [string, Value | null][]) =>
    new Map<string, Value | null>([
      ["case_id", "ORG"],
      ["concern.date", "2026-11-18"],
      ["concern.about", "individual"],
      ["nrm.indicators", true],
      ["nrm.decision", "none"],
      ...extra,
    ]);
  /** An adult of 32 whose age is not disputed and whose capacity is not in doubt. */
  const adultGiven = (extra: [string, Value | null][]) =>
    given([
      ["person.dob", "1994-04-04"],
      ["person.age_disputed", false],
      ["capacity.doubt", false],
      ...extra,
    ]);
  const nrm = (answers: Map<string, Value | null>) =>
    decide(bundledFlow(), answers, TODAY).actions.find((a) => a.id === "nrm-referral");

  it("a child: the step is recommended while the organisation is not known, and the wizard still asks it", () => {
    const child = given([["person.dob", "2012-03-10"]]);
    expect(nrm(child)?.title).toBe(
      "Make a National Referral Mechanism (NRM) referral, or ask the local authority front door (MASH) to make it",
    );
    expect(neededFacts(bundledFlow(), child, TODAY)).toContain("responder.organisation");
    expect(askAllNotKnown(new Map(child))).toContain("responder.organisation");
    // Answered not known: asked no more, and the step still says both routes.
    const notKnown = new Map([...child, ["responder.organisation", null]]);
    expect(nextQuestion(bundledFlow(), notKnown, TODAY)?.fact.id).not.toBe("responder.organisation");
    expect(nrm(notKnown)?.because[0]?.because).toContain(
      "whether the referring organisation is a first responder is not known",
    );
    // Answered: the route is decided, and nothing waits on the organisation.
    for (const [org, title] of [
      [
        "education",
        "Ask the local authority front door (MASH) to make a National Referral Mechanism (NRM) referral",
      ],
      ["police", "Make a National Referral Mechanism (NRM) referral"],
    ] as const) {
      const known = new Map([...child, ["responder.organisation", org]]);
      expect(nrm(known)?.title, org).toBe(title);
      expect(neededFacts(bundledFlow(), known, TODAY), org).not.toContain("responder.organisation");
    }
  });

  it("a child with no NRM step: the organisation decides nothing and is not asked for it", () => {
    const child = given([
      ["person.dob", "2012-03-10"],
      ["nrm.indicators", false],
      ["screening.outcome", "no-risk"],
    ]);
    expect(nrm(child)).toBeUndefined();
    expect(neededFacts(bundledFlow(), child, TODAY)).not.toContain("responder.organisation");
  });

  it("an adult who has consented: the organisation is asked too", () => {
    const adult = adultGiven([["nrm.adult_consents", "yes"]]);
    expect(nrm(adult)?.title).toBe(
      "Make a National Referral Mechanism (NRM) referral, or ask the local authority or the police to make it",
    );
    expect(neededFacts(bundledFlow(), adult, TODAY)).toContain("responder.organisation");
  });

  it("a step that holds with the fact given too is not waiting on it: where they were met is not asked for the duty to notify", () => {
    // in_england_or_wales holds while person.location is not known and when it is England:
    // the duty to notify does not turn on asking it (Procedures §15.4.a.1).
    const adult = adultGiven([
      ["nrm.adult_consents", "no"],
      ["responder.organisation", "local-authority"],
    ]);
    expect(decide(bundledFlow(), adult, TODAY).actions.map((a) => a.id)).toContain("duty-to-notify");
    expect(neededFacts(bundledFlow(), adult, TODAY)).not.toContain("person.location");
  });
});

describe("needs are typed references in the result object", () => {
  it("a step waiting on another step names it as { action }, and no marker string leaks", () => {
    const p = decideCase({
      case_id: "REF-1",
      concern: { date: "2026-11-23", about: "individual" },
      person: { age: 40 },
      s9: { refused: true },
    });
    const human = p.undecided.find((u) => u.id === "human-rights-assessment");
    expect(human?.needs).toEqual([{ action: "s11-assessment-despite-refusal" }]);
    const json = JSON.stringify(resultObject(p, () => null));
    expect(json).toContain('{"action":"s11-assessment-despite-refusal"}');
    expect(json).not.toContain('"@');
    const notDecided = p.warnings.find((w) => w.kind === "not-decided" && w.text.includes("human-rights"));
    expect(notDecided?.text).toContain("whether s11-assessment-despite-refusal is recommended");
    expect(notDecided?.field).toBeUndefined();
  });
});

describe("the round for the drafts (draftQuestions)", () => {
  const round = (c: Record<string, unknown>) =>
    draftQuestions(bundledFlow(), decideCase(c)).map((q) => q.fact.id);
  const child = (more: Record<string, unknown> = {}) => ({
    case_id: "D1",
    concern: { date: "2026-11-20", about: "individual", imminent_harm: false },
    person: { age: 14 },
    screening: { outcome: "evidence" },
    mash: { referral_made: false },
    ...more,
  });
  /** An adult who lacks capacity to consent to sharing: shared without consent on that ground. */
  const lacking = (more: Record<string, unknown> = {}) => ({
    case_id: "D2",
    concern: { date: "2026-11-20", about: "individual" },
    person: { age: 34 },
    consent: { to_share: "not-asked" },
    capacity: { doubt: true, lacks: "yes" },
    ...more,
  });

  it("a child's referral to Children's Services: where they live, the school, whether the parents know", () => {
    expect(decideCase(child()).documents).toContain("mash-referral");
    expect(round(child())).toEqual([
      "person.lives_in_locality",
      "person.location",
      "person.school",
      "referral.parents_aware",
      "person.gender",
      "person.nationality",
      "person.first_language",
      "person.interpreter_needed",
      "person.communication_needs",
      "person.gp",
      "person.encountered_area",
      "person.parents_carers",
      "services.involved",
      // The words the drafts share (issue 21): the referral's and the NRM referral's.
      "person.strengths",
      "person.views",
      "nrm.recruitment",
      "nrm.movement",
      "nrm.control",
    ]);
  });

  it("an answer given already, or given as not known, is not asked again", () => {
    const given = child({ person: { age: 14, school: "Example Academy", lives_in_locality: null } });
    expect(round(given)).toContain("referral.parents_aware");
    expect(round(given)).not.toContain("person.school");
    expect(round(given)).not.toContain("person.lives_in_locality");
  });

  it("no question that no draft to be written reads: an adult has no school or parents' question", () => {
    const adult = round(lacking());
    expect(adult).not.toContain("person.school");
    expect(adult).not.toContain("referral.parents_aware");
    expect(adult).not.toContain("person.parents_carers");
    // A concern with no draft at all (nothing recommended yet) asks nothing.
    expect(round({ case_id: "D3" })).toEqual([]);
  });

  it("the grounds for sharing without consent, where it is recommended on another ground", () => {
    const p = decideCase(lacking());
    expect(p.actions.map((a) => a.id)).toContain("share-without-consent");
    expect(round(lacking())).toEqual(
      expect.arrayContaining(["sharing.risk_to_person", "sharing.risk_to_others", "sharing.crime"]),
    );
  });

  it("not the grounds where sharing without consent is not recommended, or not decided yet", () => {
    // With consent: shared with it. The Intel Form reads a ground, and shows it only without consent.
    const consents = lacking({
      consent: { to_share: "yes" },
      capacity: { doubt: false },
      concern: { date: "2026-11-20", about: "individual", perpetrator_or_location_information: true },
    });
    expect(decideCase(consents).documents).toContain("fib-intelligence-report");
    const grounds = ["sharing.risk_to_person", "sharing.risk_to_others", "sharing.crime"];
    for (const g of grounds) expect(round(consents)).not.toContain(g);
    // Consent not known: whether to share without it is not decided, and the interview asks.
    const notKnown = lacking({ consent: {}, capacity: { doubt: false } });
    expect(decideCase(notKnown).undecided.map((u) => u.id)).toContain("share-without-consent");
    for (const g of grounds) expect(round(notKnown)).not.toContain(g);
  });

  it("the decision a capacity assessment is for, only where an assessment is recommended", () => {
    expect(round(lacking())).toContain("capacity.decision");
    expect(round(lacking({ capacity: { doubt: false } }))).not.toContain("capacity.decision");
    expect(
      round(lacking({ capacity: { doubt: true, lacks: "yes", decision: "nrm-referral" } })),
    ).not.toContain("capacity.decision");
  });

  it("its answers change no step", () => {
    const flow = bundledFlow();
    const p = decideCase(child());
    const answers = new Map(p.answers);
    for (const q of draftQuestions(flow, p))
      if (q.fact.id !== "person.lives_in_locality")
        answers.set(q.fact.id, q.fact.type === "enum" ? (q.fact.values?.[0] ?? null) : "x");
    const again = decide(flow, answers, "2026-11-23");
    expect(again.actions.map((a) => [a.id, a.due])).toEqual(p.actions.map((a) => [a.id, a.due]));
  });
});

// Issue 22, §20.6(1): a milestone the age alone shows has passed is due now, so it is in the
// calendar with its chained step; one still ahead has no date and no event.
describe("a milestone already passed, from the age alone", () => {
  const ics = (age: number) =>
    deadlinesIcs(
      decideCase({
        case_id: "MS",
        concern: { date: "2026-11-20", about: "individual", types: ["criminal"] },
        person: { age },
        maace: { in_process: true },
        nrm: { decision: "positive-reasonable-grounds", decision_date: "2026-11-01" },
      }),
    ).replace(/\r\n /g, "");
  const event = (text: string, words: string) =>
    text.split("BEGIN:VEVENT").find((e) => e.includes(words)) ?? "";

  it("aged 17: the One Front Door referral is an event on the concern date, the co-allocation a working day after", () => {
    const text = ics(17);
    expect(event(text, "refers to Adult One Front Door")).toContain("DTSTART;VALUE=DATE:20261120");
    expect(event(text, "co-allocated")).toContain("DTSTART;VALUE=DATE:20261123");
  });

  it("aged 16: the 17th birthday is still ahead, so neither is in the calendar", () => {
    const text = ics(16);
    expect(event(text, "refers to Adult One Front Door")).toBe("");
    expect(event(text, "co-allocated")).toBe("");
  });
});

describe("steps the strategy discussion has yet to agree (issue 22)", () => {
  const child = (extra: Record<string, unknown> = {}) =>
    decideCase({
      case_id: "EXP",
      concern: { date: "2026-10-05", about: "individual", types: ["criminal"] },
      referral: { date: "2026-10-05" },
      person: { dob: "2012-03-14" },
      screening: { outcome: "evidence", significant_harm: "likely" },
      ...extra,
    });

  it("a rule marked expected needs a note saying who has yet to agree, checked at load", () => {
    const bad = compileWith("parts/under-18.yaml", (t) =>
      t.replace(
        "        note: expected if the strategy discussion agrees\n        expected: true\n",
        "        expected: true\n",
      ),
    ).problems.map(formatProblem);
    expect(bad.join("\n")).toMatch(/under-18\.yaml:\d+:\d+ .*a rule marked expected needs a note/);
    const wrongType = compileWith("parts/under-18.yaml", (t) =>
      t.replace("        expected: true\n", '        expected: "yes"\n'),
    ).problems.map(formatProblem);
    expect(wrongType.join("\n")).toMatch(/under-18\.yaml:\d+:\d+ .*expected/);
  });

  it("an outcome not known leaves them expected and never overdue; a known outcome makes them firm", () => {
    const before = child();
    const after = child({ strategy_discussion: { date: "2026-10-08", outcome: "significant-harm" } });
    for (const id of [
      "section-47-enquiry",
      "maace-meeting",
      "vulnerability-tracker",
      "support-disruption-plan",
    ]) {
      const a = before.actions.find((x) => x.id === id);
      expect(a?.expected, id).toBe("expected if the strategy discussion agrees");
      expect([a?.daysOverdue, a?.workingDaysOverdue], id).toEqual([0, 0]);
      expect(after.actions.find((x) => x.id === id)?.expected, id).toBeUndefined();
    }
    const json = resultObject(before, () => null).actions;
    const maace = json.find((a) => a.id === "maace-meeting");
    expect([maace?.expected, maace?.overdue, maace?.days_overdue]).toEqual([true, false, 0]);
    // A firm step carries no `expected` key at all (additive).
    expect(Object.keys(json.find((a) => a.id === "mash-referral") ?? {})).not.toContain("expected");
    expect(resultObject(after, () => null).actions.some((a) => "expected" in a)).toBe(false);
  });

  it("one firm route makes the step firm: a child already in MAACE has a firm Vulnerability Tracker", () => {
    const inMaace = child({ maace: { in_process: true } });
    expect(inMaace.actions.find((a) => a.id === "vulnerability-tracker")?.expected).toBeUndefined();
    expect(deadlinesIcs(inMaace)).not.toContain("TENTATIVE");
  });
});
