import { Separator, select } from "@inquirer/prompts";
import type { Value } from "../engine/answers.js";
import type { Question } from "../flow/types.js";
import { BACK_KEY, CANCEL, guarded, HELP_KEY } from "./keys.js";
import type { Term } from "./term.js";
import type { Asked, QuestionOptions } from "./types.js";
import { fitName, listKeys, listTheme } from "./view.js";

/** A yes/no or a choice of the flow's, as a list: ↑ ↓ and Enter pick; ? help, < back. */

/** The entry that is the question's own "not known" (in lists to tick too). */
export const NOT_KNOWN = "\u0000not-known";
const HELP = "\u0000help";
const BACK = "\u0000back";
/** Where the cursor starts on a question that cannot be not known: Enter there picks nothing. */
const CHOOSE_ENTRY = {
  value: "\u0000choose",
  name: "Choose an answer below",
  disabled: "(it cannot be not known)",
};
/** Said when Enter is pressed with no answer chosen, on a question that cannot be not known. */
const CHOICE_NEEDED = "A choice is needed here (it cannot be not known): ↓ to an answer, then Enter";

type SelectChoice = Separator | { value: string; name: string; short?: string; disabled?: string };

/**
 * The entries of a question's list, and where the cursor starts. No answer is chosen for the
 * lead (style.md §8): untouched, the cursor is on "not known" (the question's, or the choice
 * that means it); a question that cannot be not known starts on an entry that cannot be
 * picked, so Enter says a choice is needed and asks again.
 */
export function selectEntries(q: Question, opts: QuestionOptions, width: number) {
  const values: [string, Value, string][] =
    q.fact.type === "bool"
      ? [
          ["=true", true, "Yes"],
          ["=false", false, "No"],
        ]
      : (q.fact.values ?? []).map((v) => [`=${v}`, v, q.choices?.[v] ?? v]);
  const choices: SelectChoice[] = values.map(([key, , name]) => ({
    value: key,
    name: fitName(name, width, 2),
  }));
  choices.push(new Separator(" "));
  if (q.notKnown)
    choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, short: q.notKnownLabel.toLowerCase() });
  choices.push({ value: HELP, name: "Help: what this means, and where it comes from", short: "help" });
  if (opts.canGoBack)
    choices.push({ value: BACK, name: `Back to ${opts.backTo ?? "the previous question"}`, short: "back" });
  const notKnownKey = q.notKnown
    ? NOT_KNOWN
    : q.fact.notKnown !== undefined
      ? `=${q.fact.notKnown}`
      : undefined;
  const initial =
    opts.default === undefined || opts.default === null ? notKnownKey : `=${String(opts.default)}`;
  if (initial === undefined) choices.unshift({ ...CHOOSE_ENTRY });
  return { values, choices, initial };
}

export async function askSelect(term: Term, q: Question, opts: QuestionOptions): Promise<Asked | "help"> {
  const { values, choices, initial } = selectEntries(q, opts, term.width());
  const picked = await guarded(
    term,
    (ctx) =>
      select(
        {
          message: q.ask,
          choices,
          pageSize: Math.min(choices.length, 15),
          loop: false,
          theme: {
            ...listTheme(term.c, term.width, listKeys(opts.canGoBack)),
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
