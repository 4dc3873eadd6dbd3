import { checkbox, input, Separator, select } from "@inquirer/prompts";
import { Chalk } from "chalk";
import { type Value, validateValue } from "../engine/answers.js";
import type { Question } from "../flow/types.js";
import { checkText, type Lexicon, MAX_FINDINGS } from "../language/check.js";
import { terminalSafe } from "../render/inert.js";

/**
 * The one way to ask (style.md §8): a flow question becomes an @inquirer/prompts prompt,
 * by the kind of its fact. Every prompt offers help (the question's help text and the
 * procedure section it comes from), "not known" where the flow allows it, and "back"
 * (except on the first question). Answers are checked here, as they are typed, with the
 * engine's own validateValue: bad input is refused at the prompt with the reason.
 * Ctrl-C and Esc come back as a value ({kind: "cancel"}), never as an exception.
 * Nothing here decides what to ask: that is the engine's nextQuestion.
 */

export type Asked = { kind: "answer"; value: Value | null } | { kind: "back" } | { kind: "cancel" };
export type Picked<T> = { kind: "pick"; value: T } | { kind: "cancel" };

export interface QuestionOptions {
  /** The answer given before (kept after "back", or being changed at the review); null is "not known". */
  default?: Value | null;
  canGoBack: boolean;
  /** Where "back" goes, for the list entry: "the previous question" unless said. */
  backTo?: string;
}

export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
}
export type Entry<T> = Choice<T> | { separator: string };

export interface Ui {
  question(q: Question, opts: QuestionOptions): Promise<Asked>;
  choose<T>(message: string, entries: readonly Entry<T>[], opts?: { default?: T }): Promise<Picked<T>>;
  text(
    message: string,
    opts?: { default?: string; validate?: (s: string) => string | undefined },
  ): Promise<Picked<string>>;
  /** Print between prompts (help, screens). */
  say(text: string): void;
  readonly colour: boolean;
}

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
const CANCEL: unique symbol = Symbol("cancel");
const HELP_KEY: unique symbol = Symbol("help");
const BACK_KEY: unique symbol = Symbol("back");
type Interrupt = typeof CANCEL | typeof HELP_KEY | typeof BACK_KEY;

/** Words shown for a value: the flow's choice label, Yes/No, "not known". */
export function valueWords(q: Question, v: Value | null | undefined): string {
  if (v === null || v === undefined) return "not known";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (Array.isArray(v))
    return v.length === 0 ? "none of these" : v.map((x) => terminalSafe(q.choices?.[x] ?? x)).join(", ");
  const s = String(v);
  // A typed answer is shown back to the terminal: control characters made visible.
  return terminalSafe(q.choices?.[s] ?? s);
}

/** The help shown on request: the question's help, the procedure section, the case-file field. */
export function helpText(q: Question): string {
  const lines: string[] = [];
  if (q.help) lines.push(q.help);
  else if (q.fact.meaning) lines.push(`${q.fact.label}: ${q.fact.meaning}.`);
  else lines.push(`${q.fact.label}.`);
  if (q.cite) lines.push(`From: ${q.cite}.`);
  lines.push(`In a case file this is ${q.fact.id}.`);
  return lines.join("\n");
}

/** Break a line at spaces to fit the terminal. */
export function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  out.push(current);
  return out;
}

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
  const tip = (keys: [string, string][]) =>
    keys.map(([k, what]) => `${c.bold(k)} ${c.dim(what)}`).join(c.dim(" • "));
  /** The key line under a list: inquirer's keys, then ours. */
  const themeFor = (extra: [string, string][], hint?: string) => ({
    style: {
      keysHelpTip: (keys: [string, string][]) =>
        tip([...keys, ...extra, ["esc", "stop (answers are saved)"]]),
      // A hint while asking; the question alone once answered.
      message: (text: string, status: string) =>
        status === "done" || !hint ? c.bold(text) : `${c.bold(text)} ${c.dim(hint)}`,
    },
  });

  /**
   * Run one prompt. Ctrl-C (the prompt's own) and Esc come back as "cancel"; in lists,
   * the keys ? and < come back as "help" and "back" (in typed answers they are typed).
   */
  async function guarded<T>(
    run: (context: {
      input: NodeJS.ReadableStream;
      output: NodeJS.WritableStream;
      signal: AbortSignal;
      clearPromptOnDone: boolean;
    }) => Promise<T>,
    keys: { help?: boolean; back?: boolean } = {},
  ): Promise<T | Interrupt> {
    const controller = new AbortController();
    const onKey = (typed: unknown, key: { name?: string; sequence?: string } | undefined) => {
      const ch = typeof typed === "string" ? typed : (key?.sequence ?? key?.name);
      if (key?.name === "escape") controller.abort(CANCEL);
      else if (keys.help && ch === "?") controller.abort(HELP_KEY);
      else if (keys.back && ch === "<") controller.abort(BACK_KEY);
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
    try {
      return await promise;
    } catch (error) {
      if (!isCancel(error)) throw error;
      const reason = controller.signal.aborted ? controller.signal.reason : CANCEL;
      return reason === HELP_KEY || reason === BACK_KEY ? reason : CANCEL;
    } finally {
      io.input.removeListener("keypress", onKey);
    }
  }

  const say = (text: string) => {
    io.output.write(text.endsWith("\n") ? text : `${text}\n`);
  };
  /** What stays on screen once a prompt is answered: the question and the answer, on one line. */
  const answered = (message: string, words: string) =>
    say(`${c.green("✔")} ${c.bold(message)} ${c.cyan(words)}`);

  function showHelp(q: Question): void {
    const columns = (io.output as { columns?: number }).columns ?? 80;
    say(
      helpText(q)
        .split("\n")
        .flatMap((l) => wrap(l, Math.max(columns - 4, 30)))
        .map((l) => `  ${c.cyan(l)}`)
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
    const choices: (Separator | { value: string; name: string; short?: string })[] = values.map(
      ([key, , name]) => ({ value: key, name }),
    );
    choices.push(new Separator(" "));
    if (q.notKnown)
      choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, short: q.notKnownLabel.toLowerCase() });
    choices.push({ value: HELP, name: "Help: what this means, and where it comes from", short: "help" });
    if (opts.canGoBack)
      choices.push({ value: BACK, name: `Back to ${opts.backTo ?? "the previous question"}`, short: "back" });
    let initial: string | undefined;
    if (opts.default === null && q.notKnown) initial = NOT_KNOWN;
    else if (opts.default !== undefined && opts.default !== null) initial = `=${String(opts.default)}`;
    const picked = await guarded(
      (ctx) =>
        select(
          {
            message: q.ask,
            choices,
            pageSize: Math.min(choices.length, 15),
            loop: false,
            theme: themeFor(listKeys(opts.canGoBack)),
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

  async function askList(q: Question, opts: QuestionOptions): Promise<Asked | "help"> {
    const given = Array.isArray(opts.default) ? (opts.default as string[]) : [];
    const choices: (Separator | { value: string; name: string; checked?: boolean })[] = (
      q.fact.values ?? []
    ).map((v) => ({ value: `=${v}`, name: q.choices?.[v] ?? v, checked: given.includes(v) }));
    choices.push(new Separator(" "));
    if (q.notKnown) choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, checked: opts.default === null });
    const picked = await guarded(
      (ctx) =>
        checkbox(
          {
            message: q.ask,
            choices,
            pageSize: Math.min(choices.length, 16),
            loop: false,
            shortcuts: { all: null, invert: null },
            theme: themeFor(listKeys(opts.canGoBack), "(none ticked: none of these)"),
            validate: (chosen: readonly { value: string }[]) =>
              chosen.some((x) => x.value === NOT_KNOWN) && chosen.length > 1
                ? "Not known goes on its own: untick it, or untick the others (space)"
                : true,
          },
          ctx,
        ),
      { help: true, back: opts.canGoBack },
    );
    if (picked === CANCEL) return { kind: "cancel" };
    if (picked === HELP_KEY) return "help";
    if (picked === BACK_KEY) return { kind: "back" };
    if (picked.includes(NOT_KNOWN)) return { kind: "answer", value: null };
    return { kind: "answer", value: picked.map((k) => k.slice(1)) };
  }

  /** date, int, string, text: typed, with ? for help, < for back, Enter alone for not known. */
  async function askTyped(q: Question, opts: QuestionOptions, prefill?: string): Promise<Asked | "help"> {
    const type = q.fact.type;
    const hints: string[] = [];
    if (type === "date") hints.push('YYYY-MM-DD or "today"');
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
    const parse = (raw: string): string | { value: Value | null } => {
      const s = raw.trim();
      if (s === "") return q.notKnown ? { value: null } : "An answer is needed here (it cannot be not known)";
      if (type === "date") return validateValue(q.fact, s.toLowerCase() === "today" ? io.today() : s);
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
              // The hint while asking; the question alone once answered.
              message: (text: string, status: string) =>
                status === "done" ? c.bold(text) : `${c.bold(text)} ${c.dim(`(${hints.join(" · ")})`)}`,
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
        showHelp(q);
        continue;
      }
      if (asked.kind === "answer") answered(q.ask, valueWords(q, asked.value));
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
    opts: { default?: T } = {},
  ): Promise<Picked<T>> {
    const values: T[] = [];
    const choices = entries.map((e) => {
      if ("separator" in e) return new Separator(e.separator);
      values.push(e.value);
      return {
        value: values.length - 1,
        name: e.name,
        ...(e.description ? { description: e.description } : {}),
      };
    });
    const wanted = opts.default === undefined ? undefined : JSON.stringify(opts.default);
    const initial = values.findIndex((v) => v === opts.default || JSON.stringify(v) === wanted);
    const picked = await guarded((ctx) =>
      select(
        {
          message,
          choices,
          pageSize: Math.min(choices.length, 20),
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
        },
        ctx,
      ),
    );
    if (typeof answer !== "string") return { kind: "cancel" };
    answered(message, answer);
    return { kind: "pick", value: answer };
  }

  return { question, choose, text, say, colour: io.colour };
}
