import { Chalk, type ChalkInstance } from "chalk";
import type { UiIo } from "./types.js";
import { answeredLine, saidText } from "./view.js";

/**
 * The terminal the prompts share: its streams and size, and the one piece of state they
 * share, what was said since the last answer (shown again after F2 blanked the screen).
 * Every prompt kind takes it as an argument; nothing else is shared between them.
 */
export interface Term {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly colour: boolean;
  readonly c: ChalkInstance;
  /** The width in columns, now (at least 20). */
  width(): number;
  /** The height in rows, now (at least 8). */
  rows(): number;
  write(text: string): void;
  /** Keys typed between prompts are neither echoed nor acted on (a prompt drops them). */
  raw(on: boolean): void;
  /** What was said since the last answer: shown again after the screen was blanked. */
  said: string[];
}

/** Clear the screen and move to its top; with the scrollback (ESC [3J) too. */
export const CLEAR_SCREEN = "\u001b[2J\u001b[H";
export const CLEAR_ALL = "\u001b[2J\u001b[3J\u001b[H";

export function createTerm(io: UiIo): Term {
  const tty = io.input as { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  const size = io.output as { columns?: number; rows?: number };
  return {
    input: io.input,
    output: io.output,
    colour: io.colour,
    c: new Chalk({ level: io.colour ? 1 : 0 }),
    width: () => Math.max(size.columns ?? 80, 20),
    rows: () => Math.max(size.rows ?? 24, 8),
    write: (text) => io.output.write(text),
    raw: (on) => {
      if (tty.isTTY && typeof tty.setRawMode === "function") tty.setRawMode(on);
    },
    said: [],
  };
}

/** Print between prompts, wrapped to the width; kept to show again after F2. */
export function say(term: Term, text: string): void {
  const shown = saidText(text, term.width());
  term.said.push(shown);
  term.write(shown);
}

/** What stays on screen once a prompt is answered: the question and the answer. */
export function answered(term: Term, message: string, words: string): void {
  term.said = [];
  term.write(answeredLine(message, words, term.width(), term.c));
}

/** Start a fresh screen: `scrollback` clears the terminal's history too. */
export function clear(term: Term, scrollback = false): void {
  term.said = [];
  term.write(scrollback ? CLEAR_ALL : CLEAR_SCREEN);
}
