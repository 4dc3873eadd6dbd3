import { askGroup } from "./grid.js";
import { BACK_KEY, CANCEL, guarded, HELP_KEY } from "./keys.js";
import { choose, roomAbove } from "./menu.js";
import { type Nudge, warmUp } from "./nudge.js";
import { page } from "./pager.js";
import { askQuestion } from "./question.js";
import { answered, clear, createTerm, say } from "./term.js";
import { text } from "./text.js";
import type { Ui, UiIo } from "./types.js";
import { footerKeys, helpText } from "./view.js";

/**
 * The one way to ask (style.md §8): the wizard's Ui, wired from one file per prompt kind, as
 * in @clack/prompts: a flow question (question.ts: select, list or typed, by the kind of its
 * fact), a group's screen (grid.ts), a menu (menu.ts), a line of text (text.ts), a screen of
 * text (pager.ts). What they show is view.ts (pure); the keys they share are keys.ts; the one
 * piece of state they share (what was said since the last answer) is the Term (term.ts).
 * Every prompt offers help, "not known" where the flow allows it, and "back" (except on the
 * first question). Ctrl-C and Esc come back as a value ({kind: "cancel"}), never as an
 * exception. F2 blanks the screen (scrollback too) at any prompt; any key brings the prompt
 * back as it was. Nothing here decides what to ask: that is the engine's nextQuestion.
 */
export function createUi(io: UiIo): Ui {
  const term = createTerm(io);
  const nudge: Nudge = { lexicon: io.lexicon, warmed: false };
  return {
    question: (q, opts) => {
      warmUp(nudge);
      return askQuestion(term, { today: io.today, nudge }, q, opts);
    },
    group: (g, rows, opts) => {
      warmUp(nudge);
      return askGroup(
        {
          run: async (prompt, back) => {
            const r = await guarded(term, prompt, { back });
            if (r === CANCEL || r === HELP_KEY) return { kind: "cancel" };
            return r === BACK_KEY ? { kind: "back" } : { kind: "done", value: r };
          },
          answered: (message, words) => answered(term, message, words),
          footer: (keys) => footerKeys(keys, term.width(), term.c),
          helpText,
          width: term.width,
          // The grid fits itself to the rows as the terminal says them (no floor of 8).
          height: () => (io.output as { rows?: number }).rows ?? 24,
          colour: io.colour,
        },
        g,
        rows,
        opts,
      );
    },
    choose: (message, entries, opts) => choose(term, message, entries, opts),
    text: (message, opts) => text(term, message, opts),
    say: (words) => say(term, words),
    page: (words, room) => page(term, words, room),
    clear: (scrollback) => clear(term, scrollback),
    width: term.width,
    roomAbove: (message, entries) => roomAbove(term, message, entries),
    end: () => term.raw(false),
    colour: io.colour,
  };
}
