import type { z as Z } from "zod";
import { zod } from "./zod.js";

// The shape of the YAML files under flows/. Names are resolved later, in compile.ts. The
// schemas are built on first use (flowSchemas()): a file the build has checked already is not
// checked again (src/flow/read.ts), so a run on the bundled flows never loads zod (issue 10).

type DueRaw =
  | "immediately"
  | { none: string }
  | { working_days: number; from: string[] }
  | { calendar_days: number; from: string[] }
  | { weeks: number; from: string[] }
  | { on: string[] }
  | { age: { years: number; months?: number | undefined }; or_now?: boolean | undefined }
  | { earliest: DueRaw[] };

export type DueSpec = DueRaw;

type Zod = typeof Z;

/** facts.yaml: what each fact is, asked or derived. */
function factsSchemas(z: Zod) {
  const factType = z.enum(["string", "text", "date", "int", "bool", "enum", "list"]);

  const factDefSchema = z.strictObject({
    type: factType,
    values: z.array(z.string()).optional(),
    label: z.string(),
    meaning: z.string().optional(),
    personal: z.boolean().optional(),
    /** Personal data of someone other than the person (the referrer): withheld by --redact. */
    redact: z.boolean().optional(),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    /** The choice that means "not known": read exactly as the fact left out (procedure-map §1). */
    not_known: z.string().optional(),
    /** What a rule that fires without this fact takes it to mean (shown in "why"). */
    when_not_known: z.string().optional(),
    /** A list's values that stand alone ("no" among reasons): never given with another value. */
    alone: z.array(z.string()).min(1).optional(),
    /** A derived fact: the facts it is worked out from, asked for in its place while it is not known. */
    from: z.array(z.string()).min(1).optional(),
  });

  const factsFileSchema = z.strictObject({
    version: z.string(),
    facts: z.record(z.string(), factDefSchema),
    derived: z.record(z.string(), factDefSchema).optional(),
  });
  return { factDefSchema, factsFileSchema };
}

/** When a step is due: a rule of dates, or the earliest of several. */
function dueSchemaOf(z: Zod): Z.ZodType<DueRaw> {
  /** Where a date is counted from: a date fact, or "@action-id" for that action's due date. */
  const fromList = z.array(z.string()).min(1);

  const dueSchema: Z.ZodType<DueRaw> = z.lazy(() =>
    z.union([
      z.literal("immediately"),
      z.strictObject({ none: z.string() }),
      z.strictObject({ working_days: z.number().int().min(0), from: fromList }),
      z.strictObject({ calendar_days: z.number().int().min(0), from: fromList }),
      z.strictObject({ weeks: z.number().int().min(0), from: fromList }),
      z.strictObject({ on: fromList }),
      z.strictObject({
        age: z.strictObject({
          years: z.number().int().min(0),
          months: z.number().int().min(0).max(11).optional(),
        }),
        or_now: z.boolean().optional(),
      }),
      z.strictObject({ earliest: z.array(dueSchema).min(2) }),
    ]),
  );
  return dueSchema;
}

/** One rule of an action: when it fires, why, and what it changes about the step. */
function ruleSchemaOf(z: Zod, dueSchema: Z.ZodType<DueRaw>) {
  return z.strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens")
      .optional(),
    when: z.string().min(1),
    because: z.string().min(1),
    /** What the step says when this rule recommends it: the same step by another route. */
    title: z.string().min(1).optional(),
    cite: z.string().optional(),
    due: dueSchema.optional(),
    note: z.string().optional(),
    /**
     * The step is anticipated, not decided: the strategy discussion (or whoever decides it)
     * has not yet agreed (procedure map § Under 18). Marked "expected" wherever it appears,
     * a tentative event in the calendar, never overdue.
     */
    expected: z.boolean().optional(),
    contacts: z.array(z.string()).optional(),
    /** Who does the step when this rule fires, where that is not the action's `by` (a team in the locality file). */
    by: z.string().optional(),
  });
}

/** An action: a step of the pathway, recommended by any of its rules. */
function actionSchemaOf(z: Zod, dueSchema: Z.ZodType<DueRaw>, ruleSchema: ReturnType<typeof ruleSchemaOf>) {
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens"),
    title: z.string().min(1),
    detail: z.string().optional(),
    cite: z.string().min(1),
    due: dueSchema,
    documents: z.array(z.string()).optional(),
    contacts: z.array(z.string()).optional(),
    /**
     * Who does the step, when it is another team's and not the lead's (a team in the locality
     * file): the pathway marks it as theirs ("by Children's Services").
     */
    by: z.string().optional(),
    /**
     * A step of the children's procedures: for a child, a due date on or after the 18th
     * birthday is flagged, since from 18 the matter goes to adult safeguarding (Procedures §20.7).
     */
    until_18: z.boolean().optional(),
    /**
     * The date is when something ends, not a step to do by then, in the words that go before
     * it ("support until at least"): never overdue, and so on the glance, in drafts and the calendar.
     */
    until: z.string().min(1).optional(),
    /**
     * The facts that show the step done without marking (issue 26): done when any of
     * `shown_by` is given as happened (yes, a date, a choice), on the date `date` gives (as
     * given: a default is not a date anything was done on). A policy change is an edit here.
     */
    done_when: z
      .strictObject({ shown_by: z.array(z.string()).min(1), date: z.string().optional() })
      .optional(),
    rules: z.array(ruleSchema).min(1),
  });
}

/** A question: the fact it asks for, its words, and when it is asked. */
function questionSchemaOf(z: Zod) {
  return z.strictObject({
    fact: z.string(),
    ask: z.string().min(1),
    help: z.string().optional(),
    cite: z.string().optional(),
    when: z.string().optional(),
    choices: z.record(z.string(), z.string()).optional(),
    not_known: z.boolean().optional(),
    /** What "not known" means for this question, e.g. "Not held yet". */
    not_known_label: z.string().optional(),
    always: z.boolean().optional(),
    /** The id of a group in this part: its questions are asked together, on one screen. */
    group: z.string().optional(),
    /**
     * The answer that opens it (issue 21): asked only once this fact is known to be yes (a yes /
     * no fact) or one of `values` (a choice or list); "not known" keeps it closed.
     */
    gate: z
      .strictObject({
        fact: z.string(),
        values: z.array(z.string()).min(1).optional(),
      })
      .optional(),
    /**
     * Asked in the wizard's round "for the drafts" (issue 21) when a draft to be written reads
     * its fact and it is not answered yet; with `when`, only where that holds too (it may read
     * `recommends`, as the pathway decided it).
     */
    drafts: z.union([z.literal(true), z.strictObject({ when: z.string() })]).optional(),
    /**
     * An answer that can change with time (issue 26): a meeting held, a decision made, a missing
     * episode. `safeguard update` asks these first, on the case's saved answers.
     */
    over_time: z.boolean().optional(),
  });
}

/** Questions a lead answers together, one row each, on one screen (the rows' facts keep their own words). */
function questionGroupSchemaOf(z: Zod) {
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens"),
    heading: z.string().min(1),
    help: z.string().optional(),
    cite: z.string().optional(),
  });
}

/** A document: a draft written from a template. */
function documentSchemaOf(z: Zod) {
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens"),
    title: z.string(),
    template: z.string(),
    /** Never put identifying details of the person into this document (duty to notify). */
    anonymous: z.boolean().optional(),
    /**
     * Who reads it: `sent` to another agency (carries nothing for the lead's eyes only), or
     * kept as a `record`.
     */
    audience: z.enum(["sent", "record"]),
  });
}

/** A check: a caution, a conflict or something missing, said when its condition holds. */
function checkSchemaOf(z: Zod) {
  return z.strictObject({
    id: z.string(),
    when: z.string(),
    kind: z.enum(["conflict", "missing", "caution", "age"]),
    text: z.string(),
    cite: z.string().optional(),
  });
}

/** A currency note: where national guidance has moved on since the procedures, and when that was checked. */
function currencySchemaOf(z: Zod) {
  return z.strictObject({
    id: z.string(),
    topic: z.string(),
    seeds: z.string(),
    national: z.string(),
    source: z.string(),
    checked: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "use YYYY-MM or YYYY-MM-DD"),
    /** Shown when any of these actions is recommended; with none, shown for every case. */
    actions: z.array(z.string()).optional(),
    /** And only where this holds (a CEL condition over the facts); shown while it is not decided. */
    applies: z.string().optional(),
  });
}

/** A fact that other facts settle: set when it is not given, said when it disagrees. */
function implicationSchemaOf(z: Zod) {
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens"),
    when: z.string(),
    /** Fact id to its settled value; `{ at_least: N }` for a whole number known only from below. */
    settles: z.record(
      z.string(),
      z.union([z.string(), z.boolean(), z.number(), z.strictObject({ at_least: z.number().int() })]),
    ),
    because: z.string(),
    cite: z.string(),
  });
}

/** A named condition: an expression rules share, said in plain words, with its citation. */
function conditionSchemaOf(z: Zod) {
  return z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, "use lower-case letters, digits and underscores"),
    meaning: z.string().min(1),
    cite: z.string().min(1),
    when: z.string().min(1),
  });
}

/** The sections a part is made of, each built on its own. */
interface PartSections {
  questionSchema: ReturnType<typeof questionSchemaOf>;
  questionGroupSchema: ReturnType<typeof questionGroupSchemaOf>;
  actionSchema: ReturnType<typeof actionSchemaOf>;
  documentSchema: ReturnType<typeof documentSchemaOf>;
  checkSchema: ReturnType<typeof checkSchemaOf>;
  currencySchema: ReturnType<typeof currencySchemaOf>;
  implicationSchema: ReturnType<typeof implicationSchemaOf>;
  conditionSchema: ReturnType<typeof conditionSchemaOf>;
}

/** A part file: one section of the procedures, its sections' lists all optional. */
function partSchemaOf(z: Zod, s: PartSections) {
  return z.strictObject({
    section: z.string(),
    cite: z.string().optional(),
    /** A condition every rule of the part also needs (ANDed in at load). */
    applies_when: z.string().optional(),
    questions: z.array(s.questionSchema).optional(),
    groups: z.array(s.questionGroupSchema).optional(),
    actions: z.array(s.actionSchema).optional(),
    documents: z.array(s.documentSchema).optional(),
    checks: z.array(s.checkSchema).optional(),
    currency: z.array(s.currencySchema).optional(),
    implications: z.array(s.implicationSchema).optional(),
    conditions: z.array(s.conditionSchema).optional(),
  });
}

/** A flow file: its name and version, its facts file and its parts in order. */
function flowFileSchemaOf(z: Zod) {
  return z.strictObject({
    flow: z.strictObject({
      id: z.string(),
      name: z.string(),
      version: z.string(),
      description: z.string().optional(),
      source: z.string().optional(),
    }),
    facts: z.string(),
    parts: z.array(z.string()).min(1),
  });
}

/** A locality file: its contacts and the teams that do the steps that are not the lead's. */
function localitySchemaOf(z: Zod) {
  return z.strictObject({
    locality: z.strictObject({ id: z.string(), name: z.string(), area: z.string().optional() }),
    contacts: z.record(
      z.string(),
      z.strictObject({
        name: z.string(),
        email: z.string().optional(),
        phone: z.string().optional(),
        web: z.string().optional(),
        note: z.string().optional(),
        cite: z.string(),
      }),
    ),
    /** Who does the steps that are not the lead's, in the words "by …" takes ("the Exploitation Team"). */
    teams: z.record(z.string(), z.strictObject({ name: z.string().min(1), cite: z.string() })).optional(),
  });
}

/** Every schema, each section built on its own and the part composed of them. */
function build(z: Zod) {
  const { factDefSchema, factsFileSchema } = factsSchemas(z);
  const dueSchema = dueSchemaOf(z);
  const ruleSchema = ruleSchemaOf(z, dueSchema);
  const actionSchema = actionSchemaOf(z, dueSchema, ruleSchema);
  const sections: PartSections = {
    questionSchema: questionSchemaOf(z),
    questionGroupSchema: questionGroupSchemaOf(z),
    actionSchema,
    documentSchema: documentSchemaOf(z),
    checkSchema: checkSchemaOf(z),
    currencySchema: currencySchemaOf(z),
    implicationSchema: implicationSchemaOf(z),
    conditionSchema: conditionSchemaOf(z),
  };
  return {
    factDefSchema,
    factsFileSchema,
    dueSchema,
    ruleSchema,
    ...sections,
    partSchema: partSchemaOf(z, sections),
    flowFileSchema: flowFileSchemaOf(z),
    localitySchema: localitySchemaOf(z),
  };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;

/** The schemas of the files under flows/, built (and zod loaded) when first asked for. */
export function flowSchemas(): Schemas {
  built ??= build(zod());
  return built;
}

export type FactDefRaw = Z.infer<Schemas["factDefSchema"]>;
export type ImplicationRaw = Z.infer<Schemas["implicationSchema"]>;
export type ConditionRaw = Z.infer<Schemas["conditionSchema"]>;
export type ActionRaw = Z.infer<Schemas["actionSchema"]>;
export type QuestionRaw = Z.infer<Schemas["questionSchema"]>;
export type PartRaw = Z.infer<Schemas["partSchema"]>;
export type LocalityRaw = Z.infer<Schemas["localitySchema"]>;
export type FactsFileRaw = Z.infer<Schemas["factsFileSchema"]>;
export type FlowFileRaw = Z.infer<Schemas["flowFileSchema"]>;
