import { createInterface } from "node:readline";
import { decideCase, decidedPathway } from "../case/decide.js";
import { UsageError } from "../errors.js";
import { loadFlow } from "../io/flows.js";
import { bundledScenarios, findScenario, readScenario } from "../io/scenarios.js";
import { useColour, type World } from "../io/world.js";
import { demoScript, demoText, quizText, scenarioList } from "../render/demo.js";

const NEXT = "Enter for the next step, q to stop ";
const REVEAL = "Enter to reveal, q to stop ";

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
  if (name === undefined) {
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
  if (opts.json) throw new UsageError("demo --json prints the list of scenarios: give no scenario name");
  const entry = findScenario(name, world.cwd);
  const scenario = readScenario(entry, world.cwd);
  // A case file given by path may be named after the person, and say who it is in its
  // `name:` or first comment: a redacted demo (on a projector) shows neither. The bundled
  // scenarios' names are made up, and kept.
  const withheld = opts.redact && entry.text !== undefined;
  const file = withheld ? "the case file" : scenario.file;
  const flow = loadFlow(undefined, world.cwd);
  const today = date ?? scenario.today ?? world.today();
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
    },
    { colour: useColour(world), rules: opts.rules, program: world.program },
  );
  const { quiz } = opts;
  if (opts.all || !world.stdout.isTTY) {
    if (quiz && !opts.all)
      world.stderr.write("demo --quiz: not a terminal, so each question is printed with its answer.\n");
    world.stdout.write(quiz ? quizText(script) : demoText(script));
    return 0;
  }
  const parts: [string, string][] = quiz
    ? [
        [script.intro, NEXT],
        ...script.steps.flatMap((s, i): [string, string][] => [
          [script.questions[i] ?? "", REVEAL],
          [s, NEXT],
        ]),
      ]
    : [[script.intro, NEXT], ...script.steps.map((s): [string, string] => [s, NEXT])];
  await stepThrough(world, [...parts, [script.outro, NEXT]]);
  return 0;
}

/**
 * Print the parts one at a time, each followed by its prompt, waiting for Enter; q stops,
 * end of input shows the rest.
 */
async function stepThrough(world: World, parts: [string, string][]): Promise<void> {
  const rl = createInterface({ input: world.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let waiting = true;
  try {
    for (const [i, [part, prompt]] of parts.entries()) {
      world.stdout.write(i === 0 ? part : `\n${part}`);
      if (!waiting || i === parts.length - 1) continue;
      world.stdout.write(prompt);
      const line = await lines.next();
      // The typed line was echoed by the terminal: take the prompt away again.
      world.stdout.write(world.stdin.isTTY && !line.done ? "\x1b[1A\x1b[2K" : "\r\x1b[2K");
      if (line.done) waiting = false;
      else if (/^\s*q(uit)?\s*$/i.test(line.value)) {
        world.stdout.write("Stopped.\n");
        return;
      }
    }
  } finally {
    rl.close();
  }
}
