import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument, visit } from "yaml";
import { readCase } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import type { Fact, Flow } from "../src/flow/types.js";
import { loadFlow } from "../src/io/flows.js";
import { packageRoot, schemaModeline } from "../src/io/paths.js";
import { caseSchema, datePattern } from "../src/render/case-schema.js";
import { resultObject } from "../src/render/result.js";
import { resultSchema } from "../src/render/result-schema.js";
import { scenarioNames, scenarioSchema, scenarioZod } from "../src/render/scenario-schema.js";
import { cli } from "./helpers/cli.js";
import { decideCase } from "./helpers/flow.js";

/**
 * The JSON Schemas, checked with a standard validator (ajv, strict mode) against every
 * bundled example and every scenario's case, and against real results; and broken cases
 * rejected by the schema and by safeguard alike.
 */

let flow: Flow;
let ajv: Ajv;
let caseValidator: ReturnType<Ajv["compile"]>;
const examples = readdirSync(join(packageRoot, "examples")).filter((f) => f.endsWith(".yaml"));
const scenariosDir = join(packageRoot, "scenarios");
const scenarios = readdirSync(scenariosDir).filter((f) => f.endsWith(".yaml"));
const caseOf = (f: string) => (parse(readFileSync(join(scenariosDir, f), "utf8")) as { case: unknown }).case;

beforeAll(() => {
  flow = loadFlow(undefined, packageRoot);
  ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  // The formats as a validator that checks them reads them (format: date is a real date).
  // ajv-formats is CommonJS: its plugin is the module's `default` (and the module itself).
  formats.default(ajv);
  caseValidator = ajv.compile(
    caseSchema(
      flow.facts,
      flow.factsVersion,
      flow.actions.map((a) => a.id),
    ),
  );
});

const validCase = (data: unknown) => {
  const ok = caseValidator(data);
  return { ok, errors: ajv.errorsText(caseValidator.errors) };
};

describe("the case schema", () => {
  it("accepts every bundled example, which names the schema on its first line", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const f of examples) {
      const text = readFileSync(join(packageRoot, "examples", f), "utf8");
      expect(text.split("\n")[0], f).toBe("# yaml-language-server: $schema=../schemas/case.schema.json");
      const r = validCase(parse(text));
      expect(r.ok, `${f}: ${r.errors}`).toBe(true);
    }
  });

  it("accepts every scenario's case", () => {
    expect(scenarios.length).toBeGreaterThan(50);
    for (const f of scenarios) {
      const r = validCase(caseOf(f));
      expect(r.ok, `${f}: ${r.errors}`).toBe(true);
    }
  });

  it("takes the flat form and explicit nulls, as safeguard does", () => {
    const flat = {
      case_id: "X",
      "concern.date": "2026-09-09",
      "person.age": 15,
      "screening.threshold_level": 3,
    };
    const nested = { case_id: "X", concern: { date: null, types: ["criminal"] }, person: { age: null } };
    // Issue 21: a list given one value is a list of one; several reasons together.
    const one = { person: { open_to_childrens_services: "exploitation" }, concern: { types: "criminal" } };
    const two = { "person.open_to_childrens_services": ["exploitation", "mental-health"] };
    for (const c of [flat, nested, one, two]) {
      expect(validCase(c).ok).toBe(true);
      expect(readCase("c.yaml", JSON.stringify(c), flow.facts).problems).toEqual([]);
    }
    const read = readCase("c.yaml", JSON.stringify(one), flow.facts).answers;
    expect(read?.get("person.open_to_childrens_services")).toEqual(["exploitation"]);
    expect(read?.get("concern.types")).toEqual(["criminal"]);
  });

  const broken: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown field", { case_id: "X", concern: { dat: "2026-09-09" } }, /unknown field/],
    ["an unknown flat field", { "person.agee": 15 }, /unknown field/],
    ["a choice not on the list", { screening: { outcome: "maybe" } }, /is not one of/],
    ["a list item not on the list", { concern: { types: ["criminal", "burglary"] } }, /is not one of/],
    ["one value not on a list", { concern: { types: "burglary" } }, /is not one of/],
    [
      '"no" beside a reason',
      { person: { open_to_childrens_services: ["no", "mental-health"] } },
      /"no" stands alone/,
    ],
    ["a date in another format", { concern: { date: "26/08/2026" } }, /is not a date/],
    ["a month that does not exist", { concern: { date: "2026-13-01" } }, /is not a date/],
    ["a day the month does not have", { concern: { date: "2026-02-31" } }, /is not a date/],
    ["29 February outside a leap year", { person: { dob: "2011-02-29" } }, /is not a date/],
    ["an age out of range", { person: { age: 130 } }, /is above 120/],
    ["a yes/no fact as text", { concern: { imminent_harm: "yes" } }, /true or false/],
    ["a fact safeguard works out", { person: { group: "child" } }, /worked out by safeguard/],
  ];
  for (const [what, data, message] of broken) {
    it(`rejects ${what}, as safeguard does`, () => {
      expect(validCase(data).ok).toBe(false);
      const r = readCase("c.yaml", JSON.stringify(data), flow.facts);
      expect(r.problems.map((p) => p.message).join("\n")).toMatch(message);
    });
  }

  it("takes a case reference of 200 characters and refuses 201, counted as safeguard counts them", () => {
    for (const [id, ok] of [
      ["x".repeat(200), true],
      ["x".repeat(201), false],
      ["😀".repeat(200), true],
      ["😀".repeat(201), false],
    ] as const) {
      expect(validCase({ case_id: id }).ok, `${id.length} units`).toBe(ok);
      const r = readCase("c.yaml", JSON.stringify({ case_id: id }), flow.facts);
      expect(r.problems.map((p) => p.message).join("\n")).toMatch(ok ? /^$/ : /200/);
    }
  });

  // The years a date may fall in, as safeguard reckons them (issue 27): a date of birth any
  // plausible year, every other date the years whose bank holidays safeguard knows.
  const years: [string, Record<string, unknown>, boolean][] = [
    ["a concern dated 31 Dec 1989", { concern: { date: "1989-12-31" } }, false],
    ["a concern dated 1 Jan 1990", { concern: { date: "1990-01-01" } }, true],
    ["a concern dated 31 Dec 2100", { concern: { date: "2100-12-31" } }, true],
    ["a concern dated 1 Jan 2101", { concern: { date: "2101-01-01" } }, false],
    ["a date of birth of 31 Dec 1899", { person: { dob: "1899-12-31" } }, false],
    ["a date of birth of 1 Jan 1900", { person: { dob: "1900-01-01" } }, true],
    ["a date of birth of 31 Dec 2199", { person: { dob: "2199-12-31" } }, true],
    ["a date of birth of 1 Jan 2200", { person: { dob: "2200-01-01" } }, false],
  ];
  for (const [what, data, ok] of years) {
    it(`${ok ? "takes" : "rejects"} ${what}, as safeguard does`, () => {
      expect(validCase(data).ok, validCase(data).errors).toBe(ok);
      const r = readCase("c.yaml", JSON.stringify(data), flow.facts);
      expect(r.problems.map((p) => p.message).join("\n")).toMatch(ok ? /^$/ : /check the year/);
    });
  }

  it("writes a year range as a pattern that takes exactly its years", () => {
    const pattern = new RegExp(datePattern({ first: 1990, last: 2100 }));
    expect(datePattern({ first: 1990, last: 2100 })).toMatch(/^\^\(199\[0-9\]\|20\[0-9\]\{2\}\|2100\)-/);
    for (let y = 1000; y <= 9999; y++)
      expect(pattern.test(`${y}-06-15`), String(y)).toBe(y >= 1990 && y <= 2100);
    const odd = new RegExp(datePattern({ first: 1987, last: 2013 }));
    for (let y = 1900; y <= 2100; y++) expect(odd.test(`${y}-06-15`), String(y)).toBe(y >= 1987 && y <= 2013);
  });

  it("`safeguard schema case` prints it; the build ships the same file", () => {
    const r = cli(["schema", "case"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      caseSchema(
        flow.facts,
        flow.factsVersion,
        flow.actions.map((a) => a.id),
      ),
    );
    expect(r.stdout).toBe(readFileSync(join(packageRoot, "schemas", "case.schema.json"), "utf8"));
  });
});

describe("the result schema", () => {
  it("every example's and scenario's real result validates", () => {
    const v = ajv.compile(resultSchema);
    const cases = [
      ...examples.map((f) => [f, readFileSync(join(packageRoot, "examples", f), "utf8")]),
      ...scenarios.map((f) => [f, JSON.stringify(caseOf(f))]),
    ] as [string, string][];
    let withRules = 0;
    for (const [f, text] of cases) {
      const { answers } = readCase(f, text, flow.facts);
      expect(answers, f).toBeDefined();
      const result = JSON.parse(
        JSON.stringify(
          resultObject(
            decide(flow, answers as NonNullable<typeof answers>, "2026-11-23"),
            (id) => `out/${id}.md`,
          ),
        ),
      );
      expect(v(result), `${f}: ${ajv.errorsText(v.errors)}`).toBe(true);
      if (result.actions.some((a: { rules: unknown[] }) => a.rules.length > 0)) withRules++;
    }
    expect(withRules).toBeGreaterThan(50);
  });

  it("rejects a field the result object does not have", () => {
    const v = ajv.compile(resultSchema);
    const r = JSON.parse(cli(["run", "--answers", join("examples", examples[0] as string), "--json"]).stdout);
    expect(v(r)).toBe(true);
    expect(v({ ...r, extra: 1 })).toBe(false);
    expect(v({ ...r, person: { ...r.person, group: "teen" } })).toBe(false);
    const { case_id: _, ...noId } = r;
    expect(v(noId)).toBe(false);
  });

  it("an expected step says expected: true, a date something ends its words; nothing else (issue 22)", () => {
    const v = ajv.compile(resultSchema);
    const r = resultObject(
      decideCase({
        case_id: "EXP",
        concern: { date: "2026-10-05", about: "individual", types: ["criminal"] },
        referral: { date: "2026-10-05" },
        person: { dob: "2012-03-14" },
        screening: { outcome: "evidence", significant_harm: "yes" },
        nrm: { decision: "positive-reasonable-grounds", decision_date: "2026-09-01" },
      }),
      () => null,
    );
    const json = JSON.parse(JSON.stringify(r));
    expect(v(json), ajv.errorsText(v.errors)).toBe(true);
    const maace = json.actions.findIndex((a: { id: string }) => a.id === "maace-meeting");
    const until = json.actions.findIndex((a: { id: string }) => a.id === "nrm-recovery-period");
    expect(json.actions[maace].expected).toBe(true);
    expect(json.actions[until].until).toBe("support until at least");
    const withAction = (i: number, a: Record<string, unknown>) => ({
      ...json,
      actions: json.actions.map((x: unknown, j: number) => (j === i ? a : x)),
    });
    expect(v(withAction(maace, { ...json.actions[maace], expected: false }))).toBe(false);
    expect(v(withAction(until, { ...json.actions[until], until: 45 }))).toBe(false);
  });

  it("`safeguard schema result` prints it; the build ships the same file", () => {
    const r = cli(["schema", "result"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(packageRoot, "schemas", "result.schema.json"), "utf8"));
    expect(cli(["schema", "nonsense"]).code).not.toBe(0);
  });
});

describe("the schema line of a case file the tool writes", () => {
  it("points the YAML language server at the shipped case schema, relative to the case's folder", () => {
    for (const folder of [join(packageRoot, "out", "C-1"), join(tmpdir(), "somewhere", "else", "C-2")]) {
      const line = schemaModeline(folder);
      const ref = /^# yaml-language-server: \$schema=(\S+)\n$/.exec(line)?.[1];
      expect(ref, line).toBeDefined();
      expect(isAbsolute(ref ?? "")).toBe(false);
      expect(resolve(folder, ref ?? "")).toBe(join(packageRoot, "schemas", "case.schema.json"));
      expect(existsSync(resolve(folder, ref ?? ""))).toBe(true);
    }
  });
});

describe("a fact given twice", () => {
  it("refuses a fact given flat and nested, as safeguard does (file, line, field)", () => {
    const text = "case_id: X\nconcern:\n  date: 2026-09-09\nconcern.date: 2026-09-10\n";
    expect(validCase(parse(text)).ok).toBe(false);
    expect(readCase("c.yaml", text, flow.facts).problems).toEqual([
      {
        file: "c.yaml",
        line: 4,
        column: 1,
        field: "concern.date",
        message: expect.stringMatching(/given twice \(first at line 3\)/),
      },
    ]);
    // Either spelling alone, and two facts of one group in two spellings, are one fact each.
    for (const one of [
      { concern: { date: "2026-09-09" } },
      { "concern.date": "2026-09-09" },
      { "concern.date": "2026-09-09", concern: { about: "individual" } },
      { "concern.date": null, concern: {} },
    ]) {
      expect(validCase(one).ok, JSON.stringify(one)).toBe(true);
      expect(readCase("c.yaml", JSON.stringify(one), flow.facts).problems).toEqual([]);
    }
    // "Not known" given twice is still given twice.
    const nulls = { "concern.date": null, concern: { date: null } };
    expect(validCase(nulls).ok).toBe(false);
    expect(readCase("c.yaml", JSON.stringify(nulls), flow.facts).problems[0]?.message).toMatch(/given twice/);
  });

  it("refuses every two spellings of a deeper fact and takes each alone, as safeguard does", () => {
    const fact = { id: "a.b.c", type: "int", label: "C", personal: false, derived: false } as Fact;
    const facts = new Map([["a.b.c", fact]]);
    const v = ajv.compile(caseSchema(facts, "test"));
    const spellings = [{ "a.b.c": 1 }, { a: { "b.c": 1 } }, { "a.b": { c: 1 } }, { a: { b: { c: 1 } } }];
    for (const one of spellings) {
      expect(v(one), JSON.stringify(one)).toBe(true);
      expect(readCase("c.yaml", JSON.stringify(one), facts).problems).toEqual([]);
    }
    // Two spellings merged: a deep merge, as a case file would hold them side by side.
    const merge = (x: Record<string, unknown>, y: Record<string, unknown>): Record<string, unknown> => {
      const out: Record<string, unknown> = { ...x };
      for (const [k, val] of Object.entries(y)) {
        const mine = out[k];
        out[k] =
          typeof mine === "object" && mine !== null && typeof val === "object" && val !== null
            ? merge(mine as Record<string, unknown>, val as Record<string, unknown>)
            : val;
      }
      return out;
    };
    let pairs = 0;
    for (const [i, x] of spellings.entries())
      for (const y of spellings.slice(i + 1)) {
        const both = merge(x, y);
        expect(v(both), JSON.stringify(both)).toBe(false);
        const r = readCase("c.yaml", JSON.stringify(both), facts);
        expect(r.problems.map((p) => `${p.field}: ${p.message}`).join("\n")).toMatch(
          /^a\.b\.c: is given twice/,
        );
        pairs++;
      }
    expect(pairs).toBe(6);
  });

  it("a key twice in one mapping: refused by safeguard with file, line, field and exit 2; the schema says why it cannot see it", () => {
    const text = "case_id: X\nconcern:\n  date: 2026-09-09\n  about: individual\n  date: 2026-09-10\n";
    expect(readCase("c.yaml", text, flow.facts).problems).toEqual([
      {
        file: "c.yaml",
        line: 5,
        column: 3,
        field: "concern.date",
        message: "is given twice (first at line 3): keep one",
      },
    ]);
    const r = cli(["run", "--answers", "-", "--json"], { input: "case_id: X\ncase_id: Y\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:2:1 {2}case_id: is given twice \(first at line 1\): keep one/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // A validator sees the mapping the YAML reader made, which holds one of the two.
    const description = String(caseSchema(flow.facts, flow.factsVersion).description);
    expect(description).toMatch(/no key twice in one mapping/);
    expect(description).toMatch(/safeguard refuses both/);
  });
});

/** Each leaf of X and Y that differs (a date read as a timestamp differs from its text), as a dot path. */
function differing(x: unknown, y: unknown, path: string[] = []): string[] {
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !(v instanceof Date);
  if (obj(x) && obj(y))
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].flatMap((k) =>
      differing(x[k], y[k], [...path, k]),
    );
  return x instanceof Date || y instanceof Date || JSON.stringify(x) !== JSON.stringify(y)
    ? [path.join(".")]
    : [];
}

/** The fields a validator refuses, as dot paths (ajv's instancePath, /concern/date). */
function refused(v: ReturnType<Ajv["compile"]>, data: unknown): string[] {
  v(data);
  return [...new Set((v.errors ?? []).map((e) => e.instancePath.slice(1).replaceAll("/", ".")))].sort();
}

describe("read as YAML 1.2 and as YAML 1.1", () => {
  // safeguard reads YAML 1.2, unless a file says `%YAML 1.1` first. A YAML 1.1 tool reads
  // yes/no/on/off as true/false and an unquoted date as a timestamp; quoted, both read alike.
  /** Each example, and each scenario's case as safeguard reads it (the rest blanked, positions kept). */
  const cases = () => [
    ...examples.map((f) => ({ f, text: readFileSync(join(packageRoot, "examples", f), "utf8") })),
    ...scenarios.map((f) => {
      const text = readFileSync(join(scenariosDir, f), "utf8");
      const [start, end] = (parseDocument(text).get("case", true) as { range: [number, number] }).range;
      return { f, text: text.replace(/[^\r\n]/g, (ch, i: number) => (i >= start && i < end ? ch : " ")) };
    }),
  ];
  const oneOne = (text: string) => `%YAML 1.1\n---\n${text}`;
  const at = (data: unknown, field: string) =>
    field.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], data);

  it("every example and scenario is valid read as YAML 1.2", () => {
    for (const { f, text } of cases()) expect(refused(caseValidator, parse(text)), f).toEqual([]);
  });

  it("read as YAML 1.1, the schema refuses exactly the fields that read otherwise; safeguard, told 1.1, each but a date", () => {
    const seen = { dates: 0, words: 0 };
    for (const { f, text } of cases()) {
      const v11 = parse(text, { version: "1.1" });
      const changed = differing(parse(text), v11).sort();
      expect(refused(caseValidator, v11), f).toEqual(changed);
      const told = readCase(f, oneOne(text), flow.facts).problems.map((p) => p.field);
      // Every problem safeguard finds is at a field that reads otherwise (none unplaced).
      expect(
        told.filter((field) => field === undefined || !changed.includes(field)),
        f,
      ).toEqual([]);
      for (const field of changed) {
        if (at(v11, field) instanceof Date) {
          // A timestamp has no JSON type, so the schema refuses it; safeguard takes the date written.
          seen.dates++;
          expect(told, `${f} ${field}`).not.toContain(field);
        } else {
          // `no` read as false is not the choice "no": refused by both, never taken as another answer.
          seen.words++;
          expect(told, `${f} ${field}`).toContain(field);
        }
      }
    }
    // The bundled files hold both kinds.
    expect(seen.dates).toBeGreaterThan(100);
    expect(seen.words).toBeGreaterThan(0);
  });

  it("a whole scenario file read as YAML 1.1: refused at each field that reads otherwise, and there only", () => {
    const v = ajv.compile(
      scenarioSchema("scenario", scenarioNames(flow), caseSchema(flow.facts, flow.factsVersion)),
    );
    for (const f of scenarios) {
      const text = readFileSync(join(scenariosDir, f), "utf8");
      const v11 = parse(text, { version: "1.1" });
      expect(refused(v, v11), f).toEqual(differing(parse(text), v11).sort());
    }
  });

  it("with its text quoted, as the README tells a YAML 1.1 user, a case reads alike in both and is valid", () => {
    for (const { f, text } of cases()) {
      const doc = parseDocument(text);
      visit(doc, {
        Scalar(key, node) {
          if (key === "value" && typeof node.value === "string") node.type = "QUOTE_DOUBLE";
        },
      });
      const quoted = doc.toString();
      const v11 = parse(quoted, { version: "1.1" });
      expect(v11, f).toEqual(parse(text));
      expect(refused(caseValidator, v11), f).toEqual([]);
      expect(readCase(f, oneOne(quoted), flow.facts).problems, f).toEqual([]);
    }
  });
});

describe("the scenario and story schemas", () => {
  let scenarioV: ReturnType<Ajv["compile"]>;
  let storyV: ReturnType<Ajv["compile"]>;
  const read = (f: string) => parse(readFileSync(join(scenariosDir, f), "utf8")) as Record<string, unknown>;
  beforeAll(() => {
    const theCase = caseSchema(
      flow.facts,
      flow.factsVersion,
      flow.actions.map((a) => a.id),
    );
    scenarioV = ajv.compile(scenarioSchema("scenario", scenarioNames(flow), theCase));
    storyV = ajv.compile(scenarioSchema("story", scenarioNames(flow), theCase));
  });

  it("every bundled scenario is a valid scenario; every training story a valid story, and no other", () => {
    let stories = 0;
    for (const f of scenarios) {
      const data = read(f);
      expect(refused(scenarioV, data), f).toEqual([]);
      const story = data.training === true;
      expect(storyV(data), `${f}: ${ajv.errorsText(storyV.errors)}`).toBe(story);
      if (story) stories++;
    }
    expect(stories).toBeGreaterThanOrEqual(8);
  });

  const t1 = () => read("t1-child-county-lines.yaml");
  const broken: [string, (s: Record<string, unknown>) => Record<string, unknown>, string][] = [
    ["a misspelt key", (s) => ({ ...s, expect: { ...(s.expect as object), not_document: [] } }), "expect"],
    ["a step the flow does not have", (s) => ({ ...s, expect: { not: ["maace-meting"] } }), "expect.not.0"],
    [
      "a due date that is not a date",
      (s) => ({ ...s, expect: { actions: { "mash-referral": "2027-02-30" } } }),
      "expect.actions.mash-referral",
    ],
    [
      "a document the flow does not have",
      (s) => ({ ...s, expect: { documents: ["mash-referal"] } }),
      "expect.documents.0",
    ],
    [
      "a case date that does not exist",
      (s) => ({ ...s, case: { concern: { date: "2027-02-30" } } }),
      "case.concern.date",
    ],
    [
      "a case field that does not exist",
      (s) => ({ ...s, case: { concern: { dat: "2027-02-01" } } }),
      "case.concern",
    ],
  ];
  for (const [what, edit, path] of broken) {
    it(`refuses ${what}, naming the path (${path})`, () => {
      const data = edit(t1());
      expect(refused(scenarioV, data)).toContain(path);
      // The tests read every scenario through the same definition; it refuses the file at the
      // same path (its case is read by safeguard's case reader, which the case tests cover).
      if (!path.startsWith("case.")) {
        const r = scenarioZod(scenarioNames(flow)).safeParse(data);
        expect(r.error?.issues.map((i) => i.path.join("."))).toContain(path);
      }
    });
  }

  it("a story needs its story and the day it is told on", () => {
    const { today: _, ...noDay } = t1();
    const { story: __, ...noStory } = t1();
    expect(refused(storyV, noDay)).toEqual([""]);
    expect(refused(storyV, noStory)).toEqual([""]);
    expect(refused(storyV, { ...t1(), story: "" })).toEqual(["story"]);
    expect(refused(storyV, { ...t1(), training: false })).toEqual(["training"]);
    // A scenario needs neither.
    expect(refused(scenarioV, noDay)).toEqual([]);
  });

  for (const which of ["scenario", "story"] as const) {
    it(`\`safeguard schema ${which}\` prints it; the build ships the same file`, () => {
      const r = cli(["schema", which]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(
        scenarioSchema(
          which,
          scenarioNames(flow),
          caseSchema(
            flow.facts,
            flow.factsVersion,
            flow.actions.map((a) => a.id),
          ),
        ),
      );
      expect(r.stdout).toBe(readFileSync(join(packageRoot, "schemas", `${which}.schema.json`), "utf8"));
    });
  }

  it("an unknown name is refused with the names there are, exit 2", () => {
    const r = cli(["schema", "nonsense"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no schema "nonsense": use case, result, scenario or story/);
  });
});
