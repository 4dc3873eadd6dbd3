import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Value } from "../src/engine/answers.js";
import { groupAnswers, liveRows, nextQuestion, nextScreen } from "../src/engine/next.js";
import { formatProblem } from "../src/flow/problems.js";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow, compileWith } from "./helpers/flow.js";

// Issue 14: questions a lead answers together come on one screen, a row each (`group:` in
// flows/parts/questions.yaml). The engine says which rows; each row is its own fact.
const TODAY = "2026-11-23";
const flow = bundledFlow();

type A = Map<string, Value | null>;
const child = (more: Record<string, Value | null> = {}): A =>
  new Map(
    Object.entries({
      case_id: "G",
      "concern.date": "2026-11-20",
      "concern.about": "individual",
      "person.dob": "2012-03-10",
      "responder.is_safeguarding_lead": true,
      ...more,
    }),
  );

/** Answer screens from `known` ("not known" where it has nothing) until `stop` is the next screen's first fact. */
function upTo(stop: string, start: A, known: Record<string, Value | null> = {}): A {
  const answers = new Map(start);
  for (let i = 0; i < 100; i++) {
    const q = nextQuestion(flow, answers, TODAY);
    if (!q || q.fact.id === stop) return answers;
    answers.set(q.fact.id, known[q.fact.id] ?? null);
  }
  throw new Error(`${stop} never asked`);
}

describe("a group of questions on one screen", () => {
  it("comes when its first askable question comes, with only its questions worth asking now", () => {
    const answers = upTo("person.allocated_social_worker", child(), {
      "concern.imminent_harm": false,
      "screening.outcome": "evidence",
      "maace.in_process": false,
      "mash.referral_made": false,
      "screening.significant_harm": "likely",
    });
    const screen = nextScreen(flow, answers, TODAY);
    expect(screen?.kind).toBe("group");
    if (screen?.kind !== "group") return;
    expect(screen.group.id).toBe("childrens-social-care");
    expect(screen.group.heading).toBeTruthy();
    expect(screen.questions.map((q) => q.fact.id)).toEqual([
      "person.allocated_social_worker",
      "person.child_protection_plan",
      "person.looked_after",
      "person.has_siblings",
    ]);
    // Each row keeps its own words and its own not known.
    for (const q of screen.questions) expect(q.notKnown).toBe(true);
    // The first row is nextQuestion's question.
    expect(screen.questions[0]).toBe(nextQuestion(flow, answers, TODAY));
  });

  it("leaves out a question not worth asking: an adult is not asked about children's social care", () => {
    const adult = upTo(
      "concern.linked_victims_or_perpetrators",
      child({ "person.dob": "1990-01-01", "person.age_disputed": false }),
    );
    const screen = nextScreen(flow, adult, TODAY);
    expect(screen?.kind).toBe("group");
    if (screen?.kind !== "group") return;
    expect(screen.group.id).toBe("links-and-patterns");
    // Answered already: left out of the screen.
    adult.set("concern.perpetrator_or_location_information", true);
    const again = nextScreen(flow, adult, TODAY);
    const rows = again?.kind === "group" ? again.questions.map((q) => q.fact.id) : [];
    expect(rows).not.toContain("concern.perpetrator_or_location_information");
  });

  it("a group with one question worth asking is that question on its own", () => {
    const answers = upTo("concern.imminent_harm", child());
    answers.set("concern.missing_now", false);
    expect(nextScreen(flow, answers, TODAY)).toEqual({
      kind: "question",
      question: nextQuestion(flow, answers, TODAY),
    });
  });

  it("a row left alone stays not known, never no; rows the rows above make not worth asking are left out", () => {
    const answers = upTo("person.allocated_social_worker", child(), { "screening.outcome": "evidence" });
    const screen = nextScreen(flow, answers, TODAY);
    if (screen?.kind !== "group") throw new Error("no group");
    const rows = screen.questions;
    // Nothing chosen: every row is answered not known (null), none false.
    const none = groupAnswers(flow, answers, TODAY, rows, new Map());
    expect([...none.values()].every((v) => v === null)).toBe(true);
    expect(none.size).toBe(rows.length);
    // A child not open to social care at Level 4: the plan and being looked after are then not
    // asked one by one either, so the screen leaves them out.
    const values = new Map<string, Value | null>([
      ["person.allocated_social_worker", false],
      ["person.child_protection_plan", true],
      ["person.has_siblings", true],
    ]);
    expect(liveRows(flow, answers, TODAY, rows, values)).toEqual([true, false, false, true]);
    const given = groupAnswers(flow, answers, TODAY, rows, values);
    expect([...given]).toEqual([
      ["person.allocated_social_worker", false],
      ["person.has_siblings", true],
    ]);
    // Asked one by one, the same answers leave out the same questions.
    const oneByOne = new Map(answers);
    oneByOne.set("person.allocated_social_worker", false);
    expect(nextQuestion(flow, oneByOne, TODAY)?.fact.id).toBe("person.has_siblings");
    // Open at Level 4, the plan not known: the rows are asked (a plan would settle the next).
    values.set("person.allocated_social_worker", true);
    values.delete("person.child_protection_plan");
    expect(liveRows(flow, answers, TODAY, rows, values)).toEqual([true, true, true, true]);
  });

  it("every group's questions are yes / no or a few choices, and a group has two or more", () => {
    expect(flow.groups.size).toBeGreaterThanOrEqual(5);
    for (const g of flow.groups.values()) {
      expect(g.facts.length, g.id).toBeGreaterThanOrEqual(2);
      for (const f of g.facts) {
        const q = flow.questions.find((x) => x.fact.id === f);
        expect(q?.group, f).toBe(g.id);
        expect(["bool", "enum"], f).toContain(q?.fact.type);
      }
    }
  });
});

describe("a bad group is an error naming file, line and field", () => {
  const lines = (edit: (t: string) => string) =>
    compileWith("parts/questions.yaml", edit).problems.map(formatProblem);

  it("an unknown group, with did you mean", () => {
    const out = lines((t) => t.replace("group: right-now", "group: right-nwo"));
    expect(out).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.group: no group "right-nwo" in this part; did you mean "right-now"\?$/,
      ),
    );
    // right-now is left with one question: said too.
    expect(out).toContainEqual(expect.stringMatching(/groups\[0\]\.id: group "right-now" has 1 question/));
  });

  it("a question that cannot be a row (typed, or too many choices)", () => {
    const typed = lines((t) =>
      t.replace(
        "  - fact: concern.missing_episodes\n",
        "  - fact: concern.missing_episodes\n    group: links-and-patterns\n",
      ),
    );
    expect(typed).toContainEqual(
      expect.stringMatching(
        /questions\[\d+\]\.group: concern\.missing_episodes is typed \(int\): a group's rows are yes \/ no or a few choices$/,
      ),
    );
    const many = lines((t) =>
      t.replace("  - fact: nrm.decision\n", "  - fact: nrm.decision\n    group: links-and-patterns\n"),
    );
    expect(many).toContainEqual(
      expect.stringMatching(
        /nrm\.decision has 7 choices \("not known" included\): a group's rows have at most 4$/,
      ),
    );
  });

  it("a group defined twice, or with no questions; an unknown field", () => {
    expect(lines((t) => t.replace("  - id: shep\n", "  - id: advocacy\n"))).toContainEqual(
      expect.stringMatching(/groups\[\d+\]\.id: group "advocacy" is defined twice$/),
    );
    expect(
      lines((t) => t.replace("groups:\n", "groups:\n  - id: spare\n    heading: Spare\n")),
    ).toContainEqual(
      expect.stringMatching(/groups\[0\]\.id: group "spare" has 0 questions: a group needs two or more$/),
    );
    expect(
      lines((t) => t.replace("    heading: Right now\n", "    heading: Right now\n    hepl: x\n")),
    ).toContainEqual(expect.stringMatching(/groups\[0\]\.hepl: unknown field; did you mean "help"\?$/));
  });

  it("`flows validate` exits 2 on a bad group, naming the file, line and field", () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-groups-"));
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const file = join(dir, "flows", "parts", "questions.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("group: shep", "group: shepp"));
    const r = cli(["flows", "validate", "flows"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /parts\/questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.group: no group "shepp" in this part; did you mean "shep"\?/,
    );
    expect(r.stderr).not.toContain("at ");
  });
});

describe("a group's words", () => {
  it("pass check-language (the lexicon of Procedures §7), and every group has help and a citation", async () => {
    const { loadLexicon } = await import("../src/io/lexicon.js");
    const { checkText } = await import("../src/language/check.js");
    const { bundledFlowsDir } = await import("../src/io/paths.js");
    const lexicon = loadLexicon(bundledFlowsDir);
    if (!lexicon) throw new Error("no lexicon");
    for (const g of flow.groups.values()) {
      expect(g.help, g.id).toBeTruthy();
      expect(g.cite, g.id).toBeTruthy();
      for (const text of [g.heading, g.help ?? ""])
        expect(
          checkText(text, lexicon, 10).map((f) => f.phrase),
          `${g.id}: ${text}`,
        ).toEqual([]);
    }
  });
});
