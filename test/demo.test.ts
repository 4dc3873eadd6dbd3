import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { type DemoOptions, run } from "../src/commands/demo.js";
import { readCase } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import { InputError } from "../src/errors.js";
import { packageRoot } from "../src/io/paths.js";
import { bundledScenarios, findScenario, readScenario } from "../src/io/scenarios.js";
import { demoScript, demoText, factValueWords, rawValue, scenarioList } from "../src/render/demo.js";
import { wrapText } from "../src/render/wrap.js";
import { bundledFlow, scenarios } from "./helpers/flow.js";
import { testWorld } from "./helpers/world.js";

const flow = bundledFlow();
const scratch = mkdtempSync(join(tmpdir(), "safeguard-demo-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The demo's options as the command table gives them: none set unless said. */
const demo = (given: Partial<DemoOptions> = {}): DemoOptions => ({
  all: false,
  quiz: false,
  rules: false,
  redact: false,
  date: undefined,
  json: false,
  ...given,
});

function ex1Text(rules = false): string {
  const entry = findScenario("ex-1-county-lines-15", packageRoot);
  const s = readScenario(entry, packageRoot);
  const { answers } = readCase(s.file, s.caseText, flow.facts);
  if (!answers) throw new Error("EX-1 does not read");
  // A worked example is worked out as on the day it is told on (its scenario twin's today:).
  const toldOn = entry.toldOn ?? "";
  const p = decide(flow, answers, toldOn);
  return demoText(
    demoScript(
      flow,
      p,
      { stem: entry.stem, name: entry.name, file: s.file, plain: s.plain, asOn: { day: toldOn, told: true } },
      { colour: false, rules },
    ),
  );
}

describe("demo rendering (EX-1), with --rules", () => {
  const text = ex1Text(true);
  const ex1 = scenarios().find((s) => s.file === "ex-1-county-lines-15.yaml");
  const expected = Object.entries(ex1?.expect.actions ?? {});

  it("shows the case facts in plain words, with the question's choice labels", () => {
    expect(text).toContain("Demo: ex-1-county-lines-15");
    expect(text).toContain("A 15-year-old drawn into county lines, referred before the Summer bank holiday");
    expect(text).toContain(
      "  - Date the concern was identified: Wed 26 Aug 2026 (2026-08-26)  (concern.date)",
    );
    expect(text).toContain("Criminal exploitation, County lines  (concern.types)");
    expect(text).toMatch(
      /: Evidence of exploitation \(being groomed or exploited\) {2}\(screening\.outcome\)/,
    );
    expect(text).toContain("Age 15 at the concern date (from the date of birth): the child pathway applies.");
  });

  it("has every expected action as a step, in order, with its citation, reason and due date", () => {
    expect(expected.length).toBeGreaterThan(5);
    let last = -1;
    for (const [id, due] of expected) {
      const action = flow.actionById.get(id);
      const at = text.indexOf(`[${id}]\n`);
      expect(at, id).toBeGreaterThan(last);
      last = at;
      const step = text.slice(at, text.indexOf("\nStep ", at) >>> 0);
      expect(step).toContain(`Cites  ${action?.cite}`);
      expect(step).toContain(due ? `(${due})` : "no date set");
      expect(step).toMatch(/\n {2}Why {4}(\d\. )?\S/);
    }
  });

  it("explains a step: the rule's reason, the facts it read with their values, the condition, the due rule", () => {
    const at = text.indexOf("[strategy-discussion]");
    const step = text.slice(at, text.indexOf("\nStep ", at));
    expect(step).toMatch(/When {3}Wed 2 Sep 2026 \(2026-09-02\): 3 working days from referral\.date/);
    expect(step).toContain("skipping Summer bank holiday (Mon 31 Aug 2026)");
    expect(step).toContain("Why    a MASH referral where significant harm is occurring or likely");
    expect(step).toContain(
      'when    recommends["mash-referral"] && screening.significant_harm in ["yes", "likely"] && !has(strategy_discussion.outcome)',
    );
    expect(step).toContain("screening.significant_harm = likely");
    expect(step).toContain("strategy_discussion.outcome = not known");
    expect(step).toMatch(
      /recommends\[mash-referral\] = true: "Refer to Children's Services \(MASH\).*" is recommended \(step 5\)/,
    );

    const mash = text.slice(text.indexOf("[mash-referral]"), text.indexOf("[strategy-discussion]"));
    expect(mash).toContain("screening.outcome = evidence  (");
    expect(mash).toContain(
      "Why    in the referrer's professional opinion there is evidence that the child is being groomed for exploitation or exploited (Procedures §12.2, Flowchart (child))",
    );
  });

  it("ends with what is not decided and what would decide it, then the currency notes", () => {
    const notDecided = text.indexOf("Not decided:");
    const currency = text.indexOf("Where national guidance has moved on");
    expect(notDecided).toBeGreaterThan(text.lastIndexOf("Step "));
    expect(currency).toBeGreaterThan(notDecided);
    expect(text).toMatch(/ {2}- .* \(concern\.imminent_harm\)\n {6}decides: police-emergency\n/);
    expect(text).toContain("  - Reasonable grounds test: the procedures say");
    expect(text).toContain("safeguard run --answers examples/ex-1-county-lines-15.yaml");
  });
});

describe("scenario files", () => {
  it("lists the worked examples and the training scenarios; the test scenarios only with --all", () => {
    const all = bundledScenarios();
    expect(all.slice(0, 3).map((e) => [e.stem, e.kind])).toEqual([
      ["ex-1-county-lines-15", "example"],
      ["ex-2-adult-refuses-nrm", "example"],
      ["ex-3-transition-17", "example"],
    ]);
    expect(all.filter((e) => e.stem === "ex-1-county-lines-15")).toHaveLength(1);
    const training = all.filter((e) => e.kind === "training");
    expect(training.length).toBeGreaterThanOrEqual(8);
    const listing = scenarioList(all);
    expect(listing.indexOf("Worked examples")).toBeLessThan(listing.indexOf("Training scenarios"));
    expect(listing).toMatch(/\n {2}t1-child-county-lines +A 14-year-old drawn into county lines/);
    expect(listing).not.toContain("no-imminent-harm");
    expect(listing).toMatch(/\d+ test scenarios are not listed: safeguard demo --all/);
    expect(listing).toContain("safeguard demo t1-child-county-lines");
    const everything = scenarioList(all, { all: true });
    expect(everything.indexOf("Training scenarios")).toBeLessThan(everything.indexOf("Test scenarios"));
    expect(everything).toMatch(/\n {2}no-imminent-harm +\S/);
  });

  it("has a training scenario, with a story, for each main route, each also a scenario test", () => {
    const training = scenarios().filter((s) => (s as { training?: boolean }).training === true);
    const routes = [
      "t1-child-county-lines",
      "t2-child-sexual-exploitation",
      "t3-adult-consents-nrm",
      "t4-adult-refuses-duty-to-notify",
      "t5-capacity-doubt-coercion",
      "t6-transition-17",
      "t7-context-place",
      "t8-shep-escalation",
    ];
    expect(training.map((s) => s.file.replace(/\.yaml$/, ""))).toEqual(routes);
    for (const s of training) {
      const story = (s as { story?: string }).story ?? "";
      expect(story.length, `${s.file} story`).toBeGreaterThan(200);
      expect(Object.keys(s.expect.actions ?? {}).length, `${s.file} expected actions`).toBeGreaterThan(1);
      expect(s.expect.documents?.length, `${s.file} expected documents`).toBeGreaterThan(0);
      expect(s.today, `${s.file} today`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("reads a scenario's case at its own lines and columns, with its today", () => {
    const entry = findScenario("default-today-no-concern-date", packageRoot);
    const s = readScenario(entry, packageRoot);
    expect(s.today).toBe("2026-12-24");
    expect(s.plain).toBe(false);
    const bad = join(scratch, "bad.yaml");
    writeFileSync(bad, 'name: "bad"\ncase:\n  concern:\n    dat: 2026-01-01\nexpect: {}\n');
    const b = readScenario(findScenario(bad, scratch), scratch);
    const { problems } = readCase(b.file, b.caseText, flow.facts);
    expect(problems.map((p) => [p.line, p.column, p.field])).toEqual([[4, 5, "concern.dat"]]);
  });

  it("says a value in plain words", () => {
    expect(factValueWords(flow, "screening.significant_harm", "yes")).toBe(
      "Yes: significant harm is occurring",
    );
    expect(factValueWords(flow, "person.care_leaver", true)).toBe("Yes");
    expect(factValueWords(flow, "concern.types", [])).toBe("none of these");
    expect(rawValue(null)).toBe("not known");
    expect(rawValue(["a", "b"])).toBe("[a, b]");
  });
});

describe("demo command", () => {
  it("lists the scenarios without a name", async () => {
    const w = testWorld();
    expect(await run(w.world, [], demo())).toBe(0);
    expect(w.out()).toBe(scenarioList(bundledScenarios()));
    const all = testWorld();
    expect(await run(all.world, [], demo({ all: true }))).toBe(0);
    expect(all.out()).toBe(scenarioList(bundledScenarios(), { all: true }));
  });

  it("speaks in plain words by default: the step, when, who, why, the citation; no CEL, no field ids", async () => {
    const w = testWorld();
    expect(await run(w.world, ["ex-1-county-lines-15"], demo())).toBe(0);
    const text = w.out();
    expect(text).toContain("  - Date the concern was identified: Wed 26 Aug 2026 (2026-08-26)\n");
    const at = text.indexOf("Expect a strategy discussion");
    const step = text.slice(at, text.indexOf("\nStep ", at));
    expect(step).toContain(
      ": 3 working days from the date of the referral (Thu 27 Aug 2026), skipping Summer bank holiday (Mon 31 Aug 2026)\n",
    );
    expect(step).toMatch(/When {3}Wed 2 Sep 2026: /);
    expect(step).toContain("Why    a MASH referral where significant harm is occurring or likely");
    expect(step).toContain("- Significant harm through exploitation, or its likelihood: Likely");
    expect(step).toMatch(/- it follows step 5 \(Refer to Children's Services \(MASH\)/);
    expect(step).toContain("Cites  Flowchart (child), Procedures §12.4");
    const fib = text.slice(text.indexOf("Send what is known to the police"));
    expect(fib).toMatch(/Who {4}West Midlands Police Force Intelligence Bureau/);
    // Nothing of the rules' machinery: no condition, no ids, no recommends[...].
    for (const machine of [
      "when    ",
      "recommends[",
      "[strategy-discussion]",
      "(screening.outcome)",
      "has(",
      " && ",
    ])
      expect(text, machine).not.toContain(machine);
    // A named condition is said by its meaning, with whether it held.
    const ex2 = testWorld();
    await run(ex2.world, ["ex-2-adult-refuses-nrm"], demo());
    expect(ex2.out()).not.toMatch(/\bfirst_responder\b|\bno_nrm_yet\b/);
    expect(ex2.out()).toMatch(/- .+: (yes|no) \(Procedures §/);
    const rules = testWorld();
    await run(rules.world, ["ex-1-county-lines-15"], demo({ rules: true }));
    expect(rules.out()).toBe(ex1Text(true));
  });

  it("prints the whole demonstration at once when the output is not a terminal", async () => {
    const w = testWorld();
    expect(await run(w.world, ["ex-1-county-lines-15"], demo())).toBe(0);
    expect(w.out()).toBe(ex1Text());
    expect(w.out()).not.toContain("Enter for the next step");
  });

  it("takes a unique start of a name, and a path to a scenario file, using its today", async () => {
    const w = testWorld();
    await run(w.world, ["ex-1"], demo({ all: true }));
    expect(w.out()).toBe(ex1Text());
    const d = testWorld();
    await run(d.world, ["scenarios/default-today-no-concern-date.yaml"], demo());
    expect(d.out()).toContain("The date the concern was identified is not given: taken as today, 2026-12-24");
    expect(d.out()).toContain("When   Thu 31 Dec 2026:");
    const over = testWorld();
    await run(over.world, ["default-today-no-concern-date"], demo({ date: "2027-01-04" }));
    expect(over.out()).toContain("taken as today, 2027-01-04");
  });

  it("works a worked example or story out as on the day it is told on, and says it; --date overrides", async () => {
    // The real today (here 20 Nov 2026) would make EX-1 "overdue: 86 calendar days" and put
    // EX-2 (16 Dec 2026) and t1 (28 Apr 2027) in the future.
    for (const [name, told] of [
      ["ex-1-county-lines-15", "Thu 27 Aug 2026"],
      ["ex-2-adult-refuses-nrm", "Wed 16 Dec 2026"],
      ["ex-3-transition-17", "Mon 23 Nov 2026"],
      // t1 is told on the day of its referral: no "referral after today" caution.
      ["t1-child-county-lines", "Wed 28 Apr 2027"],
    ] as const) {
      const w = testWorld();
      await run(w.world, [name], demo({ all: true }));
      expect(w.out(), name).toContain(`\nTold on ${told}: the dates are worked out as on that day.\n`);
      expect(w.out(), name).not.toMatch(/after today's date|Worked out as on/);
      // Late only as the case itself is (EX-3's plan was due 10 days after a meeting on 2 Nov).
      const late = [...w.out().matchAll(/overdue: (\d+)/g)].map((m) => Number(m[1]));
      expect(Math.max(0, ...late), name).toBeLessThanOrEqual(11);
    }
    const over = testWorld();
    await run(over.world, ["ex-1-county-lines-15"], demo({ all: true, date: "2026-11-20" }));
    expect(over.out()).toContain("\nWorked out as on Fri 20 Nov 2026 (--date).\n");
    expect(over.out()).toContain("When   Wed 26 Aug 2026 (overdue: 86 calendar days): immediately");
    expect(over.out()).not.toContain("Told on");
    // A case file with no day of its own is worked out as on today, and no day is said.
    const plain = testWorld();
    await run(plain.world, ["examples/ex-1-county-lines-15.yaml"], demo({ all: true }));
    expect(plain.out()).toContain("(overdue: 86 calendar days)");
    expect(plain.out()).not.toMatch(/Told on|Worked out as on/);
  });

  it("refuses an unknown scenario with the names there are (exit 2)", async () => {
    const w = testWorld();
    const failure = run(w.world, ["ex-9-nothing"], demo());
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('no scenario "ex-9-nothing"'),
      problems: expect.arrayContaining([
        "ex-1-county-lines-15",
        "ex-2-adult-refuses-nrm",
        "no-imminent-harm",
      ]),
    });
    const bad = testWorld();
    expect(await main(["node", "safeguard", "demo", "x", "--date", "2026-02-31"], bad.world)).toBe(2);
    expect(bad.err()).toContain('--date "2026-02-31" is not a date');
  });

  it("reports a case file's problems with their positions (exit 2)", async () => {
    const bad = join(scratch, "typo.yaml");
    writeFileSync(bad, "case_id: T\nscreening:\n  outcom: evidence\n");
    const w = testWorld({ cwd: scratch });
    await expect(run(w.world, ["typo.yaml"], demo())).rejects.toMatchObject({
      exitCode: 2,
      problems: [expect.stringMatching(/^typo\.yaml:3:3 +screening\.outcom: unknown field; did you mean/)],
    });
  });

  it("pauses between the steps at a terminal, and stops on q", async () => {
    const w = testWorld({ tty: true });
    const done = run(w.world, ["ex-1-county-lines-15"], demo());
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(w.out()).toContain("The case, in plain words:");
    expect(w.out()).toContain("Enter for the next step, q to stop");
    expect(w.out()).not.toContain("Step 1 of");
    w.stdin.write("\n");
    await settle();
    expect(w.out()).toContain("Step 1 of 11");
    expect(w.out()).not.toContain("Step 2 of");
    w.stdin.write("q\n");
    expect(await done).toBe(0);
    expect(w.out()).toMatch(/Stopped\.\n$/);
    expect(w.out()).not.toContain("Step 2 of");
  });

  it("shows the rest without pausing when the input ends, and never pauses with --all", async () => {
    const ended = testWorld({ tty: true, stdin: "\n" });
    expect(await run(ended.world, ["ex-1-county-lines-15"], demo())).toBe(0);
    expect(ended.out()).toContain("Step 11 of 11");
    expect(ended.out()).toContain("Where national guidance has moved on");
    const all = testWorld({ tty: true });
    expect(await run(all.world, ["ex-1-county-lines-15"], demo({ all: true }))).toBe(0);
    // A terminal that says no width is taken as 80 columns: the same text, broken between words.
    expect(all.out()).toBe(wrapText(ex1Text(), 80));
  });

  it("colours a terminal's output unless NO_COLOR is set", async () => {
    const w = testWorld({ tty: true, colour: true });
    await run(w.world, ["ex-1-county-lines-15"], demo({ all: true }));
    expect(w.out()).toContain("\x1b[1mStep 1 of 11:");
    const esc = String.fromCharCode(27);
    expect(w.out().replace(new RegExp(`${esc}\\[\\d+m`, "g"), "")).toBe(wrapText(ex1Text(), 80));
  });
});

describe("demo on a projector (issue 28)", () => {
  it.each([60, 80, 120])(
    "at a %i-column terminal, every line fits and breaks between words, never inside one",
    async (columns) => {
      const piped = testWorld();
      await run(piped.world, ["t1-child-county-lines"], demo({ all: true }));
      const tty = testWorld({ tty: true });
      Object.assign(tty.world.stdout, { columns });
      await run(tty.world, ["t1-child-county-lines"], demo({ all: true }));
      const lines = tty.out().split("\n");
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      // The same words in the same order: only the line breaks moved.
      expect(tty.out().split(/\s+/)).toEqual(piped.out().split(/\s+/));
      if (columns === 60) expect(lines.length).toBeGreaterThan(piped.out().split("\n").length);
    },
  );
});

describe("the story said again on a projector (issue 28)", () => {
  const storyStart = "Kai is 14. His school has noticed";
  it.each([
    [20, 2],
    [500, 1],
  ])("on a %i-row terminal the story is told %i time(s)", async (rows, times) => {
    const t = testWorld({ tty: true, stdin: "\n\n" });
    Object.assign(t.world.stdout, { rows, columns: 100 });
    expect(await run(t.world, ["t1-child-county-lines"], demo())).toBe(0);
    const told = t.out().split("The story again: ").length - 1;
    expect(told).toBe(times - 1);
    if (times === 2) expect(t.out().indexOf("The story again: ")).toBeLessThan(t.out().indexOf("Step 1 of"));
    expect(t.out()).toContain(storyStart);
  });

  it("is never said again under --redact", async () => {
    const t = testWorld({ tty: true, stdin: "\n\n" });
    Object.assign(t.world.stdout, { rows: 10, columns: 100 });
    await run(t.world, ["t1-child-county-lines"], demo({ redact: true }));
    expect(t.out()).not.toMatch(/The story again|Kai/);
  });
});
