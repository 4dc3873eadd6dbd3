import { Environment } from "@marcbachmann/cel-js";
import type { Value } from "../engine/answers.js";
import { suggest } from "../flow/problems.js";
import type { Action, Flow } from "../flow/types.js";
import { say } from "../words/problems.js";
import { dueWords } from "./due-words.js";
import { saidIn, valueWords } from "./value-words.js";

/**
 * One part of the procedures as the decisions a practitioner makes: question -> answer ->
 * steps, read from the flow itself (each rule's condition, the questions that ask for its
 * facts, the named conditions' plain-words meanings). Pure: the same flow gives the same
 * tree. A rule is the AND of its tests; its tests, in the order the wizard asks their
 * questions, are a path from the part's start to the step, and rules that begin with the
 * same answers share the beginning of their path.
 */

/** One test a rule makes: a question and the answer the rule needs. */
export interface Test {
  /** What is asked: a fact id, `named:NAME`, `action:ID`, or the test as written. */
  key: string;
  question: string;
  answer: string;
  order: number;
}

/** A point on the paths: the steps recommended there, and the questions asked next. */
export interface Branch {
  steps: string[];
  questions: { key: string; question: string; answers: { answer: string; next: Branch }[] }[];
}

export interface Decisions {
  /** The part's name in `--section` (its file name: under-18). */
  key: string;
  title: string;
  /** Questions every path of the part asks first, with the one answer they all need. */
  given: { question: string; answer: string }[];
  root: Branch;
  /** The part's steps, by id, in flow order. */
  steps: ReadonlyMap<string, Action>;
  /** When each step is due, in the flow's words ("3 working days from the date of the referral"). */
  when: ReadonlyMap<string, string>;
}

interface AstNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

/** The name of a part in `--section`: its file's name without `.yaml` (under-18). */
export function partKey(action: Action): string {
  const base = action.origin.file.split(/[\\/]/).at(-1) ?? action.origin.file;
  return base.replace(/\.ya?ml$/, "");
}

/** Every part that holds steps, in flow order: key, section title. */
export function sectionKeys(flow: Flow): { key: string; title: string }[] {
  const out: { key: string; title: string }[] = [];
  for (const a of flow.actions) {
    const key = partKey(a);
    if (!out.some((s) => s.key === key)) out.push({ key, title: a.section });
  }
  return out;
}

/** The key for NAME, or an error message with "did you mean" and the list. */
export function findSection(flow: Flow, name: string): { key: string } | { error: string } {
  const keys = sectionKeys(flow);
  const want = name.trim().toLowerCase();
  const hit = keys.find((s) => s.key === want || s.title.toLowerCase() === want);
  if (hit) return { key: hit.key };
  const list = keys.map((s) => s.key);
  const hint = suggest(want, list) || ".";
  return { error: say.noSection(name, hint, list) };
}

const env = new Environment();

/** The decisions of one part (`key` from sectionKeys). */
export function decisions(flow: Flow, key: string): Decisions {
  const actions = flow.actions.filter((a) => partKey(a) === key);
  const first = actions[0];
  if (!first) throw new Error(`no part "${key}"`);
  const words = new Words(flow);
  const root: Branch = { steps: [], questions: [] };
  for (const a of actions) {
    const guard = a.appliesWhen ? words.tests(a.appliesWhen, -2) : [];
    for (const r of a.rules) {
      insert(root, merged([...guard, ...words.tests(r.when.source)]), a.id);
    }
  }
  const steps = new Map(actions.map((a) => [a.id, a]));
  const when = new Map(
    actions.map((a) => [a.id, dueWords(flow, a.due).replace(/ \(now, if that has passed\)$/, "")]),
  );
  return { key, title: first.section, ...folded([], root), steps, when };
}

/** A question every path asks, with one answer for all, is said once, at the start. */
export function folded(given: Decisions["given"], root: Branch): Pick<Decisions, "given" | "root"> {
  const out = [...given];
  let start = root;
  for (;;) {
    const [q, ...others] = start.questions;
    const only = q?.answers.length === 1 ? q.answers[0] : undefined;
    if (!q || !only || others.length > 0 || start.steps.length > 0) break;
    out.push({ question: q.question, answer: only.answer });
    start = only.next;
  }
  return { given: out, root: start };
}

/**
 * A rule's tests in the order their questions are asked, each question once: two tests of
 * one fact join ("Known" and "Yes" is "Yes"; otherwise both answers, joined by "and").
 */
function merged(tests: Test[]): Test[] {
  const out: Test[] = [];
  for (const t of tests) {
    const i = out.findIndex((x) => x.key === t.key);
    const was = out[i];
    if (!was) out.push(t);
    else if (was.answer === "Known" || was.answer === t.answer) out[i] = { ...was, answer: t.answer };
    else if (t.answer !== "Known") out[i] = { ...was, answer: `${was.answer}, and ${lowerFirst(t.answer)}` };
  }
  return out.sort((x, y) => x.order - y.order);
}

function insert(branch: Branch, tests: Test[], step: string): void {
  const [t, ...rest] = tests;
  if (!t) {
    if (!branch.steps.includes(step)) branch.steps.push(step);
    return;
  }
  let q = branch.questions.find((x) => x.key === t.key);
  if (!q) {
    q = { key: t.key, question: t.question, answers: [] };
    branch.questions.push(q);
  }
  let a = q.answers.find((x) => x.answer === t.answer);
  if (!a) {
    a = { answer: t.answer, next: { steps: [], questions: [] } };
    q.answers.push(a);
  }
  insert(a.next, rest, step);
}

/** What a test is about, and its answer in words. */
type Said = { subject: string; words: string };

/** Conditions in plain words, from the flow's questions, choices, facts and named conditions. */
class Words {
  private readonly order = new Map<string, number>();
  constructor(private readonly flow: Flow) {
    flow.questions.forEach((q, i) => {
      this.order.set(q.fact.id, i);
    });
  }

  /** The tests of a condition: each part of its top-level AND. */
  tests(source: string, order?: number): Test[] {
    const ast = env.parse(source).ast as AstNode;
    return conjuncts(ast).map((node) => this.test(node, source, order));
  }

  private test(node: AstNode, source: string, order?: number): Test {
    const parts = disjuncts(node).map((d) => this.said(d, false));
    const subjects = new Set(parts.map((p) => p?.subject));
    const only = parts[0];
    if (only && subjects.size === 1 && parts.every((p) => p)) {
      // "Not known" said last: "No, or not known".
      const said = parts.map((p) => p?.words as string);
      const ordered = [...said.filter((w) => w !== "Not known"), ...said.filter((w) => w === "Not known")];
      const words = ordered.map((w, i) => (i === 0 ? w : lowerFirst(w))).join(", or ");
      return {
        key: only.subject,
        question: this.question(only.subject),
        answer: words,
        order: order ?? this.orderOf(only.subject),
      };
    }
    const text =
      parts.every((p) => p) && parts.length > 1
        ? `${parts.map((p) => this.statement(p as Said)).join(", or ")}?`
        : `${source.slice(node.start ?? 0, node.end ?? source.length).replace(/\s+/g, " ")}?`;
    const subjectOrders = [...subjects].filter((s): s is string => !!s).map((s) => this.orderOf(s));
    return {
      key: text,
      question: upperFirst(text),
      answer: "Yes",
      order: order ?? (subjectOrders.length ? Math.min(...subjectOrders) : 500),
    };
  }

  /** One test as a statement, for a question that joins tests of different things. */
  private statement(s: Said): string {
    const no = s.words === "No" || s.words === "Not known";
    if (s.subject.startsWith("named:")) {
      const meaning = this.flow.conditions.get(s.subject.slice(6))?.meaning ?? s.subject.slice(6);
      return no ? `it is not so that ${lowerFirst(meaning)}` : meaning;
    }
    if (s.subject.startsWith("action:")) {
      const title = lowerFirst(this.flow.actionById.get(s.subject.slice(7))?.title ?? s.subject.slice(7));
      return no ? `not already recommended: ${title}` : `already recommended: ${title}`;
    }
    const label = lowerFirst(this.flow.facts.get(s.subject)?.label ?? s.subject);
    // Said as a person asks it: "the date of the last meeting is recorded", never "… is known, or not: …".
    if (s.words === "Known") return `${label} is recorded`;
    if (s.words === "Not known") return `${label} is not recorded`;
    if (s.words === "Yes") return `${label}: yes`;
    if (s.words === "No") return `${label}: no`;
    return `${label}: ${lowerFirst(s.words)}`;
  }

  private question(subject: string): string {
    if (subject.startsWith("named:")) {
      const n = this.flow.conditions.get(subject.slice(6));
      return `${upperFirst(n?.meaning ?? subject.slice(6))}?`;
    }
    if (subject.startsWith("action:")) {
      const a = this.flow.actionById.get(subject.slice(7));
      return `Already recommended: ${lowerFirst(a?.title ?? subject.slice(7))}?`;
    }
    const q = this.flow.questions.find((x) => x.fact.id === subject);
    return q?.ask ?? `${this.flow.facts.get(subject)?.label ?? subject}?`;
  }

  private orderOf(subject: string): number {
    if (subject.startsWith("action:")) return 1000;
    if (subject.startsWith("named:")) {
      const n = this.flow.conditions.get(subject.slice(6));
      const orders = (n?.when.facts ?? []).map((f) => this.order.get(f) ?? -1);
      return orders.length ? Math.min(...orders) : 500;
    }
    // Facts the engine works out (the pathway: child or adult) come before any question.
    return this.order.get(subject) ?? -1;
  }

  /** A value in a condition as a person says it (valueWords), starting a sentence. */
  private valueWords(fact: string, value: unknown): string {
    return upperFirst(valueWords(saidIn(this.flow, fact), value as Value));
  }

  /**
   * A fact known and not one of `values`, as a person says it: the other answers it can
   * have ("Child, or adult, or not known" rather than "Not none"; "Exploitation, or …"
   * rather than "Not not open"), or, where the answers are not listed, "Anything but …".
   */
  private otherThan(fact: string, values: readonly unknown[]): string {
    const all = this.flow.questions.find((x) => x.fact.id === fact)?.choices;
    const known = all ? Object.keys(all) : (this.flow.facts.get(fact)?.values ?? []);
    const others = known.filter((v) => !values.map(String).includes(v));
    if (others.length > 0 && others.length <= 4)
      return others
        .map((v, i) => (i === 0 ? this.valueWords(fact, v) : lowerFirst(this.valueWords(fact, v))))
        .join(", or ");
    const words = values.map((v) => `"${lowerFirst(this.valueWords(fact, v))}"`).join(" or ");
    return `Anything but ${words}`;
  }

  /** A test of one thing (a fact, a named condition, a step) in words, or null. */
  private said(n: AstNode, negated: boolean): Said | null {
    const args = n.args as AstNode[];
    switch (n.op) {
      case "!_":
        return this.said(n.args as AstNode, !negated);
      case "&&":
      case "||":
        return this.joined(n, negated);
      case ".": {
        const fact = factOf(n);
        return fact ? { subject: fact, words: negated ? "No" : "Yes" } : null;
      }
      case "id":
        return typeof n.args === "string" && this.flow.conditions.has(n.args)
          ? { subject: `named:${n.args}`, words: negated ? "No" : "Yes" }
          : null;
      case "[]": {
        const key = args[1];
        if (args[0]?.op === "id" && args[0].args === "recommends" && key?.op === "value")
          return { subject: `action:${String(key.args)}`, words: negated ? "No" : "Yes" };
        return null;
      }
      case "call": {
        const [name, inner] = n.args as [string, AstNode[]];
        const fact = name === "has" ? factOf(inner[0]) : undefined;
        return fact ? { subject: fact, words: negated ? "Not known" : "Known" } : null;
      }
      case "==":
      case "!=": {
        const fact = factOf(args[0]);
        if (!fact || args[1]?.op !== "value") return null;
        const not = (n.op === "!=") !== negated;
        const words = this.valueWords(fact, args[1].args);
        return { subject: fact, words: not ? this.otherThan(fact, [args[1].args]) : words };
      }
      case "in":
        return this.membership(args, negated);
      case ">=":
      case ">":
      case "<":
      case "<=": {
        const sized = sizeOf(args[0]);
        if (sized && args[1]?.op === "value" && Number(args[1].args) === 0 && n.op === ">")
          return { subject: sized, words: negated ? "None" : "Any" };
        const fact = factOf(args[0]);
        if (!fact || args[1]?.op !== "value") return null;
        const v = Number(args[1].args);
        const op = negated ? ({ ">=": "<", ">": "<=", "<": ">=", "<=": ">" } as const)[n.op] : n.op;
        const words = { ">=": `${v} or over`, ">": `Over ${v}`, "<": `Under ${v}`, "<=": `${v} or under` }[
          op
        ];
        return { subject: fact, words: upperFirst(words) };
      }
      case "rcall": {
        const [name, target, margs] = n.args as [string, AstNode, AstNode[]];
        const fact = factOf(target);
        const body = margs?.[1];
        if (name !== "exists" || !fact || body?.op !== "in") return null;
        const list = (body.args as AstNode[])[1];
        if (list?.op !== "list") return null;
        const values = (list.args as AstNode[]).map((v) => this.valueWords(fact, v.args));
        return { subject: fact, words: `${negated ? "None of" : "Any of"}: ${values.join(", ")}` };
      }
      default:
        return null;
    }
  }

  /** An AND or OR of tests of one thing (De Morgan under a NOT), or null. */
  private joined(n: AstNode, negated: boolean): Said | null {
    const parts = (n.args as AstNode[]).map((x) => this.said(x, negated));
    const first = parts[0];
    if (!first || parts.some((p) => p?.subject !== first.subject)) return null;
    const or = (n.op === "||") !== negated;
    let words = parts.map((p) => p?.words as string);
    // "Known and yes" is "Yes".
    if (!or && words.length > 1) words = words.filter((w) => w !== "Known");
    const ordered = [...words.filter((w) => w !== "Not known"), ...words.filter((w) => w === "Not known")];
    const said = ordered.map((w, i) => (i === 0 ? w : lowerFirst(w))).join(or ? ", or " : ", and ");
    return { subject: first.subject, words: said };
  }

  private membership(args: AstNode[], negated: boolean): Said | null {
    const [a, b] = args;
    if (a?.op === "value" && b?.op === "id" && b.args === "recommends")
      return { subject: `action:${String(a.args)}`, words: negated ? "Not known" : "Known" };
    const fact = factOf(a);
    if (fact && b?.op === "list") {
      const values = (b.args as AstNode[]).map((v) => this.valueWords(fact, v.args));
      const words = values.map((w, i) => (i === 0 ? w : lowerFirst(w))).join(", or ");
      return {
        subject: fact,
        words: negated
          ? this.otherThan(
              fact,
              (b.args as AstNode[]).map((v) => v.args),
            )
          : words,
      };
    }
    const list = factOf(b);
    if (list && a?.op === "value") {
      const words = this.valueWords(list, a.args);
      return { subject: list, words: `${negated ? "Not including" : "Including"} ${lowerFirst(words)}` };
    }
    return null;
  }
}

function factOf(n: AstNode | undefined): string | undefined {
  if (n?.op !== ".") return undefined;
  const [target, field] = n.args as [AstNode, string];
  return target?.op === "id" ? `${String(target.args)}.${field}` : undefined;
}

/** The list fact of `size(fact)`. */
function sizeOf(n: AstNode | undefined): string | undefined {
  if (n?.op !== "call") return undefined;
  const [name, inner] = n.args as [string, AstNode[]];
  return name === "size" ? factOf(inner[0]) : undefined;
}

function conjuncts(n: AstNode): AstNode[] {
  return n.op === "&&" ? (n.args as AstNode[]).flatMap(conjuncts) : [n];
}

function disjuncts(n: AstNode): AstNode[] {
  return n.op === "||" ? (n.args as AstNode[]).flatMap(disjuncts) : [n];
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  // Keep a capital that starts a name or an acronym ("MASH", "NRM", "Children's").
  // A first word with another capital in it ("Multi-Agency") is a name too.
  // So is one followed by a capitalised word ("Care Act").
  const [word = "", next = ""] = s.split(" ");
  return /^[A-Z]([a-z]| )/.test(s) &&
    !/[A-Z]/.test(word.slice(1)) &&
    !/^[A-Z]/.test(next) &&
    !/^(I|Children|Adult|Early|Exploitation|Level)\b/.test(s)
    ? s.charAt(0).toLowerCase() + s.slice(1)
    : s;
}
