import { dueRuleWords, eventWords } from "../engine/due.js";
import type { DueRule, Flow, Need } from "../flow/types.js";

// A due rule in the flow's own words, for `explain`, the decision views and the slides
// (apart from explain.ts, which reads the sections from decisions.ts, so neither imports the other).

function fromWords(flow: Flow, from: Need): string {
  if ("action" in from) return eventWords(from, { flow });
  return `${(flow.facts.get(from.fact)?.label ?? from.fact).replace(/^Date/, "the date")}`;
}

/** A due rule in words, from the flow's rule itself, with labels for ids. */
export function dueWords(flow: Flow, due: DueRule): string {
  return dueRuleWords(due, (f) => fromWords(flow, f));
}
