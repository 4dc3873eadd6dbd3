import { formatLong } from "../engine/dates.js";
import { UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import type { Lexicon } from "../language/check.js";
import { markdownQuote, markdownInline as md } from "../render/inert.js";
import { say } from "../words/problems.js";
import { LETTERS, type QuizQuestion, rightLetter } from "./quiz.js";
import { storyQuestion, type TrainingStory } from "./story.js";

/**
 * The session: its length, what it is for (objectives tied to the procedures' sections),
 * its timings, and the sheets a trainer hands out or keeps. Pure: stories and quiz in,
 * Markdown out. Nothing on a sheet names a fact, a step or a document by its id.
 */
export type Minutes = 45 | 90;

/** The stories told when none are chosen: one per pathway for 45 minutes, all for 90. */
export const DEFAULT_STORIES: Record<Minutes, string[]> = {
  45: ["t1", "t4", "t6"],
  90: ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"],
};

/** What the room should be able to do afterwards, each with the procedures' sections. */
export const OBJECTIVES: readonly { text: string; cite: string }[] = [
  {
    text: "Spot the signs of exploitation and act at the point of concern: talk to your safeguarding lead and complete the screening tool",
    cite: "Procedures §10, §11",
  },
  {
    text: "Follow the child pathway: the MASH referral, the strategy discussion within 3 working days, and the MAACE meeting",
    cite: "Procedures §12, §14; Flowchart (child)",
  },
  {
    text: "Follow the adult pathway: consent, capacity, the safeguarding concern to One Front Door and the s42 enquiry",
    cite: "Procedures §6, §8, §13; Flowchart (adult)",
  },
  {
    text: "Know when to refer to the National Referral Mechanism, and the duty to notify when an adult says no",
    cite: "Procedures §15.4.a",
  },
  {
    text: "Plan ahead from 14 so that support does not stop at 18",
    cite: "Procedures §20; Flowchart (transitions)",
  },
  { text: "Use words that never blame the person being exploited", cite: "Procedures §7, Language Matters" },
];

export interface Slot {
  what: string;
  minutes: number;
  /** The story told in it, if any. */
  story?: TrainingStory;
}

/** How long each part takes, for the length chosen: the stories share what the rest leaves. */
export function timings(minutes: Minutes, stories: readonly TrainingStory[]): Slot[] {
  const fixed =
    minutes === 45
      ? { welcome: 3, overview: 8, language: 3, quiz: 4 }
      : { welcome: 5, overview: 15, language: 5, quiz: 10 };
  const left = minutes - fixed.welcome - fixed.overview - fixed.language - fixed.quiz;
  const each = Math.floor(left / Math.max(1, stories.length));
  if (each < 5) {
    const most = Math.floor(left / 5);
    throw new UsageError(say.storiesDoNotFit(stories.length, minutes, most));
  }
  const spare = left - each * stories.length;
  return [
    { what: "Welcome and what the session is for", minutes: fixed.welcome },
    { what: "The three pathways: child, adult, and transitions at 17 to 18", minutes: fixed.overview },
    ...stories.map((s, i): Slot => ({ what: `Story ${i + 1}: ${s.title}`, minutes: each, story: s })),
    { what: "Quiz: go through the answers together", minutes: fixed.quiz + spare },
    { what: "Language Matters, and close", minutes: fixed.language },
  ];
}

const clock = (m: number) => `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;

/** A few Language Matters rows: what to avoid, why, what to say instead. */
export function languageRows(lexicon: Lexicon, most: number): { avoid: string; why: string; say: string }[] {
  return lexicon.entries
    .filter((e) => e.suggest.length > 0 && !e.context)
    .slice(0, most)
    .map((e) => ({
      avoid: e.variants[0] ?? e.phrases[0] ?? "",
      why: e.why,
      say: (e.suggest[0] ?? "").replace(/^"(.*)"$/, "$1"),
    }));
}

export function sessionPlan(
  flow: Flow,
  minutes: Minutes,
  stories: readonly TrainingStory[],
  quiz: ReadonlyMap<string, QuizQuestion[]>,
  lexicon: Lexicon,
): string {
  const slots = timings(minutes, stories);
  const out: string[] = [
    `# Session plan: exploitation procedures in ${minutes} minutes`,
    "",
    `For the trainer. Built from the ${md(flow.name)} (version ${md(flow.version)}): every step, deadline and section on the slides and sheets comes from the procedures.`,
    "",
    "## Learning objectives",
    "",
    "By the end of the session, practitioners can:",
    "",
    ...OBJECTIVES.map((o, i) => `${i + 1}. ${md(o.text)} (${md(o.cite)}).`),
    "",
    "## Timings",
    "",
    "| From | Minutes | What |",
    "| --- | --- | --- |",
  ];
  let at = 0;
  for (const s of slots) {
    out.push(`| ${clock(at)} | ${s.minutes} | ${md(s.what)} |`);
    at += s.minutes;
  }
  out.push("", `Total: ${at} minutes.`, "", "## The stories, and what to ask the room", "");
  let n = 0;
  at = 0;
  for (const slot of slots) {
    const s = slot.story;
    at += slot.minutes;
    if (!s) continue;
    n++;
    const p = s.pathway;
    out.push(`### Story ${n}: ${md(s.title)}`, "");
    out.push(`${slot.minutes} minutes, ending at ${clock(at)}. Told as on ${formatLong(s.toldOn)}.`, "");
    if (s.story) out.push(markdownQuote(s.story), "");
    out.push(`Ask the room: ${md(storyQuestion(s))}`, "");
    out.push("Then take them through the steps, asking before each one: what, by when, who, and why?", "");
    for (const a of p.actions.slice(0, 4)) {
      const when = a.due ? `by ${formatLong(a.due)}` : "no date set";
      out.push(`- ${md(a.title)}: ${md(when)} (${md(a.citation)})`);
    }
    if (p.actions.length > 4) out.push(`- and ${p.actions.length - 4} more steps on the slides`);
    const titles = p.documents.map((d) => flow.documents.get(d)?.title).filter((t): t is string => !!t);
    if (titles.length > 0)
      out.push("", `Drafts to open in the room, in the story's folder: ${titles.map(md).join("; ")}.`);
    const qs = quiz.get(s.stem) ?? [];
    if (qs.length > 0) out.push("", `Quiz questions on this story: ${qs.length}.`);
    out.push("");
  }
  out.push(
    "## Language Matters",
    "",
    "Close on the words we use (Procedures §7). Ask the room for phrases they have heard, and what to say instead:",
    "",
    "| Avoid | Why | Say instead |",
    "| --- | --- | --- |",
    ...languageRows(lexicon, minutes === 45 ? 4 : 8).map(
      (r) => `| ${md(r.avoid)} | ${md(r.why)} | ${md(r.say)} |`,
    ),
    "",
    "## Before the session",
    "",
    "- Open the slides and check the speaker notes: they carry the script and the likely questions.",
    "- Print the learner quiz sheet, one per person; keep the answer sheet for yourself.",
    "- Each story's folder holds its drafts, its timeline picture and its calendar, worked out as on the day the story is told.",
    "",
  );
  return out.join("\n");
}

/** The quiz for the room: questions and choices, no answers. */
export function quizLearners(
  stories: readonly TrainingStory[],
  quiz: ReadonlyMap<string, QuizQuestion[]>,
): string {
  return quizSheet(stories, quiz, false);
}

/** The trainer's copy: the right answer to each question, and why each choice is right or wrong. */
export function quizAnswers(
  stories: readonly TrainingStory[],
  quiz: ReadonlyMap<string, QuizQuestion[]>,
): string {
  return quizSheet(stories, quiz, true);
}

function quizSheet(
  stories: readonly TrainingStory[],
  quiz: ReadonlyMap<string, QuizQuestion[]>,
  answers: boolean,
): string {
  const out = [
    answers ? "# Quiz: answers, for the trainer" : "# Quiz",
    "",
    answers
      ? "The right answer to each question, then why each choice is right or wrong."
      : "Choose one answer for each question. The answers follow the Solihull exploitation procedures.",
    "",
  ];
  let number = 0;
  for (const [n, s] of stories.entries()) {
    const qs = quiz.get(s.stem) ?? [];
    if (qs.length === 0) continue;
    out.push(`## Story ${n + 1}: ${md(s.title)}`, "");
    for (const q of qs) {
      number++;
      out.push(`**${number}.** ${md(q.question)}`, "");
      for (const [i, c] of q.choices.entries()) out.push(`- ${LETTERS[i]}. ${md(c.text)}`);
      if (answers) {
        out.push("", `Answer: **${rightLetter(q)}**`, "");
        for (const [i, c] of q.choices.entries()) out.push(`- ${LETTERS[i]}: ${md(c.feedback)}`);
      }
      out.push("");
    }
  }
  return out.join("\n");
}
