import { Chalk } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";

/**
 * The wizard's screens, as text: pure renderings of the engine's pathway (style.md §9:
 * the "why" is the rule that fired, its facts and citation, never a second explanation).
 */

/** The pathway at a glance: warnings first, then actions in order with due dates and contacts. */
export function pathwayScreen(p: Pathway, colour: boolean): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines: string[] = [];
  const age = p.person.age === null ? "age not known" : `age ${p.person.age}`;
  lines.push(
    "",
    c.bold(`Case ${p.caseId}: ${age}, ${p.person.group} pathway (concern ${formatLong(p.referenceDate)})`),
  );
  lines.push(c.dim(`${p.flow.name}, version ${p.flow.version}`));
  const important = p.warnings.filter((w) => w.kind !== "currency" && w.kind !== "not-decided");
  if (important.length > 0) {
    lines.push("", c.yellow.bold("Check:"));
    for (const w of important) {
      lines.push(`  ${c.yellow("!")} ${w.text}`);
      if (w.suggestion) lines.push(`    ${c.dim(`suggest: ${w.suggestion}`)}`);
    }
  }
  lines.push("", c.bold("Recommended pathway:"));
  p.actions.forEach((a, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${c.bold(a.title)}  ${c.cyan(`[${a.id}]`)}`);
    lines.push(
      `      due: ${a.due ? c.green(formatLong(a.due)) : c.dim("no date set")}  ${c.dim(`(${a.dueRule})`)}`,
    );
    for (const ct of a.contacts) {
      const how = [ct.phone, ct.email, ct.web].filter(Boolean).join(", ");
      lines.push(`      contact: ${ct.name}${how ? `: ${how}` : ""}`);
    }
  });
  if (p.actions.length === 0) lines.push("  (none yet: see what is not known below)");
  if (p.undecided.length > 0) {
    lines.push("", c.bold("Not decided yet: these facts are not known, and would decide more steps:"));
    for (const u of p.undecided) {
      const needs = u.needs.map((n) => (n.startsWith("@") ? `whether ${n.slice(1)} is recommended` : n));
      lines.push(`  - ${u.title}: ${c.dim(needs.join(" or "))}`);
    }
  }
  if (p.currency.length > 0) {
    lines.push("", c.bold("Where national guidance has moved on:"));
    for (const n of p.currency)
      lines.push(`  - ${n.topic}: procedures say ${n.seeds}; now ${n.national} (${n.source})`);
  }
  return `${lines.join("\n")}\n`;
}

function factWords(v: Value | null): string {
  if (v === null) return "not known";
  if (Array.isArray(v)) return v.length === 0 ? "none" : v.join(", ");
  return String(v);
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
