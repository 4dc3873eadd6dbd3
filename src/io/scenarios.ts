import { basename, join, resolve } from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import { isIsoDate } from "../engine/dates.js";
import { InputError } from "../errors.js";
import { didYouMean } from "../flow/problems.js";
import { say } from "../words/problems.js";
import { listDir, readText } from "./assets.js";
import { readCaseFile } from "./case-text.js";
import { shown } from "./flows.js";
import { packageRoot } from "./paths.js";

/** A case trainers can step through: a worked example (a plain case file) or a scenario file. */
export interface ScenarioEntry {
  /** The file name without .yaml: what `safeguard demo NAME` takes. */
  stem: string;
  name: string;
  /** Absolute path. */
  path: string;
  /** A worked example, a training scenario (`training: true`), or a test scenario. */
  kind: "example" | "training" | "scenario";
  /** A case file given by path: its text, read once with the case reader's checks. */
  text?: string;
  /**
   * The day a worked example is told on: the `today:` of its scenario twin
   * (scenarios/STEM.yaml), so that a demo of it reads as on that day.
   */
  toldOn?: string;
}

export const examplesDir = join(packageRoot, "examples");
export const scenariosDir = join(packageRoot, "scenarios");

function yamlIn(dir: string): string[] {
  try {
    return listDir(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch {
    // No such folder (a package without its scenarios): there are then none to list.
    return [];
  }
}

const stemOf = (file: string) => basename(file).replace(/\.(ya?ml|json)$/, "");

/**
 * The bundled cases: the worked examples first (examples/), then the training scenarios
 * (scenarios/ files marked `training: true`), then the other scenarios not already
 * listed as an example, each in file-name order.
 */
export function bundledScenarios(): ScenarioEntry[] {
  const out: ScenarioEntry[] = [];
  for (const file of yamlIn(examplesDir)) {
    const path = join(examplesDir, file);
    const toldOn = todayOf(join(scenariosDir, file));
    out.push({
      stem: stemOf(file),
      name: describe(readText(path), file),
      path,
      kind: "example",
      ...(toldOn !== undefined ? { toldOn } : {}),
    });
  }
  for (const file of yamlIn(scenariosDir)) {
    if (out.some((e) => e.stem === stemOf(file))) continue;
    const path = join(scenariosDir, file);
    const text = readText(path);
    out.push({
      stem: stemOf(file),
      name: describe(text, file),
      path,
      kind: isTraining(text) ? "training" : "scenario",
    });
  }
  const rank = { example: 0, training: 1, scenario: 2 };
  return out.sort((a, b) => rank[a.kind] - rank[b.kind]);
}

/** A scenario file's `today:`, when the file is there and says one. */
function todayOf(path: string): string | undefined {
  let text: string;
  try {
    text = readText(path);
  } catch {
    return undefined;
  }
  const today: unknown = parseDocument(text).get("today");
  return typeof today === "string" && isIsoDate(today) ? today : undefined;
}

/** A scenario made for teaching: `training: true` at the top of the file. */
function isTraining(text: string): boolean {
  return /^training:\s*true\s*(#.*)?$/m.test(text);
}

/**
 * What a case file is about: a scenario's `name:`, else its first comment line (the worked
 * examples open with one), without the trailing reference in brackets; else the stem.
 */
function describe(text: string, file: string): string {
  const doc = parseDocument(text);
  if (isMap(doc.contents)) {
    const name: unknown = doc.contents.get("name");
    if (typeof name === "string" && name.trim()) return name.trim();
  }
  const comment = /^#(?!\s*yaml-language-server:)\s*(.+)$/m.exec(text)?.[1];
  if (comment) return comment.replace(/\s*\([^()]*\)\s*$/, "").trim();
  return stemOf(file);
}

/** A name from the list, or a path to a case or scenario file (anything with a slash or an extension). */
export function findScenario(nameOrPath: string, cwd: string): ScenarioEntry {
  if (/[\\/]|\.(ya?ml|json)$/.test(nameOrPath)) {
    const path = resolve(cwd, nameOrPath);
    // As `run --answers` reads it: a size cap, UTF-8 or refused, a folder said to be one.
    const text = readCaseFile(path, nameOrPath);
    return { stem: stemOf(path), name: describe(text, path), path, kind: "scenario", text };
  }
  const all = bundledScenarios();
  const found = all.find((e) => e.stem === nameOrPath);
  if (found) return found;
  // "ex-1" is enough when only one name starts with it.
  const starting = all.filter((e) => e.stem.startsWith(nameOrPath));
  if (starting.length === 1) return starting[0] as ScenarioEntry;
  const hint = didYouMean(
    nameOrPath,
    all.map((e) => e.stem),
  );
  throw new InputError(
    say.noScenario(nameOrPath, hint),
    all.map((e) => e.stem),
  );
}

export interface ScenarioCase {
  /** The path as the user should see it. */
  file: string;
  /**
   * The case file's text. For a scenario file every character outside its `case:` block is
   * blanked (newlines kept), so readCase reports problems at their true line and column.
   */
  caseText: string;
  /** A scenario's `today:`, the default for concern.date. */
  today?: string;
  /** True for a plain case file: `safeguard run --answers FILE` takes it as it is. */
  plain: boolean;
  /** A training scenario's story: the case as the room hears it. */
  story?: string;
}

/** Read a scenario file (`name`, `today`, `case`, `expect`) or a plain case file. */
export function readScenario(entry: ScenarioEntry, cwd: string): ScenarioCase {
  const file = shown(entry.path, cwd);
  const text = entry.text ?? readText(entry.path);
  const doc = parseDocument(text);
  const root = doc.contents;
  const block = isMap(root) ? root.get("case", true) : undefined;
  if (!isMap(block) || !block.range) return { file, caseText: text, plain: true };
  const [start, end] = block.range;
  const caseText = text.replace(/[^\r\n]/g, (ch, i: number) => (i >= start && i < end ? ch : " "));
  const todayNode = isMap(root) ? root.get("today", true) : undefined;
  const today = isScalar(todayNode) ? String(todayNode.value) : undefined;
  if (today !== undefined && !isIsoDate(today)) {
    throw new InputError(say.scenarioToday(file, String(today)));
  }
  const story: unknown = isMap(root) ? root.get("story") : undefined;
  return {
    file,
    caseText,
    plain: false,
    ...(today !== undefined ? { today } : {}),
    ...(typeof story === "string" && story.trim() ? { story: story.trim() } : {}),
  };
}
