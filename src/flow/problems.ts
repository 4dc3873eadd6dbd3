import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";

/** One thing wrong with an input, with where it is and, where we know it, the fix. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** Dot-path of the field, e.g. "concern.date" or "actions[3].due". */
  field?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return p.field ? `${where}  ${p.field}: ${p.message}` : `${where}  ${p.message}`;
}

/** A parsed YAML (or JSON) file that can say where any of its nodes is. */
export interface SourceFile {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseSource(file: string, text: string): { source: SourceFile; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = { file, text, doc, lines };
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, message: firstLine(e.message) });
  }
  return { source, problems };
}

function firstLine(s: string): string {
  return (s.split("\n")[0] ?? s).replace(/ at line \d+, column \d+:?$/, "");
}

/** Position of the node at a path (keys and indexes); falls back to the nearest parent found. */
export function positionOf(
  source: SourceFile,
  path: readonly (string | number)[],
): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      // Point at the value when there is one, otherwise at the key.
      node = pair.value ?? pair.key;
      best = ((pair.value ?? pair.key) as Node) ?? best;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Position of a key itself (for "unknown field" problems). */
export function keyPositionOf(
  source: SourceFile,
  path: readonly (string | number)[],
): { line: number; column: number } {
  const parent = path.slice(0, -1);
  const last = path.at(-1);
  let node: unknown = source.doc.contents;
  for (const key of parent) {
    if (isMap(node))
      node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key))?.value;
    else if (isSeq(node) && typeof key === "number") node = node.items[key];
  }
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
    const k = pair?.key as Node | undefined;
    if (k?.range) {
      const pos = source.lines.linePos(k.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return positionOf(source, path);
}

export function problemAt(
  source: SourceFile,
  path: readonly (string | number)[],
  message: string,
  field?: string,
): Problem {
  const pos = positionOf(source, path);
  return { file: source.file, ...pos, field: field ?? dotPath(path), message };
}

export function dotPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const k of path) {
    if (typeof k === "number") out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}

/** "did you mean" by edit distance; undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestScore <= limit ? best : undefined;
}

export function suggest(word: string, candidates: Iterable<string>): string {
  const s = didYouMean(word, candidates);
  return s ? `; did you mean "${s}"?` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + cost);
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
