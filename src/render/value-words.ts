import type { Value } from "../engine/answers.js";
import { formatLong, isIsoDate } from "../engine/dates.js";
import type { Fact, Flow } from "../flow/types.js";

/**
 * How a fact's values are said: the fact, and the words its question gives its choices. A
 * `Question` is one.
 */
export interface Said {
  readonly fact?: Fact | undefined;
  readonly choices?: Readonly<Record<string, string>> | undefined;
}

/** How `id`'s values are said in `flow`: its question's words for its choices. */
export function saidIn(flow: Flow, id: string): Said {
  return { fact: flow.facts.get(id), choices: flow.questions.find((q) => q.fact.id === id)?.choices };
}

/**
 * A fact's value in plain words, one wording for every screen and file: the question's words
 * for a choice (a choice without them with its hyphens as spaces: "county lines", never an
 * id), Yes / No, a list joined by commas ("none of these" when nothing was ticked, the words
 * the list offers), a date with its weekday ("Sat 5 Dec 2026"), "not known". Typed text is
 * given as typed. The words are raw text: each medium makes them inert its own way.
 */
export function valueWords(said: Said, v: Value | null | undefined): string {
  if (v === null || v === undefined) return "not known";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  const choice = (x: string) =>
    said.choices?.[x] ?? (said.fact?.values?.includes(x) ? x.replace(/-/g, " ") : x);
  if (Array.isArray(v)) return v.length === 0 ? "none of these" : v.map(choice).join(", ");
  const s = String(v);
  if (said.fact?.type === "date" && isIsoDate(s)) return formatLong(s);
  return choice(s);
}
