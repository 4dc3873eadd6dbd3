import { PassThrough } from "node:stream";
import { screen } from "@inquirer/testing/vitest";
import type { Question } from "../../src/flow/types.js";
import { loadLexicon } from "../../src/io/lexicon.js";
import { bundledFlowsDir } from "../../src/io/paths.js";
import { createUi } from "../../src/prompts/ask.js";
import type { QuestionOptions, Ui } from "../../src/prompts/types.js";
import { bundledFlow } from "./flow.js";

/**
 * The wizard's prompts, driven through @inquirer/testing's virtual screen. A test file imports
 * @inquirer/testing/vitest before this (and before anything that imports the prompts).
 */

/** The bundled flow's question for a fact. */
export const question = (id: string): Question => {
  const q = bundledFlow().questions.find((x) => x.fact.id === id);
  if (!q) throw new Error(`no question for ${id}`);
  return q;
};

/** A Ui whose prompts read the virtual screen's keys; what it writes between prompts is `said`. */
export function makeUi(size: { rows?: number; columns?: number } = {}): { ui: Ui; said: () => string } {
  const out = Object.assign(new PassThrough(), size);
  let said = "";
  out.on("data", (d: Buffer) => {
    said += d.toString();
  });
  const ui = createUi({
    // The same stream the mocked prompts read, so our Esc, ? and < keys see the keypresses.
    input: screen.input,
    output: out,
    colour: false,
    today: () => "2026-11-23",
    lexicon: () => loadLexicon(bundledFlowsDir),
  });
  return { ui, said: () => said };
}

/** Ask a flow question, on the first question unless said. */
export const ask = (ui: Ui, id: string, opts: Partial<QuestionOptions> = {}) =>
  ui.question(question(id), { canGoBack: false, ...opts });
