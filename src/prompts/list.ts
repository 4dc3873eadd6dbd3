import { checkbox, Separator } from "@inquirer/prompts";
import type { Question } from "../flow/types.js";
import { say } from "../words/problems.js";
import { BACK_KEY, CANCEL, guarded, HELP_KEY } from "./keys.js";
import { NOT_KNOWN } from "./select.js";
import type { Term } from "./term.js";
import type { Asked, QuestionOptions } from "./types.js";
import { fitName, listHint, listKeys, listTheme } from "./view.js";

/**
 * A list: tick what applies. "None of these" is an entry of its own, ticked on purpose; Enter
 * with nothing ticked keeps "not known" (or, where the question cannot be not known, says a
 * choice is needed). Case files keep [] for none of these.
 */

const NONE = "\u0000none";

type ListChoice = Separator | { value: string; name: string; checked?: boolean };

/** The entries to tick, the answer given before ticked again. */
export function listEntries(q: Question, opts: QuestionOptions, width: number): ListChoice[] {
  const given = Array.isArray(opts.default) ? (opts.default as string[]) : [];
  const choices: ListChoice[] = (q.fact.values ?? []).map((v) => ({
    value: `=${v}`,
    name: fitName(q.choices?.[v] ?? v, width, 3),
    checked: given.includes(v),
  }));
  choices.push(new Separator(" "));
  const noneGiven = Array.isArray(opts.default) && opts.default.length === 0;
  if (!ownNone(q)) choices.push({ value: NONE, name: "None of these", checked: noneGiven });
  if (q.notKnown) choices.push({ value: NOT_KNOWN, name: q.notKnownLabel, checked: opts.default === null });
  return choices;
}

/** A list with its own "none" choice ("Not open", which stands alone) needs no second one. */
const ownNone = (q: Question) => (q.fact.alone ?? []).length > 0;

/** Why the entries ticked cannot be the answer, or true. */
export function listProblem(q: Question, chosen: readonly { value: string }[]): string | true {
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
    return say.listGoesAlone(words);
  }
  if (chosen.length === 0 && !q.notKnown) return say.listNeedsChoice(!ownNone(q));
  return true;
}

export async function askList(term: Term, q: Question, opts: QuestionOptions): Promise<Asked | "help"> {
  const choices = listEntries(q, opts, term.width());
  const picked = await guarded(
    term,
    (ctx) =>
      checkbox(
        {
          message: q.ask,
          choices,
          pageSize: Math.min(choices.length, 17),
          loop: false,
          shortcuts: { all: null, invert: null },
          theme: listTheme(term.c, term.width, listKeys(opts.canGoBack), listHint(q)),
          validate: (chosen: readonly { value: string }[]) => listProblem(q, chosen),
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
