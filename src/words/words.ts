// Wording more than one part of the program says: said here once, so the same thing is
// always said the same way (issue 23). Pure and the lowest layer: it imports nothing, so
// flow/, engine/, render/, prompts/ and commands/ can all use it.

/** A count and its noun: "1 step", "3 steps"; `many` for a plural that is not the word and "s". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The verb that agrees with a count: "1 answer is", "2 answers are". */
export function isAre(n: number): "is" | "are" {
  return n === 1 ? "is" : "are";
}

/** "1st", "2nd", "18th". */
export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}

/** How to reach a contact, as the locality file gives it: "phone, email, web" ("" for none). */
export function contactHow(c: { phone?: string; email?: string; web?: string }): string {
  return [c.phone, c.email, c.web].filter(Boolean).join(", ");
}

/** A contact and how to reach them: "Name: phone, email, web", or the name alone. */
export function contactLine(c: { name: string; phone?: string; email?: string; web?: string }): string {
  const how = contactHow(c);
  return how ? `${c.name}: ${how}` : c.name;
}

/** A step another waits on: "whether "Strategy discussion" is recommended" (the caller quotes a title). */
export function whetherRecommended(step: string): string {
  return `whether ${step} is recommended`;
}

/**
 * The head of a list of problems, one way for every file a person gave us: "the case file
 * c.yaml has 2 problems" (the caller adds ":" when the list follows).
 */
export function hasProblems(what: string, n: number): string {
  return `${what} has ${plural(n, "problem")}`;
}
