import type { ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import type { Question } from "../flow/types.js";
import { terminalSafe } from "../render/inert.js";
import { valueWords as plainValueWords, type Said } from "../render/value-words.js";
import { visibleWidth, wrapLine, wrapText } from "../render/wrap.js";
import { decidesLine } from "./screens.js";

/**
 * What the prompts show, as text: pure functions of the question, the width and the colours,
 * testable without a terminal (style.md §8). The prompt files only wire these to the keys.
 */

/** A key and what it does, as a footer names it: ["?", "help"]. */
export type Keys = [string, string][];

/** The key that blanks the screen, and how the footers name it. */
export const BLANK_KEY = { name: "f2", shown: "F2" } as const;

/** Words shown for a value (valueWords), safe for the terminal: control characters made visible. */
export function valueWords(said: Said, v: Value | null | undefined): string {
  return terminalSafe(plainValueWords(said, v));
}

/** Lines help gives to the steps a question decides. */
const HELP_DECIDES_LINES = 5;

/**
 * The help shown on request: the question's help, the procedure section, why it is asked now
 * (the steps its answer decides), the case-file field.
 */
export function helpText(q: Question, decides: readonly string[] = [], width = 80): string {
  const lines: string[] = [];
  if (q.help) lines.push(q.help);
  else if (q.fact.meaning) lines.push(`${q.fact.label}: ${q.fact.meaning}.`);
  else lines.push(`${q.fact.label}.`);
  if (q.cite) lines.push(`From: ${q.cite}.`);
  // A few lines at most: a question that decides most of the pathway would fill the screen.
  const why = decidesLine(decides, width, HELP_DECIDES_LINES);
  if (why) lines.push(why);
  lines.push(`In a case file this is ${q.fact.id}.`);
  return lines.join("\n");
}

/** Help as it is said between prompts: indented two columns, in cyan, wrapped to the width. */
export function helpLines(
  q: Question,
  decides: readonly string[] | undefined,
  width: number,
  c: ChalkInstance,
) {
  return helpText(q, decides, width - 2)
    .split("\n")
    .flatMap((l) => wrapLine(l, width, "  ", "  "))
    .map((l) => `  ${c.cyan(l.slice(2))}`)
    .join("\n");
}

/** What stays on screen once a prompt is answered: the question and the answer, after a tick. */
export function answeredLine(message: string, words: string, width: number, c: ChalkInstance): string {
  return `${wrapLine(`${c.bold(message)} ${c.cyan(words)}`, width, `${c.green("✔")} `, "  ").join("\n")}\n`;
}

/** Text said between prompts: wrapped to the width, ending in a newline. */
export function saidText(text: string, width: number): string {
  return wrapText(text.endsWith("\n") ? text : `${text}\n`, width);
}

/**
 * A message fitted to the width: "? " before the first line, the rest indented.
 * `reserve`: the columns the prompt puts after it (a default, " (./safeguard-out)").
 */
export function fitMessage(text: string, width: number, reserve = 0): string {
  return wrapLine(text, width - 2 - reserve, "", "  ").join("\n");
}

/** What inquirer shows after the message for a default answer: " (value)". */
export function defaultRoom(value: string | undefined): number {
  return value === undefined ? 0 : visibleWidth(value) + 3;
}

/** Why an answer is refused, under the prompt, fitted to the width. */
export function fitError(text: string, width: number, c: ChalkInstance): string {
  return c.red(wrapLine(`> ${text}`, width, "", "  ").join("\n"));
}

/** A list entry fitted to the width after a pointer of `indent` columns (and `hang` more on later lines). */
export function fitName(name: string, width: number, indent: number, hang = 0): string {
  return wrapLine(name, width - indent, "", " ".repeat(indent + hang)).join("\n");
}

/** The keys, "k what • k what", broken between keys (never inside one) where the line is full. */
export function keyLine(keys: Keys, width: number, c: ChalkInstance): string {
  const rows: string[] = [];
  let row = "";
  for (const [k, what] of keys) {
    const item = `${c.bold(k)} ${c.dim(what)}`;
    if (row !== "" && visibleWidth(row) + 3 + visibleWidth(item) > width) {
      rows.push(row);
      row = `  ${item}`;
    } else row = row === "" ? item : `${row}${c.dim(" • ")}${item}`;
  }
  return [...rows, row].join("\n");
}

/** The key line under a prompt: its own keys, then blank screen and stop. */
export function footerKeys(keys: Keys, width: number, c: ChalkInstance): string {
  return keyLine([...keys, [BLANK_KEY.shown, "blank screen"], ["esc", "save and stop"]], width, c);
}

/** The keys a question's list adds: help, and back where there is somewhere to go back to. */
export function listKeys(canGoBack: boolean): Keys {
  return canGoBack
    ? [
        ["?", "help"],
        ["<", "back"],
      ]
    : [["?", "help"]];
}

/**
 * The theme of a list (inquirer's select and checkbox): the key line under it (inquirer's
 * keys, then ours), refusals fitted to the width, and a hint beside the message while asking.
 * The width is read at every render: a resized terminal re-flows the prompt.
 */
export function listTheme(c: ChalkInstance, width: () => number, extra: Keys, hint?: string) {
  return {
    style: {
      error: (text: string) => fitError(text, width(), c),
      keysHelpTip: (keys: Keys) => footerKeys([...keys, ...extra], width(), c),
      // Already fitted to the width by whoever wrote it (the review's "asked because").
      description: (text: string) => c.cyan(text),
      disabled: (text: string) => c.dim(text),
      // A hint while asking; the question alone once answered.
      message: (text: string, status: string) =>
        fitMessage(status === "done" || !hint ? c.bold(text) : `${c.bold(text)} ${c.dim(hint)}`, width()),
    },
  };
}

/** The keys of a menu laid out side by side. */
export const INLINE_KEYS: Keys = [
  ["←→", "move"],
  ["⏎", "choose"],
];

/** The question, then its entries side by side, each kept whole on its line. */
export function inlineRows(
  message: string,
  items: readonly string[],
  active: number,
  width: number,
  c: ChalkInstance,
): string[] {
  const rows: string[] = [];
  let row = `${c.blue("?")} ${c.bold(message)}`;
  items.forEach((item, i) => {
    const shown = i === active ? `${c.cyan("❯")} ${c.cyan.bold(item)}` : `  ${item}`;
    if (visibleWidth(row) + 2 + visibleWidth(shown) > width) {
      rows.push(row);
      row = ` ${shown}`;
    } else row = `${row}  ${shown}`;
  });
  rows.push(row);
  return rows;
}

/** The keys of the pager. */
export const PAGER_KEYS: Keys = [
  ["space", "next page"],
  ["b", "previous"],
  ["↑↓", "line"],
  ["q", "back to the menu"],
];

/** A text's page: its lines at the width, how many fit, and the last line a page can start at. */
export function pagerLayout(text: string, width: number, height: number, footerLines: number) {
  const lines = wrapText(text.replace(/\n+$/, ""), width).split("\n");
  // The footer's height at this width, and a line saying where in the text this is.
  const room = Math.max(3, height - footerLines - 2);
  return { lines, room, lastStart: Math.max(0, lines.length - room) };
}

/** The page starting at `at`, and the line under it saying where in the text it is. */
export function pagerPage(
  layout: ReturnType<typeof pagerLayout>,
  at: number,
  c: ChalkInstance,
): { text: string; where: string } {
  const { lines, room, lastStart } = layout;
  const first = Math.min(at, lastStart);
  const shown = lines.slice(first, first + room);
  const more = first + room < lines.length;
  return {
    text: shown.join("\n"),
    where: c.dim(
      `Lines ${first + 1}-${first + shown.length} of ${lines.length}${more ? " (more below)" : " (the end)"}`,
    ),
  };
}

/** Whether a text fits above a menu of `room` lines without a pager. */
export function fitsAbove(text: string, width: number, height: number, room: number): boolean {
  return wrapText(text.replace(/\n+$/, ""), width).split("\n").length + room <= height;
}

/** The hint beside a typed question: what to type, what Enter does, the keys. */
export function typedHints(q: Question, defaultText: string | undefined, canGoBack: boolean): string {
  const type = q.fact.type;
  const hints: string[] = [];
  if (type === "date") hints.push('day/month/year (5/12/2026) or "today"');
  if (type === "int") hints.push("a whole number");
  if (defaultText !== undefined)
    hints.push(
      q.notKnown
        ? `Enter keeps it, Backspace then Enter: ${q.notKnownLabel.toLowerCase()}`
        : "Enter keeps it",
    );
  else hints.push(q.notKnown ? `Enter alone: ${q.notKnownLabel.toLowerCase()}` : "an answer is needed");
  hints.push("?: help");
  if (canGoBack) hints.push("<: back");
  hints.push(`${BLANK_KEY.shown}: blank screen`);
  return `(${hints.join(" · ")})`;
}

/** The hint beside a list to tick. */
export function listHint(q: Question): string {
  return q.notKnown
    ? `(space ticks; nothing ticked: ${q.notKnownLabel.toLowerCase()})`
    : "(space ticks; an answer is needed)";
}
