import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileFlow } from "../src/flow/compile.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { loadLexicon } from "../src/io/lexicon.js";
import { bundledFlowsDir, packageRoot } from "../src/io/paths.js";
import { checkText } from "../src/language/check.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";

// Golden files: every draft the pathway produces, byte for byte, for the worked examples and
// the cases below. UPDATE_GOLDEN=1 rewrites them; read the diff before you commit it.
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const GOLDEN = join(packageRoot, "test", "golden");

function workedExamples(): Record<string, Record<string, unknown>> {
  const dir = join(packageRoot, "scenarios");
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of readdirSync(dir)
    .filter((f) => /^ex-.*\.yaml$/.test(f))
    .sort()) {
    out[f.replace(/\.yaml$/, "")] = (
      parse(readFileSync(join(dir, f), "utf8")) as { case: Record<string, unknown> }
    ).case;
  }
  return out;
}

// Every personal field holds a value that is easy to find in the output.
const LEAK_CHECK = {
  case_id: "ZQ-LEAK-CHECK",
  concern: {
    date: "2026-10-05",
    about: "individual",
    types: ["labour"],
    description: "Zebedee was seen at the car wash",
  },
  person: {
    name: "Zebedee Quartermaine",
    dob: "1990-07-13",
    address: "42 Lantern Row, Solihull B91 9ZZ",
    phone: "07700 900123",
  },
  screening: { outcome: "evidence" },
  consent: { to_share: "no" },
  sharing: { crime: true },
  nrm: { indicators: true, adult_consents: "no" },
  responder: { organisation: "local-authority" },
};

// Cases written so that every document is produced at least once, each branch of the
// templates that matters (child and adult, first responder or not, age not known) too.
const CASES: Record<string, Record<string, unknown>> = {
  // A 13-year-old at risk, separated from her family: Early Help, NYAS and Barnardo's.
  "child-early-help-advocacy": {
    case_id: "GH-CHILD-EH",
    concern: {
      date: "2026-10-07",
      about: "individual",
      types: ["sexual", "online"],
      imminent_harm: false,
      description:
        "Seen twice at the bus station after school with two adult men.\n" +
        'She said: "they buy me food and top up my phone".',
    },
    person: {
      name: "Amira Test",
      dob: "2013-03-02",
      separated_from_family_or_country: true,
      has_siblings: true,
    },
    screening: { outcome: "at-risk", threshold_level: "3" },
    advocacy: { substantial_difficulty: true, suitable_person: false },
    responder: { organisation: "health" },
  },
  // An adult who consents to an NRM referral made by the police; capacity in doubt; SAAtA.
  "adult-nrm-consent-capacity": {
    case_id: "GH-ADULT-NRM",
    concern: {
      date: "2026-10-14",
      about: "individual",
      types: ["labour", "modern-slavery"],
      imminent_harm: false,
      description:
        "Found sleeping in a storeroom at a hand car wash. His passport is held by the site manager.",
    },
    person: {
      name: "Tomasz Example",
      dob: "1994-06-01",
      appearance_of_care_and_support_needs: "yes",
      location: "england",
    },
    screening: { outcome: "evidence", significant_harm: "likely" },
    consent: { to_share: "yes" },
    capacity: { doubt: true, lacks: "not-assessed" },
    advocacy: { substantial_difficulty: true, suitable_person: false },
    nrm: { indicators: true, adult_consents: "yes" },
    responder: { organisation: "police" },
  },
  // An adult does not consent to sharing and none of the grounds applies.
  "adult-decision-not-to-share": {
    case_id: "GH-NOT-SHARED",
    concern: { date: "2026-10-21", about: "individual", types: ["financial"], imminent_harm: false },
    person: { name: "Pat Placeholder", dob: "1970-02-11" },
    screening: { outcome: "at-risk", significant_harm: "no" },
    consent: { to_share: "no", refusal_may_be_coerced: false, asking_increases_risk: false },
    sharing: { risk_to_person: false, risk_to_others: false, crime: false },
    capacity: { lacks: "no" },
    responder: { organisation: "housing" },
  },
  // Age not known and disputed (a child for NRM purposes), a council first responder, a child protection
  // plan and siblings: MASH, NRM and the support and disruption plan.
  "age-not-known-child-protection": {
    case_id: "GH-AGE-UNKNOWN",
    concern: {
      date: "2026-10-28",
      about: "individual",
      types: ["criminal", "county-lines", "trafficking"],
      imminent_harm: true,
      missing_episodes: 3,
      linked_victims_or_perpetrators: true,
      perpetrator_or_location_information: true,
    },
    missing: { return_date: "2026-10-26" },
    // Issue 22: disputed, so a child for NRM purposes (s51); an age simply not given is not.
    person: { child_protection_plan: true, has_siblings: true, age_disputed: true },
    screening: { outcome: "evidence", significant_harm: "yes" },
    nrm: { indicators: true, criminal_proceedings: true },
    responder: { organisation: "local-authority" },
  },
  // An adult in MAACE for months without improvement, outside the s42 duty: ShEP.
  "adult-shep-referral": {
    case_id: "GH-SHEP",
    concern: {
      date: "2026-11-04",
      about: "individual",
      types: ["criminal", "home-invasion"],
      missing_episodes: 5,
    },
    person: { name: "Jordan Sample", dob: "2004-04-20" },
    maace: {
      in_process: true,
      last_meeting_date: "2026-10-20",
      meetings_without_improvement: 4,
      months_without_improvement: 7,
      high_risk_on_tracker: true,
      sustained_progress_weeks: 0,
    },
    s42: { duty_met: "no" },
    nrm: { decision: "none" },
    responder: { organisation: "probation" },
  },
  // A place and a peer group, no one identified: the Intel Form only.
  "context-concern": {
    case_id: "GH-CONTEXT",
    concern: {
      date: "2026-11-11",
      about: "context",
      types: ["sexual", "online"],
      perpetrator_or_location_information: true,
      description: "Older men in a grey van wait outside the skate park most Friday evenings.",
    },
    responder: { organisation: "education" },
  },
  // An adult who lacks capacity to decide about an NRM referral: a referral decided in their
  // best interests, made by the council; no consent asked, no separate notification.
  "adult-nrm-best-interests": {
    case_id: "GH-NRM-BI",
    concern: {
      date: "2026-11-18",
      about: "individual",
      types: ["domestic-servitude", "trafficking"],
      imminent_harm: false,
    },
    person: { name: "Mo Example", dob: "1972-08-30", appearance_of_care_and_support_needs: "yes" },
    screening: { outcome: "evidence", significant_harm: "yes" },
    consent: { to_share: "not-asked" },
    capacity: { doubt: true, lacks: "yes" },
    nrm: { indicators: true, best_interests_decision: "refer" },
    responder: { organisation: "local-authority" },
  },
  // The same, but the decision in their best interests is not to refer: the police notify.
  "adult-nrm-best-interests-not-refer": {
    case_id: "GH-NRM-BI-DTN",
    concern: { date: "2026-11-18", about: "individual", types: ["labour"] },
    person: { dob: "1972-08-30", location: "england" },
    capacity: { lacks: "yes" },
    nrm: { indicators: true, adult_consents: "no", best_interests_decision: "do-not-refer" },
    responder: { organisation: "police" },
  },
  // The date of birth gives 19, they say 17: a child for NRM purposes, never a duty to notify.
  "age-in-doubt-nrm": {
    case_id: "GH-AGE-DOUBT",
    concern: { date: "2026-11-18", about: "individual", types: ["labour", "trafficking"] },
    person: { dob: "2007-06-01", age: 17 },
    screening: { outcome: "evidence", significant_harm: "yes" },
    nrm: { indicators: true, adult_consents: "no" },
    responder: { organisation: "police" },
  },
  "zq-leak-check": LEAK_CHECK,
};

function allCases(): Record<string, Record<string, unknown>> {
  return { ...workedExamples(), ...CASES };
}

/**
 * The drafts for one case, by file name. The case summary is left out: it carries the flows'
 * sha256, which changes with any edit to flows/.
 */
function drafts(caseObject: Record<string, unknown>): Map<string, string> {
  const flow = bundledFlow();
  // Drafted on the day of the concern, as a lead would: no date in the future, none overdue.
  const concern = (caseObject.concern as { date?: string } | undefined)?.date;
  const pathway = decideCase(caseObject, concern);
  const { files } = renderOutputs(
    templateEngine(flow.templates),
    flow,
    pathway,
    `out/${String(caseObject.case_id)}`,
  );
  const out = new Map<string, string>();
  for (const [name, text] of files)
    if (name.endsWith(".md") && name !== "case-summary.md") out.set(name, text);
  return out;
}

describe("document drafts (golden files)", () => {
  for (const [name, caseObject] of Object.entries(allCases())) {
    it(`${name}: every draft matches test/golden/${name}/`, () => {
      const dir = join(GOLDEN, name);
      const got = drafts(caseObject);
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const [file, text] of got) writeFileSync(join(dir, file), text);
      }
      expect(
        existsSync(dir),
        "no golden files: run UPDATE_GOLDEN=1 npx vitest run test/documents.test.ts",
      ).toBe(true);
      expect([...got.keys()].sort(), "the drafts produced").toEqual(readdirSync(dir).sort());
      for (const [file, text] of got) {
        expect(text, `${name}/${file}`).toBe(readFileSync(join(dir, file), "utf8"));
      }
    });
  }

  it("every document in the flow is produced by at least one golden case", () => {
    const produced = new Set<string>();
    for (const c of Object.values(allCases())) for (const d of decideCase(c).documents) produced.add(d);
    const missing = [...bundledFlow().documents.keys()].filter(
      (d) => d !== "case-summary" && !produced.has(d),
    );
    expect(missing).toEqual([]);
  });

  it("no draft leaves a Liquid tag or an empty value behind", () => {
    for (const c of Object.values(allCases())) {
      for (const [file, text] of drafts(c)) {
        expect(text, file).not.toMatch(/\{\{|\{%|undefined|\[object Object\]|\[to complete: \]/);
      }
    }
  });

  it("the drafts use no victim-blaming language (Procedures §7)", () => {
    const lexicon = loadLexicon(bundledFlowsDir);
    for (const [name, c] of Object.entries(allCases())) {
      for (const [file, text] of drafts(c)) {
        expect(
          checkText(text, lexicon).map((f) => `${f.line}:${f.column} "${f.phrase}"`),
          `${name}/${file}`,
        ).toEqual([]);
      }
    }
  });
});

describe("what the drafts say", () => {
  const cases = allCases();
  const draft = (name: string, file: string) => drafts(cases[name] ?? {}).get(file) ?? "";

  it("a child's NRM referral needs no consent, and a school sends it through the front door", () => {
    const nrm = draft("ex-1-county-lines-15", "nrm-referral.md");
    expect(nrm).toContain("children do not need to consent to an NRM referral (Procedures §15.4.a.1)");
    expect(nrm).toContain("(education) is not a first responder");
    expect(nrm).toContain("Sent through the local authority front door");
    expect(nrm).toContain("Solihull Children's Services front door (MASH)");
  });

  it("an adult's NRM referral states informed consent; the police are a first responder", () => {
    const nrm = draft("adult-nrm-consent-capacity", "nrm-referral.md");
    expect(nrm).toContain("**Informed consent given**");
    expect(nrm).toContain("**Made by a first responder:** the police.");
    expect(nrm).not.toContain("Sent through the local authority front door");
  });

  it("a person whose age is not known and disputed is treated as a child for NRM purposes", () => {
    const nrm = draft("age-not-known-child-protection", "nrm-referral.md");
    expect(nrm).toContain(
      "- **Age not known and disputed:** they may be under 18, so they are treated as a child for NRM purposes",
    );
    expect(nrm).toContain("**Not required:**");
  });

  it("the advocacy referral names the service for the person: NYAS and Barnardo's, or SAAtA", () => {
    const child = draft("child-early-help-advocacy", "advocacy-referral.md");
    expect(child).toContain("NYAS advocacy");
    expect(child).toContain("Barnardo's Child Trafficking Advocacy Service");
    expect(child).not.toContain("SAAtA");
    const adult = draft("adult-nrm-consent-capacity", "advocacy-referral.md");
    expect(adult).toContain("Solihull Action through Advocacy (SAAtA)");
    expect(adult).not.toContain("NYAS");
  });

  it("the information sharing record states the decision: share, or not", () => {
    const share = draft("ex-2-adult-refuses-nrm", "information-sharing-decision.md");
    expect(share).toContain("**To share information without the person's consent.**");
    const notShared = draft("adult-decision-not-to-share", "information-sharing-decision.md");
    expect(notShared).toContain("**Not to share information without the person's consent**");
    expect(notShared).not.toContain("## What is shared, and with whom");
  });

  it("free text is quoted as written, line by line", () => {
    const fib = draft("child-early-help-advocacy", "fib-intelligence-report.md");
    expect(fib).toContain(
      '> Seen twice at the bus station after school with two adult men.\n> She said: "they buy me food and top up my phone".',
    );
  });
});

describe("duty to notify: anonymous", () => {
  const got = drafts(LEAK_CHECK);
  const dtn = got.get("duty-to-notify.md") ?? "";

  it("is produced, and says it is anonymous", () => {
    expect(got.has("duty-to-notify.md")).toBe(true);
    expect(dtn).toContain("**This notification is anonymous.**");
    expect(dtn).toContain("Modern Slavery Act 2015 s52");
    expect(dtn).toContain("labour");
    expect(dtn).toContain("a local authority");
    expect(dtn).toContain("Safeguarding continues in tandem");
  });

  it("contains no name, date of birth, address, phone, free text or case reference", () => {
    const person = LEAK_CHECK.person;
    const values = [
      person.name,
      person.dob,
      person.address,
      person.phone,
      LEAK_CHECK.concern.description,
      LEAK_CHECK.case_id,
      "Zebedee",
      "Quartermaine",
      "1990-07-13",
      "13/07/1990",
      "Lantern",
      "07700",
      "ZQ-LEAK",
      "car wash",
    ];
    for (const v of values) expect(dtn, `duty-to-notify.md contains "${v}"`).not.toContain(v);
  });

  it("worked example 2: no trace of Dana Sample (examples.md)", () => {
    const ex2 = drafts(workedExamples()["ex-2-adult-refuses-nrm"] ?? {});
    const text = ex2.get("duty-to-notify.md") ?? "";
    expect(text).toContain("**This notification is anonymous.**");
    for (const v of ["Dana", "Sample", "2002-01-30", "30/01/2002", "EX-2"]) expect(text).not.toContain(v);
    // Issue 22: her s42 decision is recorded, so there is no new concern to One Front Door;
    // the information-sharing record names her (so the test can fail).
    expect(ex2.get("information-sharing-decision.md")).toContain("Dana Sample");
  });

  it("while the other drafts of the same case do name the person (so the test can fail)", () => {
    // The lead's checklist names no one: it is about the drafts, not the person.
    const others = [...got].filter(([file]) => file !== "duty-to-notify.md" && file !== "before-you-send.md");
    expect(others.length).toBeGreaterThan(0);
    for (const [file, text] of others) expect(text, file).toContain("Zebedee Quartermaine");
  });
});

describe("templates (checked when the flow loads)", () => {
  const loc = locateFlow(undefined, packageRoot);

  it("every template parses and reads only names that exist", () => {
    const sources = readFlowSources(loc, packageRoot);
    const { cache: _cache, ...uncached } = sources;
    for (const s of [sources, uncached]) {
      const { flow, problems } = compileFlow(s);
      expect(problems).toEqual([]);
      expect(flow).toBeDefined();
    }
  });

  it("reading a personal fact in the duty to notify template is a problem", () => {
    const sources = readFlowSources(loc, packageRoot);
    const raw = sources.templates.get("duty-to-notify.md");
    expect(raw).toBeDefined();
    if (!raw) return;
    const templates = new Map(sources.templates);
    templates.set("duty-to-notify.md", { ...raw, text: `${raw.text}\n{{ facts.person.name }}\n` });
    const patched = { ...sources, templates };
    const { flow, problems } = compileFlow(patched);
    expect(flow).toBeUndefined();
    const messages = problems.map((p) => p.message);
    expect(messages).toEqual(["person.name: duty-to-notify must carry no identifying detail of the person"]);
  });
});
