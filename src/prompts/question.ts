import type { Question } from "../flow/types.js";
import { askList } from "./list.js";
import { choose } from "./menu.js";
import { checkLanguage, type Nudge } from "./nudge.js";
import { askSelect } from "./select.js";
import { answered, say, type Term } from "./term.js";
import { askTyped } from "./typed.js";
import type { Asked, QuestionOptions } from "./types.js";
import { helpLines, valueWords } from "./view.js";

/** What asking a flow question needs besides the terminal: "today" for dates, the language check. */
export interface Asking {
  today: () => string;
  nudge: Nudge;
}

/**
 * A flow question, by the kind of its fact: a list to pick from (enum, bool), a list to tick
 * (list), or typed (date, int, string, text). Help is shown and the question asked again; an
 * answer worth a second look (opts.doubt) is kept or changed; free text is checked for its
 * language. Nothing here decides what to ask: that is the engine's nextQuestion.
 */
export async function askQuestion(
  term: Term,
  asking: Asking,
  q: Question,
  opts: QuestionOptions,
): Promise<Asked> {
  let prefill: string | undefined;
  for (;;) {
    const type = q.fact.type;
    const asked =
      type === "enum" || type === "bool"
        ? await askSelect(term, q, opts)
        : type === "list"
          ? await askList(term, q, opts)
          : await askTyped(term, asking.today, q, opts, prefill);
    if (asked === "help") {
      say(term, helpLines(q, opts.decides?.(), term.width(), term.c));
      continue;
    }
    if (asked.kind === "answer") answered(term, q.ask, valueWords(q, asked.value));
    const doubt = asked.kind === "answer" ? opts.doubt?.(asked.value) : undefined;
    if (doubt && asked.kind === "answer") {
      const again = await choose<"keep" | "change">(term, `${doubt} Keep it?`, [
        { value: "keep", name: "Keep it" },
        { value: "change", name: "Change it" },
      ]);
      if (again.kind === "cancel") return { kind: "cancel" };
      if (again.value === "change") {
        prefill = String(asked.value);
        continue;
      }
    }
    const checked = await checkLanguage(term, asking.nudge, q, asked);
    if ("edit" in checked) {
      prefill = checked.edit;
      continue;
    }
    return checked;
  }
}
