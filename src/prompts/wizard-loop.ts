import { type Mark, whyNotMarkable } from "../case/done.js";
import { type Answers, dateDoubt, type Value } from "../engine/answers.js";
import { formatLong, type IsoDate } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import { madeIrrelevant } from "../engine/irrelevant.js";
import {
  decidesSteps,
  draftQuestions,
  draftReads,
  groupAnswers,
  liveRows,
  nextScreen,
  nextSince,
  type Screen,
} from "../engine/next.js";
import type { Flow, Question } from "../flow/types.js";
import {
  REFERRER_FIELDS,
  REFERRER_WORDS,
  type Referrer,
  type ReferrerField,
  referrerProblem,
} from "../io/referrer.js";
import { actingOrder } from "../render/text.js";
import { saidIn } from "../render/value-words.js";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";
import {
  compactPathway,
  decidesLine,
  dueWords,
  lastWorkingDayWords,
  pathwayDetail,
  whyScreen,
} from "./screens.js";
import { readTypedDate } from "./typed-date.js";
import type { Entry, Picked, Ui } from "./types.js";
import { valueWords } from "./view.js";

// Which answers a change leaves irrelevant is the engine's to say; kept here under its old name too.
export { irrelevantAnswers } from "../engine/irrelevant.js";

/**
 * The wizard: a loop around the engine's nextQuestion (style.md §2). It keeps the answers
 * and the order they were given in (the back stack), saves after every change, and never
 * decides anything itself. All terminal work goes through `ui`, so tests can drive it
 * with a script instead of a terminal.
 */

export interface WizardState {
  answers: Map<string, Value | null>;
  /** Facts in the order they were answered. */
  order: string[];
  /**
   * Steps marked done on the pathway screen (issue 26), each with its date: written as the
   * case file's `done:`, so `effects.decide` and `effects.write` show them done.
   */
  done: Map<string, Mark>;
  /**
   * An update's first round (issue 26): the questions it has asked so far, saved with the
   * answers so that a resumed update carries on with the rest of it; "over" once it is over.
   */
  round?: string[] | "over";
}

export interface WizardEffects {
  /** Called after every change of the answers: the session store. */
  save(state: WizardState): void;
  /** The pathway for the answers, exactly as `run --answers` would decide it. */
  decide(answers: Answers): Pathway;
  /**
   * Write the output folder; the folder as shown and the file names (and, for a case written
   * before, the drafts edited since and kept, and whether what-changed.md was written), or a
   * problem to show (as soon as known).
   */
  write(
    answers: Answers,
    out: string,
  ): Written | { problem: string } | Promise<Written | { problem: string }>;
  /**
   * The referrer's own details kept in the lead's data folder (io/referrer.ts): {} when none
   * are kept; `save` says where they went, or why not. Without it, none are used or asked for.
   */
  referrer?: { load(): Referrer | { problem: string }; save(details: Referrer): string };
}

/** What the write effect wrote. */
export interface Written {
  folder: string;
  files: string[];
  /** Drafts edited since they were written: kept, the new version beside each. */
  kept?: readonly { file: string; beside: string }[];
  /** An update of a case written before: what changed is in what-changed.md. */
  changed?: boolean;
  /** What else the lead should know of the write (the list of cases could not be kept). */
  notes?: readonly string[];
}

export type WizardOutcome =
  | { kind: "written"; out: string; folder: string; pathway: Pathway }
  | { kind: "finished"; pathway: Pathway }
  | { kind: "cancelled" };

export interface WizardOptions {
  today: IsoDate;
  /** The output folder offered by default. */
  defaultOut: string;
  /** The program as it was called, for the hint to see the pathway again. */
  program: string;
  effects: WizardEffects;
  /**
   * An update of a case written before (issue 26), on its saved answers: first what may have
   * happened since the day given (the flow's over-time questions answered before; the rest of
   * that round where `state.round` says it stopped), then as ever.
   */
  since?: IsoDate;
}

type ReviewPick = { kind: "finish" } | { kind: "back" } | { kind: "change"; id: string };
type PathwayPick = { kind: "write" | "why" | "done" | "again" | "all" | "review" | "finish" };

/** The menu under the pathway: its entries, in this order, the first the default. */
const PATHWAY_MENU: Entry<PathwayPick>[] = [
  { value: { kind: "write" }, name: "Write the files" },
  { value: { kind: "why" }, name: "Why: choose a step" },
  { value: { kind: "done" }, name: "Mark a step done" },
  { value: { kind: "again" }, name: "Show the pathway again" },
  { value: { kind: "all" }, name: "Show everything" },
  { value: { kind: "review" }, name: "Change an answer" },
  { value: { kind: "finish" }, name: "Finish without writing" },
];

/** Lines the menu under a screen takes: its entries (two rows where narrow) and the keys. */
const MENU_ROOM = 4;

/**
 * Where the wizard is. Asking: the engine's next screen, until there is none (`notes` are for
 * the review to come: answers a change left out). At the review: an answer changed, or on to
 * the pathway. At the pathway: its screen and menu, the files written. Done: the outcome.
 */
type Phase =
  | { kind: "since"; notes: readonly string[] }
  | { kind: "ask"; notes: readonly string[] }
  | { kind: "review"; notes: readonly string[] }
  | { kind: "pathway" }
  | { kind: "done"; outcome: WizardOutcome };

/** What every phase of one run works with. */
interface Run {
  flow: Flow;
  state: WizardState;
  ui: Ui;
  opts: WizardOptions;
  byFact: ReadonlyMap<string, Question>;
  /** Answers taken back ("back", or left out after a change): offered again as defaults. */
  kept: Map<string, Value | null>;
  /** What the round for the drafts offered already (question facts, and "referrer"): offered once a run. */
  offered: Set<string>;
}

const CANCELLED: Phase = { kind: "done", outcome: { kind: "cancelled" } };

export async function runWizard(
  flow: Flow,
  state: WizardState,
  ui: Ui,
  opts: WizardOptions,
): Promise<WizardOutcome> {
  const run: Run = {
    flow,
    state,
    ui,
    opts,
    byFact: new Map(flow.questions.map((q) => [q.fact.id, q])),
    kept: new Map(),
    offered: new Set(),
  };
  let phase: Phase = { kind: "ask", notes: [] };
  if (opts.since !== undefined && state.round !== "over") {
    const asked = state.round ?? [];
    state.round = [...asked];
    // A round with nothing (left) to ask is not announced.
    if (nextSince(flow, state.answers, new Set(asked), opts.today)) {
      const what = asked.length === 0 ? "What" : "The rest of what";
      ui.say(
        `\n${what} may have happened since ${formatLong(opts.since)}: each answer as saved is offered; Enter keeps it.`,
      );
    }
    phase = { kind: "since", notes: [] };
  }
  while (phase.kind !== "done") {
    if (phase.kind === "since") phase = await sincePhase(run, phase.notes);
    else if (phase.kind === "ask") phase = await askPhase(run, phase.notes);
    else if (phase.kind === "review") phase = await reviewPhase(run, phase.notes);
    else phase = await pathwayPhase(run);
  }
  return phase.outcome;
}

/** Take the last answer back (a group's screen whole: the answers its rows gave, given together). */
function goBack({ state, byFact, kept, opts }: Run): void {
  const group = byFact.get(state.order.at(-1) ?? "")?.group;
  do {
    const id = state.order.pop();
    if (id === undefined) return;
    kept.set(id, state.answers.get(id) ?? null);
    state.answers.delete(id);
  } while (group !== undefined && byFact.get(state.order.at(-1) ?? "")?.group === group);
  opts.effects.save(state);
}

/** The engine's next screen, asked; the review once there is none. */
async function askPhase(run: Run, notes: readonly string[]): Promise<Phase> {
  const { flow, state, ui, kept, opts } = run;
  const { today } = opts;
  const asking: Phase = { kind: "ask", notes };
  const screen = nextScreen(flow, state.answers, today);
  if (!screen) return { kind: "review", notes };
  if (screen.kind === "group") {
    const asked = await askGroupScreen(flow, state, ui, screen, kept, today);
    if (asked === "cancel") return CANCELLED;
    if (asked === "back") goBack(run);
    else opts.effects.save(state);
    return asking;
  }
  const id = screen.question.fact.id;
  const asked = await ui.question(screen.question, {
    ...(kept.has(id) ? { default: kept.get(id) ?? null } : {}),
    canGoBack: state.order.length > 0,
    decides: () => decidesSteps(flow, id, state.answers, today),
    doubt: (v) => dateDoubt(id, v, state.answers, today),
  });
  if (asked.kind === "cancel") return CANCELLED;
  if (asked.kind === "back") {
    goBack(run);
    return asking;
  }
  state.answers.set(id, asked.value);
  state.order.push(id);
  kept.delete(id);
  opts.effects.save(state);
  return asking;
}

/**
 * An update's first round (issue 26): the flow's over-time questions answered before that the
 * pathway needs, in flow order (the engine's nextSince), each offered with its saved answer, so
 * Enter keeps it. A question never answered, or answered "not known", has no "before" to change
 * from: the ordinary interview asks it, where the flow does, if it is worth asking. Where the
 * round is (`state.round`) is saved as it goes. Then the questions the answers now make worth
 * asking, and the review.
 */
async function sincePhase(run: Run, notes: readonly string[]): Promise<Phase> {
  const { flow, state, ui, byFact, kept, opts } = run;
  const { today } = opts;
  const asked = state.round === "over" ? [] : (state.round ?? []);
  const q = nextSince(flow, state.answers, new Set(asked), today);
  if (!q) {
    state.round = "over";
    opts.effects.save(state);
    return { kind: "ask", notes };
  }
  const id = q.fact.id;
  const answer = await ui.question(q, {
    default: state.answers.get(id) ?? null,
    canGoBack: asked.length > 0,
    decides: () => decidesSteps(flow, id, state.answers, today),
    doubt: (v) => dateDoubt(id, v, state.answers, today),
  });
  if (answer.kind === "cancel") return CANCELLED;
  // Back: the last question of this round asked again, its answer (as now) offered.
  if (answer.kind === "back") {
    state.round = asked.slice(0, -1);
    opts.effects.save(state);
    return { kind: "since", notes };
  }
  state.round = [...asked, id];
  const unchanged = JSON.stringify(state.answers.get(id) ?? null) === JSON.stringify(answer.value);
  const dropped = unchanged ? new Map() : changeAnswer(flow, state, id, answer.value, today);
  for (const [f, v] of dropped) kept.set(f, v);
  opts.effects.save(state);
  if (dropped.size === 0) return { kind: "since", notes };
  const labels = [...dropped.keys()].map((f) => byFact.get(f)?.fact.label ?? f);
  return {
    kind: "since",
    notes: [
      ...notes,
      `Left out, as your change means they no longer affect the pathway: ${labels.join("; ")}.`,
    ],
  };
}

/** The answers, one to change or all right; a change asks again what it made worth asking. */
async function reviewPhase(run: Run, notes: readonly string[]): Promise<Phase> {
  const { flow, state, ui, byFact, kept, opts } = run;
  const { today } = opts;
  const pick = await review(ui, flow, state, byFact, notes, today);
  if (pick.kind === "cancel") return CANCELLED;
  const choice = pick.value;
  if (choice.kind === "finish") return { kind: "pathway" };
  if (choice.kind === "back") {
    goBack(run);
    return { kind: "ask", notes: [] };
  }
  const q = byFact.get(choice.id);
  if (!q) return { kind: "review", notes: [] };
  const asked = await ui.question(q, {
    default: state.answers.get(choice.id) ?? null,
    decides: () => decidesSteps(flow, choice.id, state.answers, today),
    doubt: (v) => dateDoubt(choice.id, v, state.answers, today),
    canGoBack: true,
    backTo: "the review",
  });
  if (asked.kind === "cancel") return CANCELLED;
  if (asked.kind === "back") return { kind: "review", notes: [] };
  const dropped = changeAnswer(flow, state, choice.id, asked.value, today);
  for (const [id, v] of dropped) kept.set(id, v);
  opts.effects.save(state);
  if (dropped.size === 0) return { kind: "ask", notes: [] };
  const labels = [...dropped.keys()].map((id) => byFact.get(id)?.fact.label ?? id);
  return {
    kind: "ask",
    notes: [`Left out, as your change means they no longer affect the pathway: ${labels.join("; ")}.`],
  };
}

/** The pathway decided, its screen; back to the review, or done. */
async function pathwayPhase(run: Run): Promise<Phase> {
  const outcome = await pathwayScreen(run, run.opts.effects.decide(run.state.answers));
  return outcome === "review" ? { kind: "review", notes: [] } : { kind: "done", outcome };
}

/**
 * The pathway at a glance on a fresh screen, and a menu under it: why for a chosen step,
 * everything, the files written (or not), and whether the screen is cleared at the end.
 */
async function pathwayScreen(run: Run, decided: Pathway): Promise<WizardOutcome | "review"> {
  const { ui, opts } = run;
  const menu = await pathwayMenu(run, decided);
  if (menu === "cancel") return { kind: "cancelled" };
  const { next } = menu;
  let { pathway } = menu;
  if (next.kind === "review") return "review";
  let written: (Written & { out: string }) | undefined;
  if (next.kind === "write") {
    const round = await draftsRound(run, pathway);
    if (round === "cancel") return { kind: "cancelled" };
    // The same steps: the drafts, and the case summary, now carry the round's answers.
    if (round === "added") pathway = opts.effects.decide(run.state.answers);
    const result = await writeFiles(run);
    if (result === "cancel") return { kind: "cancelled" };
    written = result;
  }
  const leave = await ui.choose<"clear" | "keep">("Done. Clear the screen?", [
    { value: "clear", name: "Clear the screen: nothing of this case stays in the terminal" },
    { value: "keep", name: "Keep the pathway on screen" },
  ]);
  // Esc here is as good as done: the files are written, the screen is cleared.
  if (leave.kind === "pick" && leave.value === "keep") ui.say(compactPathway(pathway, ui.colour, ui.width()));
  else ui.clear(true);
  if (!written) {
    ui.say("Nothing was written.");
    return { kind: "finished", pathway };
  }
  ui.say(
    [
      `Written to ${written.folder}/ (readable by you only): ${written.files.join(", ")}`,
      ...(written.changed ? ["What changed since the last update: what-changed.md, and chronology.md"] : []),
      ...(written.kept ?? []).map(
        (k) => `${k.file} was edited since it was written: kept; the new version is ${k.beside}`,
      ),
      ...(written.notes ?? []),
      `To see this pathway again: ${opts.program} run --answers ${written.folder}/answers.yaml`,
    ].join("\n"),
  );
  return { kind: "written", out: written.out, folder: written.folder, pathway };
}

/**
 * The menu under the pathway, until a pick that leaves it: write, change an answer, or finish;
 * with the pathway as it is then (a step marked done since it was decided).
 */
async function pathwayMenu(
  run: Run,
  decided: Pathway,
): Promise<{ next: PathwayPick; pathway: Pathway } | "cancel"> {
  const { ui, flow } = run;
  let pathway = decided;
  const titles = new Map(flow.actions.map((a) => [a.id, a.title]));
  const label = (id: string) => flow.facts.get(id)?.label ?? titles.get(id);
  const words = (fact: string, v: Value | null) => valueWords(run.byFact.get(fact) ?? saidIn(flow, fact), v);
  const glance = () => {
    ui.clear();
    const room = ui.roomAbove(
      "What next?",
      PATHWAY_MENU.flatMap((e) => ("separator" in e ? [] : [e.name])),
    );
    ui.say(compactPathway(pathway, ui.colour, ui.width(), room));
  };
  glance();
  // Numbered as the glance numbers them: in the order to act.
  let steps = actingOrder(pathway.actions);
  let next: PathwayPick = { kind: "write" };
  for (;;) {
    const picked: Picked<PathwayPick> = await ui.choose("What next?", PATHWAY_MENU, {
      default: next,
      inline: true,
    });
    if (picked.kind === "cancel") return "cancel";
    next = picked.value;
    if (next.kind === "again") glance();
    else if (next.kind === "done") {
      const marked = await markDone(run, pathway, steps);
      if (marked === "cancel") return "cancel";
      if (marked === "marked") {
        pathway = run.opts.effects.decide(run.state.answers);
        steps = actingOrder(pathway.actions);
        glance();
      }
    } else if (next.kind === "all") {
      ui.clear();
      // Longer than the screen: a page at a time, then the pathway at a glance again.
      const shown = await ui.page(pathwayDetail(pathway, ui.colour, ui.width()), MENU_ROOM);
      if (shown === "cancel") return "cancel";
      if (shown === "paged") glance();
    } else if (next.kind === "why") {
      const step = await ui.choose<number>("Why: which step?", [
        ...steps.map((a, i) => ({
          value: i,
          name: `${i + 1}. ${a.title}: ${dueWords(a, pathway.today)}${withWorkingDay(a, pathway.today)}`,
          hang: `${i + 1}. `.length,
        })),
        { separator: " " },
        { value: -1, name: "Back to the menu" },
      ]);
      if (step.kind === "cancel") return "cancel";
      const a = steps[step.value];
      if (a) {
        ui.clear();
        const shown = await ui.page(whyScreen(a, ui.colour, ui.width(), label, words), MENU_ROOM);
        if (shown === "cancel") return "cancel";
        if (shown === "paged") glance();
      }
    } else return { next, pathway };
  }
}

/**
 * A step of the pathway marked done (issue 26), as `safeguard done` marks it: chosen from the
 * steps not done yet, numbered as the glance numbers them, refused with the reason where the
 * pathway does not recommend it (whyNotMarkable), on the day typed, never a day assumed (Enter
 * alone marks nothing; "today" is typed). Saved at once, as an answer is.
 */
async function markDone(
  { ui, flow, state, opts }: Run,
  pathway: Pathway,
  steps: readonly Recommendation[],
): Promise<"cancel" | "marked" | "not"> {
  const open = steps.flatMap((a, i) => (a.done ? [] : [{ a, n: i + 1 }]));
  if (open.length === 0) {
    ui.say("Every step of the pathway is done.");
    return "not";
  }
  const step = await ui.choose<string>("Mark done: which step?", [
    ...open.map(({ a, n }) => ({
      value: a.id,
      name: `${n}. ${a.title}: ${dueWords(a, pathway.today)}`,
      hang: `${n}. `.length,
    })),
    { separator: " " },
    { value: "", name: "Back to the menu" },
  ]);
  if (step.kind === "cancel") return "cancel";
  if (step.value === "") return "not";
  const why = whyNotMarkable(flow, pathway, step.value);
  if (why) {
    ui.say(`Not marked: ${why}.`);
    return "not";
  }
  const title = flow.actionById.get(step.value)?.title ?? step.value;
  const typed = await ui.text(
    `The day it was done: ${title} (day/month/year, or today; Enter alone marks nothing)`,
    { validate: (t) => (t.trim() === "" ? undefined : doneDateProblem(t, opts.today)) },
  );
  if (typed.kind === "cancel") return "cancel";
  const date = readTypedDate(typed.value, opts.today);
  if (typeof date === "string") {
    ui.say("Not marked.");
    return "not";
  }
  state.done.set(step.value, { date: date.value });
  opts.effects.save(state);
  return "marked";
}

/** Why a typed day cannot be the day a step was done (not a date, or after today), or undefined. */
function doneDateProblem(typed: string, today: IsoDate): string | undefined {
  const date = readTypedDate(typed, today);
  if (typeof date === "string") return date;
  if (date.value > today) return say.doneDayAfterToday(formatLong(date.value));
  return undefined;
}

/** The output folder asked for until the files are written there (a problem said, and asked again). */
async function writeFiles({ ui, state, opts }: Run) {
  let out = opts.defaultOut;
  for (;;) {
    const folder = await ui.text("Output folder (a folder for this case is made inside it)", {
      default: out,
      validate: (s) => (s.trim() === "" ? "Give a folder" : undefined),
    });
    if (folder.kind === "cancel") return "cancel";
    out = folder.value.trim();
    const result = await opts.effects.write(state.answers, out);
    if ("problem" in result) {
      ui.say(result.problem);
      continue;
    }
    return { out, ...result };
  }
}

/**
 * The round for the drafts (issue 21), before the files are written: the questions the
 * engine's draftQuestions gives, and the referrer's own details where the case gives none
 * (asked once: saved details are used without asking). All optional, and skippable as a
 * whole: a question left alone, or answered not known, records nothing, so the drafts show it
 * "[to complete]" exactly as before. Each answer is saved as it is given.
 */
async function draftsRound(run: Run, pathway: Pathway): Promise<"cancel" | "added" | "none"> {
  const { ui, flow, state, offered } = run;
  const { effects } = run.opts;
  let added = false;
  const give = (id: string, v: Value) => {
    state.answers.set(id, v);
    state.order.push(id);
    added = true;
    effects.save(state);
  };
  const questions = draftQuestions(flow, pathway).filter((q) => !offered.has(q.fact.id));
  const fields = REFERRER_FIELDS.filter((f) => flow.facts.has(`referrer.${f}`));
  const askReferrer = savedReferrer(run, pathway, fields, give);
  if (questions.length === 0 && !askReferrer) return added ? "added" : "none";
  for (const q of questions) offered.add(q.fact.id);
  offered.add("referrer");
  const what = [
    ...(questions.length > 0 ? [plural(questions.length, "question")] : []),
    ...(askReferrer ? ["your own details, asked once"] : []),
  ].join(" and ");
  const go = await ui.choose<"answer" | "skip">("A few details for the drafts (all optional)", [
    { value: "answer", name: `Answer them now: ${what}; Enter leaves one to complete in the draft` },
    { value: "skip", name: "Skip: leave them to complete in the drafts" },
  ]);
  if (go.kind === "cancel") return "cancel";
  if (go.value === "skip") return added ? "added" : "none";
  for (let i = 0; i < questions.length; ) {
    const q = questions[i] as Question;
    const group = q.group === undefined ? undefined : flow.groups.get(q.group);
    let rows = [q];
    while (group && questions[i + rows.length]?.group === group.id)
      rows = [...rows, questions[i + rows.length] as Question];
    i += rows.length;
    if (group && rows.length > 1) {
      const asked = await ui.group(group, rows, {
        defaults: new Map(),
        canGoBack: false,
        live: () => rows.map(() => true),
      });
      if (asked.kind === "cancel") return "cancel";
      if (asked.kind === "answer") for (const [id, v] of asked.values) if (v !== null) give(id, v);
      continue;
    }
    const asked = await ui.question(q, { canGoBack: false });
    if (asked.kind === "cancel") return "cancel";
    if (asked.kind === "answer" && asked.value !== null) give(q.fact.id, asked.value);
  }
  if (askReferrer && (await askReferrerDetails(run, fields, give)) === "cancel") return "cancel";
  return added ? "added" : "none";
}

/**
 * The referrer's saved details, given to the drafts where a draft to be written has a
 * referrer section and the case gives none; whether they are still to be asked (none saved).
 */
function savedReferrer(
  { ui, flow, state, offered, opts }: Run,
  pathway: Pathway,
  fields: readonly ReferrerField[],
  give: (id: string, v: Value) => void,
): boolean {
  const { referrer } = opts.effects;
  const caseGives = fields.some((f) => state.answers.has(`referrer.${f}`));
  // Only where a draft to be written has a referrer section: no draft, nothing to fill.
  const drafted = [...draftReads(flow, pathway)].some((f) => f.startsWith("referrer."));
  if (!referrer || !drafted || fields.length === 0 || caseGives || offered.has("referrer")) return false;
  const kept = referrer.load();
  if ("problem" in kept) {
    ui.say(
      `Your saved referrer details cannot be used: ${kept.problem}. safeguard referrer shows what to do.`,
    );
    return false;
  }
  const used = fields.filter((f) => kept[f] !== undefined);
  for (const f of used) give(`referrer.${f}`, kept[f] as string);
  if (used.length === 0) return true;
  ui.say(
    `Your saved referrer details (${used.join(", ")}) go into the drafts; safeguard referrer changes them.`,
  );
  return false;
}

/** The referrer's own details, each optional; kept for next time if the lead says so. */
async function askReferrerDetails(
  { ui, opts }: Run,
  fields: readonly ReferrerField[],
  give: (id: string, v: Value) => void,
): Promise<"cancel" | "done"> {
  const { referrer } = opts.effects;
  if (!referrer) return "done";
  ui.say("Your own details, for the referrer section of the drafts (each optional; Enter leaves it out):");
  const given: Referrer = {};
  for (const f of fields) {
    const typed = await ui.text(`${REFERRER_WORDS[f]} (optional)`, {
      validate: (v) => referrerProblem(f, v),
    });
    if (typed.kind === "cancel") return "cancel";
    const v = typed.value.trim();
    if (v === "") continue;
    given[f] = v;
    give(`referrer.${f}`, v);
  }
  if (Object.keys(given).length === 0) return "done";
  const keep = await ui.choose<boolean>("Keep these for next time?", [
    {
      value: true,
      name: "Yes: kept in your data folder, readable by you only (safeguard referrer changes them)",
    },
    { value: false, name: "No: for this case only" },
  ]);
  if (keep.kind === "cancel") return "cancel";
  if (keep.value) ui.say(referrer.save(given));
  return "done";
}

/** " (weekend; last working day Fri 25 Sep)", or nothing. */
function withWorkingDay(a: Recommendation, today: string): string {
  const words = lastWorkingDayWords(a, today);
  return words ? ` (${words})` : "";
}

async function review(
  ui: Ui,
  flow: Flow,
  state: WizardState,
  byFact: ReadonlyMap<string, Question>,
  notes: readonly string[],
  today: IsoDate,
) {
  const lines = ["", `Review: ${plural(state.order.length, "answer")}. Choose one to change it, or finish.`];
  for (const n of notes) lines.push(`  ${n}`);
  ui.say(lines.join("\n"));
  const rows: Entry<ReviewPick>[] = state.order.map((id) => {
    const q = byFact.get(id);
    const label = q?.fact.label ?? flow.facts.get(id)?.label ?? id;
    const words = valueWords(q ?? saidIn(flow, id), state.answers.get(id));
    // Under the highlighted answer: why it was asked, in a line or two (its help says it all).
    const why = decidesLine(
      decidesSteps(flow, id, state.answers, today),
      ui.width() - 1,
      2,
      " (its help lists more)",
    );
    return {
      value: { kind: "change", id },
      name: `${label}: ${words}`,
      hang: 2,
      ...(why ? { description: why } : {}),
    };
  });
  return ui.choose<ReviewPick>(
    "Your answers",
    [
      { value: { kind: "finish" }, name: "These are right: show the pathway" },
      { separator: " " },
      ...rows,
      { separator: " " },
      { value: { kind: "back" }, name: "Back to the last question" },
    ],
    { default: { kind: "finish" } },
  );
}

/**
 * A group's screen: its rows' answers (kept ones offered again), each live row's fact set in
 * the engine's words (groupAnswers: a row left alone is not known, one not worth asking left out).
 */
async function askGroupScreen(
  flow: Flow,
  state: WizardState,
  ui: Ui,
  screen: Extract<Screen, { kind: "group" }>,
  kept: Map<string, Value | null>,
  today: IsoDate,
): Promise<"answered" | "back" | "cancel"> {
  const rows = screen.questions;
  const asked = await ui.group(screen.group, rows, {
    defaults: new Map(
      rows.flatMap((q) => (kept.has(q.fact.id) ? [[q.fact.id, kept.get(q.fact.id) ?? null]] : [])),
    ),
    canGoBack: state.order.length > 0,
    live: (values) => liveRows(flow, state.answers, today, rows, values),
    decides: (id) => decidesSteps(flow, id, state.answers, today),
  });
  if (asked.kind !== "answer") return asked.kind;
  for (const [id, v] of groupAnswers(flow, state.answers, today, rows, asked.values)) {
    state.answers.set(id, v);
    state.order.push(id);
    kept.delete(id);
  }
  return "answered";
}

/**
 * Change one answer and leave out the answers the change made irrelevant (the engine says
 * which: madeIrrelevant). Returns what was left out.
 */
export function changeAnswer(
  flow: Flow,
  state: WizardState,
  id: string,
  value: Value | null,
  today: IsoDate,
): Map<string, Value | null> {
  const before = new Map(state.answers);
  state.answers.set(id, value);
  const dropped = new Map<string, Value | null>();
  for (const f of madeIrrelevant(flow, before, state.answers, state.order, id, today)) {
    dropped.set(f, state.answers.get(f) ?? null);
    state.answers.delete(f);
  }
  state.order = state.order.filter((o) => !dropped.has(o));
  return dropped;
}
