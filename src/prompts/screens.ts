import { Chalk } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import { terminalSafe } from "../render/inert.js";
import { pathwayText } from "../render/text.js";

/**
 * The wizard's screens, as text: pure renderings of the engine's pathway (style.md §9:
 * the "why" is the rule that fired, its facts and citation, never a second explanation).
 */

/** The pathway at a glance: the same rendering as `run`, with "why" left for its own screen. */
export function pathwayScreen(p: Pathway, colour: boolean): string {
  return `\n${pathwayText(p, { colour, why: false })}`;
}

function factWords(v: Value | null): string {
  if (v === null) return "not known";
  if (Array.isArray(v)) return v.length === 0 ? "none" : v.map((x) => terminalSafe(x)).join(", ");
  return terminalSafe(String(v));
}

/** Why one action is recommended: each rule that fired, the facts it read, its citation. */
export function whyScreen(a: Recommendation, colour: boolean): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines = ["", `${c.bold(a.title)} ${c.cyan(`[${a.id}]`)}  ${c.dim(a.citation)}`];
  if (a.detail) lines.push(`  ${a.detail}`);
  lines.push("  Recommended because:");
  for (const b of a.because) {
    lines.push(`  - ${b.because} ${c.dim(`(${b.cite})`)}`);
    const facts = Object.entries(b.facts).map(([k, v]) => `${k} = ${factWords(v)}`);
    if (facts.length > 0) lines.push(`    ${c.dim(`from: ${facts.join("; ")}`)}`);
    if (b.note) lines.push(`    ${c.dim(`note: ${b.note}`)}`);
  }
  lines.push(`  Due: ${a.due ? formatLong(a.due) : "no date set"} (${a.dueRule})`);
  if (a.documents.length > 0) lines.push(`  Drafts: ${a.documents.map((d) => `${d}.md`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}
