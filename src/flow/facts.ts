import { say } from "../words/problems.js";
import { type Located, type Problem, problemAt, suggest } from "./problems.js";
import type { FactsFileRaw } from "./schema.js";
import type { Fact } from "./types.js";

// The fact catalogue (flows/facts.yaml): the case-file contract, checked once at load.

/** UNCHECKED: ids of entries that failed their check (read.ts): not called unknown here. */
export function buildFacts(
  source: Located,
  raw: FactsFileRaw,
  problems: Problem[],
  unchecked: ReadonlySet<string> = new Set(),
): Map<string, Fact> {
  const facts = new Map<string, Fact>();
  const add = (group: "facts" | "derived", entries: Record<string, FactsFileRaw["facts"][string]>) => {
    for (const [id, def] of Object.entries(entries)) {
      if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/.test(id)) {
        problems.push(problemAt(source, [group, id], say.factIdForm()));
        continue;
      }
      if ((def.type === "enum" || def.type === "list") && !def.values?.length) {
        problems.push(problemAt(source, [group, id], say.needsValues(def.type)));
      }
      if (def.not_known !== undefined && (def.type !== "enum" || !def.values?.includes(def.not_known))) {
        problems.push(
          problemAt(
            source,
            [group, id, "not_known"],
            say.notKnownChoice(id, suggest(def.not_known, def.values ?? [])),
          ),
        );
      }
      def.alone?.forEach((v, k) => {
        if (def.type !== "list") problems.push(problemAt(source, [group, id, "alone"], say.aloneOnlyList()));
        else if (!def.values?.includes(v))
          problems.push(
            problemAt(source, [group, id, "alone", k], say.notAValueOf(v, id, suggest(v, def.values ?? []))),
          );
      });
      facts.set(id, {
        id,
        type: def.type,
        ...(def.values ? { values: def.values } : {}),
        label: def.label,
        ...(def.meaning ? { meaning: def.meaning } : {}),
        personal: def.personal ?? false,
        ...(def.redact ? { redact: true } : {}),
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
        derived: group === "derived",
        ...(def.not_known !== undefined ? { notKnown: def.not_known } : {}),
        ...(def.when_not_known ? { whenNotKnown: def.when_not_known } : {}),
        ...(def.alone ? { alone: def.alone } : {}),
        ...(def.from ? { from: def.from } : {}),
      });
    }
  };
  add("facts", raw.facts);
  add("derived", raw.derived ?? {});
  for (const [id, def] of Object.entries(raw.derived ?? {}))
    def.from?.forEach((f, k) => {
      if (!unchecked.has(f) && (!facts.get(f) || facts.get(f)?.derived))
        problems.push(
          problemAt(
            source,
            ["derived", id, "from", k],
            say.notGivenByCase(
              f,
              suggest(
                f,
                [...facts.values()].filter((x) => !x.derived).map((x) => x.id),
              ),
            ),
          ),
        );
    });
  for (const [id, def] of Object.entries(raw.facts))
    if (def.from) problems.push(problemAt(source, ["facts", id, "from"], say.fromOnlyDerived()));
  return facts;
}

export function inputFacts(facts: ReadonlyMap<string, Fact>): string[] {
  return [...facts.values()].filter((f) => !f.derived).map((f) => f.id);
}
