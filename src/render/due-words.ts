import { amountWords, ordinal } from "../engine/due.js";
import type { DueRule, Flow, Need } from "../flow/types.js";

// A due rule in the flow's own words, for `explain`, the decision views and the slides
// (apart from explain.ts, which reads the sections from decisions.ts, so neither imports the other).

function fromWords(flow: Flow, from: Need): string {
  if ("action" in from) return `the due date of "${flow.actionById.get(from.action)?.title ?? from.action}"`;
  return `${(flow.facts.get(from.fact)?.label ?? from.fact).replace(/^Date/, "the date")}`;
}

/** A due rule in words, from the flow's rule itself. */
export function dueWords(flow: Flow, due: DueRule): string {
  if (due === "immediately") return "immediately (the day the concern is identified)";
  if ("none" in due) return due.none;
  if ("earliest" in due)
    return `the earlier of: ${due.earliest.map((d) => dueWords(flow, d)).join("; and ")}`;
  if ("age" in due) {
    const { years, months } = due.age;
    const when = months ? `at ${years} years ${months} months` : `on the ${ordinal(years)} birthday`;
    return `${when}${due.or_now ? " (now, if that has passed)" : ""}`;
  }
  const from = ("on" in due ? due.on : due.from).map((f) => fromWords(flow, f)).join(", or else ");
  if ("on" in due) return `on ${from}`;
  return `${amountWords(due)} from ${from}`;
}
