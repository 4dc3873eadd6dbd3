import { Chalk, type ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import { terminalSafe } from "../render/inert.js";
import { overdueWords, pathwayText } from "../render/text.js";
import { visibleWidth, wrapLine, wrapText } from "../render/wrap.js";

/**
 * The wizard's screens, as text: pure renderings of the engine's pathway (style.md §9:
 * the "why" is the rule that fired, its facts and citation, never a second explanation).
 */

/** The whole pathway, as `run` shows it (contacts, what waits on facts, notes), fitted to the width. */
export function pathwayDetail(p: Pathway, colour: boolean, width: number): string {
  return wrapText(pathwayText(p, { colour, why: false }), width);
}

/** When a step is due, in a few words: "today", "Thu 17 Sep", "overdue (3 days)", "no date set". */
export function dueWords(a: Recommendation, today: string): string {
  if (a.daysOverdue > 0) return overdueWords(a.daysOverdue);
  if (!a.due) return "no date set";
  if (a.due === today) return "today";
  return shortDate(a.due, today);
}

/**
 * A due date on a weekend or bank holiday keeps its date (the procedures count calendar
 * days); a few words name the last working day before it, as the rule's words do:
 * "weekend; last working day Fri 25 Sep". Nothing for a step already overdue.
 */
export function lastWorkingDayWords(a: Recommendation, today: string): string | undefined {
  const nw = a.dueNonWorking;
  if (!nw || a.daysOverdue > 0) return undefined;
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
 * then one line a step (its number, when it is due, what to do), wrapped at word
 * boundaries under the step where the terminal is narrow. Everything else is on request.
 * Within `height` lines: where the wrapped steps would not fit, each step keeps to one line
 * (its title cut, "…"; why and Show everything give it whole), and where even that does not,
 * the last line counts the steps left out.
 */
export function compactPathway(p: Pathway, colour: boolean, width: number, height = Infinity): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines: string[] = [];
  const put = (text: string, first = "", rest = first) => lines.push(...wrapLine(text, width, first, rest));
  const age = p.person.age === null ? "age not known" : `${p.person.age}`;
  const who =
    p.person.group === "none"
      ? "a concern about a peer group, place or online space"
      : `${age}, ${p.person.group} pathway`;
  put(c.bold(`Case ${terminalSafe(p.caseId)}: ${who}, concern ${formatLong(p.referenceDate)}`));
  for (const w of p.warnings.filter((x) => x.kind !== "currency" && x.kind !== "not-decided"))
    put(`${c.yellow("!")} ${terminalSafe(w.text)}`, "", "  ");
  const overdue = p.actions.filter((a) => a.daysOverdue > 0).length;
  const more: string[] = [];
  if (p.undecided.length > 0) more.push(`${p.undecided.length} steps that wait on facts`);
  if (p.currency.length > 0) more.push(`${p.currency.length} notes`);
  const steps = `${p.actions.length} step${p.actions.length === 1 ? "" : "s"}`;
  put(
    c.dim(
      `${steps}${overdue > 0 ? `, ${overdue} overdue` : ""}.${more.length > 0 ? ` Show everything: ${more.join(", ")}.` : ""}`,
    ),
  );
  lines.push("");
  if (p.actions.length === 0) put("(none yet: Show everything says what is not known)", "  ");
  const room = height - lines.length;
  const blocks = stepLines(p, c, width, false);
  const cut = stepLines(p, c, width, true);
  const total = () => blocks.reduce((n, b) => n + b.length, 0);
  // Too tall: the steps that take most lines keep to fewer, one at a time, until they fit.
  const longest = blocks.map((b, k) => [b.length, k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of longest) {
    if (total() <= room) break;
    blocks[k] = cut[k] as string[];
  }
  if (total() <= room) return `${[...lines, ...blocks.flat()].join("\n")}\n`;
  // Still too tall (a great many steps): as many as fit, and how many more.
  const shown: string[] = [];
  let k = 0;
  while (k < blocks.length && shown.length + (blocks[k] as string[]).length <= room - 1)
    shown.push(...(blocks[k++] as string[]));
  const left = blocks.length - k;
  const tail = c.dim(
    `… and ${left} more step${left === 1 ? "" : "s"}: Why and Show everything list them all`,
  );
  return `${[...lines, ...shown, ...wrapLine(tail, width).slice(0, 1)].join("\n")}\n`;
}

/**
 * Each step's lines on the glance, wrapped under the step; or (`cut`) on one line, the title
 * cut short ("…") so that its due date and any last working day still show.
 */
function stepLines(p: Pathway, c: ChalkInstance, width: number, cut: boolean): string[][] {
  const dues = p.actions.map((a) => dueWords(a, p.today));
  const number = String(p.actions.length).length;
  const column = Math.max(0, ...dues.map((d) => visibleWidth(d)));
  // Narrow terminals: the due date goes above the step rather than squeeze it.
  const inColumn = width - (number + 3 + column + 2) >= 24;
  return p.actions.map((a, i) => {
    const n = `${String(i + 1).padStart(number)}. `;
    const due = dues[i] as string;
    const shown = a.daysOverdue > 0 ? c.red.bold(due) : a.due ? c.green(due) : c.dim(due);
    const working = lastWorkingDayWords(a, p.today);
    const note = working ? ` ${c.yellow(`(${working})`)}` : "";
    const [lead, first, rest] = inColumn
      ? ["", `${n}${shown}${" ".repeat(column - visibleWidth(due))}  `, " ".repeat(number + 2 + column + 2)]
      : [`${shown}: `, n, " ".repeat(number + 2)];
    const wrap = (title: string) => wrapLine(`${lead}${title}${note}`, width, first, rest);
    const whole = wrap(a.title);
    if (!cut || whole.length === 1) return whole;
    const words = a.title.split(" ");
    for (let k = words.length - 1; k > 0; k--) {
      const shorter = wrap(`${words.slice(0, k).join(" ")} …`);
      if (shorter.length === 1) return shorter;
    }
    return whole;
  });
}

function factWords(v: Value | null): string {
  if (v === null) return "not known";
  if (Array.isArray(v)) return v.length === 0 ? "none" : v.map((x) => terminalSafe(x)).join(", ");
  return terminalSafe(String(v));
}

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
  const late = a.daysOverdue > 0 ? ` ${c.red.bold(overdueWords(a.daysOverdue))}` : "";
  lines.push(`  Due: ${a.due ? formatLong(a.due) : "no date set"}${late} (${a.dueRule})`);
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
      const tail = rest > 0 ? `; and ${rest} more step${rest === 1 ? "" : "s"}${where}` : "";
      const wrapped = wrapLine(`${head} ${titles.slice(0, n).join("; ")}${tail}.`, width);
      if (wrapped.length <= lines) return wrapped.join("\n");
    }
  // Not even one title fits: the first, cut short, and the count of the rest.
  const words = (titles[0] as string).split(" ");
  const rest = titles.length - 1;
  const tail = rest > 0 ? `; and ${rest} more step${rest === 1 ? "" : "s"}` : "";
  for (let k = words.length - 1; k > 0; k--) {
    const wrapped = wrapLine(`${head} ${words.slice(0, k).join(" ")} …${tail}.`, width);
    if (wrapped.length <= lines) return wrapped.join("\n");
  }
  // Not even that: the count alone.
  const n = titles.length;
  return wrapLine(`Asked because it decides ${n} step${n === 1 ? "" : "s"}${more}.`, width).join("\n");
}
