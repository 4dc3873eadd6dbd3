import { Chalk } from "chalk";
import { formatLong } from "../engine/dates.js";
import { needWords, notKnownReadings, type Pathway } from "../engine/decide.js";

/** "overdue (3 days)": a due date before today (the run's --date, or the real date). */
export function overdueWords(days: number): string {
  return `overdue (${days} day${days === 1 ? "" : "s"})`;
}

import { terminalSafe as t, terminalText } from "./inert.js";
import { monthWords, REDACTED_NOTE } from "./redact.js";

/**
 * The pathway for a terminal: actions in order, dates, contacts; warnings first. `why`
 * adds each action's reasons (the wizard shows them on request instead); `folder` is where
 * the files were written (null: say how to write them; undefined: say nothing).
 */
export function pathwayText(
  p: Pathway,
  opts: { colour: boolean; folder?: string | null; why?: boolean; docx?: boolean },
): string {
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const lines: string[] = [];
  const age = p.person.ageBand ?? (p.person.age === null ? "age not known" : `${p.person.age}`);
  const who =
    p.person.group === "none"
      ? "a concern about a peer group, place or online space"
      : `${age}, ${p.person.group} pathway`;
  lines.push(c.bold(`Case ${t(p.caseId)}: ${who} (concern ${formatLong(p.referenceDate)})`));
  lines.push(c.dim(`${p.flow.name}, version ${p.flow.version}`));
  if (p.redacted) lines.push(c.dim(REDACTED_NOTE));
  const important = p.warnings.filter((w) => w.kind !== "currency" && w.kind !== "not-decided");
  if (important.length > 0) {
    lines.push("", c.yellow.bold("Check:"));
    for (const w of important) {
      lines.push(`  ${c.yellow("!")} ${t(w.text)}`);
      if (w.suggestion) lines.push(`    ${c.dim(`suggest: ${t(w.suggestion)}`)}`);
    }
  }
  lines.push("", c.bold("Recommended pathway:"));
  p.actions.forEach((a, i) => {
    const due = a.due ? formatLong(a.due) : a.dueMonth ? `in ${monthWords(a.dueMonth)}` : "no date set";
    lines.push(`  ${String(i + 1).padStart(2)}. ${c.bold(a.title)}  ${c.cyan(`[${a.id}]`)}`);
    const late = a.daysOverdue > 0 ? ` ${c.red.bold(overdueWords(a.daysOverdue))}` : "";
    lines.push(
      `      due: ${a.due || a.dueMonth ? c.green(due) : c.dim(due)}${late}  ${c.dim(`(${a.dueRule})`)}`,
    );
    if (opts.why !== false)
      for (const b of a.because) lines.push(`      why: ${b.because} ${c.dim(`(${b.cite})`)}`);
    for (const ct of a.contacts) {
      const how = [ct.phone, ct.email, ct.web].filter(Boolean).join(", ");
      lines.push(`      contact: ${ct.name}${how ? `: ${how}` : ""}`);
    }
  });
  if (p.actions.length === 0) lines.push("  (none yet: see what is not known above)");
  if (p.undecided.length > 0) {
    lines.push("", c.bold("Not decided yet: these facts are not known, and would decide more steps:"));
    const byFact = new Map<string, string[]>();
    for (const u of p.undecided) {
      const key = u.needs.map(needWords).join(" or ");
      byFact.set(key, [...(byFact.get(key) ?? []), u.id]);
    }
    for (const [fact, ids] of byFact) lines.push(`  - ${fact}: ${c.dim(ids.join(", "))}`);
  }
  if (p.implied.length > 0) {
    lines.push("", c.bold("Settled by other facts:"));
    for (const i of p.implied)
      lines.push(
        `  - ${i.fact}: ${i.atLeast ? "at least " : ""}${t(String(i.value))}, because ${i.because} ${c.dim(`(${i.cite})`)}`,
      );
  }
  const readings = notKnownReadings(p);
  if (readings.length > 0) {
    lines.push("", c.bold("Not known, and taken to mean:"));
    for (const r of readings) lines.push(`  - ${r.fact}: ${r.readsAs} ${c.dim(`[${r.actions.join(", ")}]`)}`);
  }
  if (p.currency.length > 0) {
    lines.push("", c.bold("Where national guidance has moved on:"));
    for (const n of p.currency)
      lines.push(`  - ${n.topic}: procedures say ${n.seeds}; now ${n.national} (${n.source})`);
  }
  if (opts.folder)
    lines.push(
      "",
      `Written to ${t(opts.folder)}/ (owner-only): case-summary.md, before-you-send.md, pathway.json, deadlines.ics, pathway.svg${p.documents.length ? `, ${p.documents.map((d) => `${d}.md`).join(", ")}` : ""}${opts.docx ? "; and each draft and the case summary as .docx" : ""}`,
    );
  else if (opts.folder === null)
    lines.push("", c.dim("Add --out DIR to write the case summary, the drafts and deadlines.ics."));
  return terminalText(`${lines.join("\n")}\n`);
}
