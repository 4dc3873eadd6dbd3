/**
 * Answers are data: every renderer that shows a value someone typed passes it through one
 * of these, so that no answer can become Markdown structure, HTML, a calendar property or
 * a terminal escape sequence. Pure.
 */

/** Every line break Markdown, calendars or terminals may honour (a lone CR included). */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/**
 * Control characters (C0 but tab and newline, DEL, C1) and the invisible formatting
 * characters that can reorder or hide text (bidirectional overrides and isolates).
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A control character made visible: `\x1B`, `\u202E`. */
function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).toUpperCase().padStart(2, "0")}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * A value for a terminal: every control character (ESC, OSC, CR, BEL, ...) shown as
 * `\xHH` text, so nothing can move the cursor, rewrite the screen or set the clipboard.
 * A line break is shown as `\n` too unless `multiline` (then it is kept, as "\n").
 */
export function terminalSafe(s: string, opts: { multiline?: boolean } = {}): string {
  const lines = opts.multiline ? s.replace(LINE_BREAK, "\n") : s.replace(LINE_BREAK, (m) => visibleBreak(m));
  return lines.replace(CONTROL, visible);
}

function visibleBreak(m: string): string {
  return m === "\r\n" ? "\\r\\n" : m === "\n" ? "\\n" : m === "\r" ? "\\r" : visible(m);
}

/**
 * What terminalText changes: an SGR colour code as chalk writes it (`ESC[1m`, the only
 * escape safeguard itself prints: kept), a CR, or any other control or invisible formatting
 * character (shown as text: CONTROL, and the line separators a terminal may honour).
 */
const TERMINAL_TEXT =
  /\u001b\[[0-9;]*m|\r|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * A whole block of terminal text that safeguard coloured itself: its own colour codes and
 * line breaks are kept, every other control character made visible. The last line of
 * defence after `terminalSafe` on each value. One pass of one expression (issue 10: a
 * character at a time took 6 ms of every `run`).
 */
export function terminalText(s: string): string {
  return s.replace(TERMINAL_TEXT, (m) => (m.length > 1 ? m : m === "\r" ? "\\r" : visible(m)));
}

/**
 * Characters with a meaning in Markdown or HTML anywhere in a line; and what a renderer turns
 * into a link by itself (GFM's autolinks, markdown-it's linkify, fuzzy or not): an e-mail
 * address's `@`, the first slash of `//` (after `https:`, or on its own), the dot of a name
 * (`www.x`, `x.gov.uk`, `10.0.0.1`: a dot after a character and before a letter or digit, but a
 * number's, `2.5`).
 */
const MD_INLINE = /[\\`*_[\]<>|~&@]|\/(?=\/)|(?<=\S)\.(?=[\p{L}\p{N}])/gu;
const WORD = /^[\p{L}\p{N}]$/u;
const DIGIT = /^\p{N}$/u;

/**
 * One line of inert Markdown: line breaks and tabs folded to a space, control characters shown
 * as `\xHH`, every character Markdown or HTML could read as markup backslash-escaped, and
 * a line start that could open a block (`- `, `1. `, `> `, `=`) escaped too. Renders as
 * exactly the text given, with no link: a web or e-mail address shows as typed
 * (`https:\//x\.org`, `lead\@x\.org` in the Markdown), as in the Word drafts.
 */
export function markdownInline(s: string): string {
  const text = s.replace(LINE_BREAK, " ").replace(/\t/g, " ").replace(CONTROL, visible);
  const address = addressDots(text);
  const one = text.replace(MD_INLINE, (c, i: number, all: string) =>
    // An underscore inside a word (`adult_consents`) is never emphasis, and a number's dot
    // (`2.5`) never a link: left as they are.
    (c === "_" && WORD.test(all[i - 1] ?? "") && WORD.test(all[i + 1] ?? "")) ||
    (c === "." && DIGIT.test(all[i - 1] ?? "") && DIGIT.test(all[i + 1] ?? "") && !address.has(i))
      ? c
      : `\\${c}`,
  );
  return blockStart(one);
}

/** Four or more numbers joined by dots, from the first digit of a number: an IPv4 address to a linkifier. */
const DOTTED_NUMBERS = /(?<!\d)\d+(?:\.\d+){3,}/g;

/** Where the dots of every IPv4-like address in TEXT stand (one pass: each run read once). */
function addressDots(text: string): Set<number> {
  const dots = new Set<number>();
  for (const m of text.matchAll(DOTTED_NUMBERS))
    for (let i = m.index; i < m.index + m[0].length; i++) if (text[i] === ".") dots.add(i);
  return dots;
}

/**
 * Escape what would open a block at the start of a line: a heading or quote (`#`, `>`),
 * a list item or rule (`- `, `+ `, `---`, `1. `), a setext underline (`==`). A sign
 * before a digit or letter (`+44`, `-5`) is left as it is.
 */
function blockStart(line: string): string {
  const m = /^(\s*)(?:([#>])|([-+=])(?![\p{L}\p{N}])|(\d{1,9})([.)]))/u.exec(line);
  if (!m) return line;
  const [all, pad = "", hard, sign, digits, dot] = m;
  const mark = hard ?? sign;
  if (mark !== undefined) return `${pad}\\${mark}${line.slice(all.length)}`;
  return `${pad}${digits}\\${dot}${line.slice(all.length)}`;
}

/**
 * A flow's own words in a draft (a title, a reason, a contact's name): its Markdown kept, as
 * the flow's author writes the templates too, but never HTML, so `<script>` in a custom flow's
 * title is text. `<`, `>` and `&` backslash-escaped: each renders as itself.
 */
export function markdownNoHtml(s: string): string {
  return s.replace(/[<>&]/g, (c) => `\\${c}`);
}

/** A Markdown table cell: inline text, with the pipe escaped (it is, by markdownInline). */
export function markdownCell(s: string): string {
  return markdownInline(s);
}

/**
 * Multi-line text as a Markdown block quote: each line (any line break, a lone CR
 * included) its own `> ` line, each escaped as inert text, so nothing breaks out.
 */
export function markdownQuote(s: string): string {
  return s
    .trim()
    .split(LINE_BREAK)
    .map((l) => (l.trim() === "" ? ">" : `> ${markdownInline(l)}`))
    .join("\n");
}

/**
 * An RFC 5545 TEXT value: backslash, semicolon and comma escaped, every line break as
 * `\n`, and every other control character (a tab included) replaced by a space.
 */
export function icsText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(LINE_BREAK, "\\n")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}
