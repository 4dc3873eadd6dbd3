import type { Pathway } from "../engine/decide.js";

/**
 * A training story as the pack uses it: told on a given day, decided as on that day, so
 * that nothing in front of a room reads "overdue (103 days)". Pure data: the command reads
 * the scenario file and decides it (src/training/seam.ts).
 */
export interface TrainingStory {
  /** The scenario's file name without .yaml ("t1-child-county-lines"): its folder in the pack. */
  stem: string;
  /** Its short number ("t1"), as `--stories` takes it. */
  short: string;
  /** What it is about, in a sentence. */
  title: string;
  /** The case as the room hears it; absent under --redact. */
  story?: string;
  /** The day it is told on (the scenario's `today:`). */
  toldOn: string;
  /** The pathway, decided as on `toldOn` (redacted under --redact). */
  pathway: Pathway;
  /** The case as a plain case file, which `run --answers` takes; absent under --redact. */
  caseFile?: string;
}

/** The question a story ends on ("What happens next, and by when?"), for the room. */
export function storyQuestion(story: TrainingStory): string {
  const asked = story.story?.match(/[^.?!]*\?/g);
  return asked && asked.length > 0
    ? asked.join(" ").replace(/\s+/g, " ").trim()
    : "What happens next, and by when?";
}

/**
 * A scenario's `case:` block as a case file of its own, which `run --answers` takes: the
 * block's lines unindented, comments kept, and a first comment saying the day it is told
 * on, so that it is run as on that day.
 */
export function plainCaseFile(blockText: string, about: { title: string; toldOn: string }): string {
  const lines = blockText.split(/\r?\n/).map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  const indent = Math.min(...lines.filter((l) => l !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0));
  const title = about.title.replace(/[\r\n]+/g, " ");
  return [
    `# Training story: ${title}`,
    `# Told on ${about.toldOn}: to see it as the room does, run it as on that day:`,
    `#   safeguard run --answers case.yaml --date ${about.toldOn} --out drafts`,
    ...lines.map((l) => l.slice(indent)),
    "",
  ].join("\n");
}
