import { Chalk } from "chalk";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import { contactLine, plural } from "../words/words.js";
import { terminalSafe as t, terminalText } from "./inert.js";
import { monthWords, REDACTED_NOTE } from "./redact.js";

/**
 * How late a step is, in what its deadline counts: "overdue: 1 working day" (a working-day
 * step due on a Friday, seen on the Monday), "overdue: 3 calendar days". A working-day step
 * whose due day is followed only by a weekend or holiday so far: "overdue since Fri 4 Dec 2026".
 */
export function overdueWords(
  a: Pick<Recommendation, "due" | "daysOverdue" | "counts" | "workingDaysOverdue">,
): string {
  if (a.counts === "calendar_days") return `overdue: ${plural(a.daysOverdue, "calendar day")}`;
  if (a.workingDaysOverdue > 0) return `overdue: ${plural(a.workingDaysOverdue, "working day")}`;
  return `overdue since ${formatLong(a.due as string)}`;
}

/**
 * A step's date, in words where it is not a firm deadline (issue 22): "support until at least
 * Sun 15 Nov 2026" for a date something ends, "Fri 20 Nov 2026, expected if the strategy
 * discussion agrees" for an anticipated step; else the date as given.
 */
export function qualifiedDate(a: Pick<Recommendation, "expected" | "until">, date: string): string {
  if (a.until) return `${a.until} ${date}`;
  return a.expected ? `${date}, ${a.expected}` : date;
}

/**
 * The steps in the order the lead acts on them: overdue first (the longest overdue first),
 * then today, then by date, then those with no date; steps due the same day keep the
 * procedure's order. A redacted birthday step (a month, no day) comes after its month's dates.
 */
export function actingOrder<A extends Pick<Recommendation, "due" | "dueMonth" | "done">>(
  actions: readonly A[],
): A[] {
  // Done steps last, in the procedure's order: nothing is left to act on.
  const key = (a: A) => (a.done ? "~~" : (a.due ?? (a.dueMonth ? `${a.dueMonth}-99` : "~")));
  return actions
    .map((a, i) => [a, i] as const)
    .sort(([a, i], [b, j]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : i - j))
    .map(([a]) => a);
}

/** A done step in words: "done Mon 7 Dec 2026", "done (the facts show it; date not known)". */
export function doneWords(done: NonNullable<Recommendation["done"]>): string {
  const when = done.date ? ` ${formatLong(done.date)}` : "";
  if (done.source === "facts") return `done${when}${done.date ? "" : " (date not known)"}`;
  return `done${when}`;
}

/** The pathway for the age: "child pathway", or, where the age is not known, what waits for it. */
export function pathwayWords(group: Pathway["person"]["group"]): string {
  return group === "not-known" ? "child or adult steps wait for the age" : `${group} pathway`;
}

/** "by Children's Services", for a step another team does; nothing for the lead's own. */
export function byWords(a: Pick<Recommendation, "by">): string | undefined {
  return a.by ? `by ${a.by.name}` : undefined;
}

/**
 * The pathway for a terminal: actions in order, dates, contacts; warnings first. `why`
 * adds each action's reasons (the wizard shows them on request instead); `folder` is where
 * the files were written (null: say how to write them; undefined: say nothing).
 */
export function pathwayText(
  p: Pathway,
  opts: { colour: boolean; folder?: string | null; why?: boolean; docx?: boolean; png?: boolean },
): string {
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const lines: string[] = [];
  const age = p.person.ageBand ?? (p.person.age === null ? "age not known" : `${p.person.age}`);
  const who =
    p.person.group === "none"
      ? "a concern about a peer group, place or online space"
      : `${age}, ${pathwayWords(p.person.group)}`;
  lines.push(c.bold(`Case ${t(p.caseId)}: ${who} (concern ${formatLong(p.referenceDate)})`));
  lines.push(c.dim(`${p.flow.name}, version ${p.flow.version}`));
  if (p.redacted) lines.push(c.dim(REDACTED_NOTE));
  const important = p.warnings.filter((w) => w.kind !== "currency" && w.kind !== "not-decided");
  if (important.length > 0) {
    lines.push("", c.yellow.bold("Check:"));
    for (const w of important) {
      lines.push(`  ${c.yellow("!")} ${t(w.text)}`);
      if (w.suggestion) lines.push(`    ${c.dim(`suggest: ${t(w.suggestion)}`)}`);
    }
  }
  lines.push("", c.bold("Recommended pathway, in the order to act (overdue first, then by date):"));
  actingOrder(p.actions).forEach((a, i) => {
    const due = a.due ? formatLong(a.due) : a.dueMonth ? `in ${monthWords(a.dueMonth)}` : "no date set";
    lines.push(`  ${String(i + 1).padStart(2)}. ${c.bold(a.title)}  ${c.cyan(`[${a.id}]`)}`);
    const by = byWords(a);
    if (by) lines.push(`      ${c.magenta(by)}`);
    const late = a.daysOverdue > 0 ? `, ${c.red.bold(overdueWords(a))}` : "";
    const shown = qualifiedDate(a, a.due || a.dueMonth ? c.green(due) : c.dim(due));
    if (a.done) lines.push(`      ${c.green(doneWords(a.done))}${a.done.note ? `: ${t(a.done.note)}` : ""}`);
    else lines.push(`      ${a.until ? "" : "due: "}${shown}${late}  ${c.dim(`(${a.dueRule})`)}`);
    if (opts.why !== false)
      for (const b of a.because) lines.push(`      why: ${b.because} ${c.dim(`(${b.cite})`)}`);
    for (const ct of a.contacts) {
      lines.push(`      contact: ${contactLine(ct)}`);
    }
  });
  if (p.actions.length === 0) lines.push("  (none yet: see what is not known above)");
  if (p.doneAlready) {
    lines.push("", c.bold("Done already, as the facts show:"));
    for (const d of p.doneAlready) lines.push(`  - ${d.title}: ${c.green(doneWords(d.done))}`);
  }
  if (p.undecided.length > 0) {
    lines.push("", c.bold("Not decided yet: not known, and would decide more steps:"));
    for (const [needs, titles] of notDecided(p)) {
      const [first, ...more] = needs.split("\n");
      lines.push(`  - ${t(first ?? "")}`, ...more.map((n) => `    ${t(n)}`));
      lines.push(`    ${c.dim(`would decide: ${titles.join("; ")}`)}`);
    }
  }
  if (p.implied.length > 0) {
    lines.push("", c.bold("Settled by other facts:"));
    for (const i of p.implied)
      lines.push(
        `  - ${i.fact}: ${i.atLeast ? "at least " : ""}${t(String(i.value))}, because ${i.because} ${c.dim(`(${i.cite})`)}`,
      );
  }
  const readings = p.readAs;
  if (readings.length > 0) {
    lines.push("", c.bold("Not known, and taken to mean:"));
    for (const r of readings) lines.push(`  - ${r.fact}: ${r.readsAs} ${c.dim(`[${r.actions.join(", ")}]`)}`);
  }
  if (p.currency.length > 0) {
    lines.push("", c.bold("Where national guidance has moved on:"));
    for (const n of p.currency)
      lines.push(`  - ${n.topic}: procedures say ${n.seeds}; now ${n.national} (${n.source})`);
  }
  if (opts.folder)
    lines.push(
      "",
      `Written to ${t(opts.folder)}/ (owner-only): case-summary.md, before-you-send.md, pathway.json, deadlines.ics, pathway.svg${opts.png ? ", pathway.png" : ""}${p.documents.length ? `, ${p.documents.map((d) => `${d}.md`).join(", ")}` : ""}${opts.docx ? "; and each draft and the case summary as .docx" : ""}`,
    );
  else if (opts.folder === null)
    lines.push("", c.dim("Add --out DIR to write the case summary, the drafts and deadlines.ics."));
  return terminalText(`${lines.join("\n")}\n`);
}

/**
 * What is not decided, in words and without ids: what is not known (a line each) with the
 * steps knowing it would decide.
 */
function notDecided(p: Pathway): Map<string, string[]> {
  const byNeed = new Map<string, string[]>();
  for (const u of p.undecided) {
    const key = u.waitsOn.join("\n");
    byNeed.set(key, [...(byNeed.get(key) ?? []), u.title]);
  }
  return byNeed;
}
