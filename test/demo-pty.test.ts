import { afterEach, describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { bundledScenarios, readScenario, type ScenarioEntry } from "../src/io/scenarios.js";
import { decideStory } from "../src/training/case-seam.js";
import { LETTERS, type QuizQuestion, quizQuestions, rightLetter } from "../src/training/quiz.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";
import { Terminal, tmuxVersion } from "./helpers/tmux.js";

// `demo --quiz` in a real terminal (tmux): the room chooses before each step is shown, and is scored.
const tmux = tmuxVersion();
if (tmux.missing && process.env.CI) throw new Error(`the demo's terminal tests need tmux: ${tmux.missing}`);

const flow = bundledFlow();
const title = (id: string) => flow.actionById.get(id)?.title as string;
const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

/** The t7 story's quiz, as the demo asks it: the right letter and a wrong one for each step. */
function t7Quiz() {
  const entry = bundledScenarios().find((e) => e.stem === "t7-context-place") as ScenarioEntry;
  const s = readScenario(entry, packageRoot);
  const p = decideStory(flow, s.file, s.caseText, s.today as string);
  return quizQuestions(flow, p, { most: p.actions.length }).map((q) => ({
    right: rightLetter(q),
    wrong: LETTERS[q.choices.findIndex((c) => !c.right)] as string,
  }));
}

describe.skipIf(Boolean(tmux.missing))(`demo --quiz in a terminal (${tmux.version ?? "no tmux"})`, () => {
  it("asks the room to choose, reveals why their answer is right or wrong, and scores them at the end", async () => {
    const [q1, q2] = t7Quiz();
    if (!q1 || !q2) throw new Error("t7 has two steps");
    const t = new Terminal({
      args: ["demo", "t7-context-place", "--quiz"],
      cwd: packageRoot,
      env: { NO_COLOR: "1" },
    });
    terminals.push(t);
    let s = await t.waitFor(/Enter for the next step, q to stop/, "the case");
    expect(s).toContain("A housing officer keeps seeing different young people");
    expect(s).not.toContain("what happens next?");
    t.keys("Enter");
    s = await t.waitFor(
      /The room's answer \(a letter\), then Enter to reveal; q to stop/,
      "the first question",
    );
    expect(s).toContain("Step 1 of 2: what happens next?");
    expect(s).toMatch(/ {4}A\. .*\n {4}B\. /);
    // The answer is not said before the room answers.
    expect(s).not.toContain("Right:");
    t.type(q1.wrong.toLowerCase());
    t.keys("Enter");
    s = await t.waitFor(
      (x) => x.includes(`Step 1 of 2: ${title("contextual-concern-advice")}`),
      "the first step",
    );
    expect(s).toContain(`The room said ${q1.wrong}: Not here: that step is in the`);
    expect(s).toContain(`The answer is ${q1.right}, "${title("contextual-concern-advice")}". Right:`);
    t.keys("Enter");
    s = await t.waitFor(/Step 2 of 2: what happens next\?/, "the second question");
    t.type(q2.right);
    t.keys("Enter");
    s = await t.waitFor((x) => x.includes(`The room said ${q2.right}: Right:`), "the second answer");
    t.keys("Enter");
    expect(await t.waitExit()).toBe(0);
    s = t.screen();
    expect(s).toContain("The room answered 2 of 2 questions and got 1 right.");
  });

  it("stops on q before the answer is shown", async () => {
    const t = new Terminal({
      args: ["demo", "t7-context-place", "--quiz"],
      cwd: packageRoot,
      env: { NO_COLOR: "1" },
    });
    terminals.push(t);
    await t.waitFor(/Enter for the next step, q to stop/, "the case");
    t.keys("Enter");
    await t.waitFor(/Enter to reveal; q to stop/, "the first question");
    t.type("q");
    t.keys("Enter");
    expect(await t.waitExit()).toBe(0);
    const s = t.screen();
    expect(s).toContain("Stopped.");
    expect(s).not.toContain(`Step 1 of 2: ${title("contextual-concern-advice")}`);
  });
});

/** Training stories' quizzes, as the demo asks them. */
function storyQuiz(stem: string) {
  const entry = bundledScenarios().find((e) => e.stem === stem) as ScenarioEntry;
  const s = readScenario(entry, packageRoot);
  const p = decideStory(flow, s.file, s.caseText, s.today as string);
  return quizQuestions(flow, p, { most: p.actions.length });
}

/** How a citation starts: the procedures, a flowchart, the West Midlands framework, the strategy. */
const CITE = "(?:Procedures|Flowchart|WM Framework|Strategy)\\b";

/** Words that would blame the room (or anyone) for a choice, rather than explain it. */
const BLAME = /\b(wrong|incorrect|mistaken?|failed|should have|careless|bad|poor)\b/i;

describe("demo --quiz --all: the learner sheet and the answer key at once, for a trainer to print", () => {
  const stories = bundledScenarios().filter((e) => e.kind === "training");

  it("every training story: each question, then the key: the right answer with its why and citation; each wrong one explained, not blamed", () => {
    expect(stories.length).toBe(8);
    for (const { stem } of stories) {
      // Answers piped in are not taken as the room's: --all prints, and asks nothing.
      const r = cli(["demo", stem, "--quiz", "--all"], { input: "A\nB\nC\nD\n" });
      expect(r.code, stem).toBe(0);
      // Asked for at once: no note that it is not a terminal.
      expect(r.stderr, stem).toBe("");
      const [sheet = "", key = "", ...more] = r.stdout.split("\f");
      expect(more, stem).toEqual([]);
      const qs = storyQuiz(stem);
      expect(qs.length, stem).toBeGreaterThan(0);
      expect(sheet).toContain("Quiz: choose one answer for each step.");
      expect(sheet).not.toMatch(/Right:|Not here:|the answer is/);
      expect(key.trimStart().startsWith("Answer key (for the trainer)"), stem).toBe(true);
      for (const q of qs) {
        expect(sheet, stem).toContain(`Step ${q.step} of `);
        for (const c of q.choices) expect(sheet, stem).toContain(`. ${c.text}`);
        const right = rightLetter(q);
        const at = key.indexOf(`Step ${q.step}: the answer is ${right}.\n`);
        expect(at, `${stem} step ${q.step}`).toBeGreaterThan(-1);
        const lines = key
          .slice(at)
          .split("\n")
          .slice(1, 1 + q.choices.length);
        q.choices.forEach((c, i) => {
          const line = lines[i] ?? "";
          const letter = LETTERS[i] as string;
          if (c.right) {
            // Why, with the procedures' citation, and where to read it.
            expect(line, stem).toMatch(
              new RegExp(`^  ${letter}: Right: .+ \\(${CITE}.*\\)\\. .* See ${CITE}.*\\.$`),
            );
          } else {
            // Explained: where the step belongs, by the procedures' part and section, and why not here.
            expect(line, stem).toMatch(
              new RegExp(
                `^  ${letter}: Not here: that step is in the "[^"]+" part of the procedures \\(${CITE}.*\\), (and the procedures do not call for it in this case|for the other age group)\\.$`,
              ),
            );
          }
          expect(line, stem).not.toMatch(BLAME);
        });
      }
      // Each step in full follows its answer: its Why with a citation.
      expect(
        key.match(new RegExp(`^ {2}Why {4}.*\\(${CITE}.*\\)$`, "gm"))?.length ?? 0,
        stem,
      ).toBeGreaterThanOrEqual(qs.length);
      // Nothing was asked of the room, so nothing is said or scored for it.
      expect(r.stdout, stem).not.toMatch(/The room (said|answered)|Enter to reveal|Enter for the next step/);
    }
    // Eight runs of the built program, on a machine that may be busy: a generous time, not a speed test.
  }, 240_000);

  it.skipIf(Boolean(tmux.missing))(
    "at a terminal: printed at once, at its width, waiting for no key",
    async () => {
      const t = new Terminal({
        args: ["demo", "t7-context-place", "--quiz", "--all"],
        cwd: packageRoot,
        env: { NO_COLOR: "1" },
        width: 100,
      });
      terminals.push(t);
      expect(await t.waitExit()).toBe(0);
      const s = t.screen();
      const [q1, q2] = storyQuiz("t7-context-place");
      expect(s).toContain("Quiz: choose one answer for each step.");
      expect(s).toContain("Answer key (for the trainer)");
      expect(s).toContain(`Step 1: the answer is ${rightLetter(q1 as QuizQuestion)}.`);
      expect(s).toContain(`Step 2: the answer is ${rightLetter(q2 as QuizQuestion)}.`);
      expect(s).toMatch(
        /Right: the concern is about a peer group, place or online space rather than one person\s+\(Procedures\s+§11\.1\)/,
      );
      expect(s).not.toMatch(/Enter to reveal|The room answered|not a terminal/);
      for (const line of t.visible().split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    },
  );
});

describe("demo --quiz without a terminal", () => {
  it("says so, and prints the learner sheet, then the answer key apart after a page break", () => {
    const [q1] = t7Quiz();
    const r = cli(["demo", "t7-context-place", "--quiz"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "demo --quiz: not a terminal, so the learner sheet is printed first, and the answer key after a page break.",
    );
    const [sheet = "", key = ""] = r.stdout.split("\f");
    expect(sheet).toContain("Step 1 of 2: what happens next?");
    expect(sheet).toContain("Step 2 of 2: what happens next?");
    expect(sheet).not.toMatch(/Right:|the answer is|Not here/);
    expect(sheet).not.toContain(`Step 1 of 2: ${title("contextual-concern-advice")}`);
    expect(key).toContain(`Step 1: the answer is ${q1?.right}.`);
    expect(key).toContain(`Step 1 of 2: ${title("contextual-concern-advice")}`);
    expect(r.stdout).not.toContain("Enter to reveal");
  });
});
