import { Chalk, type ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation, StepDone } from "../engine/decide.js";
import { terminalSafe } from "../render/inert.js";
import {
  actingOrder,
  byWords,
  overdueWords,
  pathwayText,
  pathwayWords,
  qualifiedDate,
} from "../render/text.js";
import { valueWords } from "../render/value-words.js";
import { visibleWidth, wrapLine, wrapText } from "../render/wrap.js";
import { plural } from "../words/words.js";

/**
 * The wizard's screens, as text: pure renderings of the engine's pathway (style.md §9:
 * the "why" is the rule that fired, its facts and citation, never a second explanation).
 */

/** The whole pathway, as `run` shows it (contacts, what waits on facts, notes), fitted to the width. */
export function pathwayDetail(p: Pathway, colour: boolean, width: number): string {
  return wrapText(pathwayText(p, { colour, why: false }), width);
}

/** When a step is due, in a few words: "today", "Thu 17 Sep", "overdue: 1 working day", "no date set". */
export function dueWords(a: Recommendation, today: string): string {
  if (a.done) return doneShort(a.done, today);
  if (a.daysOverdue > 0) return overdueWords(a);
  // Not a firm deadline: a date something ends, or a step the strategy discussion has yet to agree.
  if (a.until && a.due) return `${a.until} ${shortDate(a.due, today)}`;
  const when = !a.due ? "no date set" : a.due === today ? "today" : shortDate(a.due, today);
  return a.expected ? (a.due ? `expected ${when}` : "expected") : when;
}

/** A step done, in a few words: "done Mon 31 Aug", or "done" where its date is not known. */
function doneShort(done: StepDone, today: string): string {
  return done.date ? `done ${shortDate(done.date, today)}` : "done";
}

/**
 * A due date on a weekend or bank holiday keeps its date (the procedures count calendar
 * days); a few words name the last working day before it, as the rule's words do:
 * "weekend; last working day Fri 25 Sep". Nothing for a step already overdue.
 */
export function lastWorkingDayWords(a: Recommendation, today: string): string | undefined {
  const nw = a.dueNonWorking;
  if (!nw || a.daysOverdue > 0 || a.done) return undefined;
  const what = nw.reason === "weekend" ? "weekend" : nw.reason;
  const tense = nw.lastWorkingDay < today ? "was" : "is";
  return `${what}; last working day ${tense === "was" ? "was " : ""}${shortDate(nw.lastWorkingDay, today)}`;
}

/** "Thu 17 Sep" in today's year, "Thu 17 Sep 2027" otherwise. */
function shortDate(d: string, today: string): string {
  const long = formatLong(d);
  return d.slice(0, 4) === today.slice(0, 4) ? long.replace(/ \d+$/, "") : long;
}

/**
 * The pathway at a glance, to fit a small terminal: who the case is about, what to check,
 * then the steps in the order the lead acts on them (overdue first, then today, then by
 * date, then those with no date), one a step (its number, when it is due, what to do, and
 * whose it is where another team does it), wrapped at word boundaries under the step, never
 * cut short. Within `height` lines: where the steps do not all fit, as many as fit, in order,
 * and the last line says how many more there are and that Show everything lists them.
 */
export function compactPathway(p: Pathway, colour: boolean, width: number, height = Infinity): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines: string[] = [];
  const put = (text: string, first = "", rest = first) => lines.push(...wrapLine(text, width, first, rest));
  const age = p.person.age === null ? "age not known" : `${p.person.age}`;
  const who =
    p.person.group === "none"
      ? "a concern about a peer group, place or online space"
      : `${age}, ${pathwayWords(p.person.group)}`;
  put(c.bold(`Case ${terminalSafe(p.caseId)}: ${who}, concern ${formatLong(p.referenceDate)}`));
  for (const w of p.warnings.filter((x) => x.kind !== "currency" && x.kind !== "not-decided"))
    put(`${c.yellow("!")} ${terminalSafe(w.text)}`, "", "  ");
  const overdue = p.actions.filter((a) => a.daysOverdue > 0).length;
  const more: string[] = [];
  if (p.undecided.length > 0) more.push(`${p.undecided.length} steps that wait on facts`);
  if (p.currency.length > 0) more.push(plural(p.currency.length, "note"));
  const steps = plural(p.actions.length, "step");
  put(
    c.dim(
      `${steps}${overdue > 0 ? `, ${overdue} overdue` : ""}, most urgent first.${more.length > 0 ? ` Show everything: ${more.join(", ")}.` : ""}`,
    ),
  );
  lines.push("");
  if (p.actions.length === 0) put("(none yet: Show everything says what is not known)", "  ");
  const room = height - lines.length;
  // Due dates in a column where the titles keep room and it takes no more lines; else before each title.
  const [column, flowing] = [stepLines(p, c, width, true), stepLines(p, c, width, false)];
  const lineCount = (b: string[][]) => b.reduce((n, x) => n + x.length, 0);
  const blocks = column && lineCount(column) <= Math.max(room, lineCount(flowing)) ? column : flowing;
  // Steps the facts show done: one line each after the open steps (they need nothing more).
  for (const d of p.doneAlready ?? [])
    blocks.push(wrapLine(`${c.green(doneShort(d.done, p.today))}: ${d.title}`, width, "    ", "    "));
  if (lineCount(blocks) <= room) return `${[...lines, ...blocks.flat()].join("\n")}\n`;
  // Too tall: as many steps as fit whole, in order, and how many more (Show everything lists them).
  const tail = (left: number) =>
    wrapLine(c.dim(`… and ${plural(left, "more step")}: Show everything lists them all`), width);
  const shown: string[] = [];
  let k = 0;
  while (
    k < blocks.length &&
    shown.length + (blocks[k] as string[]).length + tail(blocks.length - k - 1).length <= room
  )
    shown.push(...(blocks[k++] as string[]));
  return `${[...lines, ...shown, ...tail(blocks.length - k)].join("\n")}\n`;
}

/**
 * Each step's lines on the glance, in the order to act, its title wrapped under the step, never
 * cut; the due dates in a column (`inColumn`, undefined where the titles would have too little
 * room) or before each title.
 */
function stepLines(p: Pathway, c: ChalkInstance, width: number, inColumn: true): string[][] | undefined;
function stepLines(p: Pathway, c: ChalkInstance, width: number, inColumn: false): string[][];
function stepLines(p: Pathway, c: ChalkInstance, width: number, inColumn: boolean): string[][] | undefined {
  const actions = actingOrder(p.actions);
  const dues = actions.map((a) => dueWords(a, p.today));
  const number = String(actions.length).length;
  const column = Math.max(0, ...dues.map((d) => visibleWidth(d)));
  if (inColumn && width - (number + 3 + column + 2) < 40) return undefined;
  return actions.map((a, i) => {
    const n = `${String(i + 1).padStart(number)}. `;
    const due = dues[i] as string;
    const shown = a.daysOverdue > 0 ? c.red.bold(due) : a.due || a.done ? c.green(due) : c.dim(due);
    const working = lastWorkingDayWords(a, p.today);
    const by = byWords(a);
    const note = `${by ? ` ${c.magenta(`(${by})`)}` : ""}${working ? ` ${c.yellow(`(${working})`)}` : ""}`;
    const [lead, first, rest] = inColumn
      ? ["", `${n}${shown}${" ".repeat(column - visibleWidth(due))}  `, " ".repeat(number + 2 + column + 2)]
      : [`${shown}: `, n, " ".repeat(number + 2)];
    return wrapLine(`${lead}${a.title}${note}`, width, first, rest);
  });
}

/** A value said without its question's words (valueWords), safe for the terminal. */
const factWords = (v: Value | null) => terminalSafe(valueWords({}, v));

/**
 * Why one action is recommended: each rule that fired in plain words, the facts it read
 * (by their labels where `label` knows them), its citation.
 */
export function whyScreen(
  a: Recommendation,
  colour: boolean,
  width = 80,
  /** A fact's label, or (for a rule that reads another step) that step's title. */
  label: (fact: string) => string | undefined = () => undefined,
  /** A fact's value in the words its question offers ("Sexual exploitation" for sexual), if it has them. */
  valueWords: (fact: string, v: Value | null) => string | undefined = () => undefined,
): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines = ["", `${c.bold(a.title)} ${c.cyan(`[${a.id}]`)}  ${c.dim(a.citation)}`];
  if (a.detail) lines.push(`  ${a.detail}`);
  const by = byWords(a);
  if (by) lines.push(`  ${c.magenta(`Done ${by}.`)}`);
  lines.push("  Recommended because:");
  for (const b of a.because) {
    lines.push(`  - ${b.because} ${c.dim(`(${b.cite})`)}`);
    const facts = Object.entries(b.facts);
    if (facts.length > 0) lines.push(`    ${c.dim("from these facts:")}`);
    for (const [k, v] of facts) {
      const step = /^recommends\[(.+)\]$/.exec(k)?.[1];
      const name = label(step ?? k);
      // A rule that reads another step (recommends[id]): that step, by its title.
      if (step) lines.push(`    ${c.dim(`- this step is recommended too: ${name ?? step} (${step})`)}`);
      else
        lines.push(`    ${c.dim(`- ${name ? `${name} (${k})` : k}: ${valueWords(k, v) ?? factWords(v)}`)}`);
    }
    if (b.note) lines.push(`    ${c.dim(`note: ${b.note}`)}`);
  }
  const late = a.daysOverdue > 0 ? `, ${c.red.bold(overdueWords(a))}` : "";
  const when = qualifiedDate(a, a.due ? formatLong(a.due) : "no date set");
  lines.push(`  ${a.until ? "When" : "Due"}: ${when}${late} (${a.dueRule})`);
  if (a.documents.length > 0) lines.push(`  Drafts: ${a.documents.map((d) => `${d}.md`).join(", ")}`);
  return wrapText(`${lines.join("\n")}\n`, width);
}

/**
 * Why a question is asked: the steps it decides (the engine's decidesSteps), in at most
 * `lines` lines of `width`, the rest counted ("; and 3 more steps"; `more` says where they
 * are all listed). Help gives a few lines, the review's highlighted answer two.
 */
export function decidesLine(
  titles: readonly string[],
  width: number,
  lines = 2,
  more = "",
): string | undefined {
  if (titles.length === 0) return undefined;
  const head = "Asked because it decides:";
  // Where to read more is said where there is room for it.
  for (const where of more === "" ? [""] : [more, ""])
    for (let n = titles.length; n > 0; n--) {
      const rest = titles.length - n;
      const tail = rest > 0 ? `; and ${plural(rest, "more step")}${where}` : "";
      const wrapped = wrapLine(`${head} ${titles.slice(0, n).join("; ")}${tail}.`, width);
      if (wrapped.length <= lines) return wrapped.join("\n");
    }
  // Not even one title fits: the first, cut short, and the count of the rest.
  const words = (titles[0] as string).split(" ");
  const rest = titles.length - 1;
  const tail = rest > 0 ? `; and ${plural(rest, "more step")}` : "";
  for (let k = words.length - 1; k > 0; k--) {
    const wrapped = wrapLine(`${head} ${words.slice(0, k).join(" ")} …${tail}.`, width);
    if (wrapped.length <= lines) return wrapped.join("\n");
  }
  // Not even that: the count alone.
  const n = titles.length;
  return wrapLine(`Asked because it decides ${plural(n, "step")}${more}.`, width).join("\n");
}
