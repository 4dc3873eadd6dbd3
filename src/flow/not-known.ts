import { say } from "../words/problems.js";
import type { Problem } from "./problems.js";
import type { Flow } from "./types.js";

/**
 * Rules that can fire while a fact they read is not known, and whose outcome turns on it:
 * a `!has(fact)` test holds when the fact is left out, and the rule then reads "not known"
 * as something ("not referred yet", "capacity presumed"). That reading must be declared
 * (`when_not_known` in facts.yaml), so "why" can say it; otherwise the rule should wait
 * for the fact. One warning per place, with the fix.
 */
export function notKnownWarnings(flow: Flow): Problem[] {
  const out = new Map<string, Problem>();
  for (const action of flow.actions) {
    for (const rule of action.rules) {
      for (const t of rule.when.absent) {
        if (flow.facts.get(t.fact)?.whenNotKnown) continue;
        const key = `${t.origin.file}:${t.origin.line}:${t.origin.column}:${t.fact}`;
        out.set(key, {
          ...t.origin,
          field: `${action.id} (rule ${rule.id})`,
          message: say.firesOnNotKnown(t.fact),
        });
      }
    }
  }
  return [...out.values()];
}
