import { createInterface } from "node:readline";
import { useColour, type World } from "../cli/world.js";
import { readCase } from "../engine/answers.js";
import { decide } from "../engine/decide.js";
import { InputError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import { loadFlow } from "../io/flows.js";
import { bundledFlowsDir } from "../io/paths.js";
import { bundledScenarios, findScenario, readScenario } from "../io/scenarios.js";
import { loadLexicon } from "../language/load.js";
import { demoScript, demoText, scenarioList } from "../render/demo.js";

const PROMPT = "Enter for the next step, q to stop ";

/**
 * `safeguard demo [SCENARIO] [--all] [--date YYYY-MM-DD]`: trainer mode. Without a name,
 * the bundled scenarios; with one, the case stepped through, pausing between the steps
 * when the output is a terminal.
 */
export interface DemoOptions {
  all: boolean;
  date: string | undefined;
}

export async function run(world: World, args: string[], opts: DemoOptions): Promise<number> {
  const { date } = opts;
  const name = args[0];
  if (name === undefined) {
    world.stdout.write(scenarioList(bundledScenarios()));
    return 0;
  }
  const entry = findScenario(name, world.cwd);
  const scenario = readScenario(entry, world.cwd);
  const flow = loadFlow(undefined, world.cwd);
  const { answers, problems } = readCase(scenario.file, scenario.caseText, flow.facts);
  if (!answers) {
    const n = problems.length;
    throw new InputError(
      `the case in ${scenario.file} has ${n} problem${n === 1 ? "" : "s"}:`,
      problems.map(formatProblem),
    );
  }
  const hasText = [...answers].some(
    ([id, v]) => flow.facts.get(id)?.type === "text" && typeof v === "string",
  );
  const pathway = decide(
    flow,
    answers,
    date ?? scenario.today ?? world.today(),
    hasText ? { lexicon: loadLexicon(bundledFlowsDir) } : {},
  );
  const script = demoScript(
    flow,
    pathway,
    { stem: entry.stem, name: entry.name, file: scenario.file, plain: scenario.plain },
    { colour: useColour(world) },
  );
  if (opts.all || !world.stdout.isTTY) {
    world.stdout.write(demoText(script));
    return 0;
  }
  await stepThrough(world, [script.intro, ...script.steps, script.outro]);
  return 0;
}

/** Print the parts one at a time, waiting for Enter between them; q stops, end of input shows the rest. */
async function stepThrough(world: World, parts: string[]): Promise<void> {
  const rl = createInterface({ input: world.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let waiting = true;
  try {
    for (const [i, part] of parts.entries()) {
      world.stdout.write(i === 0 ? part : `\n${part}`);
      if (!waiting || i === parts.length - 1) continue;
      world.stdout.write(PROMPT);
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
