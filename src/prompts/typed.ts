import { input } from "@inquirer/prompts";
import type { Question } from "../flow/types.js";
import { type Value, validateValue } from "../flow/values.js";
import { guarded } from "./keys.js";
import type { Term } from "./term.js";
import { readTypedDate } from "./typed-date.js";
import type { Asked, QuestionOptions } from "./types.js";
import { defaultRoom, fitError, fitMessage, typedHints } from "./view.js";

/**
 * date, int, string, text: typed, with ? for help, < for back, Enter alone for not known.
 * Answers are checked as they are typed, with the engine's own validateValue: bad input is
 * refused at the prompt with the reason.
 */

/** A typed answer read: its value (null: not known), or why it is refused. */
export function parseTyped(q: Question, raw: string, today: string): string | { value: Value | null } {
  const type = q.fact.type;
  const s = raw.trim();
  if (s === "") return q.notKnown ? { value: null } : "An answer is needed here (it cannot be not known)";
  if (type === "date") {
    const read = readTypedDate(s, today);
    return typeof read === "string" ? read : validateValue(q.fact, read.value);
  }
  if (type === "int") {
    if (!/^-?\d+$/.test(s)) return `"${s}" should be a whole number`;
    return validateValue(q.fact, Number(s));
  }
  return validateValue(q.fact, type === "text" ? raw.trim() : s);
}

/** `prefill`: an answer given back to edit (after "change it" or the language check). */
export async function askTyped(
  term: Term,
  today: () => string,
  q: Question,
  opts: QuestionOptions,
  prefill?: string,
): Promise<Asked | "help"> {
  const { c } = term;
  const given = opts.default;
  const defaultText = given === undefined || given === null ? undefined : String(given);
  const hint = typedHints(q, defaultText, opts.canGoBack);
  const answer = await guarded(term, (ctx) =>
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
            error: (text: string) => fitError(text, term.width(), c),
            // The hint while asking; the question alone once answered.
            message: (text: string, status: string) =>
              fitMessage(
                status === "done" ? c.bold(text) : `${c.bold(text)} ${c.dim(hint)}`,
                term.width(),
                prefill === undefined ? defaultRoom(defaultText) : 0,
              ),
          },
        },
        validate: (raw: string) => {
          const s = raw.trim();
          if (s === "?") return true;
          if (s === "<")
            return opts.canGoBack ? true : "This is the first question: there is nothing to go back to";
          const parsed = parseTyped(q, raw, today());
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
  const parsed = parseTyped(q, answer, today());
  // validate() has already refused anything parse() would refuse.
  return typeof parsed === "string" ? { kind: "cancel" } : { kind: "answer", value: parsed.value };
}
