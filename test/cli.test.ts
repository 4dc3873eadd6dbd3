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

  it("every error has the one prefix, whether commander or the program found it", () => {
    const errors = [
      cli(["frobnicate"]),
      cli(["run", "--answers", EX1, "--colour-me-pink"]),
      cli(["explain"]),
      cli(["run", "--answers", EX1, "--date", "23/11/2026"]),
      cli(["run", "--answers", "nope.yaml"], { cwd: tmp() }),
      cli(["explain", "no-such-thing"]),
    ];
    for (const r of errors) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr, r.stderr).toMatch(/^safeguard: error: \S/);
      expect(r.stderr).not.toMatch(/^error: /m);
    }
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
    const { update, ...rest } = result;
    expect(update.kind).toBe("run");
    // The folder's own pathway.json: the same result, its documents named relative to the folder.
    const inFolder = JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8"));
    expect(inFolder.documents).toContainEqual({ id: "mash-referral", path: "mash-referral.md" });
    expect(inFolder).toEqual({
      ...rest,
      documents: rest.documents.map((d: { id: string }) => ({ id: d.id, path: `${d.id}.md` })),
    });
  });

  it("the same case file gives byte-identical output", () => {
    const [a, b] = [tmp(), tmp()];
    expect(cli(["run", "--answers", EX2, "--out", a]).code).toBe(0);
    expect(cli(["run", "--answers", EX2, "--out", b]).code).toBe(0);
    // Every file, pathway.json too: it names its documents relative to its folder, so no
    // absolute path is in any of them (the manifest, which holds its folder's state, and the
    // history, which holds the time of each run, aside).
    const files = readdirSync(join(a, "EX-2")).filter(
      (n) => n !== ".safeguard-case.json" && n !== "chronology.jsonl",
    );
    expect(files).toContain("pathway.json");
    for (const f of files) {
      const left = readFileSync(join(a, "EX-2", f));
      expect(left.equals(readFileSync(join(b, "EX-2", f))), f).toBe(true);
      expect(left.toString("latin1"), f).not.toContain(a);
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

  it("run --answers - reads the case from standard input, YAML or JSON, as from the file", () => {
    const fromFile = cli(["run", "--answers", EX1, "--json"]);
    const yaml = cli(["run", "--answers", "-", "--json"], { input: readFileSync(EX1) });
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(yaml.stdout).toBe(fromFile.stdout);
    const json = cli(["run", "--answers", "-", "--json", "--date", "2026-12-24"], {
      input: JSON.stringify({ case_id: "J-2", concern: { about: "individual" }, person: { age: 30 } }),
    });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ case_id: "J-2", reference_date: "2026-12-24" });
  });

  it("a bad case on standard input: exit 2, each problem at <stdin>:line:column with its field", () => {
    const bad = cli(["run", "--answers", "-"], {
      input: "case_id: B\nconcern:\n  date: 2026-02-31\n  about: individual\nperson:\n  care_leaver: maybe\n",
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("the case on standard input has 2 problems");
    expect(bad.stderr).toContain('<stdin>:3:9  concern.date: "2026-02-31" is not a date (use YYYY-MM-DD)');
    expect(bad.stderr).toContain("<stdin>:6:16  person.care_leaver");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(bad.stdout).toBe("");
    const empty = cli(["run", "--answers", "-"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("<stdin>:1:1");
    const notUtf8 = cli(["run", "--answers", "-"], {
      input: Buffer.from("case_id: A\nnote: \xff\n", "latin1"),
    });
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.stderr).toContain("<stdin>:2: is not UTF-8 text");
    const huge = cli(["run", "--answers", "-"], { input: Buffer.alloc(4 * 1024 * 1024 + 1, 0x20) });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain("the case on <stdin> is larger than 4 MB");
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

/** Every field name in a JSON value, at any depth; a rule's `facts` is keyed by fact ids (data), not names. */
function keysOf(value: unknown, data = false): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => keysOf(v));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [...(data ? [] : [k]), ...keysOf(v, k === "facts")]);
}

describe("--json on every command that prints data", () => {
  it("each prints one JSON value on stdout, its keys snake_case like the result object", () => {
    const data = tmp();
    const env = { SAFEGUARD_DATA_DIR: data };
    const out = tmp();
    const runs: [string[], number, string?][] = [
      [["run", "--answers", EX1, "--json"], 0],
      [["batch", EX1, EX2, "--out", out, "--json"], 0],
      [["sessions", "--json"], 0],
      [["referrer", "--json"], 0],
      [["flows", "validate", "--json"], 0],
      [["explain", "consent.to_share", "--json"], 0],
      [["demo", "--json"], 0],
      [["check-language", "-", "--json"], 1, "He is streetwise and a drug runner."],
    ];
    for (const [args, code, input] of runs) {
      const r = cli(args, { env, ...(input === undefined ? {} : { input }) });
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(code);
      const keys = keysOf(JSON.parse(r.stdout));
      expect(keys.length, args.join(" ")).toBeGreaterThan(0);
      for (const k of keys) expect(k, args.join(" ")).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it("flows validate --json: a flow with problems is ok false, exit 2, each problem with file, line, column and field", () => {
    const dir = tmp();
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const part = join(dir, "flows", "parts", "under-18.yaml");
    const text = readFileSync(part, "utf8").replace(
      'screening.outcome in ["no-risk", "at-risk"]',
      'screening.outcme in ["no-risk", "at-risk"]',
    );
    writeFileSync(part, text);
    const line = text.split("\n").findIndex((l) => l.includes("screening.outcme")) + 1;
    const r = cli(["flows", "validate", "flows/all-age.flow.yaml", "--json"], { cwd: dir });
    expect(r.code).toBe(2);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(false);
    expect(result.questions).toBeUndefined();
    expect(result.problems).toContainEqual({
      file: "flows/parts/under-18.yaml",
      line,
      column: expect.any(Number),
      field: "actions[0].rules[0].when",
      message: 'unknown fact "screening.outcme"; did you mean "screening.outcome"?',
    });
    const good = JSON.parse(cli(["flows", "validate", "--json"]).stdout);
    expect(good).toMatchObject({ ok: true, problems: [], language_entries: expect.any(Number) });
    expect(good.actions).toBeGreaterThan(0);
  });

  it("explain --json gives the kind, id and text; demo --json lists what demo lists, the test scenarios with --all", () => {
    const e = JSON.parse(cli(["explain", "duty-to-notify", "--json"]).stdout);
    expect(e).toMatchObject({ kind: "action", id: "duty-to-notify" });
    expect(e.text).toContain("Procedures §15.4.a.1");
    const list = JSON.parse(cli(["demo", "--json"]).stdout).scenarios;
    const all = JSON.parse(cli(["demo", "--all", "--json"]).stdout).scenarios;
    expect(list).toContainEqual(expect.objectContaining({ name: "ex-1-county-lines-15", kind: "example" }));
    expect(list.some((s: { kind: string }) => s.kind === "scenario")).toBe(false);
    expect(all.some((s: { kind: string }) => s.kind === "scenario")).toBe(true);
    expect(all.length).toBeGreaterThan(list.length);
    const withName = cli(["demo", "ex-1", "--json"]);
    expect(withName.code).toBe(2);
    expect(withName.stderr).toContain("demo --json prints the list");
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
