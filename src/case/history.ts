import type { Answers, Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import { decide, type Pathway } from "../engine/decide.js";
import type { Flow } from "../flow/types.js";
import { markdownCell, markdownInline } from "../render/inert.js";
import { saidIn, valueWords } from "../render/value-words.js";
import type { Mark } from "./done.js";

// A case over time (issue 26), pure: what each entry of a case's history holds, what
// changed between two, and the chronology as leads know it. The history's file is io/history.ts.

/** A step as the history keeps it: enough to say later what changed. */
export interface StepState {
  id: string;
  title: string;
  due: string | null;
  done?: { date: string | null; source: "marked" | "facts" };
}

/** A fact's change: its value before and now (null: not known). */
export interface FactChange {
  fact: string;
  label: string;
  from: Value | null;
  to: Value | null;
  /** The two values in plain words, as the question offers them (valueWords). */
  from_words?: string;
  to_words?: string;
  /** A personal fact: its values are shown in the case folder, never on the screen. */
  personal?: true;
}

/** What changed in a case's pathway since its last entry (issue 26). */
export interface Changes {
  new_steps: { id: string; title: string; due: string | null }[];
  /** Steps no longer recommended, and the facts whose change took each away. */
  gone_steps: { id: string; title: string; because: FactChange[] }[];
  now_done: { id: string; title: string; date: string | null; source: "marked" | "facts" }[];
  /** Due dates that moved, and the facts whose change moved each (none: the same rule on a later day). */
  due_moved: { id: string; title: string; from: string | null; to: string | null; because: FactChange[] }[];
  facts: FactChange[];
}

/** One entry of a case's history: one line of chronology.jsonl. */
export interface Entry {
  v: 1;
  /** When, to the second (UTC), and the day it counts as (the lead's today). */
  at: string;
  date: string;
  kind: "run" | "update" | "done" | "close" | "reopen";
  /** Where it came from, in words: "case file c.yaml", "safeguard done". */
  source: string;
  case_id: string;
  redacted?: true;
  /** The facts as given (a redacted copy's redacted), and every step marked done. */
  given?: Record<string, Value | null>;
  marks?: Record<string, Mark>;
  decided?: { steps: StepState[]; done_steps: StepState[]; not_decided: number };
  changed?: Changes;
  drafts?: { written: string[]; kept: { file: string; beside: string }[] };
  /** `done`: the step and its note; `close`: the reason. */
  step?: string;
  note?: string;
  reason?: string;
}

/** Where a case stands after its history: the last facts given, the marks, open or closed. */
export interface CaseState {
  last?: Entry;
  given?: Record<string, Value | null>;
  marks: Map<string, Mark>;
  closed?: { date: string; reason: string };
  redacted: boolean;
}

/** Entries that are whole entries of this version; anything else is left out. */
export function entriesOf(raw: readonly unknown[]): Entry[] {
  return raw.filter(
    (e): e is Entry =>
      typeof e === "object" &&
      e !== null &&
      (e as Entry).v === 1 &&
      typeof (e as Entry).kind === "string" &&
      typeof (e as Entry).date === "string",
  );
}

export function stateOf(entries: readonly Entry[]): CaseState {
  const state: CaseState = { marks: new Map(), redacted: false };
  for (const e of entries) {
    if (e.given) {
      state.last = e;
      state.given = e.given;
      state.redacted = e.redacted === true;
    }
    if (e.marks) state.marks = new Map(Object.entries(e.marks));
    if (e.kind === "close") state.closed = { date: e.date, reason: e.reason ?? "" };
    if (e.kind === "reopen") delete state.closed;
  }
  return state;
}

/** The facts of an entry as answers. */
export function answersOf(given: Record<string, Value | null>): Map<string, Value | null> {
  return new Map(Object.entries(given));
}

const stepState = (a: Pathway["actions"][number]): StepState => ({
  id: a.id,
  title: a.title,
  due: a.due,
  ...(a.done ? { done: { date: a.done.date, source: a.done.source } } : {}),
});

/** A new entry for a pathway just decided. */
export function entryFor(
  pathway: Pathway,
  e: Pick<Entry, "at" | "date" | "kind" | "source"> & Partial<Entry>,
  marks: ReadonlyMap<string, Mark>,
): Entry {
  return {
    v: 1,
    ...e,
    case_id: pathway.caseId,
    ...(pathway.redacted ? { redacted: true as const } : {}),
    given: Object.fromEntries(pathway.answers),
    marks: Object.fromEntries(marks),
    decided: {
      steps: pathway.actions.map(stepState),
      done_steps: (pathway.doneAlready ?? []).map((d) => ({
        id: d.id,
        title: d.title,
        due: null,
        done: d.done,
      })),
      not_decided: pathway.undecided.length,
    },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What changed from `before` (the last entry) to `after`: facts added or changed (old →
 * new), steps newly recommended, steps no longer recommended and the fact that took each
 * away, steps now done, due dates that moved and why. "Why" is found, not guessed: the
 * changed facts that, each put back as it was, give the old answer again.
 */
export function whatChanged(flow: Flow, before: Entry, after: Pathway): Changes {
  const old = before.given ?? {};
  const ids = [...new Set([...Object.keys(old), ...after.answers.keys()])];
  const facts: FactChange[] = ids
    .filter((id) => !same(old[id], after.answers.get(id)))
    .map((id) => factChange(flow, id, old[id] ?? null, after.answers.get(id) ?? null));
  const was = new Map((before.decided?.steps ?? []).map((s) => [s.id, s]));
  const wasDone = new Set((before.decided?.done_steps ?? []).map((s) => s.id));
  const now = new Map(after.actions.map((a) => [a.id, a]));
  const already = new Map((after.doneAlready ?? []).map((d) => [d.id, d]));
  // Each changed fact put back as it was: the pathway it gives, worked out once, on demand.
  // Every changed fact put back at once (key ""), where no one fact alone explains a change.
  const reverted = new Map<string, Pathway>();
  const without = (f: FactChange | undefined) => {
    const key = f?.fact ?? "";
    let p = reverted.get(key);
    if (!p) {
      const answers = new Map(after.answers);
      for (const g of f ? [f] : facts) {
        if (old[g.fact] === undefined) answers.delete(g.fact);
        else answers.set(g.fact, old[g.fact] as Value | null);
      }
      p = decide(flow, answers as Answers, after.today);
      reverted.set(key, p);
    }
    return p;
  };
  /** The changed facts that, each put back, undo the change; else all of them, where only together they do. */
  const cause = (undoes: (p: Pathway) => boolean): FactChange[] => {
    const one = facts.filter((f) => undoes(without(f)));
    return one.length > 0 || facts.length === 0 || !undoes(without(undefined)) ? one : facts;
  };
  const changes: Changes = { new_steps: [], gone_steps: [], now_done: [], due_moved: [], facts };
  for (const a of after.actions) {
    const prev = was.get(a.id);
    if (!prev) changes.new_steps.push({ id: a.id, title: a.title, due: a.due });
    if (a.done && !prev?.done)
      changes.now_done.push({ id: a.id, title: a.title, date: a.done.date, source: a.done.source });
    if (prev && !a.done && !prev.done && prev.due !== a.due)
      changes.due_moved.push({
        id: a.id,
        title: a.title,
        from: prev.due,
        to: a.due,
        because: cause((p) => p.actions.find((x) => x.id === a.id)?.due === prev.due),
      });
  }
  for (const [id, prev] of was) {
    if (now.has(id)) continue;
    const done = already.get(id);
    if (done) {
      if (!prev.done) changes.now_done.push({ id, title: prev.title, date: done.done.date, source: "facts" });
      continue;
    }
    changes.gone_steps.push({
      id,
      title: prev.title,
      because: cause((p) => p.actions.some((x) => x.id === id)),
    });
  }
  for (const [id, d] of already)
    if (!was.has(id) && !wasDone.has(id))
      changes.now_done.push({ id, title: d.title, date: d.done.date, source: "facts" });
  return changes;
}

function factChange(flow: Flow, id: string, from: Value | null, to: Value | null): FactChange {
  const fact = flow.facts.get(id);
  const said = saidIn(flow, id);
  return {
    fact: id,
    label: fact?.label ?? id,
    from,
    to,
    from_words: valueWords(said, from),
    to_words: valueWords(said, to),
    ...(fact?.personal ? { personal: true as const } : {}),
  };
}

/** True when nothing changed. */
export function nothingChanged(c: Changes): boolean {
  return Object.values(c).every((list) => list.length === 0);
}

const dateWords = (d: string | null) => (d ? formatLong(d) : "no date");

/** "Date the strategy discussion was held: not known → Mon 31 Aug 2026"; a personal fact's values left out where `hidePersonal`. */
export function factChangeWords(f: FactChange, hidePersonal: boolean): string {
  if (f.personal && hidePersonal) return `${f.label}: changed`;
  // An entry written before the words were kept says its values without the question's words.
  return `${f.label}: ${f.from_words ?? valueWords({}, f.from)} → ${f.to_words ?? valueWords({}, f.to)}`;
}

/**
 * What changed, in plain words (no ids): for the screen (`hidePersonal`: a personal fact's
 * values left out) and for what-changed.md in the case folder.
 */
export function changesWords(c: Changes, hidePersonal: boolean): string[] {
  if (nothingChanged(c)) return ["Nothing changed since the last update."];
  const lines: string[] = [];
  const because = (fs: FactChange[]) =>
    fs.length === 0 ? "" : `, because ${fs.map((f) => factChangeWords(f, hidePersonal)).join("; ")}`;
  const section = (title: string, items: string[]) => {
    if (items.length > 0) lines.push(title, ...items.map((i) => `  - ${i}`));
  };
  section(
    "Newly recommended:",
    c.new_steps.map((s) => `${s.title} (${s.due ? `due ${formatLong(s.due)}` : "no date set"})`),
  );
  section(
    "No longer recommended:",
    c.gone_steps.map((s) => `${s.title}${because(s.because) || " (the facts together took it away)"}`),
  );
  section(
    "Now done:",
    c.now_done.map((s) => `${s.title}: ${s.date ? `done ${formatLong(s.date)}` : "done (date not known)"}`),
  );
  section(
    "Due dates moved:",
    c.due_moved.map(
      (s) =>
        `${s.title}: ${dateWords(s.from)} → ${dateWords(s.to)}${because(s.because) || " (the same rule, worked out on a later day)"}`,
    ),
  );
  section(
    "Facts added or changed:",
    c.facts.map((f) => factChangeWords(f, hidePersonal)),
  );
  return lines;
}

/** The pathway's change in a few words: "pathway updated: 2 new steps, 1 now done". */
function changeSummary(c: Changes): string {
  const n = (k: number, one: string, many = `${one}s`) => (k === 0 ? [] : [`${k} ${k === 1 ? one : many}`]);
  const parts = [
    ...n(c.new_steps.length, "new step"),
    ...n(c.gone_steps.length, "step no longer recommended", "steps no longer recommended"),
    ...n(c.now_done.length, "step now done", "steps now done"),
    ...n(c.due_moved.length, "due date moved", "due dates moved"),
  ];
  return parts.length === 0 ? "pathway unchanged" : `pathway updated: ${parts.join(", ")}`;
}

/** What one entry says happened, in the words of a chronology. */
function happened(flow: Flow, e: Entry): string[] {
  const title = (id: string | undefined) => (id ? (flow.actionById.get(id)?.title ?? id) : "");
  switch (e.kind) {
    case "close":
      return [`Case closed: ${e.reason ?? ""}`];
    case "reopen":
      return [`Case reopened${e.reason ? `: ${e.reason}` : ""}`];
    case "done": {
      const on = e.marks?.[e.step ?? ""]?.date;
      return [
        `Marked done: ${title(e.step)}${on ? ` (${formatLong(on)})` : ""}${e.note ? `. Note: ${e.note}` : ""}`,
      ];
    }
    default: {
      const steps = e.decided?.steps.length ?? 0;
      if (!e.changed)
        return [`Case recorded: pathway worked out, ${steps} step${steps === 1 ? "" : "s"} recommended`];
      const facts = e.changed.facts.map((f) => factChangeWords(f, false));
      return [...facts, changeSummary(e.changed)];
    }
  }
}

const cell = markdownCell;

/** what-changed.md: what the last update changed, for the case folder (personal facts' values included: the folder is owner-only). */
export function whatChangedMarkdown(caseId: string, date: string, c: Changes): string {
  const lines = changesWords(c, false).map((l) =>
    l.startsWith("  - ") ? `- ${markdownInline(l.slice(4))}` : `\n**${markdownInline(l)}**\n`,
  );
  return `# What changed: case ${markdownInline(caseId)}, ${formatLong(date)}\n${lines.join("\n")}\n`;
}

/**
 * chronology.md: the case's history as leads keep a chronology, a row an entry: date, what
 * happened, source. Rendered whole from the history each time; the history itself is never
 * rewritten. Lines of the history that were not whole are said at the end, never guessed at.
 */
export function chronologyMarkdown(flow: Flow, caseId: string, entries: readonly Entry[], torn = 0): string {
  const redacted = entries.some((e) => e.redacted);
  const rows = entries.map(
    (e) => `| ${formatLong(e.date)} | ${cell(happened(flow, e).join("; "))} | ${cell(e.source)} |`,
  );
  return [
    `# Chronology: case ${markdownInline(caseId)}`,
    "",
    ...(redacted ? ["A redacted copy: names, dates of birth and free text are left out.", ""] : []),
    "| Date | What happened | Source |",
    "| --- | --- | --- |",
    ...rows,
    "",
    ...(torn > 0
      ? [
          `${torn} line${torn === 1 ? "" : "s"} of the history could not be read (a run stopped while writing): left out above.`,
          "",
        ]
      : []),
  ].join("\n");
}
