import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ageBand, initials, redactPathway } from "../src/render/redact.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";
import { unzip } from "./helpers/zip.js";

// --redact: every personal field of two cases filled with values nobody could mistake,
// then every output of run, batch and demo searched for them.
const child = {
  case_id: "RED-1",
  concern: {
    date: "2026-11-23",
    about: "individual",
    types: ["criminal", "county-lines", "trafficking"],
    description: "Seen with Marmaduke near Elmdon Park; he keeps putting himself at risk",
    perpetrator_or_location_information: true,
  },
  person: {
    name: "Zebedee Quartermaine-Fothergill",
    dob: "2009-03-17", // 17: 17 years 6 months in Sep 2026, 18 in Mar 2027
    address: "42 Wisteria Lane, Kingshurst B37 6XY",
    phone: "07700 900982",
    school: "Nettlecombe Grammar",
    gender: "Genderfluid",
    nationality: "Zanzibari",
    first_language: "Kernewek",
    communication_needs: "Uses Xylotalk signs",
    gp: "Tamworth Oak Surgery",
    encountered_area: "Marston Quenby",
    parents_carers: "Mother, Drusilla Pettigrew",
    lead_professional: "Ottavia Brackenridge, social worker",
    social_worker: "Leopold Quixley, Children in Care",
    strengths: "Plays the Quillophone at Haverbrook youth club",
    views: "Wants to stay at Thistlewick",
    open_to_childrens_services: "exploitation",
    care_leaver: true,
  },
  capacity: { doubt: true, doubt_reason: "Struggles since the Wendlebury accident" },
  advocacy: { substantial_difficulty: true, suitable_person: false },
  maace: { in_process: true, last_meeting_date: "2026-11-16" },
  nrm: {
    indicators: true,
    decision: "positive-reasonable-grounds",
    decision_date: "2026-11-20",
    recruitment: "Approached outside Grimsditch Arcade",
    movement: "Driven to Ockendon Vale",
    control: "Owes Fitzwarren for a phone",
  },
  referral: { asking_for: "A response to the Yarborough Street flat" },
  screening: { outcome: "evidence", significant_harm: "yes" },
  responder: { organisation: "local-authority" },
  // The referrer's own name, phone and email are personal data too (theirs).
  referrer: {
    name: "Hyacinth Bucketworth",
    role: "Social worker",
    organisation: "Solihull Council",
    phone: "07700 900555",
    email: "h.bucketworth@example.gov.uk",
  },
};
const adult = {
  case_id: "RED-2",
  concern: {
    date: "2026-12-16",
    about: "individual",
    types: ["labour", "modern-slavery"],
    description: "Works at the Ravenscroft car wash; Marmaduke holds her passport",
    perpetrator_or_location_information: true,
    missing_episodes: 2,
  },
  person: {
    name: "Philippa Ottoline Wrexham",
    dob: "1996-05-21", // 30
    address: "Flat 9, 113 Larkspur Road, Chelmsley Wood B37 7QQ",
    phone: "+44 7700 900417",
    appearance_of_care_and_support_needs: "yes",
    unable_to_protect_self: "yes",
    carer: "Brother, Eustace Pengelly",
    gp: "Tamworth Oak Surgery",
  },
  services: { involved: "CAMHS, Peregrine Stonebridge" },
  screening: { outcome: "evidence", significant_harm: "yes" },
  consent: {
    to_share: "no",
    refusal_may_be_coerced: true,
    their_words: "Asked at Ravelstoke clinic; said no",
  },
  capacity: { doubt: true, lacks: "no" },
  advocacy: { substantial_difficulty: true, suitable_person: false },
  nrm: { indicators: true, adult_consents: "no" },
  s42: { duty_met: "yes", decision_date: "2026-12-17" },
  // The organisation's safeguarding lead's name is theirs: withheld like the referrer's.
  responder: { organisation: "local-authority", lead_name: "Tabitha Nightingale-Rook" },
  referrer: { name: "Hyacinth Bucketworth", phone: "07700 900555", email: "h.bucketworth@example.gov.uk" },
};

const identifying = [
  "Nettlecombe",
  "Zebedee",
  "Quartermaine",
  "Fothergill",
  "Philippa",
  "Ottoline",
  "Wrexham",
  "Marmaduke",
  "Elmdon",
  "Ravenscroft",
  "Wisteria",
  "Kingshurst",
  "Larkspur",
  "Chelmsley",
  "B37",
  "900982",
  "900417",
  "1996-05-21",
  "21/05/1996",
  "2009-03-17",
  "17/03/2009",
  "Hyacinth",
  "Bucketworth",
  "900555",
  "h.bucketworth",
  "Genderfluid",
  "Zanzibari",
  "Kernewek",
  "Xylotalk",
  "Tamworth Oak",
  "Quenby",
  "Pettigrew",
  "Brackenridge",
  "Pengelly",
  "Stonebridge",
  "Nightingale-Rook",
  "Quixley",
  "Quillophone",
  "Haverbrook",
  "Thistlewick",
  "Wendlebury",
  "Grimsditch",
  "Ockendon",
  "Fitzwarren",
  "Yarborough",
  "Ravelstoke",
];
/** A birthday or half-birthday, ISO or long: each gives the date of birth away. */
const birthday = [
  /\b\d{4}-(03|09)-17\b/,
  /\b17 (Mar|Sep) \d{4}\b/,
  /\b\d{4}-(05|11)-21\b/,
  /\b21 (May|Nov) \d{4}\b/,
  /\b[Aa]ged? (17|30)\b(?! years)/,
  /"age": (17|30)/,
  /(?<![-\d])(17|30), (child|adult) pathway/,
];

function leaks(where: string, text: string): string[] {
  const found = identifying.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);
  for (const re of birthday) if (re.test(text)) found.push(`${where}: ${re} (${re.exec(text)?.[0]})`);
  return found;
}

/** Every file under a folder, .docx opened (their XML searched), hidden files included. */
function folderLeaks(dir: string): { files: number; found: string[] } {
  let files = 0;
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = readFileSync(path);
    files++;
    if (entry.name.endsWith(".docx"))
      for (const [name, part] of unzip(bytes)) found.push(...leaks(`${path}#${name}`, part.toString("utf8")));
    else found.push(...leaks(path, bytes.toString("utf8")));
  }
  return { files, found };
}

const scratch = mkdtempSync(join(tmpdir(), "safeguard-redact-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const childFile = join(scratch, "child.yaml");
const adultFile = join(scratch, "adult.yaml");
writeFileSync(childFile, stringify(child));
writeFileSync(adultFile, stringify(adult));

// Each test runs the CLI several times: slow on a loaded machine, never a timing assertion.
describe("--redact", { timeout: 120_000 }, () => {
  it("the cases hold every personal fact, and without --redact they show", () => {
    const personal = [...bundledFlow().facts.values()].filter((f) => f.personal || f.type === "text");
    expect(personal.map((f) => f.id).sort()).toEqual(
      [
        "concern.description",
        "person.address",
        "capacity.doubt_reason",
        "consent.their_words",
        "nrm.control",
        "nrm.movement",
        "nrm.recruitment",
        "person.carer",
        "person.communication_needs",
        "person.dob",
        "person.encountered_area",
        "person.first_language",
        "person.gender",
        "person.gp",
        "person.lead_professional",
        "person.name",
        "person.nationality",
        "person.parents_carers",
        "person.phone",
        "person.school",
        "person.social_worker",
        "person.strengths",
        "person.views",
        "referral.asking_for",
        "services.involved",
      ].sort(),
    );
    const referrers = [...bundledFlow().facts.values()].filter((f) => f.redact);
    expect(referrers.map((f) => f.id).sort()).toEqual([
      "referrer.email",
      "referrer.name",
      "referrer.phone",
      "responder.lead_name",
    ]);
    const plain = cli([
      "run",
      "--answers",
      childFile,
      "--out",
      join(scratch, "plain"),
      "--date",
      "2026-11-23",
    ]);
    expect(plain.code).toBe(0);
    // The search can fail: the same case unredacted leaks the name, dob, address, phone and text.
    const { found } = folderLeaks(join(scratch, "plain"));
    for (const s of [
      "Zebedee",
      "2009-03-17",
      "Wisteria",
      "900982",
      "Marmaduke",
      "Bucketworth",
      "900555",
      "Nettlecombe",
      "Quillophone",
      "Thistlewick",
      "Grimsditch",
      "Quixley",
    ])
      expect(
        found.some((f) => f.endsWith(`: ${s}`)),
        s,
      ).toBe(true);
    expect(found.some((f) => /\(17 (Mar|Sep) 20\d\d\)$/.test(f))).toBe(true);
  });

  it("run: no identifying value in any file (Word drafts too), in --json, or on the terminal", () => {
    for (const file of [childFile, adultFile]) {
      const out = join(scratch, "run", file.endsWith("child.yaml") ? "c" : "a");
      const r = cli([
        "run",
        "--answers",
        file,
        "--out",
        out,
        "--redact",
        "--format",
        "md,docx",
        "--date",
        "2026-12-16",
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(leaks("terminal", r.stdout + r.stderr)).toEqual([]);
      expect(r.stdout).toContain("Redacted copy:");
      const { files, found } = folderLeaks(out);
      expect(files).toBeGreaterThan(10);
      expect(found).toEqual([]);
      const json = cli(["run", "--answers", file, "--json", "--redact", "--date", "2026-12-16"]);
      expect(json.code).toBe(0);
      expect(leaks("--json", json.stdout)).toEqual([]);
      const result = JSON.parse(json.stdout);
      expect(result.redacted).toBe(true);
      expect(result.person.age).toBeNull();
      expect(result.person.age_band).toBe(file.endsWith("child.yaml") ? "16-17" : "25 and over");
    }
    const summary = readFileSync(join(scratch, "run", "c", "RED-1", "case-summary.md"), "utf8");
    expect(summary).toMatch(/^> Redacted copy: initials in place of the name/);
    expect(summary).toContain("| `person.name` | Name | Z. Q. F. |");
    expect(summary).toContain("aged 16-17, child pathway");
    // A birthday step keeps its month, never its day.
    expect(summary).toMatch(/Due: \*\*in Mar 2027\*\* \(18th birthday \(Mar 2027\); the day is left out/);
  });

  it("batch: no identifying value in any case folder, nor in the summary (plain and --json)", () => {
    const out = join(scratch, "batch");
    const r = cli(["batch", childFile, adultFile, "--out", out, "--redact", "--date", "2026-12-16"]);
    expect(r.code, r.stderr).toBe(0);
    expect(leaks("terminal", r.stdout + r.stderr)).toEqual([]);
    const { files, found } = folderLeaks(out);
    expect(files).toBeGreaterThan(15);
    expect(found).toEqual([]);
    const json = cli(["batch", childFile, adultFile, "--out", join(scratch, "batch2"), "--redact", "--json"]);
    expect(json.code).toBe(0);
    expect(leaks("--json", json.stdout)).toEqual([]);
  });

  it("batch: a case with no case_id is named by its place in the batch, never after its file", () => {
    const named = join(scratch, "zebedee-fothergill.yaml");
    const { case_id: _, ...noId } = child;
    writeFileSync(named, stringify(noId));
    const plain = cli(["batch", named, "--out", join(scratch, "noid-plain"), "--date", "2026-12-16"]);
    expect(plain.code, plain.stderr).toBe(0);
    // Without --redact the file's name is the folder (the search can fail).
    expect(readdirSync(join(scratch, "noid-plain"))).toContain("zebedee-fothergill");
    const out = join(scratch, "noid");
    const r = cli(["batch", childFile, named, "--out", out, "--redact", "--date", "2026-12-16"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((f) => !f.startsWith("."))).toEqual(
      expect.arrayContaining(["RED-1", "case-2"]),
    );
    expect(readdirSync(out).join(" ")).not.toMatch(/zebedee/i);
    expect(readFileSync(join(out, "case-2", "case-summary.md"), "utf8")).not.toMatch(/zebedee/i);
    // Nor is the file named in what batch prints: each file by its place, plain and --json.
    expect(r.stdout).toMatch(/^ok +case-2 -> .*case-2\/ /m);
    expect(r.stdout + r.stderr).not.toMatch(/zebedee/i);
    const json = cli(["batch", childFile, named, "--out", join(scratch, "noid-json"), "--redact", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).cases.map((c: { file: string }) => c.file)).toEqual(["case-1", "case-2"]);
    expect(json.stdout + json.stderr).not.toMatch(/zebedee/i);
  });

  it("batch: a key the flow does not know is said at its line, never quoted (it may be a name)", () => {
    const named = join(scratch, "zebedee-fothergill-2.yaml");
    writeFileSync(named, "case_id: KEY-1\nZebedee Fothergill: 1\nperson:\n  Fothergill: 2\n");
    const plain = cli(["batch", named, "--out", join(scratch, "key-plain")]);
    expect(plain.stdout).toContain("2:1  Zebedee Fothergill: unknown field");
    for (const extra of [[], ["--json"]]) {
      const r = cli(["batch", named, "--out", join(scratch, "key-out"), "--redact", ...extra]);
      expect(r.code).toBe(1);
      const text = r.stdout + r.stderr;
      expect(text).toContain("case-1:2:1  unknown field (its name withheld)");
      expect(text).toContain("case-1:4:3  unknown field (its name withheld)");
      expect(text).not.toMatch(/zebedee|fothergill/i);
    }
  });

  it("demo FILE: the file's name and the title it gives itself are not shown", () => {
    const named = join(scratch, "zebedee-fothergill-3.yaml");
    writeFileSync(named, `# Zebedee Fothergill, seen at school (Z-1)\n${stringify(child)}`);
    const plain = cli(["demo", named, "--date", "2026-12-16"]);
    expect(plain.stdout).toMatch(/Zebedee Fothergill, seen at school/);
    const r = cli(["demo", named, "--redact", "--date", "2026-12-16"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Demo: a case file");
    expect(r.stdout + r.stderr).not.toMatch(/zebedee|fothergill/i);
    writeFileSync(named, "case_id: Z-2\nZebedee: 1\n");
    const bad = cli(["demo", named, "--redact"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("the case file:2:1  unknown field (its name withheld)");
    expect(bad.stdout + bad.stderr).not.toMatch(/zebedee|fothergill/i);
  });

  it("demo: no identifying value, in plain words or with --rules", () => {
    const runs: [string, string[]][] = [
      [childFile, []],
      [childFile, ["--rules"]],
      [adultFile, ["--rules", "--quiz"]],
    ];
    for (const [file, extra] of runs) {
      const r = cli(["demo", file, "--redact", "--date", "2026-12-16", ...extra]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Redacted copy:");
      expect(leaks(`demo ${extra.join(" ")}`, r.stdout + r.stderr)).toEqual([]);
    }
  });

  it("a bad personal value is reported at its line and field, without quoting it", () => {
    const bad = join(scratch, "bad.yaml");
    writeFileSync(bad, 'case_id: BAD\nperson:\n  dob: "17/03/2009"\n');
    const plain = cli(["run", "--answers", bad]);
    expect(plain.stderr).toContain('person.dob: "17/03/2009" is not a date');
    for (const args of [
      ["run", "--answers", bad, "--redact"],
      ["batch", bad, "--out", join(scratch, "bad-out"), "--redact"],
    ]) {
      const r = cli(args);
      expect(r.code).not.toBe(0);
      const text = r.stdout + r.stderr;
      // batch names each file by its place under --redact.
      const file = args[0] === "batch" ? "case-1" : "bad\\.yaml";
      expect(text).toMatch(new RegExp(`${file}:3:8 {2}person\\.dob: \\[redacted\\] is not a date`));
      expect(text).not.toContain("17/03/2009");
    }
  });

  it("decides the pathway from the real facts: the same steps, in the same order", () => {
    const flow = bundledFlow();
    for (const c of [child, adult]) {
      const p = decideCase(c, "2026-12-16");
      const r = redactPathway(flow, p);
      expect(r.actions.map((a) => a.id)).toEqual(p.actions.map((a) => a.id));
      expect(r.documents).toEqual(p.documents);
      // Dates not worked out from the date of birth are kept to the day.
      for (const [i, a] of r.actions.entries()) if (!a.dueFromDob) expect(a.due).toBe(p.actions[i]?.due);
    }
  });

  it("initials for a name; bands for an age that keep child, adult and the transitions apart", () => {
    expect(initials("Zebedee Quartermaine-Fothergill")).toBe("Z. Q. F.");
    expect(initials("  zoë  o'neill ")).toBe("Z. O. N.");
    expect(initials("山田 太郎")).toBe("[redacted]");
    expect([9, 13, 14, 15, 16, 17, 18, 24, 25, 80].map(ageBand)).toEqual([
      "under 14",
      "under 14",
      "14-15",
      "14-15",
      "16-17",
      "16-17",
      "18-24",
      "18-24",
      "25 and over",
      "25 and over",
    ]);
  });
});
