import { createInterface } from "node:readline";
import { decideCase, decidedPathway } from "../case/decide.js";
import { UsageError } from "../errors.js";
import { loadFlow } from "../io/flows.js";
import { bundledScenarios, findScenario, readScenario } from "../io/scenarios.js";
import { useColour, type World } from "../io/world.js";
import { type DemoScript, demoScript, demoText, scenarioList } from "../render/demo.js";
import { terminalText } from "../render/inert.js";
import { fitted } from "../render/wrap.js";
import { type QuizQuestion, quizQuestions } from "../training/quiz.js";
import {
  answerKeyText,
  askText,
  heardLetter,
  isRight,
  learnerSheetText,
  revealText,
  scoreText,
} from "../training/quiz-text.js";
import { say } from "../words/problems.js";

const NEXT = "Enter for the next step, q to stop ";
const REVEAL = "The room's answer (a letter), then Enter to reveal; q to stop ";

/**
 * `safeguard demo [SCENARIO] [--all] [--quiz] [--rules] [--redact] [--date YYYY-MM-DD]`:
 * trainer mode. Without a name, the worked examples and training scenarios (`--all`: the
 * test scenarios too); with one, the case stepped through, pausing between the steps when
 * the output is a terminal; `--quiz` asks the room before each step is shown.
 */
export interface DemoOptions {
  all: boolean;
  quiz: boolean;
  rules: boolean;
  redact: boolean;
  date: string | undefined;
  json: boolean;
}

export async function run(world: World, args: string[], opts: DemoOptions): Promise<number> {
  const { date } = opts;
  const name = args[0];
  if (name === undefined) return listScenarios(world, opts);
  if (opts.json) throw new UsageError(say.demoJsonList());
  const entry = findScenario(name, world.cwd);
  const scenario = readScenario(entry, world.cwd);
  // A case file given by path may be named after the person, and say who it is in its
  // `name:` or first comment: a redacted demo (on a projector) shows neither. The bundled
  // scenarios' names are made up, and kept.
  const withheld = opts.redact && entry.text !== undefined;
  const file = withheld ? "the case file" : scenario.file;
  const flow = loadFlow(undefined, world.cwd);
  // A worked example or training story is told on a day of its own: worked out as on that
  // day, nothing in front of a room is "overdue (103 days)" or "in the future".
  const toldOn = scenario.today ?? entry.toldOn;
  const today = date ?? toldOn ?? world.today();
  // The pathway is decided from the real facts; only what is shown is redacted.
  const pathway = decidedPathway(
    decideCase(flow, { file, text: scenario.caseText }, { today, redact: opts.redact }),
    `the case in ${file}`,
  );
  const script = demoScript(
    flow,
    pathway,
    {
      stem: withheld ? "a case file" : entry.stem,
      name: withheld ? "(its name withheld: --redact)" : entry.name,
      file,
      plain: scenario.plain,
      story: opts.redact ? undefined : scenario.story,
      ...(date !== undefined ? { asOn: { day: date, told: false } } : {}),
      ...(date === undefined && toldOn !== undefined ? { asOn: { day: toldOn, told: true } } : {}),
    },
    { colour: useColour(world), rules: opts.rules, program: world.program },
  );
  const { quiz } = opts;
  // The quiz: for each step, its right answer and wrong ones drawn from the flow.
  const qs = quiz ? quizQuestions(flow, pathway, { most: pathway.actions.length }) : [];
  const total = pathway.actions.length;
  if (opts.all || !world.stdout.isTTY) {
    printWhole(world, script, quiz ? { qs, total } : undefined, quiz && !opts.all);
    return 0;
  }
  const again = storyAgain(world, script, opts.redact ? undefined : scenario.story);
  if (!quiz) {
    await stepThrough(world, [
      { text: () => script.intro, prompt: NEXT },
      ...script.steps.map((s, i) => ({ text: () => (i === 0 ? again : "") + s, prompt: NEXT })),
      { text: () => script.outro, prompt: NEXT },
    ]);
    return 0;
  }
  await stepThrough(world, quizParts(script, qs, total, again));
  return 0;
}

/** The worked examples and training scenarios (`--all`: the test scenarios too), as a list or JSON. */
function listScenarios(world: World, opts: DemoOptions): number {
  const entries = bundledScenarios();
  if (opts.json) {
    // The same entries as the list: the test scenarios with --all only.
    const listed = entries
      .filter((e) => opts.all || e.kind !== "scenario")
      .map((e) => ({ name: e.stem, kind: e.kind, title: e.name }));
    world.stdout.write(`${JSON.stringify({ scenarios: listed }, null, 2)}\n`);
  } else world.stdout.write(scenarioList(entries, { all: opts.all, program: world.program }));
  return 0;
}

/**
 * The whole demo at once (`--all`, or not a terminal); with QUIZ, the learner sheet first and
 * the answer key after a page break. NOT_A_TERMINAL: say so on stderr, as the quiz was asked for a room.
 */
function printWhole(
  world: World,
  script: DemoScript,
  quiz: { qs: QuizQuestion[]; total: number } | undefined,
  notATerminal: boolean,
): void {
  if (notATerminal)
    world.stderr.write(
      "demo --quiz: not a terminal, so the learner sheet is printed first, and the answer key after a page break.\n",
    );
  const toWidth = (s: string) => (world.stdout.isTTY ? fitted(s, world.stdout) : s);
  world.stdout.write(
    toWidth(
      quiz
        ? learnerSheetText(script.intro, quiz.qs, quiz.total) +
            answerKeyText(quiz.qs, script.steps, script.outro)
        : demoText(script),
    ),
  );
}

/** On a projector the story has often scrolled off by the first step: said again then. */
function storyAgain(world: World, script: DemoScript, story: string | undefined): string {
  const rows = (world.stdout as { rows?: number }).rows ?? 24;
  const scrolled = fitted(script.intro, world.stdout).split("\n").length > rows - 2;
  return story && scrolled ? `${terminalText(`The story again: ${story.replace(/\s+/g, " ")}`)}\n\n` : "";
}

/** The quiz stepped through: each step asked, the room's letter heard, then revealed; the score at the end. */
function quizParts(script: DemoScript, qs: QuizQuestion[], total: number, again: string): Part[] {
  const said: (boolean | undefined)[] = qs.map(() => undefined);
  const letters: (string | undefined)[] = qs.map(() => undefined);
  return [
    { text: () => script.intro, prompt: NEXT },
    ...qs.flatMap((q, i): Part[] => [
      {
        text: () => (i === 0 ? again : "") + terminalText(askText(q, total)),
        prompt: REVEAL,
        heard: (line) => {
          letters[i] = heardLetter(q, line);
          said[i] = letters[i] === undefined ? undefined : isRight(q, letters[i]);
        },
      },
      {
        text: () => `${terminalText(revealText(q, letters[i]))}\n${script.steps[q.step - 1] ?? ""}`,
        prompt: NEXT,
      },
    ]),
    { text: () => `${script.outro}\n${scoreText(qs.length, said)}`, prompt: NEXT },
  ];
}

interface Part {
  /** Made when it is shown: a reveal says what the room answered. */
  text: () => string;
  prompt: string;
  /** What was typed at its prompt. */
  heard?: (line: string) => void;
}

/**
 * Print the parts one at a time, each followed by its prompt, waiting for Enter; q stops,
 * end of input shows the rest.
 */
async function stepThrough(world: World, parts: Part[]): Promise<void> {
  // At a terminal (a projector), lines break between words at its width, never inside one.
  const toWidth = (s: string) => fitted(s, world.stdout);
  const rl = createInterface({ input: world.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let waiting = true;
  try {
    for (const [i, { text, prompt, heard }] of parts.entries()) {
      world.stdout.write(i === 0 ? toWidth(text()) : `\n${toWidth(text())}`);
      if (!waiting || i === parts.length - 1) continue;
      world.stdout.write(prompt);
      const line = await lines.next();
      // The typed line was echoed by the terminal: take the prompt away again.
      world.stdout.write(world.stdin.isTTY && !line.done ? "\x1b[1A\x1b[2K" : "\r\x1b[2K");
      if (line.done) waiting = false;
      else if (/^\s*q(uit)?\s*$/i.test(line.value)) {
        world.stdout.write("Stopped.\n");
        return;
      } else heard?.(line.value);
    }
  } finally {
    rl.close();
  }
}
