/**
 * Word wrapping for the terminal: lines broken at spaces to fit the width, never inside a
 * word unless the word alone is wider than the line. Colour codes take no room; wide
 * characters (CJK, most emoji) take two columns.
 */

const ESC = String.fromCharCode(27);
/** A colour or text-attribute code. */
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const SGR_PIECES = new RegExp(`(${ESC}\\[[0-9;]*m)`);
const LEADING_SPACES = new RegExp(`^((?:${ESC}\\[[0-9;]*m)*) +`);

function charWidth(code: number): number {
  if (code < 0x20 || (code >= 0x300 && code <= 0x36f) || code === 0x200d) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Columns a string takes on the terminal. */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(SGR, "")) width += charWidth(ch.codePointAt(0) as number);
  return width;
}

/** A word wider than the line, cut into pieces that fit (colour codes kept whole). */
function cut(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  let used = 0;
  for (const part of word.split(SGR_PIECES)) {
    if (part.startsWith(`${ESC}[`)) {
      piece += part;
      continue;
    }
    for (const ch of part) {
      const w = charWidth(ch.codePointAt(0) as number);
      if (used + w > width && used > 0) {
        pieces.push(piece);
        piece = "";
        used = 0;
      }
      piece += ch;
      used += w;
    }
  }
  pieces.push(piece);
  return pieces;
}

/**
 * One line of text broken to fit `width` columns: the first line after `first` (e.g. two
 * spaces, or "  3. "), the others after `rest` (a hanging indent).
 */
export function wrapLine(text: string, width: number, first = "", rest = first): string[] {
  return wrapWords(
    text.replace(DATE, (d) => d.replaceAll(" ", KEEP)),
    width,
    first,
    rest,
  ).map((l) => l.replaceAll(KEEP, " "));
}

/** A date as the tool writes it ("Wed 26 Aug 2026", "Fri 25 Sep"): kept whole on one line. */
const DATE =
  /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?: \d{4}\b)?/g;
/** Stands for a space inside a date while the line is broken (one column wide, as the space is). */
const KEEP = "\ue000";

function wrapWords(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let prefix = first;
  let line = "";
  let used = 0;
  const room = () => Math.max(width - visibleWidth(prefix), 10);
  const flush = () => {
    out.push(prefix + line);
    prefix = rest;
    line = "";
    used = 0;
  };
  for (const word of text.split(" ").filter((w) => w !== "")) {
    const w = visibleWidth(word);
    if (used > 0 && used + 1 + w > room()) flush();
    if (w > room()) {
      for (const piece of cut(word, room())) {
        if (used > 0) flush();
        line = piece;
        used = visibleWidth(piece);
      }
      continue;
    }
    line = used > 0 ? `${line} ${word}` : word;
    used += (used > 0 ? 1 : 0) + w;
  }
  if (used > 0 || out.length === 0) out.push(prefix + line);
  return out;
}

/**
 * Text of many lines made to fit: each line keeps its own indentation, and what does not
 * fit goes on under it, indented two more.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => {
      const plain = line.replace(SGR, "");
      if (visibleWidth(plain) <= width) return [line];
      const indent = /^ */.exec(plain)?.[0] ?? "";
      // Colour codes before the indentation stay with the text.
      const body = line.replace(LEADING_SPACES, "$1");
      return wrapLine(body, width, indent, `${indent}  `);
    })
    .join("\n");
}

/** Text fitted to the terminal it is written to (80 columns when it says none). */
export function fitted(text: string, stream: NodeJS.WritableStream): string {
  return wrapText(text, Math.max((stream as { columns?: number }).columns ?? 80, 20));
}
