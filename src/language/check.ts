import { plainIssues } from "../flow/issues.js";
import { zod } from "../flow/zod.js";
import { say } from "../words/problems.js";

/**
 * The victim-blaming language checker (Procedures §7 "Language Matters"). Pure: the
 * lexicon comes in as data (flows/language.yaml, read by src/io/lexicon.ts), text comes in as a
 * string, findings go out.
 *
 * Matching rules (documented for the people who edit the lexicon in its YAML header):
 * - case-insensitive, whole words only: a phrase must not have a letter or digit just
 *   before or after it, so "partner" does not match "partnership" and "provocative" does
 *   not match "provocatively" (the lexicon lists that form itself);
 * - a space in a phrase matches any run of whitespace (line breaks too) or hyphens, a
 *   hyphen matches hyphens, whitespace or nothing, an apostrophe matches ' or ’;
 * - where matches overlap the longest wins ("older boyfriend" over "boyfriend");
 * - a match inside quotation marks ("…", “…” or ‘…’, within one paragraph) is someone's
 *   own words: it is reported with `quoted: true` and a softer note. Straight single
 *   quotes are not treated as quotation marks: they are too often apostrophes.
 */

/** One row of the lexicon, as written in flows/language.yaml. */
export interface LanguageEntry {
  id: string;
  /** Phrases with the small {a|b} pattern syntax; see flows/language.yaml. */
  phrases: string[];
  why: string;
  suggest: string[];
  cite: string;
  /** For rows that are only wrong in some contexts: the finding asks the reader to check. */
  context?: string | undefined;
  /** Phrases containing one of ours that are fine ("partner agencies"). */
  except?: string[] | undefined;
}

interface Matcher {
  variant: string;
  re: RegExp;
}

/** A lexicon row after loading: every variant spelled out and ready to match. */
export interface LexiconEntry extends LanguageEntry {
  readonly variants: readonly string[];
  readonly matchers: readonly Matcher[];
  readonly exceptMatchers: readonly Matcher[];
}

export interface Lexicon {
  version: string;
  source: string;
  entries: readonly LexiconEntry[];
}

export interface Finding {
  /** 1-based. */
  line: number;
  /** 1-based, in characters (Unicode code points) from the start of the line. */
  column: number;
  /** The text as written, with any run of whitespace (a line break) shown as one space. */
  phrase: string;
  entryId: string;
  why: string;
  /** The entry's suggestions joined; for quoted phrases, preceded by QUOTED_NOTE. */
  suggestion: string;
  quoted: boolean;
  cite: string;
}

export const QUOTED_NOTE = "quoted as someone's words: quote with care and say who said it";

/** A problem in the lexicon: where (dot-path into the YAML) and what. */
export interface LexiconProblem {
  path: (string | number)[];
  message: string;
}

const MAX_VARIANTS = 500;

/** The lexicon's schemas, built (and zod loaded) only when a lexicon is checked. */
function lexiconSchemas() {
  const z = zod();
  const fileSchema = z.strictObject({
    version: z.string().min(1),
    source: z.string().min(1),
    entries: z.array(z.unknown()).min(1),
  });

  const entrySchema = z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lower-case letters, digits and hyphens"),
    phrases: z.array(z.string().min(1)).min(1),
    why: z.string().min(1),
    suggest: z.array(z.string().min(1)).min(1),
    cite: z.string().min(1),
    context: z.string().min(1).optional(),
    except: z.array(z.string().min(1)).min(1).optional(),
  });
  return { fileSchema, entrySchema };
}
let schemas: ReturnType<typeof lexiconSchemas> | undefined;

const emptyLexicon = (): Lexicon => ({ version: "", source: "", entries: [] });

/** Validates and compiles the parsed YAML; problems are messages for a person. */
export function compileLexicon(raw: unknown): { lexicon: Lexicon; problems: string[] } {
  const { lexicon, problems } = compileLexiconDetailed(raw);
  return {
    lexicon,
    problems: problems.map((p) => (p.path.length ? `${dotPath(p.path)}: ${p.message}` : p.message)),
  };
}

/** As compileLexicon, with each problem's path kept so a loader can give line and column. */
export function compileLexiconDetailed(raw: unknown): { lexicon: Lexicon; problems: LexiconProblem[] } {
  const problems: LexiconProblem[] = [];
  schemas ??= lexiconSchemas();
  const { fileSchema, entrySchema } = schemas;
  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    for (const issue of plainIssues(fileSchema, raw, top.error.issues))
      problems.push({ path: issue.path, message: issue.message });
    return { lexicon: emptyLexicon(), problems };
  }
  const entries: LexiconEntry[] = [];
  const ids = new Map<string, number>();
  // Normalised variant -> where it was first listed, so one phrase has one meaning.
  const seen = new Map<string, { entry: string; index: number }>();
  top.data.entries.forEach((rawEntry, i) => {
    const at = (...rest: (string | number)[]) => ["entries", i, ...rest];
    const parsed = entrySchema.safeParse(rawEntry);
    if (!parsed.success) {
      for (const issue of plainIssues(entrySchema, rawEntry, parsed.error.issues))
        problems.push({ path: at(...issue.path), message: issue.message });
      return;
    }
    const e = parsed.data;
    const before = ids.get(e.id);
    if (before !== undefined) problems.push({ path: at("id"), message: say.idUsedTwice(e.id, before) });
    else ids.set(e.id, i);

    const variants: string[] = [];
    e.phrases.forEach((pattern, j) => {
      const { variants: vs, problem } = expandPattern(pattern);
      if (problem) {
        problems.push({ path: at("phrases", j), message: problem });
        return;
      }
      for (const v of vs) {
        const key = normalise(v);
        const first = seen.get(key);
        if (first) {
          const where = first.index === i ? "earlier in this entry" : `in entry "${first.entry}"`;
          problems.push({ path: at("phrases", j), message: say.alreadyListed(v, where) });
          continue;
        }
        seen.set(key, { entry: e.id, index: i });
        variants.push(v);
      }
    });
    const matchers = variants.map((variant) => ({ variant, re: phraseRegExp(variant) }));

    const exceptMatchers: Matcher[] = [];
    (e.except ?? []).forEach((pattern, j) => {
      const { variants: vs, problem } = expandPattern(pattern);
      if (problem) {
        problems.push({ path: at("except", j), message: problem });
        return;
      }
      for (const variant of vs) {
        // An exception that holds none of the entry's phrases would never do anything.
        if (!matchers.some((m) => !wholeWords(m.re, variant).next().done)) {
          problems.push({
            path: at("except", j),
            message: say.exceptMatchesNone(variant),
          });
          continue;
        }
        exceptMatchers.push({ variant, re: phraseRegExp(variant) });
      }
    });

    entries.push({
      id: e.id,
      phrases: e.phrases,
      why: e.why,
      suggest: e.suggest,
      cite: e.cite,
      context: e.context,
      except: e.except,
      variants,
      matchers,
      exceptMatchers,
    });
  });
  return { lexicon: { version: top.data.version, source: top.data.source, entries }, problems };
}

/**
 * Spells out a phrase pattern: "{refuses|refused} to engage" -> both phrases. Alternatives
 * may be empty ("choice{|s}"); groups do not nest. Only letters, digits, spaces, hyphens
 * and apostrophes are allowed outside the braces, so nobody writes a regular expression.
 */
export function expandPattern(pattern: string): { variants: string[]; problem?: string } {
  const parts: string[][] = [];
  let literal = "";
  let group: string[] | null = null;
  for (const ch of pattern) {
    if (ch === "{") {
      if (group) return { variants: [], problem: say.patternNests(pattern) };
      parts.push([literal]);
      literal = "";
      group = [];
    } else if (ch === "|") {
      if (!group) return { variants: [], problem: say.patternStray(pattern, "|") };
      group.push(literal);
      literal = "";
    } else if (ch === "}") {
      if (!group) return { variants: [], problem: say.patternStray(pattern, "}") };
      group.push(literal);
      if (group.length < 2) return { variants: [], problem: say.patternOneAlternative(pattern) };
      parts.push(group);
      literal = "";
      group = null;
    } else if (/^[\p{L}\p{N} '’-]$/u.test(ch)) {
      literal += ch;
    } else {
      return {
        variants: [],
        problem: say.patternCharacter(pattern, ch),
      };
    }
  }
  if (group) return { variants: [], problem: say.patternUnclosed(pattern) };
  parts.push([literal]);

  let variants = [""];
  for (const alternatives of parts) {
    variants = variants.flatMap((v) => alternatives.map((a) => v + a));
    if (variants.length > MAX_VARIANTS) {
      return { variants: [], problem: say.patternTooMany(pattern, MAX_VARIANTS) };
    }
  }
  const out: string[] = [];
  for (const v of variants) {
    const tidy = v.replace(/\s+/gu, " ").trim();
    if (!/^[\p{L}\p{N}]/u.test(tidy) || !/[\p{L}\p{N}]$/u.test(tidy)) {
      return {
        variants: [],
        problem: say.patternEdges(pattern, tidy),
      };
    }
    if (!out.includes(tidy)) out.push(tidy);
  }
  return { variants: out };
}

/** The most findings worked out in full: past this, a text needs rewriting, not a list. */
export const MAX_FINDINGS = 1000;

/**
 * Finds every lexicon phrase in the text, sorted by position: at most `limit` of them.
 * Linear in the text and the phrases found (no step rescans the text or the list), so a
 * pasted megabyte is checked in about a second.
 */
export function checkText(text: string, lexicon: Lexicon, limit = Number.POSITIVE_INFINITY): Finding[] {
  interface Candidate {
    start: number;
    end: number;
    entry: LexiconEntry;
    order: number;
  }
  const candidates: Candidate[] = [];
  lexicon.entries.forEach((entry, order) => {
    const excepted: [number, number][] = [];
    for (const m of entry.exceptMatchers) {
      for (const hit of wholeWords(m.re, text)) excepted.push(hit);
    }
    excepted.sort((a, b) => a[0] - b[0]);
    for (const m of entry.matchers) {
      // Hits come in order: sweep the exceptions once, keeping the furthest end so far.
      let i = 0;
      let reach = -1;
      for (const [start, end] of wholeWords(m.re, text)) {
        while (i < excepted.length && (excepted[i] as [number, number])[0] <= start) {
          reach = Math.max(reach, (excepted[i] as [number, number])[1]);
          i++;
        }
        if (reach >= end) continue;
        candidates.push({ start, end, entry, order });
      }
    }
  });

  // Longest first, then earliest, then lexicon order: each keeps its place unless it
  // overlaps one already chosen.
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order);
  const chosen: Candidate[] = [];
  const taken = new Uint8Array(text.length);
  for (const c of candidates) {
    if (taken.subarray(c.start, c.end).includes(1)) continue;
    taken.fill(1, c.start, c.end);
    chosen.push(c);
  }
  chosen.sort((a, b) => a.start - b.start);
  if (chosen.length > limit) chosen.length = limit;

  const quotes = quoteSpans(text).sort((a, b) => a[0] - b[0]);
  const lines = lineStarts(text);
  const columns = columnCounter(text, lines);
  let q = 0;
  let quoteReach = -1;
  return chosen.map(({ start, end, entry }) => {
    // Quoted: some quotation opens before the phrase and closes at or after its end.
    while (q < quotes.length && (quotes[q] as [number, number])[0] < start) {
      quoteReach = Math.max(quoteReach, (quotes[q] as [number, number])[1]);
      q++;
    }
    const quoted = quoteReach >= end;
    const suggestion = entry.suggest.join("; ");
    return {
      ...columns(start),
      phrase: text.slice(start, end).replace(/\s+/gu, " "),
      entryId: entry.id,
      why: entry.context ? `${entry.why}. Check the context: ${entry.context}` : entry.why,
      suggestion: quoted ? `${QUOTED_NOTE}. In your own words: ${suggestion}` : suggestion,
      quoted,
      cite: entry.cite,
    };
  });
}

/**
 * Line and column (in characters, not UTF-16 units) of offsets asked for in increasing
 * order: each part of the text is counted once, however many findings share a line.
 */
function columnCounter(text: string, starts: readonly number[]) {
  let line = 0;
  let at = 0;
  let column = 1;
  return (offset: number): { line: number; column: number } => {
    while (line + 1 < starts.length && (starts[line + 1] as number) <= offset) {
      line++;
      at = starts[line] as number;
      column = 1;
    }
    if (at === 0 && text.startsWith("\uFEFF")) at = 1; // a byte-order mark is not a character
    while (at < offset) {
      const code = text.charCodeAt(at);
      at += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      column++;
    }
    return { line: line + 1, column };
  };
}

// A space may be written as a hyphen and the other way round ("hard-to-reach").
const SEPARATORS = "[\\s\\-\\u2010\\u2011]";

/**
 * A phrase as a regular expression, without the whole-word test: wholeWords does that.
 * (A look-behind and look-ahead for letters in each of some 700 case-insensitive Unicode
 * expressions made V8 spend over a second compiling them on the first two checks.)
 */
function phraseRegExp(variant: string): RegExp {
  let src = "";
  for (const ch of variant) {
    if (ch === " ") src += `${SEPARATORS}+`;
    else if (ch === "-") src += `${SEPARATORS}*`;
    else if (ch === "'" || ch === "’") src += "['\\u2019\\u02BC]";
    else src += ch; // a letter or digit: expandPattern allows nothing else
  }
  return new RegExp(src, "giu");
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** The code point ending just before `at`, or starting at `at`: a letter or digit? */
function wordCharBefore(text: string, at: number): boolean {
  if (at <= 0) return false;
  const low = text.charCodeAt(at - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && at >= 2;
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(pair ? at - 2 : at - 1) as number));
}
function wordCharAt(text: string, at: number): boolean {
  return at < text.length && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(at) as number));
}

/**
 * Every match of a phrase that stands as whole words (no letter or digit just before or
 * after), in order, as [start, end]. A phrase's letters and separators never overlap, so
 * a match is fixed by where it starts; one that is part of a longer word is passed over by
 * one character, exactly as a look-behind and look-ahead in the expression would.
 */
function* wholeWords(re: RegExp, text: string): Generator<[number, number]> {
  re.lastIndex = 0;
  for (;;) {
    const hit = re.exec(text);
    if (!hit) return;
    const start = hit.index;
    const end = start + hit[0].length;
    if (!wordCharBefore(text, start) && !wordCharAt(text, end)) {
      yield [start, end];
      re.lastIndex = end;
    } else {
      const code = text.codePointAt(start) as number;
      re.lastIndex = start + (code > 0xffff ? 2 : 1);
    }
  }
}

/** The key under which two spellings of one phrase count as the same phrase. */
function normalise(variant: string): string {
  return variant
    .toLowerCase()
    .replace(/’/gu, "'")
    .replace(/[\s-]+/gu, " ");
}

/**
 * Spans [opening mark, closing mark] of quotations. Straight double quotes pair up in
 * turn; curly ones open and close explicitly; a ’ between letters is an apostrophe, not a
 * closing quote. A quotation never runs past a blank line: an unclosed mark is dropped
 * there, so one stray quote cannot soften every finding after it.
 */
function quoteSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let straight = -1;
  let curly = -1;
  let single = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") {
      if (paragraphBreakAt(text, i)) straight = curly = single = -1;
    } else if (ch === '"') {
      if (straight < 0) straight = i;
      else {
        spans.push([straight, i]);
        straight = -1;
      }
    } else if (ch === "“") {
      curly = i;
    } else if (ch === "”") {
      if (curly >= 0) spans.push([curly, i]);
      curly = -1;
    } else if (ch === "‘") {
      if (!isWordChar(text[i - 1])) single = i;
    } else if (ch === "’") {
      if (single >= 0 && !isWordChar(text[i + 1])) {
        spans.push([single, i]);
        single = -1;
      }
    }
  }
  return spans;
}

function paragraphBreakAt(text: string, i: number): boolean {
  let j = i + (text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1);
  while (text[j] === " " || text[j] === "\t") j++;
  return text[j] === "\n" || text[j] === "\r";
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** Offsets where each line starts; a line ends at \r\n, \n or \r. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\r" && text[i + 1] === "\n") i++;
    if (ch === "\r" || ch === "\n") starts.push(i + 1);
  }
  return starts;
}

function dotPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out ? `.${k}` : k;
  return out;
}
