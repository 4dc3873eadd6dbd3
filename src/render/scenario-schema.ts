import type { z as Z } from "zod";
import type { Flow } from "../flow/types.js";
import { zod } from "../flow/zod.js";

/** The names a scenario file may use, from the flow: a misspelt one would assert nothing. */
export interface ScenarioNames {
  actions: readonly string[];
  documents: readonly string[];
  facts: readonly string[];
}

/** The actions, documents and facts of a flow (derived ones too: a reason may read one). */
export function scenarioNames(flow: Pick<Flow, "actions" | "documents" | "facts">): ScenarioNames {
  return {
    actions: flow.actions.map((a) => a.id),
    documents: [...flow.documents.keys()],
    facts: [...flow.facts.keys()],
  };
}

/**
 * A scenario file (scenarios/*.yaml): a case in, and what is expected out. The tests read
 * every scenario through this definition (test/helpers/flow.ts), and the published schema is
 * made from it (`z.toJSONSchema`, below), so the two cannot drift apart. Every key is known:
 * a misspelt `not_document:` fails the file instead of asserting nothing, and so does an
 * action, document or fact the flow does not have.
 */
export function scenarioZod(names: ScenarioNames) {
  const z = zod();
  // Each list once, under the schema's definitions (by its id), not written out at each use.
  const action = z
    .enum(names.actions as [string, ...string[]])
    .meta({ id: "step", description: "A step of the flow" });
  const document = z
    .enum(names.documents as [string, ...string[]])
    .meta({ id: "document", description: "A document of the flow" });
  const fact = z
    .enum(names.facts as [string, ...string[]])
    .meta({ id: "fact", description: "A fact of the catalogue" });
  const texts = z.array(z.string());
  // partialRecord: a scenario names some of the actions, never all of them.
  const byAction = <T extends Z.ZodType>(v: T) => z.partialRecord(action, v);
  const byDocument = <T extends Z.ZodType>(v: T) => z.partialRecord(document, v);
  return z.strictObject({
    name: z.string().describe("What the scenario is about, in a sentence: `safeguard demo` lists it"),
    today: z.iso.date().optional().describe("The day the case is decided on (YYYY-MM-DD)"),
    training: z
      .boolean()
      .optional()
      .describe("A training scenario: `safeguard demo` lists it, the training pack tells it"),
    story: z.string().optional().describe("The case as the room hears it"),
    case: z.record(z.string(), z.unknown()).describe("The case file, as `run --answers` takes it"),
    expect: z.strictObject({
      group: z.enum(["child", "adult", "none", "not-known"]).optional(),
      age: z.number().nullable().optional(),
      actions: byAction(z.iso.date().nullable())
        .optional()
        .describe("Steps recommended, each with its due date (null: no date)"),
      not: z.array(action).optional().describe("Steps not recommended"),
      documents: z.array(document).optional(),
      not_documents: z.array(document).optional(),
      warnings: texts.optional().describe("Kinds of warning given"),
      not_decided: z.array(action).optional(),
      due_rule_includes: byAction(z.string()).optional(),
      contacts: byAction(texts).optional(),
      warnings_include: texts.optional().describe("Text some warning contains"),
      not_warnings_include: texts.optional().describe("Text no warning contains"),
      titles: byAction(z.string()).optional().describe("The title a step shows"),
      because_includes: byAction(z.string()).optional().describe("Text one of a step's reasons contains"),
      not_because_includes: byAction(z.string())
        .optional()
        .describe("Text none of a step's reasons contains (the step is recommended)"),
      reads_as: byAction(z.array(fact)).optional().describe("Facts a step's reasons read as not known"),
      not_reads_as: byAction(z.array(fact))
        .optional()
        .describe("Facts a step's reasons do not read as not known (the step is recommended)"),
      overdue: byAction(z.number().int())
        .optional()
        .describe("Days overdue against `today` (0: not overdue)"),
      expected: z.array(action).optional().describe("Steps anticipated (issue 22)"),
      firm: z.array(action).optional().describe("Steps recommended as firm"),
      glance_includes: texts.optional(),
      glance_excludes: texts.optional(),
      calendar_includes: texts.optional(),
      calendar_excludes: texts.optional(),
      document_includes: byDocument(texts).optional().describe("Text a rendered draft contains"),
      document_excludes: byDocument(texts).optional().describe("Text a rendered draft does not contain"),
      asks: z.array(fact).optional().describe("Facts the wizard asks, one question at a time"),
      not_asks: z.array(fact).optional().describe("Facts the wizard does not ask"),
    }),
  });
}

/**
 * A training story file: a scenario the training pack tells (`training: true`), with the
 * story told to the room and the day it is told on, which the pack decides it as on.
 */
export function storyZod(names: ScenarioNames) {
  const z = zod();
  return scenarioZod(names).extend({
    training: z.literal(true).describe("A training story: the training pack tells it"),
    story: z.string().min(1).describe("The case as the room hears it"),
    today: z.iso
      .date()
      .describe("The day the story is told on (YYYY-MM-DD): the pack decides it as on that day"),
  });
}

/**
 * The JSON Schema (draft-07) of a scenario or story file: generated from the zod definition
 * above, with its `case:` said by the case schema (made from the fact catalogue, which zod
 * does not hold: render/case-schema.ts).
 */
export function scenarioSchema(
  which: "scenario" | "story",
  names: ScenarioNames,
  caseSchema: Record<string, unknown>,
): Record<string, unknown> {
  const z = zod();
  const generated = z.toJSONSchema(which === "story" ? storyZod(names) : scenarioZod(names), {
    target: "draft-7",
  }) as Record<string, unknown> & { properties: Record<string, unknown> };
  const { $schema: _, title: __, ...theCase } = caseSchema;
  return {
    $schema: generated.$schema,
    title: `safeguard ${which} file`,
    description:
      which === "story"
        ? "A training story: a scenario (name, case, expect) the training pack tells, with the story and the day it is told on."
        : "A scenario: a case in, and the actions, dates and documents expected out.",
    ...generated,
    properties: {
      ...generated.properties,
      case: { ...theCase, description: "The case, as a case file has it" },
    },
  };
}
