import { CLEAR_ALL, CLEAR_SCREEN, type Term } from "./term.js";
import { BLANK_KEY } from "./view.js";

/**
 * The keys every prompt shares, in one place: Ctrl-C (the prompt's own) and Esc come back
 * as CANCEL; in lists, ? and < come back as HELP_KEY and BACK_KEY (in typed answers they
 * are typed); F2 blanks the screen, scrollback too, and any key brings the prompt back as
 * it was left.
 */

export const CANCEL: unique symbol = Symbol("cancel");
export const HELP_KEY: unique symbol = Symbol("help");
export const BACK_KEY: unique symbol = Symbol("back");
const BLANK: unique symbol = Symbol("blank");
export type Interrupt = typeof CANCEL | typeof HELP_KEY | typeof BACK_KEY;

/** What an @inquirer prompt is given to run on: our streams, and the signal that stops it. */
export interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
  clearPromptOnDone: boolean;
}

/** Which of the shared keys a prompt takes: ? and < (off unless said), Esc and replay after F2 (on). */
export interface GuardKeys {
  help?: boolean;
  back?: boolean;
  escape?: boolean;
  replay?: boolean;
}

function isCancel(error: unknown): boolean {
  return (
    error instanceof Error &&
    ["ExitPromptError", "AbortPromptError", "CancelPromptError"].includes(error.name)
  );
}

/** Blank the screen and its scrollback; wait for a key (Ctrl-C: stop). */
function blankUntilKey(term: Term): Promise<"back" | "cancel"> {
  term.write(`${CLEAR_ALL}\u001b[?25l`);
  term.raw(true);
  return new Promise((resolve) => {
    const onKey = (_typed: unknown, key: { name?: string; ctrl?: boolean } | undefined) => {
      term.input.removeListener("keypress", onKey);
      term.input.pause();
      term.write(`${CLEAR_SCREEN}\u001b[?25h`);
      resolve(key?.ctrl && key.name === "c" ? "cancel" : "back");
    };
    term.input.on("keypress", onKey);
    term.input.resume();
  });
}

/**
 * Run one prompt with the shared keys. After F2 and a key, the prompt runs again, what was
 * said before it shown again, and the keys typed into it played again, so it is as it was left.
 */
export async function guarded<T>(
  term: Term,
  run: (context: PromptContext) => Promise<T>,
  keys: GuardKeys = {},
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
      input: term.input,
      output: term.output,
      signal: controller.signal,
      clearPromptOnDone: true,
    });
    term.input.on("keypress", onKey);
    // After the prompt's first render (it waits one turn on a terminal): replay, then record.
    const started = setImmediate(() => {
      for (const [ch, key] of typed) term.input.emit("keypress", ch, key);
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
      term.input.removeListener("keypress", onKey);
      term.raw(true);
    }
    if (reason !== BLANK) return reason === HELP_KEY || reason === BACK_KEY ? reason : CANCEL;
    if ((await blankUntilKey(term)) === "cancel") return CANCEL;
    if (term.said.length > 0) term.write(term.said.join(""));
  }
}
