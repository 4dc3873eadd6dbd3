import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Value } from "../src/engine/answers.js";
import { groupAnswers, liveRows, nextScreen } from "../src/engine/next.js";
import { formatProblem } from "../src/flow/problems.js";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow, compileWith } from "./helpers/flow.js";

// Issue 21: a question that only matters once another answer is known (`gate:` in
// flows/parts/questions.yaml) waits for it; "not known" keeps it closed. The scenarios
// (scenarios/gate-*.yaml, `asks` / `not_asks`) test each gate both ways and not known.
const TODAY = "2026-11-23";
const flow = bundledFlow();

describe("a gate is checked when the flow is loaded", () => {
  const lines = (edit: (t: string) => string) =>
    compileWith("parts/questions.yaml", edit).problems.map(formatProblem);
  const maace = "gate: { fact: maace.in_process }";

  it("the bundled flow's gates are all asked before the questions they open", () => {
    const order = flow.questions.map((q) => q.fact.id);
    const gated = flow.questions.filter((q) => q.gate);
    expect(gated.length).toBeGreaterThanOrEqual(15);
    for (const q of gated)
      expect(order.indexOf(q.gate?.fact ?? ""), q.fact.id).toBeLessThan(order.indexOf(q.fact.id));
  });

  it("an unknown fact, with did you mean; a typed fact; a question its own gate", () => {
    expect(lines((t) => t.replace(maace, "gate: { fact: maace.in_proces }"))).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.gate\.fact: unknown fact "maace\.in_proces"; did you mean "maace\.in_process"\?$/,
      ),
    );
    expect(lines((t) => t.replace(maace, "gate: { fact: concern.missing_episodes }"))).toContainEqual(
      expect.stringMatching(
        /gate\.fact: concern\.missing_episodes is typed \(int\): a gate is a yes \/ no fact/,
      ),
    );
    expect(
      lines((t) =>
        t.replace(
          "  - fact: maace.sustained_progress_weeks\n    over_time: true\n    ask: How many weeks of sustained progress have all involved recognised?\n    gate: { fact: maace.in_process }",
          "  - fact: maace.sustained_progress_weeks\n    over_time: true\n    ask: How many weeks of sustained progress have all involved recognised?\n    gate: { fact: maace.sustained_progress_weeks }",
        ),
      ),
    ).toContainEqual(expect.stringMatching(/gate\.fact: a question cannot be its own gate$/));
  });

  it("values: none for yes / no, some for a choice, each a value and never the not-known one", () => {
    expect(
      lines((t) => t.replace(maace, 'gate: { fact: maace.in_process, values: ["yes"] }')),
    ).toContainEqual(
      expect.stringMatching(
        /gate\.values: maace\.in_process is yes \/ no: it opens on yes, so leave values out$/,
      ),
    );
    const s42 = 'gate: { fact: s42.duty_met, values: ["yes"] }';
    expect(lines((t) => t.replace(s42, "gate: { fact: s42.duty_met }"))).toContainEqual(
      expect.stringMatching(/gate\.fact: s42\.duty_met is a choice: say which values open it/),
    );
    expect(lines((t) => t.replace(s42, "gate: { fact: s42.duty_met, values: [unknown] }"))).toContainEqual(
      expect.stringMatching(/gate\.values\[0\]: "unknown" means not known, which never opens a gate$/),
    );
    expect(lines((t) => t.replace(s42, "gate: { fact: s42.duty_met, values: [yse] }"))).toContainEqual(
      expect.stringMatching(
        /gate\.values\[0\]: "yse" is not a value of s42\.duty_met; did you mean "yes"\?$/,
      ),
    );
  });

  it("a gate asked after the question it opens, or by no question", () => {
    expect(lines((t) => t.replace(maace, "gate: { fact: person.care_leaver }"))).toContainEqual(
      expect.stringMatching(
        /questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.gate\.fact: person\.care_leaver is asked after this question: ask it before$/,
      ),
    );
    expect(
      lines((t) =>
        t
          .replace(maace, "gate: { fact: person.care_leaver }")
          .replace(/ {2}- fact: person\.care_leaver\n(?: {4}.*\n)+/, ""),
      ),
    ).toContainEqual(expect.stringMatching(/gate\.fact: person\.care_leaver is not asked by any question$/));
  });

  it("`flows validate` exits 2 on a bad gate, naming the file, line and field", () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-gates-"));
    cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
    const file = join(dir, "flows", "parts", "questions.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(maace, "gate: { fact: maace.in_proces }"));
    const r = cli(["flows", "validate", "flows"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/parts\/questions\.yaml:\d+:\d+ {2}questions\[\d+\]\.gate\.fact: unknown fact/);
    expect(r.stderr).not.toContain("at ");
  });
});

describe("a gate on a group's screen", () => {
  // The advocacy screen of someone with substantial difficulty: whether that person is
  // suspected, or disagrees, is asked only of a suitable person.
  const start = new Map<string, Value | null>(
    Object.entries({
      case_id: "G",
      "concern.date": "2026-11-20",
      "concern.about": "individual",
      "person.dob": "1990-01-01",
      "person.age_disputed": false,
      "responder.is_safeguarding_lead": true,
      "advocacy.substantial_difficulty": true,
    }),
  );
  function advocacyScreen() {
    const answers = new Map(start);
    for (let i = 0; i < 100; i++) {
      const screen = nextScreen(flow, answers, TODAY);
      if (!screen) break;
      if (screen.kind === "group" && screen.group.id === "advocacy") return { answers, screen };
      const rows = screen.kind === "group" ? screen.questions : [screen.question];
      for (const q of rows) answers.set(q.fact.id, null);
    }
    throw new Error("no advocacy screen");
  }

  it("shows the rows it opens, live only once the row above opens them", () => {
    const { answers, screen } = advocacyScreen();
    const rows = screen.questions;
    const ids = rows.map((q) => q.fact.id);
    expect(ids).toContain("advocacy.family_suspected");
    const at = (id: string) => ids.indexOf(id);
    const live = (v: Record<string, Value | null>) =>
      liveRows(flow, answers, TODAY, rows, new Map(Object.entries(v)));
    expect(ids[0]).toBe("advocacy.suitable_person");
    for (const suitable of [false, null]) {
      const l = live({ "advocacy.suitable_person": suitable });
      expect(l[at("advocacy.family_suspected")], String(suitable)).toBe(false);
      expect(l[at("advocacy.disagreement")], String(suitable)).toBe(false);
    }
    const open = live({ "advocacy.suitable_person": true });
    expect(open[at("advocacy.family_suspected")]).toBe(true);
    expect(open[at("advocacy.disagreement")]).toBe(true);
    // A row left alone is not known: the screen records nothing for the rows it keeps closed.
    const given = groupAnswers(flow, answers, TODAY, rows, new Map());
    expect(given.has("advocacy.family_suspected")).toBe(false);
    expect(given.get("advocacy.suitable_person")).toBeNull();
  });
});

describe("a list's value that stands alone (`alone:` in flows/facts.yaml) is checked at load", () => {
  const lines = (edit: (t: string) => string) => compileWith("facts.yaml", edit).problems.map(formatProblem);
  const alone = 'alone: ["no"]';

  it("one of the list's values, on a list", () => {
    expect(lines((t) => t.replace(alone, 'alone: ["nope"]'))).toContainEqual(
      expect.stringMatching(
        /^flows\/facts\.yaml:\d+:\d+ {2}facts\.person\.open_to_childrens_services\.alone\[0\]: "nope" is not a value of person\.open_to_childrens_services; did you mean "no"\?$/,
      ),
    );
    expect(
      lines((t) =>
        t.replace(
          "  person.care_leaver: { type: bool,",
          '  person.care_leaver: { type: bool, alone: ["no"],',
        ),
      ),
    ).toContainEqual(
      expect.stringMatching(/facts\.person\.care_leaver\.alone: only a list has values that stand alone$/),
    );
  });
});
