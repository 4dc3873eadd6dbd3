import type { Question } from "../flow/types.js";
import { checkText, type Lexicon, MAX_FINDINGS } from "../language/check.js";
import { choose } from "./menu.js";
import { say, type Term } from "./term.js";
import type { Asked } from "./types.js";

/**
 * Free text: victim-blaming language is flagged (Procedures §7) with suggestions; a warning,
 * never a block.
 */

/** The lexicon, loaded on first use, and whether its expressions are warmed up yet. */
export interface Nudge {
  lexicon?: (() => Lexicon | undefined) | undefined;
  warmed: boolean;
}

/**
 * The language check's first two runs compile its expressions (V8 compiles a regular
 * expression on first use and again, faster, on the second): done once while the first
 * question is on screen, so no free-text answer waits for it.
 */
export function warmUp(nudge: Nudge): void {
  if (nudge.warmed) return;
  nudge.warmed = true;
  setTimeout(() => {
    try {
      const lexicon = nudge.lexicon?.();
      if (lexicon) for (let i = 0; i < 2; i++) checkText("warm up", lexicon, 1);
    } catch {
      // A lexicon that cannot be read is said when a free-text answer is checked.
    }
  }, 0).unref();
}

/** The answer as it was, or the wording given back to edit. */
export async function checkLanguage(
  term: Term,
  nudge: Nudge,
  q: Question,
  asked: Asked,
): Promise<Asked | { edit: string }> {
  if (asked.kind !== "answer" || q.fact.type !== "text" || typeof asked.value !== "string") return asked;
  const lexicon = nudge.lexicon?.();
  if (!lexicon) return asked;
  const findings = checkText(asked.value, lexicon, MAX_FINDINGS);
  if (findings.length === 0) return asked;
  const { c } = term;
  const lines = [c.yellow.bold("Language (Procedures §7, Language Matters):")];
  for (const f of findings) {
    lines.push(`  ${c.yellow("!")} "${f.phrase}": ${f.why}`);
    lines.push(`    ${c.dim(`suggest: ${f.suggestion}`)}`);
  }
  say(term, lines.join("\n"));
  const next = await choose<"edit" | "keep">(term, "Change the wording?", [
    { value: "edit", name: "Edit the wording" },
    { value: "keep", name: "Keep it as written" },
  ]);
  if (next.kind === "cancel") return { kind: "cancel" };
  return next.value === "keep" ? asked : { edit: asked.value };
}
