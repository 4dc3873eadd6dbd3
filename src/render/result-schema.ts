/**
 * The JSON Schema (draft-07) of the result object (`run --json`, pathway.json), written as
 * data beside its type, ResultObject in ./result.ts. Every object is closed
 * (additionalProperties: false) and every field the type always has is required, so a field
 * added to one and not the other fails test/schema.test.ts, which validates real results.
 */
const str = { type: "string" };
/** A calendar date, YYYY-MM-DD: JSON Schema's `format: date` (RFC 3339 full-date). */
const day = { type: "string", format: "date" };
const dayOrNull = { type: ["string", "null"], format: "date" };
const strings = { type: "array", items: str };
const closed = (properties: Record<string, unknown>, optional: string[] = []) => ({
  type: "object",
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
});
const settled = closed({ fact: str, value: {}, at_least: { type: "boolean" }, because: str, cite: str });

export const resultSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "safeguard result object",
  description: "What `safeguard run --json` prints and `--out` writes as pathway.json.",
  ...closed(
    {
      case_id: str,
      procedure: closed({ name: str, version: str, flow: str, facts_version: str, flows_sha256: str }),
      reference_date: day,
      today: day,
      person: closed(
        {
          age: { type: ["integer", "null"] },
          group: { enum: ["child", "adult", "none", "not-known"] },
          age_source: str,
          age_band: str,
        },
        ["age_band"],
      ),
      redacted: { const: true },
      actions: {
        type: "array",
        items: closed(
          {
            id: str,
            title: str,
            section: str,
            due: dayOrNull,
            due_rule: str,
            // A due date on a weekend or bank holiday is kept; this is the last working day before it.
            last_working_day: dayOrNull,
            overdue: { type: "boolean" },
            days_overdue: { type: "integer", minimum: 0 },
            overdue_unit: { enum: ["working_days", "calendar_days"] },
            working_days_overdue: { type: "integer", minimum: 0 },
            by: { oneOf: [{ type: "null" }, closed({ id: str, name: str })] },
            // Anticipated, not decided: never overdue (absent when firm).
            expected: { const: true },
            // The date is when something ends, in the words before it: never overdue.
            until: str,
            // Done: never overdue; the date is null where the facts show it done without one.
            done: closed(
              {
                date: { type: ["string", "null"] },
                source: { enum: ["marked", "facts"] },
                fact: str,
                note: str,
              },
              ["fact", "note"],
            ),
            citation: str,
            because: strings,
            rules: {
              type: "array",
              items: closed(
                {
                  id: str,
                  because: str,
                  cite: str,
                  when: str,
                  facts: { type: "object" },
                  note: str,
                  settled: { type: "array", items: settled },
                  not_known: { type: "array", items: closed({ fact: str, reads_as: str }) },
                  named: {
                    type: "array",
                    items: closed({
                      name: str,
                      meaning: str,
                      cite: str,
                      holds: { enum: ["true", "false", "not known"] },
                    }),
                  },
                },
                ["note", "settled", "not_known", "named"],
              ),
            },
            documents: strings,
            contacts: strings,
          },
          ["expected", "until", "done"],
        ),
      },
      // Steps the facts show done, no longer recommended because they are done.
      done_steps: {
        type: "array",
        items: closed(
          { id: str, title: str, date: { type: ["string", "null"] }, source: { const: "facts" }, fact: str },
          ["fact"],
        ),
      },
      // `run --out --json` only: what writing the case did (what changed, drafts written and kept).
      update: { type: "object" },
      not_decided: {
        type: "array",
        items: closed({
          id: str,
          title: str,
          needs: { type: "array", items: { oneOf: [closed({ fact: str }), closed({ action: str })] } },
        }),
      },
      implied: { type: "array", items: settled },
      documents: { type: "array", items: closed({ id: str, path: { type: ["string", "null"] } }) },
      warnings: {
        type: "array",
        items: closed({ kind: str, field: str, text: str, suggestion: str, cite: str }, [
          "field",
          "suggestion",
          "cite",
        ]),
      },
    },
    ["redacted", "done_steps", "update"],
  ),
} as const;
