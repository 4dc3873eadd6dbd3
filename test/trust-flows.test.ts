import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { linearMatches } from "../src/flow/regex.js";
import { packageRoot } from "../src/io/paths.js";
import { cli, example } from "./helpers/cli.js";

/**
 * A custom flow as a hostile or careless author could write it, through the built CLI: a
 * matches() pattern cannot backtrack for ever, and a template cannot include files from
 * outside the flow's own templates folder.
 */

const scratch = mkdtempSync(join(tmpdir(), "safeguard-trust-flows-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

/** A copy of the bundled flow (flows/ and templates/ side by side) in a folder of its own. */
function customFlow(edit: (dir: string) => void): { dir: string; flow: string } {
  const dir = join(scratch, `f${n++}`);
  mkdirSync(dir);
  cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
  cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
  edit(dir);
  return { dir, flow: join(dir, "flows", "all-age.flow.yaml") };
}

const INDIVIDUAL = `applies_when: '!has(concern.about) || concern.about == "individual"'`;

/** The under-18 part applies only when the case reference matches `pattern` (a CEL string literal's text). */
function under18When(condition: string) {
  return customFlow((dir) => {
    const file = join(dir, "flows", "parts", "under-18.yaml");
    const text = readFileSync(file, "utf8");
    expect(text).toContain(INDIVIDUAL);
    writeFileSync(file, text.replace(INDIVIDUAL, `applies_when: '${condition}'`));
  });
}

/** Example 1 (a 15-year-old) under another case reference. */
function caseWithId(dir: string, id: string): string {
  const file = join(dir, `case-${n++}.yaml`);
  writeFileSync(
    file,
    readFileSync(example("ex-1-county-lines-15.yaml"), "utf8").replace("case_id: EX-1", `case_id: "${id}"`),
  );
  return file;
}

function actions(flow: string, caseFile: string): string[] {
  const r = cli(["run", flow, "--answers", caseFile, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { actions: { id: string }[] }).actions.map((a) => a.id);
}

/** The line of the bundled file where `text` first stands (1-based). */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(join(packageRoot, file), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(text)) + 1
  );
}

describe("matches() in a flow runs in linear time", () => {
  // The pattern: JavaScript's RegExp took 37 s on this 41-character answer.
  const { dir, flow } = under18When('case_id.matches("^(a+)+$")');
  const evil = `${"a".repeat(40)}!`;

  it("the issue's pattern on the issue's answer: decided at once, and rightly (no match)", () => {
    const r = cli(["run", flow, "--answers", caseWithId(dir, evil), "--json"]);
    expect(r.code, r.stderr).toBe(0); // cli() gives up after 30 s: a hang fails here
    expect((JSON.parse(r.stdout) as { actions: { id: string }[] }).actions.map((a) => a.id)).not.toContain(
      "mash-referral",
    );
  });

  it("a pattern that matches still works: the part applies", () => {
    expect(actions(flow, caseWithId(dir, "a".repeat(40)))).toContain("mash-referral");
  });

  it("the same pattern over a 1 MB answer is linear, not exponential or cubic", () => {
    const text = `${"a".repeat(1_000_000)}!`;
    expect(linearMatches(text, "^(a+)+$")).toBe(false);
    expect(linearMatches(text, "a*a*b")).toBe(false);
    expect(linearMatches(text, "(a|aa)+!$")).toBe(true);
  });

  it("CEL's meaning: found anywhere in the text, RE2 syntax", () => {
    expect(linearMatches("seen near county lines", "county")).toBe(true);
    expect(linearMatches("AB123", "^[A-Z]{2}\\d+$")).toBe(true);
    expect(linearMatches("AB123x", "^[A-Z]{2}\\d+$")).toBe(false);
  });

  it("flows validate refuses, with file:line:column, patterns RE2 cannot run and patterns not written out", () => {
    const bad = under18When(
      'case_id.matches("(a)\\\\1") || case_id.matches("(?=a)") || case_id.matches(case_id)',
    );
    const r = cli(["flows", "validate", bad.flow]);
    expect(r.code).toBe(2);
    const file = join(bad.dir, "flows", "parts", "under-18.yaml");
    const lines = r.stderr.split("\n").filter((l) => l.includes("under-18.yaml:"));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /under-18\.yaml:5:\d+ {2}applies_when: matches\(\): the pattern cannot be used \(invalid escape sequence/,
    );
    expect(lines[1]).toMatch(
      /:5:\d+ {2}applies_when: matches\(\): the pattern cannot be used \(.*Perl syntax/,
    );
    expect(lines[2]).toMatch(/:5:\d+ {2}applies_when: matches\(\): write the pattern out as a quoted string/);
    expect(r.stderr).not.toMatch(/This is a bug|at .*\.js:\d+/);
    expect(readFileSync(file, "utf8")).toContain("(a)\\\\1");
    // Every command loads the flow the same way.
    const run = cli(["run", bad.flow, "--answers", caseWithId(bad.dir, "x")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the pattern cannot be used");
  });

  it("the linear twin cannot be named directly, around the load-time checks", () => {
    const sneaky = under18When('case_id.matches_re2("a")');
    const r = cli(["flows", "validate", sneaky.flow]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/under-18\.yaml:5:\d+ {2}applies_when: unknown function "matches_re2"/);
  });
});

describe("a custom flow's conditions are read and bounded at load", () => {
  it("a named condition CEL cannot read, or one too deep, is exit 2 at its line, never a bug (70)", () => {
    const edits: [string, string, RegExp][] = [
      [
        'when: responder.organisation in ["local-authority"',
        'when: responder.organisation ¬ ["local-authority"',
        /conditions\.yaml:9:11 {2}conditions\[0\]\.when: cannot parse: Unexpected character: ¬/,
      ],
      [
        "name: first_responder",
        "name: int",
        /conditions\.yaml:6:11 {2}conditions\[0\]\.name: "int" is a word/,
      ],
      [
        'when: person.open_to_childrens_services.exists(r, r != "no")',
        `when: ${"person.open_to_childrens_services.exists(r, ".repeat(8)}r != "no"${")".repeat(8)}`,
        new RegExp(
          `conditions\\.yaml:${lineOf("flows/parts/conditions.yaml", 'person.open_to_childrens_services.exists(r, r != "no")')}:11 {2}conditions\\[\\d+\\]\\.when: 8 list comprehensions`,
        ),
      ],
    ];
    for (const [from, to, said] of edits) {
      const { dir, flow } = customFlow((d) => {
        const file = join(d, "flows", "parts", "conditions.yaml");
        const text = readFileSync(file, "utf8");
        expect(text).toContain(from);
        writeFileSync(file, text.replace(from, to));
      });
      for (const args of [
        ["flows", "validate", flow],
        ["run", flow, "--answers", example("ex-1-county-lines-15.yaml")],
      ]) {
        const r = cli(args, { cwd: dir });
        expect(r.code, `${to}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(said);
        expect(r.stderr).not.toContain("This is a bug");
      }
    }
  });
});

describe("a custom flow's templates include only from its own templates folder", () => {
  const SECRET = "BEGIN-PRIVATE-KEY-of-the-user";
  function withTemplate(lines: string[], extra: (dir: string) => void = () => {}) {
    return customFlow((dir) => {
      mkdirSync(join(dir, "home", ".ssh"), { recursive: true });
      writeFileSync(join(dir, "home", ".ssh", "id_rsa"), `${SECRET}\n`);
      const file = join(dir, "templates", "case-summary.md");
      writeFileSync(file, `${readFileSync(file, "utf8")}\n${lines.join("\n")}\n`);
      extra(dir);
    });
  }

  it("a path out of the folder, an absolute path, a name from an answer, a missing file: each refused at load", () => {
    const { dir, flow } = withTemplate([
      "{% include '../home/.ssh/id_rsa' %}",
      `{% include '${join(scratch, "x", "home", ".ssh", "id_rsa")}' %}`,
      "{% render case_id %}",
      "{% layout 'nosuch.md' %}",
    ]);
    for (const args of [
      ["flows", "validate", flow],
      ["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", join(dir, "out")],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      const problems = r.stderr.split("\n").filter((l) => /case-summary\.md:\d+:\d+/.test(l));
      expect(problems.map((l) => l.replace(/^.*case-summary\.md:\d+:\d+ {2}/, ""))).toEqual([
        `include "../home/.ssh/id_rsa": a template may include only another file of the flow's own templates folder, by its name there`,
        `include "${join(scratch, "x", "home", ".ssh", "id_rsa")}": a template may include only another file of the flow's own templates folder, by its name there`,
        "render needs the file name in quotes, like {% render 'part.md' %} (a file of the flow's templates folder)",
        'layout "nosuch.md": no such file in the flow\'s templates folder',
      ]);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    }
    expect(readdirSync(dir)).not.toContain("out");
  });

  it("a template that includes itself, directly or through others, is refused at its line (exit 2)", () => {
    const { dir, flow } = withTemplate(
      ["{% include 'case-summary.md' %}", "{% render 'loop-a.md' %}"],
      (d) => {
        writeFileSync(join(d, "templates", "loop-a.md"), "A\n{% include 'loop-b.md' %}\n");
        writeFileSync(join(d, "templates", "loop-b.md"), "B\n\n{% include 'loop-a.md' %}\n");
      },
    );
    const validate = cli(["flows", "validate", flow], { cwd: dir });
    expect(validate.code).toBe(2);
    const problems = validate.stderr.split("\n").filter((l) => /templates[\\/]\S+\.md:\d+:\d+ /.test(l));
    expect(problems.map((l) => l.replace(/^.*templates[\\/]/, "").replace(/:\d+ {2}/, "  "))).toEqual([
      `case-summary.md:${readFileSync(join(packageRoot, "templates", "case-summary.md"), "utf8").split("\n").length + 1}  include "case-summary.md": case-summary.md includes case-summary.md: a template may not include itself, however deep`,
      'loop-a.md:2  include "loop-b.md": loop-a.md includes loop-b.md includes loop-a.md: a template may not include itself, however deep',
      'loop-b.md:3  include "loop-a.md": loop-b.md includes loop-a.md includes loop-b.md: a template may not include itself, however deep',
    ]);
    const run = cli(["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a template may not include itself");
    expect(readdirSync(dir)).not.toContain("out");
  });

  it("a template that is a link to a file outside the folder is refused, never read", () => {
    const { dir, flow } = withTemplate([], (d) =>
      symlinkSync(join(d, "home", ".ssh", "id_rsa"), join(d, "templates", "key.md")),
    );
    const r = cli(["flows", "validate", flow], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("templates/key.md is a link to a file outside the flow's templates folder");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it("a file of the folder can be included, and what it reads is checked", () => {
    const { dir, flow } = withTemplate(["{% include 'signature.md' %}"], (d) =>
      writeFileSync(
        join(d, "templates", "signature.md"),
        "Prepared for case {{ case_id }} with the included signature.\n",
      ),
    );
    const r = cli(["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "out", "EX-1", "case-summary.md"), "utf8")).toContain(
      "Prepared for case EX-1 with the included signature.",
    );
    // A problem in the included file is said at its line in that file, not in the one including it.
    writeFileSync(join(dir, "templates", "signature.md"), "Prepared\n{{ persn.name }}\n");
    const typo = cli(["flows", "validate", flow], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/templates[\\/]signature\.md:2:4 {2}unknown name "persn"/);
    expect(typo.stderr).not.toMatch(/case-summary\.md:\d+:\d+ {2}unknown name "persn"/);
    writeFileSync(join(dir, "templates", "signature.md"), "Prepared\n\n{% if %}\n");
    const broken = cli(["flows", "validate", flow], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/templates[\\/]signature\.md:3:\d+ {2}template does not parse/);
    expect(broken.stderr).not.toMatch(/case-summary\.md:\d+:\d+ {2}template does not parse/);
  });
});

describe("a flow's facts and parts are read only from its own folder", () => {
  const SECRET = "a-file-outside-the-flow";
  const outside = (name: string, link = false) =>
    customFlow((dir) => {
      writeFileSync(join(dir, "secret.yaml"), `section: "${SECRET}"\nactions: []\n`);
      if (link) symlinkSync(join(dir, "secret.yaml"), join(dir, "flows", "parts", "linked.yaml"));
      const file = join(dir, "flows", "all-age.flow.yaml");
      const text = readFileSync(file, "utf8");
      writeFileSync(file, text.replace("  - parts/checks.yaml", `  - ${name}`));
    });

  it("a part named with .. or an absolute path is refused at its line, never read", () => {
    for (const name of ["../secret.yaml", "parts/../../secret.yaml"]) {
      const { dir, flow } = outside(name);
      for (const args of [
        ["flows", "validate", flow],
        ["run", flow, "--answers", example("ex-1-county-lines-15.yaml")],
      ]) {
        const r = cli(args, { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/all-age\.flow\.yaml:\d+:\d+ .*is outside the flow's folder/);
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
    }
    const { dir, flow } = outside("/etc/passwd");
    const r = cli(["flows", "validate", flow], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"/etc/passwd" is outside the flow's folder`);
  });

  it("a part that is a link to a file outside the folder is refused, never read", () => {
    const { dir, flow } = outside("parts/linked.yaml", true);
    const r = cli(["flows", "validate", flow], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("parts/linked.yaml is a link to a file outside the flow's folder");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

describe("a YAML alias bomb (a billion laughs) is bad input, not a bug", () => {
  const bomb = (() => {
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 12; i++) {
      const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(", ")}]`);
    }
    return `${lines.join("\n")}\n`;
  })();

  it("as a locality file, or a case file: exit 2, file:line:column, no stack", () => {
    const file = join(scratch, "bomb.yaml");
    writeFileSync(file, bomb);
    for (const args of [
      ["run", "--answers", example("ex-1-county-lines-15.yaml"), "--locality", file],
      ["flows", "validate", "--locality", file],
      ["run", "--answers", file],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout + r.stderr).toContain("bomb.yaml:2:8  its aliases (*name) expand too far to be read");
      expect(r.stderr).not.toMatch(/This is a bug|resource exhaustion/);
    }
  });
});
