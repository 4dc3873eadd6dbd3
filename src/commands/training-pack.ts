import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { loadFlow } from "../io/flows.js";
import { bundledLexicon } from "../io/lexicon.js";
import { writeCaseFolder } from "../io/output.js";
import { bundledScenarios, readScenario, type ScenarioEntry } from "../io/scenarios.js";
import type { World } from "../io/world.js";
import type { CaseFile } from "../render/case-files.js";
import { redactPathway } from "../render/redact.js";
import { decideStory, storyFolder } from "../training/case-seam.js";
import {
  DEFAULT_STORIES,
  languageRows,
  type Minutes,
  quizAnswers,
  quizLearners,
  sessionPlan,
} from "../training/plan.js";
import { type QuizQuestion, quizQuestions } from "../training/quiz.js";
import { plainCaseFile, type TrainingStory } from "../training/story.js";
import { say } from "../words/problems.js";

/** `safeguard training-pack`: the options the table declares for it (src/cli/main.ts). */
export interface TrainingPackOptions {
  out: string | undefined;
  minutes: string | undefined;
  stories: string | undefined;
  redact: boolean;
  force: boolean;
}

/** The pack's folder is written whole, as a case folder is: this is its manifest's name for it. */
const PACK_ID = "training-pack";

/**
 * `safeguard training-pack --out DIR [--minutes 45|90] [--stories t1,t4] [--redact]`: a
 * trainer's folder, offline: the session plan, the quiz (learners' sheet and answers), and
 * each story's case file with its drafts, timeline and calendar, worked out as on the day
 * the story is told. Every file owner-only, written whole.
 */
export async function run(world: World, _args: string[], opts: TrainingPackOptions): Promise<number> {
  if (opts.out === undefined) throw new UsageError(say.packNeedsOut());
  const minutes = minutesOf(opts.minutes);
  const flow = loadFlow(undefined, world.cwd);
  const stories = chosen(opts.stories, minutes).map((e) => story(flow, e, world.cwd, opts.redact));
  const quiz = new Map<string, QuizQuestion[]>(
    stories.map((s) => [s.stem, quizQuestions(flow, s.pathway, { most: minutes === 45 ? 2 : 3 })]),
  );
  const lexicon = bundledLexicon();
  const plan = sessionPlan(flow, minutes, stories, quiz, lexicon);
  const learners = quizLearners(stories, quiz);
  const { markdownToDocx } = await import("../render/docx.js");
  const { withPathwayPng } = await import("../io/png.js");
  const { slidesPptx } = await import("../training/slides.js");
  const today = world.today();
  const enc = new TextEncoder();
  const file = (path: string, content: string | Uint8Array): CaseFile => ({
    path,
    bytes: typeof content === "string" ? enc.encode(content) : content,
    mode: 0o600,
  });
  const slides = await slidesPptx({
    flow,
    minutes,
    stories,
    quiz,
    language: languageRows(lexicon, 4),
    date: today,
  });
  const files: CaseFile[] = [
    file("slides.pptx", slides),
    file("session-plan.md", plan),
    file("session-plan.docx", await markdownToDocx(plan, { title: "Session plan", date: today })),
    file("quiz-learners.md", learners),
    file("quiz-learners.docx", await markdownToDocx(learners, { title: "Quiz", date: today })),
    file("quiz-answers.md", quizAnswers(stories, quiz)),
  ];
  for (const s of stories) {
    const assembled = await withPathwayPng(await storyFolder(flow, s.pathway, s.stem, false));
    for (const f of assembled.files) files.push({ ...f, path: `${s.stem}/${f.path}` });
    if (s.caseFile !== undefined) files.push(file(`${s.stem}/case.yaml`, s.caseFile));
  }
  const dir = resolve(world.cwd, opts.out);
  writeCaseFolder(dir, files, { caseId: PACK_ID, force: opts.force });
  world.stdout.write(
    `Training pack for ${minutes} minutes written to ${opts.out}:\n` +
      "  slides.pptx                   the slides, with speaker notes\n" +
      "  session-plan.md and .docx     timings, objectives, the stories and what to ask the room\n" +
      "  quiz-learners.md and .docx    the quiz for the room, without the answers\n" +
      "  quiz-answers.md               the answers, with why each choice is right or wrong\n" +
      // The folders on lines of their own: a story's name is longer than the column above.
      `  a folder for each story, with its ${opts.redact ? "" : "case file, "}drafts, pathway.svg and .png, deadlines.ics:\n` +
      stories.map((s) => `    ${s.stem}/\n`).join("") +
      (opts.redact
        ? "Redacted: no story text and no case files; the drafts carry initials and age bands.\n"
        : ""),
  );
  return 0;
}

function minutesOf(given: string | undefined): Minutes {
  if (given === undefined || given === "45") return 45;
  if (given === "90") return 90;
  throw new UsageError(say.sessionLength(given));
}

/** The stories asked for (`t1,t4` or their full names), or the length's own, in the order given. */
function chosen(given: string | undefined, minutes: Minutes): ScenarioEntry[] {
  const all = bundledScenarios().filter((e) => e.kind === "training");
  const short = (e: ScenarioEntry) => /^(t\d+)-/.exec(e.stem)?.[1] ?? e.stem;
  const names = given === undefined ? DEFAULT_STORIES[minutes] : given.split(",").map((n) => n.trim());
  const out: ScenarioEntry[] = [];
  const unknown: string[] = [];
  for (const n of names.filter(Boolean)) {
    const e = all.find((x) => x.stem === n || short(x) === n);
    if (!e) unknown.push(n);
    else if (!out.includes(e)) out.push(e);
  }
  if (unknown.length > 0 || out.length === 0)
    throw new UsageError(say.noTrainingStory(unknown, all.map((e) => `${short(e)} (${e.stem})`).join(", ")));
  return out;
}

function story(flow: Flow, entry: ScenarioEntry, cwd: string, redact: boolean): TrainingStory {
  const s = readScenario(entry, cwd);
  const toldOn = s.today ?? "";
  if (!toldOn) throw new UsageError(say.storyNeedsDay(s.file));
  const decided = decideStory(flow, s.file, s.caseText, toldOn);
  const short = /^(t\d+)-/.exec(entry.stem)?.[1] ?? entry.stem;
  return {
    stem: entry.stem,
    short,
    title: entry.name,
    toldOn,
    pathway: redact ? redactPathway(flow, decided) : decided,
    ...(!redact && s.story ? { story: s.story } : {}),
    ...(!redact ? { caseFile: plainCaseFile(s.caseText, { title: entry.name, toldOn }) } : {}),
  };
}
