import { terminalText } from "../render/inert.js";
import { LETTERS, type QuizQuestion, rightLetter } from "./quiz.js";

/**
 * The quiz as `demo --quiz` shows it: a question with its choices, what the room's answer
 * means once the step is revealed, and the score at the end. Plain text; the command
 * makes it terminal-safe and decides when each part is shown.
 */
export function askText(q: QuizQuestion, total: number): string {
  return [
    `Step ${q.step} of ${total}: what happens next?`,
    `  ${q.question}`,
    ...q.choices.map((c, i) => `    ${LETTERS[i]}. ${c.text}`),
    `  Ask the room, and type the letter they choose. (Hint: the procedures' "${q.section}" part.)`,
    "",
  ].join("\n");
}

/** The letter the room chose, if the line is one of the question's letters. */
export function heardLetter(q: QuizQuestion, line: string): string | undefined {
  const l = line.trim().toUpperCase();
  const i = LETTERS.indexOf(l);
  return i >= 0 && i < q.choices.length ? l : undefined;
}

/** Whether a letter is the question's right answer. */
export function isRight(q: QuizQuestion, letter: string): boolean {
  return q.choices[LETTERS.indexOf(letter)]?.right === true;
}

/** Why the room's answer is right or wrong, then the answer itself. */
export function revealText(q: QuizQuestion, said: string | undefined): string {
  const right = rightLetter(q);
  const chosen = said === undefined ? undefined : q.choices[LETTERS.indexOf(said)];
  const lines: string[] = [];
  if (chosen) lines.push(`The room said ${said}: ${chosen.feedback}`);
  if (!chosen?.right) {
    const r = q.choices.find((c) => c.right);
    lines.push(`The answer is ${right}, "${r?.text ?? ""}". ${r?.feedback ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The room's score: how many answered, how many right. */
export function scoreText(asked: number, said: readonly (boolean | undefined)[]): string {
  const answered = said.filter((s) => s !== undefined).length;
  const right = said.filter((s) => s === true).length;
  if (answered === 0) return `The room answered none of the ${asked} questions.\n`;
  return `The room answered ${answered} of ${asked} question${asked === 1 ? "" : "s"} and got ${right} right.\n`;
}

/** Without a terminal: the learner sheet (questions and choices, no answers). */
export function learnerSheetText(intro: string, qs: readonly QuizQuestion[], total: number): string {
  return [intro, "Quiz: choose one answer for each step.", "", ...qs.map((q) => askText(q, total))].join(
    "\n",
  );
}

/** ... and apart from it, after a page break (form feed), the answer key: each answer, why, and the step in full. */
export function answerKeyText(qs: readonly QuizQuestion[], steps: readonly string[], outro: string): string {
  const parts = qs.map((q) => {
    const why = q.choices.map((c, i) => `  ${LETTERS[i]}: ${c.feedback}`).join("\n");
    return `${terminalText(`Step ${q.step}: the answer is ${rightLetter(q)}.\n${why}\n`)}\n${steps[q.step - 1] ?? ""}`;
  });
  // The steps and outro are the demo's own, already terminal-safe; the page break is wanted.
  return ["\f", "Answer key (for the trainer)", "", ...parts, outro].join("\n");
}
