import { resolve } from "node:path";
import { isMap, parseDocument, stringify } from "yaml";
import { assemble, type CaseOutputs, caseFolder } from "../case/assemble.js";
import { decideCase } from "../case/decide.js";
import type { Mark } from "../case/done.js";
import { folderState } from "../case/folders.js";
import { chronologyTwin, commitRecord, hasWordTwins, openCase, planRecord } from "../case/record.js";
import type { Answers, Value } from "../engine/answers.js";
import type { Pathway } from "../engine/decide.js";
import { InputError, Interrupted, UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { DEFAULT_FLOW, loadFlow } from "../io/flows.js";
import { fsProblem } from "../io/fs-errors.js";
import { bundledLexicon } from "../io/lexicon.js";
import { notOwnerOnly } from "../io/output.js";
import { schemaModeline } from "../io/paths.js";
import { loadReferrer, referrerFile, saveReferrer } from "../io/referrer.js";
import { lockSession } from "../io/session-lock.js";
import { newSessionId, type Session, saveSession, sessionFile, sessionsDir } from "../io/sessions.js";
import { useColour, type World } from "../io/world.js";
import { createUi } from "../prompts/ask.js";
import {
  runWizard,
  type WizardEffects,
  type WizardOutcome,
  type WizardState,
} from "../prompts/wizard-loop.js";
import { terminalSafe } from "../render/inert.js";
import { fitted } from "../render/wrap.js";
import { say } from "../words/problems.js";
import { isAre, plural } from "../words/words.js";

/** How an update's entries in a case's history name it (issue 26). */
const UPDATE = "safeguard update";

/** The output folder offered at the end; the user can change it. */
export const DEFAULT_OUT = "./safeguard-out";

/** The options of `safeguard run` the wizard reads. */
export interface WizardOptions {
  json: boolean;
  out: string | undefined;
  date: string | undefined;
  locality: string | undefined;
}

/** `safeguard` and `safeguard run [FLOW]` without --answers: the interactive wizard. */
export async function run(world: World, args: string[], opts: WizardOptions): Promise<number> {
  if (opts.json) throw new UsageError(say.jsonNeedsCase());
  const streams = terminal(world);
  const { locality } = opts;
  const flow = loadFlow(args[0], world.cwd, locality);
  const today = opts.date ?? world.today();
  const now = world.now();
  const session: Session = {
    version: 1,
    id: newSessionId(today),
    flow: flowArgument(args[0], world.cwd),
    ...(locality ? { locality: resolve(world.cwd, locality) } : {}),
    flowVersion: flow.version,
    flowSha256: flow.sha256,
    started: now,
    updated: now,
    answers: {},
    order: [],
    finished: false,
  };
  const lock = lockSession(sessionsDir(world.env), session.id, now);
  try {
    return await interview(world, streams, flow, session, today, false, opts.out);
  } finally {
    lock.release();
  }
}

/** How a session names its flow: a bundled flow by name, a flow file by absolute path. */
function flowArgument(arg: string | undefined, cwd: string): string {
  if (arg === undefined) return DEFAULT_FLOW;
  return /[\\/]|\.ya?ml$/.test(arg) ? resolve(cwd, arg) : arg;
}

export interface Streams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The terminal to ask on, or a usage error pointing at --answers (cli-contract: exit 2). */
export function terminal(world: World): Streams {
  const hint =
    `describe the case in a case file and run: ${world.program} run --answers CASE.yaml ` +
    "(see README 'Case files'; examples/ has some to start from)";
  if (!world.stdin.isTTY) {
    throw new UsageError(say.noTerminal("ask on (standard input is not a terminal)", hint));
  }
  const output = world.stdout.isTTY ? world.stdout : world.stderr.isTTY ? world.stderr : undefined;
  if (!output) throw new UsageError(say.noTerminal("show the questions on", hint));
  return { input: world.stdin, output };
}

/**
 * Run the wizard for a session (new or resumed; the caller holds its lock): every change saved at once, Ctrl-C or
 * Esc saved and exit 130, and at the end the same files `run --answers` writes. A session of
 * `safeguard update` (its `update`, new or resumed): a case folder's saved answers, asked first
 * what may have happened since (the rest of that round, where it stopped in it), decided with
 * the steps its history marks done, and written as "safeguard update".
 */
export async function interview(
  world: World,
  streams: Streams,
  flow: Flow,
  session: Session,
  today: string,
  alreadySaved: boolean,
  defaultOut: string = session.out ?? DEFAULT_OUT,
): Promise<number> {
  const { update } = session;
  const dir = sessionsDir(world.env);
  let saved = alreadySaved;
  const state: WizardState = {
    answers: new Map(
      session.order.filter((f) => f in session.answers).map((f) => [f, session.answers[f] ?? null]),
    ),
    order: session.order.filter((f) => f in session.answers),
    done: new Map(Object.entries(session.done ?? {}).map(([id, date]) => [id, { date }])),
    ...(update ? { round: update.round } : {}),
  };
  // The steps the case's history marks done, as the write takes them (writeCase): an update's
  // case folder's, read as it begins or resumes; otherwise those of the case folder the answers
  // name in the output folder (a case written before), so the pathway screen shows them before
  // the write.
  const updateMarks = update ? historyMarks(update.folder) : undefined;
  const decideNow = (answers: Answers) => {
    const given = { ...state, answers };
    if (updateMarks) return replay(flow, given, session, today, updateMarks).pathway;
    const first = replay(flow, given, session, today).pathway;
    const marks = historyMarks(resolve(world.cwd, caseFolder(defaultOut, first.caseId)));
    return marks.size === 0 ? first : replay(flow, given, session, today, marks).pathway;
  };
  const store = (finished: boolean, out?: string) => {
    session.answers = Object.fromEntries(state.order.map((f) => [f, state.answers.get(f) ?? null]));
    session.order = [...state.order];
    if (state.done.size > 0)
      session.done = Object.fromEntries([...state.done].map(([id, m]) => [id, m.date]));
    if (update && state.round !== undefined) update.round = state.round;
    session.updated = world.now();
    session.finished = finished;
    if (out !== undefined) session.out = out;
    saveSession(dir, session);
    saved = true;
  };
  const ui = createUi({
    input: streams.input,
    output: streams.output,
    colour: useColour(world),
    today: world.today,
    lexicon: bundledLexicon,
  });
  let outcome: WizardOutcome;
  try {
    outcome = await runWizard(flow, state, ui, {
      today,
      defaultOut,
      program: world.program,
      ...(update ? { since: update.since } : {}),
      effects: {
        save: () => store(false),
        decide: decideNow,
        write: (answers, out) =>
          writeCase(world, flow, session, { ...state, answers }, today, out, update ? UPDATE : "the wizard"),
        // The lead's own details, kept owner-only: only the wizard reads them, never run --answers or batch.
        referrer: referrerStore(world),
      },
    });
  } finally {
    ui.end();
  }
  if (outcome.kind === "cancelled") {
    // Nothing of the case stays on the screen or in its scrollback.
    ui.clear(true);
    if (!saved) throw new Interrupted("Stopped before any answer was given: nothing was saved.");
    const n = state.order.length;
    throw new Interrupted(
      fitted(
        [
          "",
          `Stopped. Your ${plural(n, "answer")} ${isAre(n)} saved in session ${session.id}`,
          `  (${sessionFile(dir, session.id)}, readable by you only).`,
          `To carry on where you left off: ${world.program} resume ${session.id}`,
        ].join("\n"),
        streams.output,
      ),
    );
  }
  store(true, outcome.kind === "written" ? outcome.out : undefined);
  if (outcome.kind === "written" && notOwnerOnly(resolve(world.cwd, outcome.folder)))
    world.stderr.write(`${terminalSafe(say.notOwnerOnly(outcome.folder))}\n`);
  streams.output.write(
    fitted(
      `The answers are ${outcome.kind === "written" ? "also " : ""}kept in session ${session.id}: ${world.program} resume ${session.id} goes back to the review and the pathway; ${world.program} sessions rm ${session.id} removes them.\n`,
      streams.output,
    ),
  );
  return 0;
}

/**
 * The wizard's answers written as `run --answers` writes a case: into its folder with its
 * history (issue 26), the steps it marks done and those marked before, or the problem that
 * stopped it, for the wizard to say.
 */
async function writeCase(
  world: World,
  flow: Flow,
  session: Session,
  given: Given,
  today: string,
  out: string,
  source: string,
): Promise<Awaited<ReturnType<WizardEffects["write"]>>> {
  const first = replay(flow, given, session, today);
  const folder = caseFolder(out, first.pathway.caseId);
  const modeline = schemaModeline(resolve(world.cwd, folder));
  try {
    // Into the case's folder with its history (issue 26), as run --answers writes it.
    const open = openCase(resolve(world.cwd, folder), first.pathway.caseId, world.now());
    let plan: ReturnType<typeof planRecord>;
    let assembled: CaseOutputs;
    try {
      // Decided again with the steps the case's history marks done (the wizard's own over them).
      const { pathway: done, yaml, marks } = replay(flow, given, session, today, open.state.marks);
      const times = { today, now: world.now(), source };
      // A folder written with Word twins (run --format md,docx) keeps them, as record.ts says.
      const docx = hasWordTwins(open.folder);
      plan = await chronologyTwin(planRecord(flow, done, marks, open, times), docx, today);
      // The timeline as a PNG too: one case, and the lead waits a second for it (docs/decisions.md).
      assembled = await assemble(flow, done, {
        out,
        docx,
        png: true,
        extra: new Map([["answers.yaml", `${modeline}${yaml}`], ...plan.extra]),
      });
    } catch (error) {
      open.lock?.release();
      throw error;
    }
    const { written } = commitRecord(assembled, plan, {
      cwd: world.cwd,
      force: false,
      today,
      now: world.now(),
      lock: open.lock,
    });
    // The lead's list of cases (issue 26), for due, cases and a CASE given by its reference.
    const { rememberCases } = await import("../io/case-index.js");
    const caseId = first.pathway.caseId;
    const unlisted = rememberCases(world.env, [{ folder: resolve(world.cwd, folder), caseId }], world.now());
    return {
      folder,
      files: assembled.files.map((f) => f.path),
      kept: written?.kept ?? [],
      changed: plan.changes !== null,
      ...(unlisted ? { notes: [unlisted] } : {}),
    };
  } catch (error) {
    if (error instanceof InputError) return { problem: say.draftsRefused(error.message) };
    return { problem: say.draftsNotWritten(folder, fsProblem(error)) };
  }
}

/** The steps a case folder's history marks done; none when it has none, or cannot be read (the write says why). */
function historyMarks(folder: string): ReadonlyMap<string, Mark> {
  try {
    return folderState(folder).marks;
  } catch {
    return new Map();
  }
}

/** The lead's own details for the drafts' referrer section, kept owner-only in their data folder. */
function referrerStore(world: World): NonNullable<WizardEffects["referrer"]> {
  return {
    load: () => loadReferrer(referrerFile(world.env)),
    save: (details) => {
      const file = referrerFile(world.env);
      try {
        saveReferrer(file, details);
        return `Kept in ${file} (readable by you only).`;
      } catch (error) {
        return `Not kept: cannot write ${file} (${fsProblem(error)}). They are used for this case.`;
      }
    },
  };
}

/** What the wizard has been given: the answers, the order they came in, the steps it marked done. */
interface Given {
  answers: Answers;
  order: readonly string[];
  done: ReadonlyMap<string, Mark>;
}

/**
 * The answers as a case file, read back the way `run --answers` reads it, and the
 * pathway decided from that: so the wizard's files are byte for byte those of
 * `safeguard run --answers answers.yaml --out DIR`. `marks`: steps the case's history marks
 * done (the case file's `done:` over them), as `run --answers` into the case's folder takes them.
 */
function replay(
  flow: Flow,
  { answers, order, done }: Given,
  session: Session,
  today: string,
  marks: ReadonlyMap<string, Mark> = new Map(),
): { pathway: Pathway; yaml: string; marks: Map<string, Mark> } {
  const yaml = caseFile(flow, answers, order, session, done);
  const read = decideCase(flow, { file: "answers.yaml", text: yaml }, { today, marks });
  if (!read.ok) {
    throw new Error(
      `the answers did not read back as a case file: ${read.problems.map((p) => p.message).join("; ")}`,
    );
  }
  const back = read.pathway.answers;
  for (const [k, v] of answers) {
    if (JSON.stringify(back.get(k)) !== JSON.stringify(v) || !back.has(k)) {
      throw new Error(`the answer for ${k} did not read back as it was given`);
    }
  }
  return { pathway: read.pathway, yaml, marks: read.marks };
}

/**
 * A case file (YAML, nested by dots) holding the answers in the order they were given, and
 * the steps marked done in the wizard (`done:`, issue 26).
 */
export function caseFile(
  flow: Flow,
  answers: Answers,
  order: readonly string[],
  session: Pick<Session, "id">,
  done: ReadonlyMap<string, Mark> = new Map(),
): string {
  const root: Record<string, unknown> = {};
  const ids = [
    ...order.filter((f) => answers.has(f)),
    ...[...answers.keys()].filter((f) => !order.includes(f)),
  ];
  for (const id of ids) {
    const value: Value | null = answers.get(id) ?? null;
    const parts = id.split(".");
    let node = root;
    let ok = true;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined) node[p] = {};
      else if (typeof next !== "object" || next === null || Array.isArray(next) || flow.facts.has(p)) {
        ok = false;
        break;
      }
      node = node[p] as Record<string, unknown>;
    }
    const last = parts.at(-1) as string;
    if (ok && !(last in node)) node[last] = value;
    else root[id] = value;
  }
  if (done.size > 0) root.done = Object.fromEntries([...done].map(([id, m]) => [id, m.date]));
  const doc = parseDocument(stringify(root, { lineWidth: 0 }));
  if (isMap(doc.contents)) {
    doc.commentBefore = [
      ` Answers from the safeguard wizard (session ${session.id}), flow ${flow.id} ${flow.version}.`,
      " null means not known. It holds personal data: keep it readable by you only.",
      " The same pathway and files again: safeguard run --answers answers.yaml --out DIR",
    ].join("\n");
  }
  return doc.toString({ lineWidth: 0 });
}
