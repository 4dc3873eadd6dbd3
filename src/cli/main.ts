import { Command, CommanderError } from "commander";
import { ERROR_PREFIX, InputError, Interrupted } from "../errors.js";
import { fsProblem, isFsError } from "../io/fs-errors.js";
import { realWorld, type World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { commanderOption, date, flag, type OptionTable, type Parsed, text, typedOptions } from "./options.js";
import { versionText } from "./version.js";

// For bin/boot.js, whose own output (--version, piped --help) can fail to be written too.
export { outputFailed } from "../io/world.js";

/**
 * The command table. Each entry names its module; the module is imported only when the
 * command runs, so `--version` and `--help` load neither flows nor prompts. Each entry
 * declares its options (src/cli/options.ts), and the module's `run` must take exactly
 * those, typed: an option a command reads but the table does not declare fails typecheck.
 */
export interface CommandSpec<T extends OptionTable> {
  /** Words after `safeguard`, e.g. ["flows", "validate"]. */
  path: string[];
  args?: string;
  summary: string;
  options: T;
  /** Extra help text shown after the options. */
  help?: string;
  load: () => Promise<{ run: CommandRun<NoInfer<Parsed<T>>> }>;
}

export type CommandRun<O> = (world: World, args: string[], opts: O) => Promise<number>;

/** A table entry as commander needs it: the options built, the values typed before the module runs. */
interface Registered {
  path: string[];
  args?: string;
  summary: string;
  options: OptionTable;
  help?: string;
  run: CommandRun<Record<string, unknown>>;
}

/** A table entry, checked against its module: `run` gets the declared options, typed. */
export function command<T extends OptionTable>(spec: CommandSpec<T>): Registered {
  const { load, options, ...shown } = spec;
  return {
    ...shown,
    options,
    run: async (world, args, parsed) => {
      const typed = typedOptions(options, parsed);
      return (await load()).run(world, args, typed);
    },
  };
}

/** What a command group is for, in `safeguard --help`. */
const GROUPS: Record<string, string> = {
  flows: "the procedures as data: validate them, or draw them for trainers (validate, graph)",
};

export const commands: Registered[] = [
  command({
    path: ["run"],
    args: "[flow]",
    summary: "work through a flow: the wizard at a terminal, or a case file with --answers",
    options: {
      answers: text(
        "--answers <file>",
        "case file (YAML or JSON) holding the facts, or - to read it from standard input; see README 'Case files'",
      ),
      out: text(
        "--out <dir>",
        "write pathway.json, case-summary.md, deadlines.ics and the drafts to DIR/<case_id>/",
      ),
      json: flag("--json", "print the result object on stdout"),
      force: flag(
        "--force",
        "with --out: overwrite drafts edited since they were written (without it, the new version is written beside them)",
      ),
      date: date("--date <YYYY-MM-DD>", "today's date, used when the case gives no concern.date"),
      locality: text("--locality <file>", "contacts file to use instead of the bundled Solihull one"),
      format: text(
        "--format <formats>",
        "md (default); md,docx: each draft also as a Word document; md,png: the timeline also as pathway.png (with --out)",
      ),
      redact: flag(
        "--redact",
        "every output with initials for the name, no date of birth, address, phone or free text, the age as a band",
      ),
    },
    help: "\nExamples:\n  safeguard run --answers examples/ex-1-county-lines-15.yaml\n  safeguard run --answers case.json --out drafts --json\n  cat case.yaml | safeguard run --answers - --json\n",
    load: () => import("../commands/run.js"),
  }),
  command({
    path: ["batch"],
    args: "<paths...>",
    summary: "many case files to their drafts: files, folders, globs, or - for NDJSON on standard input",
    options: {
      out: text("--out <dir>", "write each case to DIR/<case_id>/ (required)"),
      json: flag("--json", "print a summary of every case as JSON"),
      force: flag(
        "--force",
        "overwrite drafts edited since they were written (without it, the new version is written beside them)",
      ),
      date: date("--date <YYYY-MM-DD>", "today's date, used when a case gives no concern.date"),
      flow: text("--flow <flow>", "a bundled flow name or a .flow.yaml file (default all-age)"),
      locality: text("--locality <file>", "contacts file to use instead of the bundled Solihull one"),
      format: text(
        "--format <formats>",
        "md (default); md,docx: each draft also as a Word document; md,png: the timeline also as pathway.png",
      ),
      redact: flag(
        "--redact",
        "every output with initials for the name, no date of birth, address, phone or free text, the age as a band",
      ),
      jobs: text(
        "--jobs <n>",
        "threads deciding and rendering the cases: 1 for one thread (default: one per core, for a batch of 100 or more cases per core)",
      ),
    },
    help:
      "\nOne bad case never stops the others: each is reported, every good case is written.\n" +
      "Exit 0 when all were written, 1 when any failed.\n\nExamples:\n" +
      "  safeguard batch cases/ --out drafts\n  safeguard batch 'cases/**/*.yaml' --out drafts --json\n" +
      "  cat cases.ndjson | safeguard batch - --out drafts\n",
    load: () => import("../commands/batch.js"),
  }),
  command({
    path: ["done"],
    args: "<case> <step>",
    summary:
      "mark a step of a case done: CASE is its folder (OUT/CASE_ID) or a case reference your data folder knows, STEP the step's id",
    options: {
      date: date("--date <YYYY-MM-DD>", "the day it was done (default today)"),
      note: text("--note <text>", "a note for the case's chronology"),
      locality: text("--locality <file>", "contacts file to use instead of the bundled Solihull one"),
    },
    help:
      "\nA done step is never overdue; the drafts, deadlines.ics and pathway.json show it done.\n" +
      "A step the pathway does not recommend is refused, with the reason. Example:\n" +
      "  safeguard done drafts/EX-1 mash-referral --date 2026-08-27\n",
    load: () => import("../commands/done.js"),
  }),
  command({
    path: ["update"],
    args: "<case>",
    summary:
      "the wizard on a case's saved answers (CASE: its folder, OUT/CASE_ID): first what may have happened since, then as ever; written as an update",
    options: {
      date: date("--date <YYYY-MM-DD>", "today's date, used when the case gives no concern.date"),
      locality: text("--locality <file>", "contacts file to use instead of the bundled Solihull one"),
    },
    help:
      "\nEnter keeps each saved answer. On the pathway screen, Mark a step done records a step done on\n" +
      "the day you type. What changed goes to what-changed.md and chronology.md; a draft you edited\n" +
      "is kept, the new version beside it. Example:\n  safeguard update drafts/EX-1\n",
    load: () => import("../commands/update.js"),
  }),
  command({
    path: ["due"],
    args: "[folders...]",
    summary:
      "every open step of every case in the folders (case folders, or the --out folder holding them; none: the cases your data folder knows): overdue first, then by date; never a name",
    options: {
      within: text("--within <days>", "only steps overdue or due within this many days"),
      date: date("--date <YYYY-MM-DD>", "the day to count from (default today)"),
      json: flag("--json", "print the steps as JSON"),
      ics: text("--ics <file>", "write one calendar file of every dated open step"),
    },
    help: "\nExamples:\n  safeguard due\n  safeguard due drafts\n  safeguard due drafts --within 7 --ics week.ics\n",
    load: () => import("../commands/due.js"),
  }),
  command({
    path: ["cases"],
    args: "[folders...]",
    summary:
      "one line per case in the folders (none: the cases your data folder knows): reference, age group, first concern type, last updated, next due, overdue steps; never a name",
    options: {
      closed: flag("--closed", "list the closed cases instead of the open ones"),
      date: date("--date <YYYY-MM-DD>", "the day to count from (default today)"),
      json: flag("--json", "print the cases as JSON"),
    },
    help: "\nExamples:\n  safeguard cases\n  safeguard cases drafts\n  safeguard cases drafts --closed --json\n",
    load: () => import("../commands/cases.js"),
  }),
  command({
    path: ["close"],
    args: "<case>",
    summary:
      "close a case (CASE: its folder, OUT/CASE_ID, or a case reference your data folder knows), with its reason, in its chronology",
    options: { reason: text("--reason <text>", "why the case is closed, for its chronology", true) },
    help:
      "\nA closed case is left out of due and cases (cases --closed lists it); its files stay.\n" +
      'Example:\n  safeguard close drafts/EX-1 --reason "no further concerns"\n',
    load: () => import("../commands/close.js"),
  }),
  command({
    path: ["reopen"],
    args: "<case>",
    summary:
      "reopen a closed case (CASE: its folder, OUT/CASE_ID, or a case reference your data folder knows), in its chronology",
    options: {},
    help: "\nExample:\n  safeguard reopen drafts/EX-1\n",
    load: async () => ({ run: (await import("../commands/close.js")).reopen }),
  }),
  command({
    path: ["resume"],
    args: "[id]",
    summary: "carry on with a saved wizard session (the latest unfinished one when no ID is given)",
    options: { date: date("--date <YYYY-MM-DD>", "today's date, used when the case gives no concern.date") },
    help: "\nEvery answer is saved as it is given; `safeguard sessions` lists the sessions.\n",
    load: () => import("../commands/resume.js"),
  }),
  command({
    path: ["sessions"],
    summary:
      "list saved wizard sessions: id, case reference, first concern type, flow, started, progress (never names or other answers)",
    options: { json: flag("--json", "print the sessions as JSON") },
    load: () => import("../commands/sessions.js"),
  }),
  command({
    path: ["sessions", "rm"],
    args: "<id>",
    summary: "remove a finished session (an unfinished or damaged one only with --force)",
    options: {
      force: flag("--force", "remove it even if it is not finished, or cannot be read: its answers are lost"),
    },
    load: async () => ({ run: (await import("../commands/sessions.js")).rm }),
  }),
  command({
    path: ["sessions", "prune"],
    summary: "remove finished sessions not changed for a while",
    options: {
      olderThan: text("--older-than <duration>", "how long: days, weeks or hours, like 30d, 4w, 12h", true),
    },
    load: async () => ({ run: (await import("../commands/sessions.js")).prune }),
  }),
  command({
    path: ["referrer"],
    summary:
      "your own details for the referrer section of the drafts (name, role, organisation, phone, email): show or change them",
    options: {
      name: text("--name <text>", "your name"),
      role: text("--role <text>", "your role"),
      organisation: text("--organisation <text>", "your organisation"),
      phone: text("--phone <text>", "a phone number the receiving team can reach you on"),
      email: text("--email <text>", "your secure email address"),
      clear: flag("--clear", "remove every saved detail"),
      json: flag("--json", "print the saved details as JSON"),
    },
    help:
      '\nKept readable by you only in the data folder; an empty value (--phone "") removes one.\n' +
      "The wizard asks for them once when none are saved. Examples:\n" +
      '  safeguard referrer\n  safeguard referrer --name "A. Lead" --role "Designated safeguarding lead"\n',
    load: () => import("../commands/referrer.js"),
  }),
  command({
    path: ["flows", "graph"],
    args: "[flow]",
    summary: "the flow as a diagram for trainers: Mermaid (default), an outline, SVG or PNG",
    options: {
      format: text("--format <format>", "mermaid (default), text, svg or png"),
      section: text(
        "--section <name>",
        "one part as the decisions a practitioner makes (under-18, adults, ...)",
      ),
      width: text("--width <columns>", "wrap --format text at this width (default: the terminal's, or 80)"),
    },
    help:
      "\nWithout --section, the whole map. A part too large for one slide at a readable size\n" +
      "is also drawn as slides: --section NAME/1, NAME/2, ...\n\nExamples:\n" +
      "  safeguard flows graph > flow.mmd\n  safeguard flows graph --format text\n" +
      "  safeguard flows graph --section under-18 --format svg > under-18.svg\n" +
      "  safeguard flows graph --section consent-nrm/2 --format png > slide.png\n",
    load: () => import("../commands/flows-graph.js"),
  }),
  command({
    path: ["demo"],
    args: "[scenario]",
    summary: "trainer mode: step through a bundled scenario, showing why each recommendation follows",
    options: {
      all: flag(
        "--all",
        "print everything at once, without pausing; with no scenario, list the test scenarios too",
      ),
      quiz: flag(
        "--quiz",
        "before each step, the room chooses what happens next from the right step and wrong ones, and is scored at the end; piped, the learner sheet then the answer key",
      ),
      rules: flag("--rules", "add each rule's condition (CEL) and the facts' field ids"),
      redact: flag(
        "--redact",
        "every output with initials for the name, no date of birth, address, phone or free text, the age as a band",
      ),
      date: date("--date <YYYY-MM-DD>", "today's date, used when the case gives no concern.date"),
      json: flag("--json", "with no scenario, print the list as JSON (name, kind, title)"),
    },
    help:
      "\nWith no scenario, lists the worked examples and training scenarios. At a terminal: Enter for\n" +
      "the next step, q to stop.\n\nExamples:\n  safeguard demo\n  safeguard demo t1-child-county-lines --quiz\n" +
      "  safeguard demo ex-2 --rules\n",
    load: () => import("../commands/demo.js"),
  }),
  command({
    path: ["training-pack"],
    summary:
      "a ready training pack in one folder: session plan, quiz and answers, and each story's case file with its drafts",
    options: {
      out: text("--out <dir>", "the folder to write the pack to (required)"),
      minutes: text("--minutes <45|90>", "the session's length: 45 (default) or 90 minutes"),
      stories: text(
        "--stories <list>",
        "the training stories to tell, in order: t1,t4,... (default: t1,t4,t6 for 45 minutes, all eight for 90)",
      ),
      redact: flag("--redact", "no story text and no case files; the drafts with initials and age bands"),
      force: flag("--force", "replace the pack's folder even where a file was edited since it was written"),
    },
    help:
      "\nEverything is worked out as on the day each story is told, offline.\n\nExamples:\n" +
      "  safeguard training-pack --out pack\n  safeguard training-pack --out pack --minutes 90\n" +
      "  safeguard training-pack --out pack --stories t1,t4 --redact\n",
    load: () => import("../commands/training-pack.js"),
  }),
  command({
    path: ["explain"],
    args: "<id>",
    summary:
      "explain an action, fact, document, named condition or section: what it is, when it applies, its due rule, the questions and documents",
    options: {
      flow: text("--flow <flow>", "a bundled flow name or a .flow.yaml file (default all-age)"),
      json: flag("--json", "print the explanation as JSON: its kind, id and text"),
    },
    help:
      "\nExamples:\n  safeguard explain duty-to-notify\n  safeguard explain consent.to_share\n" +
      "  safeguard explain first_responder\n  safeguard explain under-18\n",
    load: () => import("../commands/explain.js"),
  }),
  command({
    path: ["check-language"],
    args: "[file]",
    summary:
      "flag victim-blaming language (Procedures §7) with suggested wording; exit 1 when anything is flagged",
    options: { json: flag("--json", "print the findings as JSON") },
    help: "\nReads FILE, or standard input when FILE is - or absent.\n",
    load: () => import("../commands/check-language.js"),
  }),
  command({
    path: ["schema"],
    args: "<which>",
    summary:
      "print the JSON Schema of a case file (case), the result object (result), a scenario file (scenario) or a training story (story)",
    options: { flow: text("--flow <flow>", "the case schema of this flow's facts (default all-age)") },
    help:
      "\nThe same files ship in the package's schemas/ folder. Examples:\n" +
      "  safeguard schema case > case.schema.json\n  safeguard schema result > result.schema.json\n" +
      "  safeguard schema scenario > scenario.schema.json\n  safeguard schema story > story.schema.json\n",
    load: () => import("../commands/schema.js"),
  }),
  command({
    path: ["flows", "validate"],
    args: "[path]",
    summary: "check flows, templates and locality files; every problem with file:line:column",
    options: {
      locality: text(
        "--locality <file>",
        "check this contacts file with the flow, instead of the bundled one",
      ),
      json: flag("--json", "print the result as JSON: ok, the counts, every problem and warning"),
    },
    load: () => import("../commands/flows-validate.js"),
  }),
];

// The completion script is made from this very table, so its entry hands the table over.
commands.push(
  command({
    path: ["completion"],
    args: "<shell>",
    summary:
      "print a completion script for bash, zsh, fish or powershell: commands, options, flows, scenarios, session ids",
    options: {},
    help:
      "\nExamples:\n  source <(safeguard completion bash)            # in ~/.bashrc\n" +
      "  safeguard completion zsh > ~/.zfunc/_safeguard\n" +
      "  safeguard completion fish > ~/.config/fish/completions/safeguard.fish\n" +
      "  safeguard completion powershell >> $PROFILE\n",
    load: async () => {
      const { run } = await import("./completion.js");
      return { run: (world, args) => run(world, args, commands) };
    },
  }),
);

/**
 * Switches in the environment with which a bundled library prints what it reads: the yaml
 * library every token of a case file (LOG_TOKENS, LOG_STREAM), names included; tinyglobby
 * every path it walks (TINYGLOBBY_DEBUG), a file may be named after the person. Each is read
 * when the library is called, so clearing them before any command runs (the package's CLI
 * and the single program both start here) keeps answers off the terminal and out of logs.
 */
export const LIBRARY_DEBUG = ["LOG_TOKENS", "LOG_STREAM", "TINYGLOBBY_DEBUG"] as const;

export async function main(argv: string[], world: World = realWorld()): Promise<number> {
  for (const name of LIBRARY_DEBUG) delete process.env[name];
  // `safeguard` alone (options aside) is `safeguard run`: the wizard.
  const words = argv.slice(2);
  if (!words.some((w) => !w.startsWith("-")) && !words.some((w) => /^(-h|--help|-V|--version)$/.test(w))) {
    argv = [...argv.slice(0, 2), "run", ...words];
  }
  const program = buildProgram(world);
  let code = 0;
  try {
    const ran = { code: 0 };
    for (const spec of commands) attach(program, spec, world, ran);
    await program.parseAsync(argv);
    code = ran.code;
  } catch (error) {
    code = report(error, world, argv.includes("--debug"));
  }
  return code;
}

function buildProgram(world: World): Command {
  const program = new Command(world.program)
    .description(
      "Solihull all-age exploitation procedures: the recommended pathway, deadlines and referral drafts.",
    )
    .option("--debug", "show stack traces for unexpected errors")
    .version(
      versionText(),
      "-V, --version",
      "print the version and the procedure versions of the bundled flows",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => world.stdout.write(s),
      writeErr: (s) => world.stderr.write(s),
      // commander's own usage errors ("error: unknown option '--x'") take the program's prefix;
      // they quote what was typed, so a control character in it is shown, never sent raw.
      outputError: (s, write) =>
        write(terminalSafe(s.replace(/^error: /, ERROR_PREFIX), { multiline: true })),
    });
  return program;
}

function attach(program: Command, spec: Registered, world: World, ran: { code: number }): void {
  let parent = program;
  for (const word of spec.path.slice(0, -1)) {
    parent =
      parent.commands.find((c) => c.name() === word) ??
      parent
        .command(word)
        .description(GROUPS[word] ?? `${word} commands`)
        .exitOverride();
  }
  const name = spec.path.at(-1) as string;
  const cmd = parent
    .command(spec.args ? `${name} ${spec.args}` : name)
    .description(spec.summary)
    .exitOverride();
  for (const [key, o] of Object.entries(spec.options)) cmd.addOption(commanderOption(key, o));
  // The examples name the program as it was called (the single executable by its own name).
  if (spec.help) cmd.addHelpText("after", spec.help.replace(/(^ +|\| )safeguard /gm, `$1${world.program} `));
  cmd.action(async (...received: unknown[]) => {
    const command = received.at(-1) as Command;
    const args = received
      .slice(0, -2)
      .flat()
      .filter((a): a is string => typeof a === "string");
    ran.code = await spec.run(world, args, command.opts());
  });
}

function report(error: unknown, world: World, debug: boolean): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (help, version, or a usage error).
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === "commander.help") return 0;
    return 2;
  }
  if (error instanceof InputError) {
    // Messages can quote a bad value: never let it reach the terminal raw.
    world.stderr.write(`${ERROR_PREFIX}${terminalSafe(error.message)}\n`);
    for (const p of error.problems) world.stderr.write(`  ${terminalSafe(p)}\n`);
    return error.exitCode;
  }
  // The environment's doing (a missing or unwritable folder, a full disk): exit 2, one line.
  if (isFsError(error)) {
    world.stderr.write(`${ERROR_PREFIX}${terminalSafe(fsProblem(error))}\n`);
    if (debug && error.stack) world.stderr.write(`${error.stack}\n`);
    return 2;
  }
  if (error instanceof Interrupted) {
    world.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  world.stderr.write(
    `${ERROR_PREFIX}unexpected: ${terminalSafe(e.message)}\nThis is a bug: please report it.\n`,
  );
  if (debug && e.stack) world.stderr.write(`${e.stack}\n`);
  else world.stderr.write("Run again with --debug for details.\n");
  return 70;
}
