import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { cli, example } from "./helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-cli-"));
const EX1 = example("ex-1-county-lines-15.yaml");
const EX2 = example("ex-2-adult-refuses-nrm.yaml");

describe("safeguard (built CLI, end to end)", () => {
  it("--version prints the version and the procedure version of the bundled flow", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^safeguard \d+\.\d+\.\d+/);
    expect(r.stdout).toContain("all-age: Solihull All Age Exploitation Reduction");
  });

  it("--help lists the commands", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["run", "check-language", "flows"]) expect(r.stdout).toContain(c);
  });

  it("an unknown command or option is a usage error: exit 2", () => {
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(cli(["run", "--answers", EX1, "--colour-me-pink"]).code).toBe(2);
  });

  it("run --answers --json prints the result object", () => {
    const r = cli(["run", "--answers", EX1, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.case_id).toBe("EX-1");
    expect(result.person).toEqual({ age: 15, group: "child", age_source: "dob" });
    expect(result.procedure.flows_sha256).toMatch(/^[0-9a-f]{64}$/);
    const strategy = result.actions.find((a: { id: string }) => a.id === "strategy-discussion");
    expect(strategy.due).toBe("2026-09-02");
    expect(strategy.due_rule).toContain("Summer bank holiday");
    expect(strategy.citation).toContain("Procedures §12.4");
    expect(strategy.because.length).toBeGreaterThan(0);
    expect(result.documents.every((d: { path: unknown }) => d.path === null)).toBe(true);
  });

  it("run --out writes owner-only files, with document paths relative to the caller", () => {
    const dir = tmp();
    const r = cli(["run", "--answers", EX1, "--out", "out", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const folder = join(dir, "out", "EX-1");
    const files = readdirSync(folder).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        "case-summary.md",
        "deadlines.ics",
        "pathway.json",
        "mash-referral.md",
        "nrm-referral.md",
      ]),
    );
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of files) expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
    const result = JSON.parse(r.stdout);
    expect(result.documents).toContainEqual({ id: "mash-referral", path: "out/EX-1/mash-referral.md" });
    const { update, ...pathway } = result;
    expect(JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8"))).toEqual(pathway);
    expect(update.kind).toBe("run");
  });

  it("the same case file gives byte-identical output", () => {
    const [a, b] = [tmp(), tmp()];
    expect(cli(["run", "--answers", EX2, "--out", a]).code).toBe(0);
    expect(cli(["run", "--answers", EX2, "--out", b]).code).toBe(0);
    // The manifest holds each file's hash, and pathway.json names the folder: it differs; the
    // history holds the time of each run.
    const files = readdirSync(join(a, "EX-2")).filter(
      (n) => n !== ".safeguard-case.json" && n !== "chronology.jsonl",
    );
    expect(files.length).toBeGreaterThan(4);
    for (const f of files) {
      const left = readFileSync(join(a, "EX-2", f), "utf8").replaceAll(a, "<out>");
      const right = readFileSync(join(b, "EX-2", f), "utf8").replaceAll(b, "<out>");
      expect(left, f).toBe(right);
    }
  });

  it("deadlines.ics has one event per dated action and no personal details", () => {
    const dir = tmp();
    expect(cli(["run", "--answers", EX2, "--out", dir]).code).toBe(0);
    const ics = readFileSync(join(dir, "EX-2", "deadlines.ics"), "utf8");
    const result = JSON.parse(readFileSync(join(dir, "EX-2", "pathway.json"), "utf8"));
    const dated = result.actions.filter((a: { due: string | null }) => a.due !== null).length;
    expect(ics.match(/BEGIN:VEVENT/g)?.length).toBe(dated);
    expect(ics).toContain("DTSTART;VALUE=DATE:20270112");
    for (const s of ["Dana", "Sample", "2002-01-30"]) expect(ics).not.toContain(s);
  });

  it("a bad case file: exit 2, every problem with file:line:column and field, no stack trace", () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "bad.yaml"),
      "case_id: B\nconcern:\n  date: 2026-02-31\n  about: individual\nscreening:\n  outcome: evidnce\n  outcom: x\nperson:\n  care_leaver: maybe\n",
    );
    const r = cli(["run", "--answers", "bad.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:3:9  concern.date: "2026-02-31" is not a date (use YYYY-MM-DD)');
    expect(r.stderr).toContain('bad.yaml:6:12  screening.outcome: "evidnce" is not one of');
    expect(r.stderr).toContain('did you mean "evidence"?');
    expect(r.stderr).toContain(
      'bad.yaml:7:3  screening.outcom: unknown field; did you mean "screening.outcome"?',
    );
    expect(r.stderr).toContain("bad.yaml:9:16  person.care_leaver");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("bad YAML syntax, a missing file, and a bad --date are clear errors with exit 2", () => {
    const dir = tmp();
    writeFileSync(join(dir, "broken.yaml"), "case_id: [unclosed\n");
    const broken = cli(["run", "--answers", "broken.yaml"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+/);
    const missing = cli(["run", "--answers", "nope.yaml"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the case file nope.yaml");
    expect(cli(["run", "--answers", EX1, "--date", "23/11/2026"]).code).toBe(2);
  });

  it("a JSON case file works like YAML, and --date is the default concern date", () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "case.json"),
      JSON.stringify({ case_id: "J-1", concern: { about: "individual" }, person: { age: 30 } }),
    );
    const r = cli(["run", "--answers", "case.json", "--json", "--date", "2026-12-24"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.reference_date).toBe("2026-12-24");
    expect(result.person.group).toBe("adult");
    expect(result.warnings.map((w: { kind: string }) => w.kind)).toContain("default");
  });

  it("without --answers and without a terminal, run refuses and points at --answers", () => {
    const r = cli(["run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--answers");
  });

  it("resume accepts --date like run (it reads it), and without a terminal points at --answers", () => {
    const r = cli(["resume", "--date", "2026-11-23"], { env: { SAFEGUARD_DATA_DIR: tmp() } });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("unknown option");
    expect(r.stderr).toContain("--answers");
  });

  it("output to a pipe has no colour codes", () => {
    const r = cli(["run", "--answers", EX1]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Recommended pathway");
    expect(r.stdout).not.toContain("\u001b[");
  });
});

describe("flows validate", () => {
  it("passes on the bundled flows", () => {
    const r = cli(["flows", "validate"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok: \d+ questions, \d+ actions/);
  });

  it("given a folder, validates the one flow in it; a folder with none is exit 2 naming it", () => {
    const dir = tmp();
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const r = cli(["flows", "validate", "flows"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^flows\/all-age\.flow\.yaml: ok: /);
    const empty = cli(["flows", "validate", "templates"], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("templates is a folder with no .flow.yaml file in it");
    expect(empty.stderr).not.toContain("bug");
    cpSync(join(dir, "flows", "all-age.flow.yaml"), join(dir, "flows", "copy.flow.yaml"));
    const two = cli(["flows", "validate", `${dir}/flows/`]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("holds 2 flows (all-age.flow.yaml, copy.flow.yaml)");
  });

  it("reports a language lexicon that does not parse, or cannot be read: exit 2, never ok", () => {
    const dir = tmp();
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const lexicon = join(dir, "flows", "language.yaml");
    writeFileSync(lexicon, 'version: "1"\nsource: s\nentries:\n  - id: x\n    phrases: [a, b\n');
    const bad = cli(["flows", "validate", "flows"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).not.toContain("ok");
    expect(bad.stderr).toMatch(/^flows\/language\.yaml:\d+:\d+ {2}\S/m);
    rmSync(lexicon);
    mkdirSync(lexicon);
    const unreadable = cli(["flows", "validate", "flows"], { cwd: dir });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain("flows/language.yaml  cannot read the language lexicon (EISDIR)");
  });

  it("a template typo stops run, batch and flows validate alike: exit 2 with file:line:column", () => {
    const dir = tmp();
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const mash = join(dir, "templates", "mash-referral.md");
    writeFileSync(mash, `${readFileSync(mash, "utf8")}\nName: {{ facts.person.nme }}\n`);
    const line = readFileSync(mash, "utf8").split("\n").length - 1;
    const summary = join(dir, "templates", "case-summary.md");
    writeFileSync(summary, `{{ case_id | fil }}\n${readFileSync(summary, "utf8")}`);
    const typo = new RegExp(
      `templates/mash-referral\\.md:${line}:\\d+ {2}unknown fact "person\\.nme"; did you mean "person\\.name"\\?`,
    );
    const filter =
      /templates\/case-summary\.md:1:1 {2}template does not parse: unknown filter "fil"; did you mean "fill"\?/;
    for (const args of [
      ["run", "flows/all-age.flow.yaml", "--answers", EX1],
      ["batch", EX1, "--flow", "flows", "--out", join(dir, "out")],
      ["flows", "validate", "flows"],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(typo);
      expect(r.stderr).toMatch(filter);
      expect(r.stderr).not.toContain("bug");
    }
  });

  it("checks another locality file against the flow with --locality", () => {
    const dir = tmp();
    const text = readFileSync(join(packageRoot, "flows", "localities", "solihull.yaml"), "utf8");
    writeFileSync(join(dir, "walsall.yaml"), text.replace("  ofd:", "  one-front-door:"));
    const r = cli(["flows", "validate", "--locality", "walsall.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /flows\/parts\/adults\.yaml:\d+:\d+ {2}actions\[\d+\]\.contacts\[0\]: unknown contact "ofd"/,
    );
  });

  it("catches a misspelt fact, action and contact with file:line:column and did you mean", () => {
    const dir = tmp();
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const part = join(dir, "flows", "parts", "under-18.yaml");
    const text = readFileSync(part, "utf8")
      .replace('screening.outcome in ["no-risk", "at-risk"]', 'screening.outcme in ["no-risk", "at-risk"]')
      .replace("contacts: [childrens-front-door]", "contacts: [childrens-frontdoor]");
    writeFileSync(part, text);
    const line = text.split("\n").findIndex((l) => l.includes("screening.outcme")) + 1;
    const r = cli(["flows", "validate", "flows/all-age.flow.yaml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `flows/parts/under-18\\.yaml:${line}:\\d+  actions\\[0\\]\\.rules\\[0\\]\\.when: unknown fact "screening\\.outcme"; did you mean "screening\\.outcome"\\?`,
      ),
    );
    expect(r.stderr).toContain('unknown contact "childrens-frontdoor"');
    expect(r.stderr).toContain('did you mean "childrens-front-door"?');
  });
});

describe("trainers' commands (built CLI)", () => {
  it("flows graph prints Mermaid with every action, and an outline with --format text", () => {
    const r = cli(["flows", "graph"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("flowchart TD");
    expect(r.stdout).toMatch(/mash_referral -->\|"[^"]*"\| strategy_discussion/);
    const t = cli(["flows", "graph", "--format", "text"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("mash-referral: Refer to Children's Services (MASH)");
  });

  it("demo lists the scenarios, and steps through one with why", () => {
    const list = cli(["demo"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("ex-1-county-lines-15");
    expect(list.stdout).toContain("t1-child-county-lines");
    const r = cli(["demo", "ex-1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Expect a strategy discussion, and take part in it");
    expect(r.stdout).not.toContain("[strategy-discussion]");
    expect(r.stdout).toContain("skipping Summer bank holiday (Mon 31 Aug 2026)");
    expect(cli(["demo", "ex-1", "--rules"]).stdout).toContain("[strategy-discussion]");
    expect(cli(["demo", "no-such-scenario"]).code).toBe(2);
  });
});
