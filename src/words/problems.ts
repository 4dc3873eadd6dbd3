import { hasProblems, plural } from "./words.js";

/**
 * Every problem a person can meet, in one list (as pyxform keeps its errors): for each
 * kind, where it is found, the rule it enforces, and what we say, with the fix where we
 * know it. Code says a problem only through `say` (test/problem-catalogue.test.ts checks
 * that no message is written where the problem is raised), so the same thing is always
 * said the same way. The file, line and field come from the caller (flow/problems.ts).
 *
 * `where`: flow (a flow, its facts, parts, templates or locality), case (a case file or
 * an answer), cli (the command line), session (the wizard's saved answers), files (the
 * disk), lexicon (the language list), scenario (a demo scenario).
 */
type Where = "flow" | "case" | "cli" | "session" | "files" | "lexicon" | "scenario";

interface Kind {
  where: Where;
  rule: string;
  say: (...args: never[]) => string;
}

const q = (s: string) => `"${s}"`;
/** Why a lock cannot be judged: a link, not a file safeguard wrote (a pipe, a folder), or a system error in words. */
export type LockDoubt = "a link" | "not a lock" | (string & {});
const notADate = (value: string) => `${q(value)} is not a date (use YYYY-MM-DD)`;
const implausibleDate = (value: string, first: number, last: number) =>
  `${q(value)} is not a plausible date (years ${first} to ${last}): check the year`;
const outsideHolidayYears = (value: string, first: number, last: number) =>
  `${q(value)} is outside the years whose bank holidays safeguard knows (${first} to ${last}), so no working day can be counted from it: check the year`;
const sentHolds = (what: string, document: string) =>
  `${what}: ${document} is sent to another agency (audience: sent): put it in before-you-send.md or the case summary`;

export const PROBLEMS = {
  problemList: {
    where: "files",
    rule: "every problem of a file is listed at once, after one head that counts them",
    say: (what: string, n: number) => `${hasProblems(what, n)}:`,
  },

  // A flow and its files.
  notInFolder: {
    where: "flow",
    rule: "a flow's facts and parts are files in the folder of its .flow.yaml",
    say: (name: string) =>
      `${q(name)} is outside the flow's folder: a flow's facts and parts are read only from the folder of its .flow.yaml file`,
  },
  noSuchFile: {
    where: "flow",
    rule: "a file a flow names exists",
    say: (name: string) => `no such file ${q(name)}`,
  },
  aliasesTooFar: {
    where: "flow",
    rule: "YAML aliases expand to a readable size",
    say: () => "its aliases (*name) expand too far to be read: is it the right file?",
  },
  unknownField: {
    where: "flow",
    rule: "every key is one the format knows",
    say: (hint: string) => `unknown field${hint}`,
  },
  notOneOfForms: {
    where: "flow",
    rule: "a value takes one of the forms the format allows",
    say: (forms: readonly string[]) => `should be one of these forms: ${forms.join(", ")}`,
  },
  definedTwice: {
    where: "flow",
    rule: "an id names one thing",
    say: (what: string, id: string) => `${what} ${q(id)} is defined twice`,
  },
  askedTwice: {
    where: "flow",
    rule: "each fact is asked by one question",
    say: (fact: string) => `fact ${q(fact)} is asked twice`,
  },
  unknown: {
    where: "flow",
    rule: "a name refers to something defined (an action, document, fact, contact or team)",
    say: (what: string, name: string, hint = "", within = "") =>
      `unknown ${what} ${q(name)}${within ? ` (${within})` : ""}${hint}`,
  },
  noTemplate: {
    where: "flow",
    rule: "a document's template is a file in the templates folder",
    say: (name: string, hint = "", why = "") => `no template ${q(name)}${why ? ` (${why})` : ""}${hint}`,
  },
  nameTaken: {
    where: "flow",
    rule: "a named condition's name is not already a name",
    say: (name: string) => `${q(name)} is already a name here`,
  },
  nameIsNamespace: {
    where: "flow",
    rule: "a named condition's name is not the first part of a fact id",
    say: (name: string) => `${q(name)} is a namespace of facts`,
  },
  nameReserved: {
    where: "flow",
    rule: "a named condition's name is not a word CEL keeps",
    say: (name: string) =>
      `${q(name)} is a word the expression language (CEL) keeps for itself: choose another name`,
  },
  groupTooSmall: {
    where: "flow",
    rule: "a group of questions has two or more",
    say: (id: string, n: number) => `group ${q(id)} has ${plural(n, "question")}: a group needs two or more`,
  },
  gateNotAsked: {
    where: "flow",
    rule: "a question's gate is asked by a question",
    say: (gate: string) => `${gate} is not asked by any question`,
  },
  gateAskedAfter: {
    where: "flow",
    rule: "a gate is asked before the questions it opens",
    say: (gate: string) => `${gate} is asked after this question: ask it before`,
  },
  expectedNeedsNote: {
    where: "flow",
    rule: "an expected step says who has yet to agree",
    say: () =>
      'a rule marked expected needs a note saying who has yet to agree (note: "expected if the strategy discussion agrees")',
  },
  notAValueOf: {
    where: "flow",
    rule: "a choice, not_known or alone value is one of the fact's values",
    say: (value: string, fact: string, hint = "") => `${q(value)} is not a value of ${fact}${hint}`,
  },
  ownGate: {
    where: "flow",
    rule: "a question's gate is another question's fact",
    say: () => "a question cannot be its own gate",
  },
  gateYesNoValues: {
    where: "flow",
    rule: "a yes / no gate opens on yes",
    say: (fact: string) => `${fact} is yes / no: it opens on yes, so leave values out`,
  },
  gateTyped: {
    where: "flow",
    rule: "a gate is a yes / no fact, a choice or a list",
    say: (fact: string, type: string) =>
      `${fact} is typed (${type}): a gate is a yes / no fact, a choice or a list`,
  },
  gateSayValues: {
    where: "flow",
    rule: "a choice or list gate names the values that open it",
    say: (fact: string, kind: "list" | "choice") =>
      `${fact} is a ${kind}: say which values open it (values: [...])`,
  },
  gateOnNotKnown: {
    where: "flow",
    rule: "not known never opens a gate",
    say: (value: string) => `${q(value)} means not known, which never opens a gate`,
  },
  noGroup: {
    where: "flow",
    rule: "a question's group is defined in its part",
    say: (group: string, hint: string) => `no group ${q(group)} in this part${hint}`,
  },
  rowTyped: {
    where: "flow",
    rule: "a group's rows are yes / no or a few choices",
    say: (fact: string, type: string) =>
      `${fact} is typed (${type}): a group's rows are yes / no or a few choices`,
  },
  rowTooManyChoices: {
    where: "flow",
    rule: "a group's rows have a few choices",
    say: (fact: string, shown: number, max: number) =>
      `${fact} has ${shown} choices ("not known" included): a group's rows have at most ${max}`,
  },
  notKnownChoice: {
    where: "flow",
    rule: "not_known names one of a choice fact's values",
    say: (fact: string, hint: string) =>
      `not_known names the choice that means "not known": one of ${fact}'s values${hint}`,
  },
  factIdForm: {
    where: "flow",
    rule: "a fact id is one or two lower-case names joined by a dot",
    say: () => "a fact id is one or two lower-case names joined by a dot",
  },
  needsValues: {
    where: "flow",
    rule: "a choice or list fact lists its values",
    say: (type: string) => `${type} facts need values`,
  },
  aloneOnlyList: {
    where: "flow",
    rule: "alone is for a list's values",
    say: () => "only a list has values that stand alone",
  },
  notGivenByCase: {
    where: "flow",
    rule: "a derived fact is worked out from facts a case file gives",
    say: (fact: string, hint: string) => `${q(fact)} is not a fact a case file gives${hint}`,
  },
  fromOnlyDerived: {
    where: "flow",
    rule: "only a derived fact has from",
    say: () => "only a derived fact is worked out from others",
  },
  notADateFact: {
    where: "flow",
    rule: "a due date counts from a date fact",
    say: (fact: string) => `${fact} is not a date`,
  },
  implicationReadsFacts: {
    where: "flow",
    rule: "an implication reads facts only",
    say: () => "an implication reads facts, not recommends[...]",
  },
  atLeastWholeNumbers: {
    where: "flow",
    rule: "at_least is for a whole-number fact",
    say: () => "at_least is for whole numbers",
  },
  settlesNotKnown: {
    where: "flow",
    rule: "an implication settles a fact to a value, never to not known",
    say: (value: string) => `${q(value)} means not known: an implication settles a fact`,
  },
  firesOnNotKnown: {
    where: "flow",
    rule: "a rule that fires on a fact not known says what not known means (a warning)",
    say: (fact: string) =>
      `fires when ${fact} is not known (!has(${fact})), and its outcome turns on ${fact}: ` +
      `say what not known means there (when_not_known: for ${fact} in facts.yaml), ` +
      "or let the rule wait for the fact (drop the !has test)",
  },
  draftsNeverAsked: {
    where: "flow",
    rule: "a question asked for the drafts is read by a document",
    say: (fact: string) =>
      `drafts: no document's template reads ${fact}, so the round for the drafts would never ask it`,
  },
  rulesCycle: {
    where: "flow",
    rule: "steps do not wait on each other in a circle",
    say: (trail: readonly string[]) => `rules read each other in a cycle: ${trail.join(" -> ")}`,
  },
  conditionParse: {
    where: "flow",
    rule: "a condition is a CEL expression",
    say: (why: string) => `cannot parse: ${why}`,
  },
  conditionNotBool: {
    where: "flow",
    rule: "a condition is true or false",
    say: (type: string) => `a condition must be true or false, not ${type}`,
  },
  comprehensionsTooDeep: {
    where: "flow",
    rule: "list comprehensions nest at most a few deep",
    say: (depth: number, named: boolean, max: number) =>
      `${depth} list comprehensions (exists, all, map, filter, exists_one) nested one in another${named ? ", with the named conditions it uses" : ""}: at most ${max} (each level multiplies the work a case costs)`,
  },
  unknownFunction: {
    where: "flow",
    rule: "a condition calls only the functions CEL gives",
    say: (name: string) => `unknown function ${q(name)}`,
  },
  matchesLiteral: {
    where: "flow",
    rule: "a matches() pattern is written out, so it is checked at load",
    say: () =>
      'matches(): write the pattern out as a quoted string, like matches("^[0-9]+$"), so that it is checked when the flow is loaded',
  },
  templateParse: {
    where: "flow",
    rule: "a template is valid Liquid",
    say: (why: string) => `template does not parse: ${why}`,
  },
  sentHoldsLeadOnly: {
    where: "flow",
    rule: "a draft sent to another agency carries only what its reader needs",
    say: sentHolds,
  },
  sentReadsLeadOnly: {
    where: "flow",
    rule: "a draft sent to another agency reads nothing meant for the lead",
    say: (path: string, document: string) => sentHolds(`reads ${path}, which is for the lead`, document),
  },
  noFlow: {
    where: "cli",
    rule: "a flow is a bundled name or a .flow.yaml path",
    say: (name: string, bundled: readonly string[]) =>
      `no flow ${q(name)}: bundled flows are ${bundled.join(", ")}, or give a path to a .flow.yaml file`,
  },
  noFlowInFolder: {
    where: "cli",
    rule: "a folder given as a flow holds one .flow.yaml",
    say: (given: string) =>
      `${given} is a folder with no .flow.yaml file in it: give the path of a .flow.yaml file`,
  },
  manyFlowsInFolder: {
    where: "cli",
    rule: "a folder given as a flow holds one .flow.yaml",
    say: (given: string, names: readonly string[]) =>
      `${given} holds ${plural(names.length, "flow")} (${names.map((n) => `${n}.flow.yaml`).join(", ")}): give the path of one`,
  },
  cannotReadLocality: {
    where: "files",
    rule: "the locality file can be read",
    say: (file: string) => `cannot read the locality file ${file}`,
  },
  linkToNothing: {
    where: "files",
    rule: "a link leads to a file",
    say: (file: string) => `${file} cannot be read (a link to nothing?)`,
  },
  linkOutside: {
    where: "files",
    rule: "files are read only from their own folder",
    say: (file: string, folder: string) =>
      `${file} is a link to a file outside the ${folder}: files are read only from that folder`,
  },

  // A case file, an answer, a date.
  caseNotMapping: {
    where: "case",
    rule: "a case file is a mapping of facts",
    say: () => "a case file is a mapping of facts (see README 'Case files')",
  },
  givenTwice: {
    where: "case",
    rule: "each fact (each key of a mapping) is given once",
    say: (firstLine: number) => `is given twice (first at line ${firstLine}): keep one`,
  },
  ageOver: {
    where: "case",
    rule: "a date of birth gives a plausible age",
    say: (dob: string, max: number, on: string) =>
      `${q(dob)} gives an age over ${max} on ${on}: check the year`,
  },
  notADate: {
    where: "case",
    rule: "a date is written YYYY-MM-DD",
    say: notADate,
  },
  implausibleDate: {
    where: "case",
    rule: "a date is between the years the program reckons with",
    say: implausibleDate,
  },
  outsideHolidayYears: {
    where: "case",
    rule: "a date deadlines may count from is in the years whose bank holidays the program knows",
    say: outsideHolidayYears,
  },
  workingDaysOutsideHolidayYears: {
    where: "case",
    rule: "a deadline is counted within the years whose bank holidays the program knows",
    say: (year: number, first: number, last: number) =>
      `a deadline or a step's lateness reaches ${year}, outside the years whose bank holidays safeguard knows (${first} to ${last}), so its working days cannot be counted: check the case's dates and the date it is worked out on`,
  },
  cannotReadCase: {
    where: "files",
    rule: "a case file can be read",
    say: (file: string, why: string) => `cannot read the case file ${file}: ${why}`,
  },
  caseIsFolder: {
    where: "files",
    rule: "a case file is a file",
    say: (file: string) => `${file} is a folder, not a case file`,
  },
  caseTooLarge: {
    where: "case",
    rule: "a case file is small enough to be a case",
    say: (file: string, mb: number, why = "is it the right file?") =>
      `${file} is larger than ${mb} MB: ${why}`,
  },
  notUtf8: {
    where: "case",
    rule: "a case file is UTF-8 text",
    say: (where: string) => `${where}: is not UTF-8 text (save it as UTF-8 and try again)`,
  },
  cannotRead: {
    where: "files",
    rule: "a file given can be read",
    say: (file: string, why: string) => `cannot read ${file}: ${why}`,
  },
  cannotReadLexicon: {
    where: "lexicon",
    rule: "the language lexicon can be read",
    say: (code?: string) => `cannot read the language lexicon${code ? ` (${code})` : ""}`,
  },

  notAList: {
    where: "case",
    rule: "a list fact is given as a list of its values",
    say: (values: readonly string[]) => `should be a list of: ${values.join(", ")}`,
  },
  notSingle: {
    where: "case",
    rule: "a fact that is not a list is given one value",
    say: (what: string) => `should be a single ${what}`,
  },
  derivedInCase: {
    where: "case",
    rule: "a fact safeguard works out is not given in a case file",
    say: () => "is worked out by safeguard and cannot be set in a case file",
  },
  dateDoubt: {
    where: "case",
    rule: "a date that is likely a slip is checked before it is kept (a warning)",
    say: (value: string, why: "future" | "age", today: string, age = 0, max = 0) =>
      why === "future"
        ? `${value} is after today (${today}): that is in the future.`
        : `${value} gives an age of ${age} on ${today}: over ${max}.`,
  },
  notAmongValues: {
    where: "case",
    rule: "a choice or list answer is one of the fact's values",
    say: (given: string, values: readonly string[], hint: string) =>
      `${given} is not one of: ${values.join(", ")}${hint}`,
  },
  standsAlone: {
    where: "case",
    rule: "a value that stands alone is given by itself",
    say: (alone: string, others: readonly string[]) =>
      `${q(alone)} stands alone: give it by itself, or leave it out and give the others (${others.join(", ")})`,
  },
  shouldBe: {
    where: "case",
    rule: "an answer is of its fact's type",
    say: (given: string, type: "true or false" | "a whole number" | "text") => `${given} should be ${type}`,
  },
  outOfRange: {
    where: "case",
    rule: "a number is within its fact's range",
    say: (n: number, side: "below" | "above", bound: number) => `${n} is ${side} ${bound}`,
  },
  caseIdTooLong: {
    where: "case",
    rule: "a case reference is short enough to name a folder",
    say: (length: number, max: number) =>
      `is ${length} characters long: a case reference is at most ${max} (give the reference your records use)`,
  },
  caseUnreadable: {
    where: "case",
    rule: "a case of a batch can be read",
    say: () => "cannot read it",
  },
  caseNotWorkedOut: {
    where: "case",
    rule: "one case that cannot be decided never stops the others",
    say: (why: string) => `could not work out this case's pathway: ${why}`,
  },
  patternUnusable: {
    where: "flow",
    rule: "a matches() pattern is RE2, which runs in linear time",
    say: (why: string) =>
      `matches(): the pattern cannot be used (${why}): patterns are RE2 syntax, which always runs ` +
      "in time linear in the answer, so it has no backreferences (\\1) or lookarounds ((?=…), (?<=…))",
  },
  includeNeedsQuotes: {
    where: "flow",
    rule: "an include names its file in quotes",
    say: (tag: string) =>
      `${tag} needs the file name in quotes, like {% ${tag} 'part.md' %} (a file of the flow's templates folder)`,
  },
  includeOutside: {
    where: "flow",
    rule: "a template includes only files of its own templates folder",
    say: (tag: string, name: string) =>
      `${tag} ${q(name)}: a template may include only another file of the flow's own templates folder, by its name there`,
  },
  includeNoFile: {
    where: "flow",
    rule: "an included template exists",
    say: (tag: string, name: string, hint: string) =>
      `${tag} ${q(name)}: no such file in the flow's templates folder${hint}`,
  },
  includeLoop: {
    where: "flow",
    rule: "a template never includes itself",
    say: (tag: string, name: string, chain: readonly string[]) =>
      `${tag} ${q(name)}: ${chain.join(" includes ")}: a template may not include itself, however deep`,
  },
  flowControl: {
    where: "flow",
    rule: "a flow's words hold no control character",
    say: (ch: string) =>
      `holds the control character U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}: a flow's words are shown on terminals and written into drafts, so they may hold no control or invisible formatting character (remove it)`,
  },
  includeTooMany: {
    where: "flow",
    rule: "a document is made of a bounded number of templates",
    say: (tag: string, name: string, self: string, max: number) =>
      `${tag} ${q(name)}: ${self} would be made of more than ${max} templates, counting each include as often as it is reached (a template that includes another twice, which includes another twice, … doubles each time): include fewer`,
  },
  templateUnknownName: {
    where: "flow",
    rule: "a template reads only the names a draft is given",
    say: (name: string, hint: string) => `unknown name ${q(name)}${hint}`,
  },
  anonymousReads: {
    where: "flow",
    rule: "a duty-to-notify draft carries no identifying detail of the person",
    say: (what: string, document: string) =>
      `${what}: ${document} must carry no identifying detail of the person`,
  },

  // The command line.
  optionNotADate: {
    where: "cli",
    rule: "a date option is written YYYY-MM-DD",
    say: (option: string, value: string) => `${option} ${notADate(value)}`,
  },
  optionImplausibleDate: {
    where: "cli",
    rule: "a date option is between the years the program reckons with",
    say: (option: string, value: string, first: number, last: number) =>
      `${option} ${implausibleDate(value, first, last)}`,
  },
  optionOutsideHolidayYears: {
    where: "cli",
    rule: "a date option is in the years whose bank holidays the program knows",
    say: (option: string, value: string, first: number, last: number) =>
      `${option} ${outsideHolidayYears(value, first, last)}`,
  },
  notOneOf: {
    where: "cli",
    rule: "an option takes one of its values",
    say: (option: string, value: string, allowed: readonly string[]) =>
      `${option} ${q(value)} is not one of: ${allowed.join(", ")}`,
  },
  formatNeedsOut: {
    where: "cli",
    rule: "Word drafts and the PNG picture are files",
    say: () => "--format docx or png writes files: give --out DIR as well",
  },
  formats: {
    where: "cli",
    rule: "--format is md, docx, png or a list of them",
    say: (format: string) => `--format ${format}: use md, docx or png, or a list such as md,docx,png`,
  },
  pngToTerminal: {
    where: "cli",
    rule: "a picture goes to a file",
    say: () => "--format png writes a picture: send it to a file (> slide.png)",
  },
  wholeNumber: {
    where: "cli",
    rule: "a count option is a whole number in its range",
    say: (option: string, value: string, what: string) => `${option} ${q(value)}: ${what}`,
  },
  notADuration: {
    where: "cli",
    rule: "--older-than is a duration",
    say: (value: string) =>
      `--older-than ${q(value)} is not a duration: use days, weeks or hours, like 30d, 4w or 12h`,
  },
  jsonNeedsCase: {
    where: "cli",
    rule: "--json prints a case file's result",
    say: () => "--json prints the result for a case file: use it with --answers CASE.yaml",
  },
  noTerminal: {
    where: "cli",
    rule: "the wizard needs a terminal",
    say: (what: string, hint: string) => `there is no terminal to ${what}: ${hint}`,
  },
  batchNeedsOut: {
    where: "cli",
    rule: "batch writes each case to a folder",
    say: () => "batch needs --out DIR: each case is written to DIR/<case_id>/",
  },
  batchNeedsInput: {
    where: "cli",
    rule: "batch is given cases",
    say: () => "give case files, folders, globs, or - for NDJSON on standard input",
  },
  noCaseFiles: {
    where: "cli",
    rule: "batch finds a case in what it is given",
    say: (args: readonly string[]) => `no case files found in: ${args.join(" ")}`,
  },
  noSchema: {
    where: "cli",
    rule: "schema prints the case, result, scenario or story schema",
    say: (which: string, names: readonly string[]) =>
      `no schema ${q(which)}: use ${names.slice(0, -1).join(", ")} or ${names.at(-1)}`,
  },
  nothingCalled: {
    where: "cli",
    rule: "explain takes an id the flow defines",
    say: (id: string, suggestion: string | undefined, program: string) =>
      `nothing called ${q(id)} in the flow${suggestion ? `; did you mean ${q(suggestion)}?` : "."} ` +
      `Give an action, fact, document, named condition or section id (${program} flows graph --format text lists them).`,
  },
  noSection: {
    where: "cli",
    rule: "--section names a section of the decisions",
    say: (name: string, hint: string, sections: readonly string[]) =>
      `no section ${q(name)}${hint} The sections: ${sections.join(", ")}`,
  },
  noSuchSlide: {
    where: "cli",
    rule: "--slide is one of the section's slides",
    say: (section: string, slides: number, slide: string) =>
      slides > 1
        ? `${section} has slides 1 to ${slides}, not ${q(slide)}`
        : `${section} fits one slide: use --section ${section}`,
  },
  noScenario: {
    where: "scenario",
    rule: "a scenario is a bundled name or a case file",
    say: (name: string, hint: string | undefined) =>
      `no scenario ${q(name)}${hint ? ` (did you mean ${q(hint)}?)` : ""}: give one of these names, or a path to a case file:`,
  },
  scenarioToday: {
    where: "scenario",
    rule: "a scenario's today is a date",
    say: (file: string, today: string) => `${file}: today: ${notADate(today)}`,
  },
  outIsFile: {
    where: "files",
    rule: "--out is a folder",
    say: (path: string) => `${path} is a file, not a folder: choose another --out`,
  },
  notOwnerOnly: {
    where: "files",
    rule: "a case folder is readable by its owner only, or it is said that it is not",
    say: (folder: string) =>
      `Note: ${folder} is not readable by you only: its drive keeps no permissions (exFAT or FAT, ` +
      "as most USB sticks are), so anyone who can read the drive can read the drafts. " +
      "Keep the drive with you, or write the case to a folder on your own (encrypted) disk.",
  },
  clearAlone: {
    where: "cli",
    rule: "referrer --clear is given alone",
    say: () => "--clear removes every detail: give it alone, or change details one by one",
  },
  referrerNotChanged: {
    where: "cli",
    rule: "referrer details are valid",
    say: () => "referrer details not changed",
  },
  referrerTooLong: {
    where: "cli",
    rule: "a referrer detail is short",
    say: (field: string, max: number) => `${field} is longer than ${max} characters`,
  },
  referrerControl: {
    where: "cli",
    rule: "a referrer detail is plain text",
    say: (field: string) => `${field} holds a control character`,
  },
  notAnEmail: {
    where: "cli",
    rule: "an email address is name@place",
    say: (value: string) => `${q(value)} is not an email address (name@example.org)`,
  },
  notAPhone: {
    where: "cli",
    rule: "a phone number is digits",
    say: (value: string) => `${q(value)} is not a phone number (digits, spaces, + ( ) -)`,
  },
  referrerFile: {
    where: "files",
    rule: "the saved referrer details are a JSON object of usable details",
    say: (file: string, what: "unreadable" | "not JSON" | "not details") =>
      what === "unreadable"
        ? `${file} cannot be read`
        : what === "not JSON"
          ? `${file} is not valid JSON`
          : `${file} does not hold referrer details`,
  },
  referrerFieldUnusable: {
    where: "files",
    rule: "each saved referrer detail can be used",
    say: (file: string, field: string) => `${file}: the ${field} saved there cannot be used`,
  },
  draftsNotWritten: {
    where: "files",
    rule: "the wizard writes the drafts to a folder it can write to",
    say: (folder: string, why: string) => `Cannot write to ${folder} (${why}): choose another folder.`,
  },
  draftsRefused: {
    where: "files",
    rule: "the wizard writes the drafts only where writing loses nothing",
    say: (why: string) => `${why}.`,
  },
  referrerDamaged: {
    where: "files",
    rule: "the saved referrer details can be read",
    say: (problem: string) => `${problem}: set the details again (safeguard referrer --name …) or --clear`,
  },

  // The wizard's saved sessions.
  noSession: {
    where: "session",
    rule: "a session id is one that is saved",
    say: (id: string, hint: string, program: string) =>
      `there is no session ${q(id)}${hint}: ${program} sessions lists them`,
  },
  noUnfinishedSession: {
    where: "session",
    rule: "resume carries on an unfinished session",
    say: (program: string) =>
      `there is no unfinished session to resume: ${program} sessions lists them all; ${program} starts a new one`,
  },
  sessionRemoved: {
    where: "session",
    rule: "a session is there while it is resumed",
    say: (id: string, program: string) =>
      `session ${id} was removed meanwhile: ${program} sessions lists them`,
  },
  sessionUnreadable: {
    where: "session",
    rule: "a session file can be read",
    say: () => "it cannot be read",
  },
  sessionDamaged: {
    where: "session",
    rule: "a session file can be read",
    say: (id: string, file: string, why: string, program: string) =>
      `session ${id} cannot be read: ${file} is damaged (${why}). ` +
      `Its answers may still be in it: open it in a text editor, or start again with ${program} ` +
      `(${program} sessions rm ${id} --force removes it)`,
  },
  beingOpened: {
    where: "session",
    rule: "one window at a time has a session or a case's history open",
    say: (what: string) => `${what} is being opened in another safeguard window: try again`,
  },
  openElsewhere: {
    where: "session",
    rule: "one window at a time has a session or a case's history open",
    say: (what: string, owner: string, hint: string) =>
      `${what} is open in another safeguard window (${owner}): ${hint}`,
  },
  openOnAnotherComputer: {
    where: "session",
    rule: "a lock another computer holds never blocks for ever: it is named, with how to clear it",
    say: (what: string, owner: string, hint: string, file: string) =>
      `${what} is open in another safeguard window (${owner}): ${hint}. ` +
      `This computer cannot tell whether that window is still open: if it is not, remove its lock ${file}, and try again`,
  },
  lockUnreadable: {
    where: "session",
    rule: "a lock that cannot be read never blocks for ever: it is named, with how to clear it",
    say: (what: string, file: string, why: LockDoubt) =>
      `${what} may be open in another safeguard window: its lock ${file} ` +
      `${why === "a link" || why === "not a lock" ? `is ${why === "a link" ? "a link" : "not a file safeguard wrote"}` : `cannot be read (${why})`}, ` +
      "so whether a window holds it cannot be told. If no safeguard window has it open, remove that file, and try again",
  },
  sessionOpenToRemove: {
    where: "session",
    rule: "a session open in a window is not removed",
    say: (id: string, owner: string) =>
      `session ${id} is open in a safeguard window (${owner}): stop it there first (Ctrl-C saves the answers)`,
  },
  sessionMayBeOpenToRemove: {
    where: "session",
    rule: "a session another computer's window may hold, or whose lock cannot be read, is removed only with --force",
    say: (id: string, owner: string, file: string) =>
      `session ${id} may be open in a safeguard window (${owner}; its lock is ${file}): ` +
      "stop it there first; if no window has it open, add --force to remove it and its lock",
  },
  lockFolderKept: {
    where: "session",
    rule: "a folder at a lock's path is removed with the session only when it holds nothing or only locks",
    say: (id: string, file: string) =>
      `session ${id} was not removed: its lock's place ${file} is a folder holding files that are not locks. ` +
      "Look at what is in it, move it away, and try again",
  },
  sessionDamagedToRemove: {
    where: "session",
    rule: "a session that may be unfinished is removed only with --force",
    say: (id: string, why: string, file: string) =>
      `session ${id} cannot be read (${why}), so it may be unfinished: ` +
      `its answers may still be in ${file}; add --force to delete it`,
  },
  sessionUnfinished: {
    where: "session",
    rule: "an unfinished session is removed only with --force",
    say: (id: string, program: string) =>
      `session ${id} is not finished: carry on with ${program} resume ${id}, or add --force to delete its answers`,
  },

  // The wizard's answers.
  listGoesAlone: {
    where: "case",
    rule: "not known, none of these and a value that stands alone are ticked by themselves",
    say: (choice: string) => `${choice} goes on its own: untick it, or untick the others (space)`,
  },
  listNeedsChoice: {
    where: "case",
    rule: "a list that cannot be not known needs a choice",
    say: (offerNone: boolean) =>
      `A choice is needed here (it cannot be not known): tick what applies${offerNone ? ", or None of these" : ""} (space), then Enter`,
  },

  // The language lexicon.
  idUsedTwice: {
    where: "lexicon",
    rule: "an entry's id is its own",
    say: (id: string, before: number) => `id ${q(id)} is also used by entries[${before}]`,
  },
  alreadyListed: {
    where: "lexicon",
    rule: "a phrase is listed once",
    say: (phrase: string, where: string) => `${q(phrase)} is already listed ${where}`,
  },
  patternNests: {
    where: "lexicon",
    rule: "a phrase's {…} groups do not nest",
    say: (pattern: string) => `${q(pattern)}: groups {…} cannot nest`,
  },
  patternStray: {
    where: "lexicon",
    rule: "| and } belong to a {…} group",
    say: (pattern: string, what: "|" | "}") =>
      what === "|" ? `${q(pattern)}: "|" belongs inside {…}` : `${q(pattern)}: "}" without "{"`,
  },
  patternOneAlternative: {
    where: "lexicon",
    rule: "a {…} group gives two or more alternatives",
    say: (pattern: string) => `${q(pattern)}: a {…} group needs two or more alternatives`,
  },
  patternCharacter: {
    where: "lexicon",
    rule: "a phrase is letters, digits, spaces, hyphens, apostrophes and {a|b}",
    say: (pattern: string, ch: string) =>
      `${q(pattern)}: ${q(ch)} is not allowed; use letters, digits, spaces, hyphens, apostrophes and {a|b} for alternatives`,
  },
  patternUnclosed: {
    where: "lexicon",
    rule: "a {…} group is closed",
    say: (pattern: string) => `${q(pattern)}: "{" is never closed`,
  },
  patternTooMany: {
    where: "lexicon",
    rule: "a phrase spells out a bounded number of phrases",
    say: (pattern: string, max: number) => `${q(pattern)} spells out more than ${max} phrases; split it`,
  },
  patternEdges: {
    where: "lexicon",
    rule: "each phrase starts and ends with a letter or digit",
    say: (pattern: string, tidy: string) =>
      `${q(pattern)} gives ${q(tidy)}, which does not start and end with a letter or digit`,
  },
  exceptMatchesNone: {
    where: "lexicon",
    rule: "an exception contains one of its entry's phrases",
    say: (variant: string) => `${q(variant)} contains none of this entry's phrases`,
  },
  // The trainers' pack.
  packNeedsOut: {
    where: "cli",
    rule: "the training pack is written to a folder the trainer names",
    say: () => "training-pack writes a folder: give --out DIR",
  },
  sessionLength: {
    where: "cli",
    rule: "a session plan is made for 45 or 90 minutes",
    say: (given: string) => `--minutes: ${q(given)} is not a session length we plan for: give 45 or 90`,
  },
  noTrainingStory: {
    where: "cli",
    rule: "--stories names training stories the program has",
    say: (unknown: readonly string[], choices: string) =>
      `--stories: ${unknown.length > 0 ? `no training story ${unknown.map(q).join(", ")}` : "no story given"}; choose from ${choices}`,
  },
  storyNeedsDay: {
    where: "scenario",
    rule: "a training story says the day it is told on, so its dates are worked out as on that day",
    say: (file: string) => `${file}: a training story needs the day it is told on (today:)`,
  },
  storiesDoNotFit: {
    where: "cli",
    rule: "each story in a session has at least 5 minutes",
    say: (n: number, minutes: number, most: number) =>
      `${n} stories do not fit in ${minutes} minutes: each needs at least 5 minutes, so choose at most ${most} (--stories), or --minutes 90`,
  },
  // A case over time.
  doneNotAMap: {
    where: "case",
    rule: "done: gives each step marked done with the date it was done",
    say: () => "should be a mapping of steps to the date each was done (done: { mash-referral: 2026-12-01 })",
  },
  noSuchStep: {
    where: "case",
    rule: "a step marked done is a step of the flow",
    say: (id: string, hint: string) => `no step ${q(id)} in this flow${hint}`,
  },
  doneAfterToday: {
    where: "cli",
    rule: "a step is marked done on or before today",
    say: (date: string, today: string) =>
      `--date ${date} is after today (${today}): a step is marked done once it is done`,
  },
  noHistoryYet: {
    where: "files",
    rule: "a step is marked done in a case folder that keeps the facts it was decided from",
    say: (given: string, out: string) =>
      `${given} has no history of its facts yet: write it again with run --answers CASE.yaml --out ${out}, then mark the step`,
  },
  redactedCopy: {
    where: "files",
    rule: "a redacted copy is never the case's record",
    say: (given: string) =>
      `${given} is a redacted copy: mark the step done in the original case folder, then redact it again`,
  },
  doneDayAfterToday: {
    where: "session",
    rule: "a step is marked done on or before today",
    say: (day: string) => `${day} is after today: a step is marked done once it is done`,
  },
  noHistoryToUpdate: {
    where: "files",
    rule: "a case is updated from the facts its folder's history keeps",
    say: (given: string, out: string) =>
      `${given} has no history of its facts yet: write it again with run --answers CASE.yaml --out ${out}, then update it`,
  },
  redactedUpdate: {
    where: "files",
    rule: "a redacted copy is never the case's record",
    say: (given: string) =>
      `${given} is a redacted copy: update the original case folder, then redact it again`,
  },
  doneNotRecommended: {
    where: "case",
    rule: "a step marked done in a case file is one the pathway recommends",
    say: (why: string) =>
      `cannot be marked done: ${why}. Take it out of done:, or give the facts that make it a step`,
  },
  cannotMarkDone: {
    where: "cli",
    rule: "only a step the pathway recommends can be marked done",
    say: (step: string, why: string) => `cannot mark ${q(step)} done: ${why}`,
  },
  notACaseFolder: {
    where: "files",
    rule: "a case folder is one safeguard wrote (it holds its manifest)",
    say: (given: string) =>
      `${given} is not a case folder safeguard wrote (give the folder run --out made: OUT/CASE_ID)`,
  },
  casePlaceNotAFolder: {
    where: "files",
    rule: "a case is written only to a folder of its own",
    say: (folder: string) => `${folder} exists and is not a folder: choose another --out`,
  },
  casePlaceIsLink: {
    where: "files",
    rule: "a case folder is never written through a link",
    say: (folder: string) =>
      `${folder} is a link: a case folder is never written through one; choose another --out, or remove the link`,
  },
  casePlaceNotOurs: {
    where: "files",
    rule: "a folder safeguard did not write is never written into (an empty one, or one holding only a lock no window holds, is written as a new case)",
    say: (folder: string, files: string) =>
      `${folder} holds files safeguard did not write (${files}): it was not replaced; choose another --out, or move the folder`,
  },
  casePlaceOtherCase: {
    where: "files",
    rule: "a case folder holds one case",
    say: (folder: string) =>
      `${folder} holds another case: it was not replaced; give this case its own case_id, or choose another --out`,
  },
  casePlaceFilledMeanwhile: {
    where: "files",
    rule: "a new case folder is never merged with what appears at its place while it is written",
    say: (folder: string) =>
      `${folder} was filled by something else while this case was written: nothing in it was changed; run again`,
  },
  caseChangedMeanwhile: {
    where: "files",
    rule: "a case is read, decided and written as one: a write by another window in between is never overwritten",
    say: (caseId: string) =>
      `case ${caseId} was changed by another window while this batch worked it out: nothing written; run it again`,
  },
  noKnownCases: {
    where: "cli",
    rule: "due and cases with no folder given list the cases the data folder knows",
    say: (command: string, file: string) =>
      `your data folder knows no case yet (${file}): run a case with --out first, or give the case folders, or the --out folder that holds them: safeguard ${command} drafts`,
  },
  unknownCase: {
    where: "cli",
    rule: "a case is given as its folder, or a case reference the data folder knows",
    say: (given: string, known: readonly string[]) =>
      `${given} is neither a case folder nor a case reference your data folder knows: give the case folder run --out made (OUT/CASE_ID)${known.length > 0 ? `, or one of: ${known.slice(0, 12).join(", ")}${known.length > 12 ? ` (safeguard cases lists all ${known.length})` : ""}` : ""}`,
  },
  ambiguousCase: {
    where: "cli",
    rule: "a case reference names one case folder",
    say: (given: string, folders: readonly string[]) =>
      `case ${given} is in ${folders.length} case folders your data folder knows: give the folder instead, one of: ${folders.join(", ")}`,
  },
  caseIndexNotKept: {
    where: "files",
    rule: "each case folder written is added to the data folder's list of cases",
    say: (file: string, why: string) =>
      `the case is written, but not added to your list of cases (${file}): ${why}`,
  },
  casesGone: {
    where: "files",
    rule: "a case folder the data folder knew that is gone is skipped, and said once",
    say: (folders: readonly string[]) =>
      `${folders.length === 1 ? "A case folder your data folder knew is" : `${folders.length} case folders your data folder knew are`} gone (moved or deleted), left out and forgotten: ${folders.join(", ")}`,
  },
  wholeDays: {
    where: "cli",
    rule: "--within is a whole number of days",
    say: (given: string) => `--within ${given}: give a whole number of days, like 7`,
  },
  cannotReadFolder: {
    where: "files",
    rule: "due and cases read the case folders given",
    say: (given: string) => `cannot read ${given}: give a case folder, or the --out folder holding them`,
  },
  noCaseFolders: {
    where: "files",
    rule: "a folder given to due or cases holds case folders safeguard wrote",
    say: (given: string) => `${given} holds no case folder safeguard wrote`,
  },
  closeNeedsReason: {
    where: "cli",
    rule: "a case is closed with its reason, for its chronology",
    say: () => 'say why the case is closed: safeguard close CASE --reason "no further concerns"',
  },
  redactedNotClosed: {
    where: "cli",
    rule: "a redacted copy is never the case's record",
    say: (given: string, kind: "close" | "reopen") =>
      `${given} is a redacted copy: ${kind} the case in its original folder, then redact it again`,
  },
  alreadyClosed: {
    where: "cli",
    rule: "a case is closed once until it is reopened",
    say: (given: string, date: string) =>
      `${given} was closed on ${date}: safeguard reopen ${given} first to close it again`,
  },
  notClosed: {
    where: "cli",
    rule: "only a closed case is reopened",
    say: (given: string) => `${given} is not closed: there is nothing to reopen`,
  },
  unreadablePathway: {
    where: "files",
    rule: "a case folder's pathway.json is as safeguard wrote it",
    say: (folder: string) =>
      `${folder}: its pathway.json cannot be read: write the case again with run --out`,
  },

  // The shell's own options.
  completionShell: {
    where: "cli",
    rule: "completion is written for a shell it knows",
    say: (shell: string, shells: readonly string[]) =>
      `completion for ${q(shell)}: give one of ${shells.join(", ")}`,
  },
  demoJsonList: {
    where: "cli",
    rule: "demo --json prints the list of scenarios",
    say: () => "demo --json prints the list of scenarios: give no scenario name",
  },
  stdinTooLarge: {
    where: "case",
    rule: "a case is at most the size a case file may be",
    say: (file: string, mb: number) => `the case on ${file} is larger than ${mb} MB: is it the right input?`,
  },
} satisfies Record<string, Kind>;

type Catalogue = typeof PROBLEMS;

/** What to say for each kind of problem: `say.unknown("fact", id, hint)`. */
export const say = Object.fromEntries(Object.entries(PROBLEMS).map(([k, v]) => [k, v.say])) as {
  [K in keyof Catalogue]: Catalogue[K]["say"];
};
