/**
 * A template's parse as plain data (issue 25): what src/render/liquid-closures.ts builds a
 * template's function from, made from liquidjs's own parse. The build keeps it for each
 * bundled template in the flow's image (src/io/flow-image.ts), so that a run renders its
 * drafts without parsing any Liquid; liquidjs parses a template only when the function
 * leaves it a draft to render. Plain data only (V8's serializer keeps it): names, texts,
 * literals, and liquidjs's operators and filters by name.
 */

/** A value read in an expression, as liquidjs's tokens give it. */
export type OperandPlan =
  /** A string, number or true/false, as written. */
  | { c: string | number | boolean }
  /** One of liquidjs's literals that is a drop (nil, null, empty, blank), by its word. */
  | { word: string }
  /** A name: its first key a word, each key after it literal or read from another name. */
  | { props: OperandPlan[] };

/** A step of an expression in postfix order: an operand, or an operator by name. */
export type StepPlan = OperandPlan | { op: string };

/** An expression and the filters after it, each filter by name with its arguments. */
export interface ValuePlan {
  expr: StepPlan[];
  filters: { name: string; args: OperandPlan[] }[];
}

/** One tag, text or output. */
export type NodePlan =
  | { t: "text"; s: string }
  | { t: "out"; v: ValuePlan }
  | { t: "if"; branches: { v: ValuePlan; falsy: boolean; body: NodePlan[] }[]; else: NodePlan[] }
  | { t: "case"; v: ValuePlan; branches: { values: OperandPlan[]; body: NodePlan[] }[]; else: NodePlan[] }
  | { t: "for"; name: string; items: OperandPlan; text: string; body: NodePlan[]; else: NodePlan[] }
  | { t: "assign"; key: string; v: ValuePlan }
  | { t: "capture"; key: string; body: NodePlan[] }
  | { t: "include"; file: string };

export type TemplatePlan = NodePlan[];

/**
 * The plans the build made for a flow's templates, by each template's text, kept by the
 * flow's map of templates (the key its Liquid engine is kept by, src/render/documents.ts).
 * Set only for a flow from the image, whose texts are exactly those the plans were made from.
 */
const plans = new WeakMap<ReadonlyMap<string, string>, () => ReadonlyMap<string, TemplatePlan>>();

/**
 * Keep the plans BYTEXT gives for TEMPLATES: asked for when a template is first planned, and
 * once (a run that renders no draft never reads the image's plans: issue 25).
 */
export function keepPlans(
  templates: ReadonlyMap<string, string>,
  byText: () => ReadonlyMap<string, TemplatePlan>,
) {
  let read: ReadonlyMap<string, TemplatePlan> | undefined;
  plans.set(templates, () => {
    read ??= byText();
    return read;
  });
}

/** The build's plan of TEXT, one of TEMPLATES' texts; undefined when there is none. */
export function planOf(templates: ReadonlyMap<string, string>, text: string): TemplatePlan | undefined {
  return plans.get(templates)?.()?.get(text);
}
