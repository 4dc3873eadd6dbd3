import type { Value } from "../engine/answers.js";
import type { Question, QuestionGroup } from "../flow/types.js";
import type { Lexicon } from "../language/check.js";

/** What the wizard's prompts give back: a value, never an exception (Ctrl-C and Esc are "cancel"). */

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

export interface ChooseOptions<T> {
  default?: T;
  /** Lay the entries out side by side (a menu under a screen). */
  inline?: boolean;
}

export interface TextOptions {
  default?: string;
  validate?: (s: string) => string | undefined;
}

export interface Ui {
  question(q: Question, opts: QuestionOptions): Promise<Asked>;
  /** A group's questions on one screen, a row each (grid.ts). */
  group(group: QuestionGroup, rows: readonly Question[], opts: GroupOptions): Promise<GroupAsked>;
  /** A list to pick from; `inline` lays the entries out side by side (a menu under a screen). */
  choose<T>(message: string, entries: readonly Entry<T>[], opts?: ChooseOptions<T>): Promise<Picked<T>>;
  text(message: string, opts?: TextOptions): Promise<Picked<string>>;
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

export interface UiIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  colour: boolean;
  /** What "today" means at a date prompt. */
  today: () => string;
  /** The victim-blaming language lexicon, loaded on first use (only free text needs it). */
  lexicon?: () => Lexicon | undefined;
}

export type GroupAsked =
  | { kind: "answer"; values: Map<string, Value | null> }
  | { kind: "back" }
  | { kind: "cancel" };

export interface GroupOptions {
  /** Answers given before (kept after "back"): each row starts on its own. */
  defaults: ReadonlyMap<string, Value | null>;
  canGoBack: boolean;
  /** For each row, whether it is still worth asking given the rows' values: the engine's liveRows. */
  live: (values: ReadonlyMap<string, Value | null>) => boolean[];
  /** The steps a row's answer could decide (the engine's decidesSteps), for its help. */
  decides?: (fact: string) => readonly string[];
}
