import { createPrompt, isEnterKey, useKeypress, useState } from "@inquirer/core";
import { checkbox, input, Separator, select } from "@inquirer/prompts";
import { Chalk, type ChalkInstance } from "chalk";
import { type Value, validateValue } from "../engine/answers.js";
import { formatLong, isIsoDate } from "../engine/dates.js";
import type { Question, QuestionGroup } from "../flow/types.js";
import { checkText, type Lexicon, MAX_FINDINGS } from "../language/check.js";
import { terminalSafe } from "../render/inert.js";
import { visibleWidth, wrapLine, wrapText } from "../render/wrap.js";
import { askGroup, type GroupAsked, type GroupOptions } from "./grid.js";
import { decidesLine } from "./screens.js";
import { readTypedDate } from "./typed-date.js";

/**
 * The one way to ask (style.md §8): a flow question becomes an @inquirer/prompts prompt,
 * by the kind of its fact. Every prompt offers help (the question's help text and the
 * procedure section it comes from), "not known" where the flow allows it, and "back"
 * (except on the first question). Answers are checked here, as they are typed, with the
 * engine's own validateValue: bad input is refused at the prompt with the reason.
 * Ctrl-C and Esc come back as a value ({kind: "cancel"}), never as an exception.
 * F2 blanks the screen (scrollback too) at any prompt; any key brings the prompt back as
 * it was (the keys typed into it are played to it again). Text is wrapped at word
 * boundaries to the terminal's width. Nothing here decides what to ask: that is the
 * engine's nextQuestion.
 */

export type Asked = { kind: "answer"; value: Value | null } | { kind: "back" } | { kind: "cancel" };
export type Picked<T> = { kind: "pick"; value: T } | { kind: "cancel" };

export interface QuestionOptions {
  /** The answer given before (kept after "back", or being changed at the review); null is "not known". */
  default?: Value | null;
  canGoBack: boolean;
  /** Where "back" goes, for the list entry: "the previous question" unless said. */
  backTo?: string;
  /** The steps the answer could decide (the engine's decidesSteps), worked out when help is shown. */
  decides?: () => readonly string[];
  /** A second look at an answer (a date in the future, an age over 110): the words, or undefined. */
  doubt?: (value: Value | null) => string | undefined;
}

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
  /** Where the entry's wrapped lines start, past the pointer ("12. " before a title: 4). */
  hang?: number;
}
export type Entry<T> = Choice<T> | { separator: string };

export interface Ui {
  question(q: Question, opts: QuestionOptions): Promise<Asked>;
  /** A group's questions on one screen, a row each (grid.ts). */
  group(group: QuestionGroup, rows: readonly Question[], opts: GroupOptions): Promise<GroupAsked>;
  /** A list to pick from; `inline` lays the entries out side by side (a menu under a screen). */
  choose<T>(
    message: string,
    entries: readonly Entry<T>[],
    opts?: { default?: T; inline?: boolean },
  ): Promise<Picked<T>>;
  text(
    message: string,
    opts?: { default?: string; validate?: (s: string) => string | undefined },
  ): Promise<Picked<string>>;
  /** Print between prompts (help, screens), wrapped to the width. */
  say(text: string): void;
  /**
   * A screen of text: printed as it is where it fits above a menu of `room` lines;
   * otherwise a page at a time in a pager, left with q or Esc. Says which it did.
   */
  page(text: string, room?: number): Promise<"said" | "paged" | "cancel">;
  /** Start a fresh screen: `scrollback` clears the terminal's history too. */
  clear(scrollback?: boolean): void;
  /** The terminal's width in columns, now. */
  width(): number;
  /** The rows left above a menu (`inline` in choose) of these entries, at the size the terminal is now. */
  roomAbove(message: string, entries: readonly string[]): number;
  /** Give the terminal back as it was (typed keys echoed again). */
  end(): void;
  readonly colour: boolean;
}

/** The key that blanks the screen, and how the footers name it. */
export const BLANK_KEY = { name: "f2", shown: "F2" } as const;

/** Clear the screen and move to its top; with the scrollback (ESC [3J) too. */
export const CLEAR_SCREEN = "\u001b[2J\u001b[H";
export const CLEAR_ALL = "\u001b[2J\u001b[3J\u001b[H";

export interface UiIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  colour: boolean;
  /** What "today" means at a date prompt. */
  today: () => string;
  /** The victim-blaming language lexicon, loaded on first use (only free text needs it). */
  lexicon?: () => Lexicon | undefined;
}

const NOT_KNOWN = "\u0000not-known";
const HELP = "\u0000help";
const BACK = "\u0000back";
const NONE = "\u0000none";
/** Where the cursor starts on a question that cannot be not known: Enter there picks nothing. */
const CHOOSE_ENTRY = {
  value: "\u0000choose",
  name: "Choose an answer below",
  disabled: "(it cannot be not known)",
};
/** Said when Enter is pressed with no answer chosen, on a question that cannot be not known. */
const CHOICE_NEEDED = "A choice is needed here (it cannot be not known): ↓ to an answer, then Enter";
const CANCEL: unique symbol = Symbol("cancel");
const HELP_KEY: unique symbol = Symbol("help");
const BACK_KEY: unique symbol = Symbol("back");
const BLANK: unique symbol = Symbol("blank");
type Interrupt = typeof CANCEL | typeof HELP_KEY | typeof BACK_KEY;

interface InlineMenuConfig {
  message: string;
  items: string[];
  default: number;
  width: () => number;
  colour: boolean;
  footer: string;
}

/** A menu laid out side by side under a screen: ← → (or ↑ ↓, Tab) move, Enter picks. */
const inlineMenu = createPrompt<number, InlineMenuConfig>((config, done) => {
  const [active, setActive] = useState(config.default);
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const last = config.items.length - 1;
  useKeypress((key) => {
    if (isEnterKey(key)) {
      setStatus("done");
      done(active);
    } else if (key.name === "right" || key.name === "down" || key.name === "tab")
      setActive(active === last ? 0 : active + 1);
    else if (key.name === "left" || key.name === "up") setActive(active === 0 ? last : active - 1);
  });
  const c = new Chalk({ level: config.colour ? 1 : 0 });
  const message = `${c.blue("?")} ${c.bold(config.message)}`;
  if (status === "done") return message;
  const rows = inlineRows(config.message, config.items, active, config.width(), c);
  return [`${rows.join("\n")}\u001b[?25l`, config.footer];
});

/** The question, then its entries side by side, each kept whole on its line. */
function inlineRows(
  message: string,
  items: readonly string[],
  active: number,
  width: number,
  c: ChalkInstance,
) {
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

export interface PagerConfig {
  /** The text, fitted again to the width at every key (a resized terminal re-flows it). */
  text: string;
  width: () => number;
  height: () => number;
  colour: boolean;
  /** The first line shown; kept here so that the screen blanked by F2 comes back at the same place. */
  at: { line: number };
  footer: (keys: [string, string][]) => string;
}

/**
 * Text a page at a time (Show everything, a long why): Space, Page Down or Enter a page on,
 * b or Page Up a page back, ↓ ↑ a line, Home End; q or Esc back (Enter on the last page too).
 */
export const pager = createPrompt<void, PagerConfig>((config, done) => {
  const [, redraw] = useState(0);
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const c = new Chalk({ level: config.colour ? 1 : 0 });
  const width = config.width();
  const lines = wrapText(config.text.replace(/\n+$/, ""), width).split("\n");
  const footer = () =>
    config.footer([
      ["space", "next page"],
      ["b", "previous"],
      ["↑↓", "line"],
      ["q", "back to the menu"],
    ]);
  // The footer's height at this width, and a line saying where in the text this is.
  const footerLines = footer().split("\n").length;
  const room = Math.max(3, config.height() - footerLines - 2);
  const lastStart = Math.max(0, lines.length - room);
  const move = (to: number) => {
    config.at.line = Math.min(Math.max(0, to), lastStart);
    redraw(config.at.line);
  };
  const finish = () => {
    setStatus("done");
    done();
  };
  useKeypress((key, rl) => {
    // Keys typed here are commands, not text: nothing stays on readline's line.
    rl.clearLine(0);
    const name = key.name ?? "";
    const at = config.at.line;
    if (name === "q" || name === "escape") finish();
    else if (isEnterKey(key)) at >= lastStart ? finish() : move(at + room);
    else if (name === "space" || name === "pagedown" || name === "f") move(at + room);
    else if (name === "b" || name === "pageup") move(at - room);
    else if (name === "down" || name === "j") move(at + 1);
    else if (name === "up" || name === "k") move(at - 1);
    else if (name === "home" || name === "g") move(0);
    else if (name === "end") move(lastStart);
  });
  if (status === "done") return "";
  const first = Math.min(config.at.line, lastStart);
  const shown = lines.slice(first, first + room);
  const more = first + room < lines.length;
  return [
    `${shown.join("\n")}\u001b[?25l`,
    `${c.dim(`Lines ${first + 1}-${first + shown.length} of ${lines.length}${more ? " (more below)" : " (the end)"}`)}\n${footer()}`,
  ];
});

/** Words shown for a value: the flow's choice label, Yes/No, a date with its weekday, "not known". */
export function valueWords(q: Question, v: Value | null | undefined): string {
  if (v === null || v === undefined) return "not known";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (Array.isArray(v))
    return v.length === 0 ? "none of these" : v.map((x) => terminalSafe(q.choices?.[x] ?? x)).join(", ");
  const s = String(v);
  // A date said back unambiguously: "Sat 5 Dec 2026", whichever way it was typed.
  if (q.fact.type === "date" && isIsoDate(s)) return formatLong(s);
  // A typed answer is shown back to the terminal: control characters made visible.
  return terminalSafe(q.choices?.[s] ?? s);
}

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

/** Lines help gives to the steps a question decides. */
const HELP_DECIDES_LINES = 5;

function listKeys(canGoBack: boolean): [string, string][] {
  return canGoBack
    ? [
        ["?", "help"],
        ["<", "back"],
      ]
    : [["?", "help"]];
}

function isCancel(error: unknown): boolean {
  return (
    error instanceof Error &&
    ["ExitPromptError", "AbortPromptError", "CancelPromptError"].includes(error.name)
  );
}

export function createUi(io: UiIo): Ui {
  const c = new Chalk({ level: io.colour ? 1 : 0 });
  const tty = io.input as { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  const width = () => Math.max((io.output as { columns?: number }).columns ?? 80, 20);
  const write = (text: string) => io.output.write(text);
  /** Keys typed between prompts are neither echoed nor acted on (a prompt drops them). */
  const raw = (on: boolean) => {
    if (tty.isTTY && typeof tty.setRawMode === "function") tty.setRawMode(on);
  };
  /** What was said since the last answer: shown again after the screen was blanked. */
  let context: string[] = [];
  /** A message fitted to the width: "? " before the first line, the rest indented. */
  /** `reserve`: the columns the prompt puts after it (a default, " (./safeguard-out)"). */
  const fitMessage = (text: string, reserve = 0) =>
    wrapLine(text, width() - 2 - reserve, "", "  ").join("\n");
  /** What inquirer shows after the message for a default answer: " (value)". */
  const defaultRoom = (value: string | undefined) => (value === undefined ? 0 : visibleWidth(value) + 3);
  /** Why an answer is refused, under the prompt, fitted to the width. */
  const fitError = (text: string) => c.red(wrapLine(`> ${text}`, width(), "", "  ").join("\n"));
  /** A list entry fitted to the width after a pointer of `indent` columns. */
  const fitName = (name: string, indent: number, hang = 0) =>
    wrapLine(name, width() - indent, "", " ".repeat(indent + hang)).join("\n");
  /** The keys, "k what • k what", broken between keys (never inside one) where the line is full. */
  const tip = (keys: [string, string][]) => {
    const rows: string[] = [];
    let row = "";
    for (const [k, what] of keys) {
      const item = `${c.bold(k)} ${c.dim(what)}`;
      if (row !== "" && visibleWidth(row) + 3 + visibleWidth(item) > width()) {
        rows.push(row);
        row = `  ${item}`;
      } else row = row === "" ? item : `${row}${c.dim(" • ")}${item}`;
    }
    return [...rows, row].join("\n");
  };
  const footerKeys = (keys: [string, string][]) =>
    tip([...keys, [BLANK_KEY.shown, "blank screen"], ["esc", "save and stop"]]);
  /** The key line under a list: inquirer's keys, then ours. */
  const themeFor = (extra: [string, string][], hint?: string) => ({
    style: {
      error: (text: string) => fitError(text),
      keysHelpTip: (keys: [string, string][]) => footerKeys([...keys, ...extra]),
      // Already fitted to the width by whoever wrote it (the review's "asked because").
      description: (text: string) => c.cyan(text),
      disabled: (text: string) => c.dim(text),
      // A hint while asking; the question alone once answered.
      message: (text: string, status: string) =>
        fitMessage(status === "done" || !hint ? c.bold(text) : `${c.bold(text)} ${c.dim(hint)}`),
    },
  });

  /** Blank the screen and its scrollback; wait for a key (Ctrl-C: stop). */
  function blankUntilKey(): Promise<"back" | "cancel"> {
    write(`${CLEAR_ALL}\u001b[?25l`);
    raw(true);
    return new Promise((resolve) => {
      const onKey = (_typed: unknown, key: { name?: string; ctrl?: boolean } | undefined) => {
        io.input.removeListener("keypress", onKey);
        io.input.pause();
        write(`${CLEAR_SCREEN}\u001b[?25h`);
        resolve(key?.ctrl && key.name === "c" ? "cancel" : "back");
      };
      io.input.on("keypress", onKey);
      io.input.resume();
    });
  }

  /**
   * Run one prompt. Ctrl-C (the prompt's own) and Esc come back as "cancel"; in lists,
   * the keys ? and < come back as "help" and "back" (in typed answers they are typed).
   * F2 blanks the screen; the next key runs the prompt again, what was said before it
   * shown again, and the keys typed into it played again, so it is as it was left.
   */
  async function guarded<T>(
    run: (context: {
      input: NodeJS.ReadableStream;
      output: NodeJS.WritableStream;
      signal: AbortSignal;
      clearPromptOnDone: boolean;
    }) => Promise<T>,
    keys: { help?: boolean; back?: boolean; escape?: boolean; replay?: boolean } = {},
  ): Promise<T | Interrupt> {
    const typed: [unknown, unknown][] = [];
    for (;;) {
      const controller = new AbortController();
      let live = false;
      const onKey = (ch: unknown, key: { name?: string; sequence?: string } | undefined) => {
        const k = typeof ch === "string" ? ch : (key?.sequence ?? key?.name);
        if (key?.name === BLANK_KEY.name) controller.abort(BLANK);
        else if (key?.name === "escape" && keys.escape !== false) controller.abort(CANCEL);
        else if (keys.help && k === "?") controller.abort(HELP_KEY);
        else if (keys.back && k === "<") controller.abort(BACK_KEY);
        else if (live && keys.replay !== false) typed.push([ch, key]);
      };
      // The prompt installs readline's keypress decoding on the input synchronously.
      // The prompt is cleared when it ends, whatever ended it; `answered` then prints one line.
      const promise = run({
        input: io.input,
        output: io.output,
        signal: controller.signal,
        clearPromptOnDone: true,
      });
      io.input.on("keypress", onKey);
      // After the prompt's first render (it waits one turn on a terminal): replay, then record.
      const started = setImmediate(() => {
        for (const [ch, key] of typed) io.input.emit("keypress", ch, key);
        live = true;
      });
      let reason: unknown;
      try {
        return await promise;
      } catch (error) {
        if (!isCancel(error)) throw error;
        reason = controller.signal.aborted ? controller.signal.reason : CANCEL;
      } finally {
        clearImmediate(started);
        io.input.removeListener("keypress", onKey);
        raw(true);
      }
      if (reason !== BLANK) return reason === HELP_KEY || reason === BACK_KEY ? reason : CANCEL;
      if ((await blankUntilKey()) === "cancel") return CANCEL;
      if (context.length > 0) write(context.join(""));
    }
  }

  const say = (text: string) => {
    const shown = wrapText(text.endsWith("\n") ? text : `${text}\n`, width());
    context.push(shown);
    write(shown);
  };
  /** What stays on screen once a prompt is answered: the question and the answer. */
  const answered = (message: string, words: string) => {
    context = [];
    write(
      `${wrapLine(`${c.bold(message)} ${c.cyan(words)}`, width(), `${c.green("✔")} `, "  ").join("\n")}\n`,
    );
  };

  function showHelp(q: Question, decides?: readonly string[]): void {
    say(
      helpText(q, decides, width() - 2)
        .split("\n")
        .flatMap((l) => wrapLine(l, width(), "  ", "  "))
        .map((l) => `  ${c.cyan(l.slice(2))}`)
        .join("\n"),
    );
  }

  async function askSelect(q: Question, opts: QuestionOptions): Promise<Asked | "help"> {
    const values: [string, Value, string][] =
      q.fact.type === "bool"
        ? [
            ["=true", true, "Yes"],
            ["=false", false, "No"],
          ]
        : (q.fact.values ?? []).map((v) => [`=${v}`, v, q.choices?.[v] ?? v]);
    const choices: (Separator | { value: string; name: string; short?: string; disabled?: string })[] =
      values.map(([key, , name]) => ({ value: key, name: fitName(name, 2) }));
    choices.push(new Separator(" "));
    if (q.notKnown)
      choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, short: q.notKnownLabel.toLowerCase() });
    choices.push({ value: HELP, name: "Help: what this means, and where it comes from", short: "help" });
    if (opts.canGoBack)
      choices.push({ value: BACK, name: `Back to ${opts.backTo ?? "the previous question"}`, short: "back" });
    // No answer is chosen for the lead (style.md §8): untouched, the cursor is on "not known"
    // (the question's, or the choice that means it); a question that cannot be not known starts
    // on an entry that cannot be picked, so Enter says a choice is needed and asks again.
    const notKnownKey = q.notKnown
      ? NOT_KNOWN
      : q.fact.notKnown !== undefined
        ? `=${q.fact.notKnown}`
        : undefined;
    const initial =
      opts.default === undefined || opts.default === null ? notKnownKey : `=${String(opts.default)}`;
    if (initial === undefined) choices.unshift({ ...CHOOSE_ENTRY });
    const picked = await guarded(
      (ctx) =>
        select(
          {
            message: q.ask,
            choices,
            pageSize: Math.min(choices.length, 15),
            loop: false,
            theme: {
              ...themeFor(listKeys(opts.canGoBack)),
              i18n: { disabledError: CHOICE_NEEDED },
            },
            ...(initial === undefined ? {} : { default: initial }),
          },
          ctx,
        ),
      { help: true, back: opts.canGoBack },
    );
    if (picked === CANCEL) return { kind: "cancel" };
    if (picked === HELP || picked === HELP_KEY) return "help";
    if (picked === BACK || picked === BACK_KEY) return { kind: "back" };
    if (picked === NOT_KNOWN) return { kind: "answer", value: null };
    const found = values.find(([key]) => key === picked);
    return { kind: "answer", value: found ? found[1] : null };
  }

  /**
   * A list: tick what applies. "None of these" is an entry of its own, ticked on purpose; Enter
   * with nothing ticked keeps "not known" (or, where the question cannot be not known, says a
   * choice is needed). Case files keep [] for none of these.
   */
  async function askList(q: Question, opts: QuestionOptions): Promise<Asked | "help"> {
    const given = Array.isArray(opts.default) ? (opts.default as string[]) : [];
    const choices: (Separator | { value: string; name: string; checked?: boolean })[] = (
      q.fact.values ?? []
    ).map((v) => ({ value: `=${v}`, name: fitName(q.choices?.[v] ?? v, 3), checked: given.includes(v) }));
    choices.push(new Separator(" "));
    // A list with its own "none" choice ("Not open", which stands alone) needs no second one.
    const ownNone = (q.fact.alone ?? []).length > 0;
    const noneGiven = Array.isArray(opts.default) && opts.default.length === 0;
    if (!ownNone) choices.push({ value: NONE, name: "None of these", checked: noneGiven });
    if (q.notKnown) choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, checked: opts.default === null });
    const hint = q.notKnown
      ? `(space ticks; nothing ticked: ${q.notKnownLabel.toLowerCase()})`
      : "(space ticks; an answer is needed)";
    const picked = await guarded(
      (ctx) =>
        checkbox(
          {
            message: q.ask,
            choices,
            pageSize: Math.min(choices.length, 17),
            loop: false,
            shortcuts: { all: null, invert: null },
            theme: themeFor(listKeys(opts.canGoBack), hint),
            validate: (chosen: readonly { value: string }[]) => {
              // Not known, None of these, and a choice that stands alone ("Not open") go on their own.
              const standsAlone = chosen.find(
                (x) => x.value === NOT_KNOWN || x.value === NONE || q.fact.alone?.includes(x.value.slice(1)),
              );
              if (standsAlone && chosen.length > 1) {
                const words =
                  standsAlone.value === NOT_KNOWN
                    ? q.notKnownLabel
                    : standsAlone.value === NONE
                      ? "None of these"
                      : (q.choices?.[standsAlone.value.slice(1)] ?? standsAlone.value.slice(1));
                return `${words} goes on its own: untick it, or untick the others (space)`;
              }
              if (chosen.length === 0 && !q.notKnown)
                return `A choice is needed here (it cannot be not known): tick what applies${ownNone ? "" : ", or None of these"} (space), then Enter`;
              return true;
            },
          },
          ctx,
        ),
      { help: true, back: opts.canGoBack },
    );
    if (picked === CANCEL) return { kind: "cancel" };
    if (picked === HELP_KEY) return "help";
    if (picked === BACK_KEY) return { kind: "back" };
    if (picked.length === 0 || picked.includes(NOT_KNOWN)) return { kind: "answer", value: null };
    if (picked.includes(NONE)) return { kind: "answer", value: [] };
    return { kind: "answer", value: picked.map((k) => k.slice(1)) };
  }

  /** date, int, string, text: typed, with ? for help, < for back, Enter alone for not known. */
  async function askTyped(q: Question, opts: QuestionOptions, prefill?: string): Promise<Asked | "help"> {
    const type = q.fact.type;
    const hints: string[] = [];
    if (type === "date") hints.push('day/month/year (5/12/2026) or "today"');
    if (type === "int") hints.push("a whole number");
    const given = opts.default;
    const defaultText = given === undefined || given === null ? undefined : String(given);
    if (defaultText !== undefined)
      hints.push(
        q.notKnown
          ? `Enter keeps it, Backspace then Enter: ${q.notKnownLabel.toLowerCase()}`
          : "Enter keeps it",
      );
    else hints.push(q.notKnown ? `Enter alone: ${q.notKnownLabel.toLowerCase()}` : "an answer is needed");
    hints.push("?: help");
    if (opts.canGoBack) hints.push("<: back");
    hints.push(`${BLANK_KEY.shown}: blank screen`);
    const parse = (raw: string): string | { value: Value | null } => {
      const s = raw.trim();
      if (s === "") return q.notKnown ? { value: null } : "An answer is needed here (it cannot be not known)";
      if (type === "date") {
        const read = readTypedDate(s, io.today());
        return typeof read === "string" ? read : validateValue(q.fact, read.value);
      }
      if (type === "int") {
        if (!/^-?\d+$/.test(s)) return `"${s}" should be a whole number`;
        return validateValue(q.fact, Number(s));
      }
      return validateValue(q.fact, type === "text" ? raw.trim() : s);
    };
    const answer = await guarded((ctx) =>
      input(
        {
          message: q.ask,
          ...(prefill !== undefined
            ? { default: prefill, prefill: "editable" as const }
            : defaultText !== undefined
              ? { default: defaultText }
              : {}),
          theme: {
            validationFailureMode: "keep" as const,
            style: {
              error: (text: string) => fitError(text),
              // The hint while asking; the question alone once answered.
              message: (text: string, status: string) =>
                fitMessage(
                  status === "done" ? c.bold(text) : `${c.bold(text)} ${c.dim(`(${hints.join(" · ")})`)}`,
                  prefill === undefined ? defaultRoom(defaultText) : 0,
                ),
            },
          },
          validate: (raw: string) => {
            const s = raw.trim();
            if (s === "?") return true;
            if (s === "<")
              return opts.canGoBack ? true : "This is the first question: there is nothing to go back to";
            const parsed = parse(raw);
            return typeof parsed === "string" ? parsed : true;
          },
        },
        ctx,
      ),
    );
    if (typeof answer !== "string") return { kind: "cancel" };
    const s = answer.trim();
    if (s === "?") return "help";
    if (s === "<") return { kind: "back" };
    const parsed = parse(answer);
    // validate() has already refused anything parse() would refuse.
    return typeof parsed === "string" ? { kind: "cancel" } : { kind: "answer", value: parsed.value };
  }

  /** Free text: flag victim-blaming language (Procedures §7) with suggestions; a warning, never a block. */
  async function checkLanguage(q: Question, asked: Asked): Promise<Asked | { edit: string }> {
    if (asked.kind !== "answer" || q.fact.type !== "text" || typeof asked.value !== "string") return asked;
    const lexicon = io.lexicon?.();
    if (!lexicon) return asked;
    const findings = checkText(asked.value, lexicon, MAX_FINDINGS);
    if (findings.length === 0) return asked;
    const lines = [c.yellow.bold("Language (Procedures §7, Language Matters):")];
    for (const f of findings) {
      lines.push(`  ${c.yellow("!")} "${f.phrase}": ${f.why}`);
      lines.push(`    ${c.dim(`suggest: ${f.suggestion}`)}`);
    }
    say(lines.join("\n"));
    const next = await choose<"edit" | "keep">("Change the wording?", [
      { value: "edit", name: "Edit the wording" },
      { value: "keep", name: "Keep it as written" },
    ]);
    if (next.kind === "cancel") return { kind: "cancel" };
    return next.value === "keep" ? asked : { edit: asked.value };
  }

  async function question(q: Question, opts: QuestionOptions): Promise<Asked> {
    let prefill: string | undefined;
    for (;;) {
      const type = q.fact.type;
      const asked =
        type === "enum" || type === "bool"
          ? await askSelect(q, opts)
          : type === "list"
            ? await askList(q, opts)
            : await askTyped(q, opts, prefill);
      if (asked === "help") {
        showHelp(q, opts.decides?.());
        continue;
      }
      if (asked.kind === "answer") answered(q.ask, valueWords(q, asked.value));
      const doubt = asked.kind === "answer" ? opts.doubt?.(asked.value) : undefined;
      if (doubt && asked.kind === "answer") {
        const again = await choose<"keep" | "change">(`${doubt} Keep it?`, [
          { value: "keep", name: "Keep it" },
          { value: "change", name: "Change it" },
        ]);
        if (again.kind === "cancel") return { kind: "cancel" };
        if (again.value === "change") {
          prefill = String(asked.value);
          continue;
        }
      }
      const checked = await checkLanguage(q, asked);
      if ("edit" in checked) {
        prefill = checked.edit;
        continue;
      }
      return checked;
    }
  }

  async function choose<T>(
    message: string,
    entries: readonly Entry<T>[],
    opts: { default?: T; inline?: boolean } = {},
  ): Promise<Picked<T>> {
    const values: T[] = [];
    const choices = entries.map((e) => {
      if ("separator" in e) return new Separator(e.separator);
      values.push(e.value);
      return {
        value: values.length - 1,
        name: fitName(e.name, 2, e.hang),
        ...(e.description ? { description: e.description } : {}),
      };
    });
    const wanted = opts.default === undefined ? undefined : JSON.stringify(opts.default);
    const initial = values.findIndex((v) => v === opts.default || JSON.stringify(v) === wanted);
    const height = rows();
    // Room for the tallest description, shown under the list for the highlighted entry.
    const described = Math.max(
      0,
      ...entries.map((e) => ("description" in e && e.description ? e.description.split("\n").length : 0)),
    );
    const picked = await guarded((ctx) =>
      opts.inline
        ? inlineMenu(
            {
              message,
              items: entries.flatMap((e) => ("separator" in e ? [] : [e.name])),
              default: Math.max(initial, 0),
              width,
              colour: io.colour,
              footer: inlineFooter(),
            },
            ctx,
          )
        : select(
            {
              message,
              choices,
              // As many as fit under the screen above, keys and message included.
              pageSize: Math.max(5, Math.min(choices.length, height - 4 - described)),
              loop: false,
              theme: themeFor([]),
              ...(initial >= 0 ? { default: initial } : {}),
            },
            ctx,
          ),
    );
    if (typeof picked !== "number") return { kind: "cancel" };
    const entry = entries.filter((e): e is Choice<T> => !("separator" in e))[picked];
    answered(message, entry?.name ?? "");
    return { kind: "pick", value: values[picked] as T };
  }

  async function text(
    message: string,
    opts: { default?: string; validate?: (s: string) => string | undefined } = {},
  ): Promise<Picked<string>> {
    const answer = await guarded((ctx) =>
      input(
        {
          message,
          ...(opts.default !== undefined ? { default: opts.default } : {}),
          validate: (s: string) => opts.validate?.(s) ?? true,
          theme: {
            style: {
              error: (text: string) => fitError(text),
              message: (m: string, status: string) =>
                fitMessage(
                  status === "done"
                    ? c.bold(m)
                    : `${c.bold(m)} ${c.dim(`(${BLANK_KEY.shown}: blank screen)`)}`,
                  defaultRoom(opts.default),
                ),
            },
          },
        },
        ctx,
      ),
    );
    if (typeof answer !== "string") return { kind: "cancel" };
    answered(message, answer);
    return { kind: "pick", value: answer };
  }

  const rows = () => Math.max((io.output as { rows?: number }).rows ?? 24, 8);
  async function page(text: string, room = 3): Promise<"said" | "paged" | "cancel"> {
    if (wrapText(text.replace(/\n+$/, ""), width()).split("\n").length + room <= rows()) {
      say(text);
      return "said";
    }
    const at = { line: 0 };
    const paged = await guarded(
      (ctx) =>
        pager(
          {
            text,
            width,
            height: rows,
            colour: io.colour,
            at,
            footer: (keys) => tip([...keys, [BLANK_KEY.shown, "blank screen"]]),
          },
          ctx,
        ),
      // Esc goes back to the menu; after F2 the page is where it was (its place is kept in `at`).
      { escape: false, replay: false },
    );
    return paged === CANCEL ? "cancel" : "paged";
  }

  const inlineFooter = () =>
    footerKeys([
      ["←→", "move"],
      ["⏎", "choose"],
    ]);
  const roomAbove = (message: string, entries: readonly string[]) =>
    rows() - inlineRows(message, entries, 0, width(), c).length - inlineFooter().split("\n").length;

  let warmed = false;
  /**
   * The language check's first two runs compile its expressions (V8 compiles a regular
   * expression on first use and again, faster, on the second): done once while the first
   * question is on screen, so no free-text answer waits for it.
   */
  const warmUp = () => {
    if (warmed) return;
    warmed = true;
    setTimeout(() => {
      try {
        const lexicon = io.lexicon?.();
        if (lexicon) for (let i = 0; i < 2; i++) checkText("warm up", lexicon, 1);
      } catch {
        // A lexicon that cannot be read is said when a free-text answer is checked.
      }
    }, 0).unref();
  };

  const clear = (scrollback = false) => {
    context = [];
    write(scrollback ? CLEAR_ALL : CLEAR_SCREEN);
  };

  return {
    question: (q, opts) => {
      warmUp();
      return question(q, opts);
    },
    group: (g, rows, opts) => {
      warmUp();
      return askGroup(
        {
          run: async (prompt, back) => {
            const r = await guarded(prompt, { back });
            if (r === CANCEL || r === HELP_KEY) return { kind: "cancel" };
            return r === BACK_KEY ? { kind: "back" } : { kind: "done", value: r };
          },
          answered,
          footer: footerKeys,
          helpText,
          width,
          height: () => (io.output as { rows?: number }).rows ?? 24,
          colour: io.colour,
        },
        g,
        rows,
        opts,
      );
    },
    choose,
    text,
    say,
    page,
    clear,
    width,
    roomAbove,
    end: () => raw(false),
    colour: io.colour,
  };
}
