import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { decideCase } from "../src/case/decide.js";
import { neededFacts, nextScreen } from "../src/engine/next.js";
import { caseFolderName } from "../src/io/output.js";
import { packageRoot } from "../src/io/paths.js";
import { irrelevantAnswers } from "../src/prompts/wizard-loop.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { pathwayText } from "../src/render/text.js";
import { bundledFlow, scenarios } from "./helpers/flow.js";

// Speed work must not change a byte of output (issue 10). For every scenario: every file
// `run --answers --out` / `batch` writes, the terminal text `run` prints (plain and in
// colour), and what the wizard would ask next and leave out, each as a sha256, compared
// with test/golden/outputs.sha256.json. A deliberate change of output: UPDATE_GOLDEN=1.
const GOLDEN = join(packageRoot, "test", "golden", "outputs.sha256.json");
const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

function fingerprint(): Record<string, Record<string, string>> {
  const flow = bundledFlow();
  const out: Record<string, Record<string, string>> = {};
  for (const s of scenarios()) {
    const today = s.today ?? "2026-11-23";
    const decided = decideCase(
      flow,
      { file: s.file, text: stringify(s.case) },
      { today, fallbackId: s.file.replace(/\.yaml$/, "") },
    );
    if (!decided.ok) throw new Error(`${s.file}: ${JSON.stringify(decided.problems)}`);
    const p = decided.pathway;
    const folder = `out/${caseFolderName(p.caseId)}`;
    const { files } = renderOutputs(templateEngine(flow.templates), flow, p, folder);
    const row: Record<string, string> = {};
    for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) row[name] = sha(text);
    row["stdout (run)"] = sha(pathwayText(p, { colour: false, folder }));
    row["stdout (run, colour)"] = sha(pathwayText(p, { colour: true, folder: null }));
    row["stdout (run, why)"] = sha(pathwayText(p, { colour: false, why: true }));
    const answers = p.answers;
    // The wizard's next screen: a question, or a group with the rows it shows.
    const screen = nextScreen(flow, answers, today);
    row["wizard: next question"] = !screen
      ? "none"
      : screen.kind === "question"
        ? screen.question.fact.id
        : `${screen.group.id}: ${screen.questions.map((q) => q.fact.id).join(", ")}`;
    row["wizard: needed"] = sha([...neededFacts(flow, answers, today)].sort().join(","));
    row["wizard: irrelevant"] = sha(irrelevantAnswers(flow, answers, today).join(","));
    out[s.file] = row;
  }
  return out;
}

describe("output is byte-identical to the committed fingerprints", () => {
  it("every scenario: every file, the terminal text, the wizard's next question and review", () => {
    const got = fingerprint();
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(GOLDEN, `${JSON.stringify(got, null, 2)}\n`);
      return;
    }
    expect(existsSync(GOLDEN), `${GOLDEN}: run with UPDATE_GOLDEN=1 once`).toBe(true);
    const want = JSON.parse(readFileSync(GOLDEN, "utf8")) as typeof got;
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [file, row] of Object.entries(want)) expect(got[file], file).toEqual(row);
  }, 180_000);
});
