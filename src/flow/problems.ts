import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";
import { say } from "../words/problems.js";
import type { Origin } from "./types.js";

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
    const twice = e.code === "DUPLICATE_KEY" ? keyGivenTwice(source, e.pos[0]) : undefined;
    problems.push({ file, line: pos.line, column: pos.col, ...(twice ?? { message: firstLine(e.message) }) });
  }
  if (problems.length === 0) problems.push(...aliasProblems(source));
  return { source, problems };
}

/**
 * A key given twice in one mapping, at OFFSET (the second): its field and the line of the
 * first, as a fact given twice in two spellings is said (engine/answers.ts). Never "the last wins".
 */
function keyGivenTwice(source: SourceFile, offset: number): { field: string; message: string } | undefined {
  let found: { field: string; message: string } | undefined;
  visit(source.doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const parent = ancestors.at(-1);
      const key = String(pair.key.value);
      const first = isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
        : undefined;
      const firstAt = isScalar(first?.key) ? first.key.range?.[0] : undefined;
      if (firstAt === undefined) return visit.BREAK;
      const path: (string | number)[] = [];
      ancestors.forEach((node, i) => {
        const child = ancestors[i + 1];
        if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
        else if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as never));
      });
      found = { field: dotPath([...path, key]), message: say.givenTwice(source.lines.linePos(firstAt).line) };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Aliases (`*name`) that expand past the yaml library's limit (a "billion laughs" file):
 * found here, as a problem with its position, rather than when the data is first read.
 */
function aliasProblems(source: SourceFile): Problem[] {
  let alias: Node | undefined;
  if (source.text.includes("*"))
    visit(source.doc, {
      Alias(_, node) {
        alias = node as Node;
        return visit.BREAK;
      },
    });
  if (!alias) return [];
  try {
    source.doc.toJS();
    return [];
  } catch (error) {
    if (!/alias/i.test(error instanceof Error ? error.message : "")) throw error;
    const pos = source.lines.linePos(alias.range?.[0] ?? 0);
    return [
      {
        file: source.file,
        line: pos.line,
        column: pos.col,
        message: say.aliasesTooFar(),
      },
    ];
  }
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

/** Where the part of a flow file at `path` is: its file, line and column (a compiled object's origin). */
export function originAt(source: Located, path: readonly (string | number)[]): Origin {
  return { file: source.file, ...source.at(path) };
}

export function problemAt(
  source: Located,
  path: readonly (string | number)[],
  message: string,
  field?: string,
): Problem {
  const pos = source.at(path);
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

type Pos = { line: number; column: number };

/** A parsed file that can say where any path in it is: from YAML, or from the build's cache. */
export interface Located {
  file: string;
  text: string;
  data: unknown;
  at(path: readonly (string | number)[]): Pos;
  keyAt(path: readonly (string | number)[]): Pos;
}

export function locate(source: SourceFile): Located {
  let data: unknown;
  let computed = false;
  return {
    file: source.file,
    text: source.text,
    get data() {
      if (!computed) {
        data = source.doc.toJS();
        computed = true;
      }
      return data;
    },
    at: (path) => positionOf(source, path),
    keyAt: (path) => keyPositionOf(source, path),
  };
}

/** Value and key positions of every node, by path joined with "/": what the build caches. */
export type PositionTable = Record<string, [number, number, number, number]>;

export function positionTable(source: SourceFile): PositionTable {
  const table: PositionTable = {};
  const put = (path: (string | number)[], value: Pos, key: Pos) => {
    table[path.join("/")] = [value.line, value.column, key.line, key.column];
  };
  const pos = (n: unknown): Pos | undefined => {
    const range = (n as Node | null)?.range;
    if (!range) return undefined;
    const p = source.lines.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        const k = pos(pair.key) ?? { line: 1, column: 1 };
        put(p, pos(pair.value) ?? k, k);
        walk(pair.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const v = pos(item) ?? { line: 1, column: 1 };
        put([...path, i], v, v);
        walk(item, [...path, i]);
      });
    }
  };
  const root = pos(source.doc.contents) ?? { line: 1, column: 1 };
  put([], root, root);
  walk(source.doc.contents, []);
  return table;
}

/** A file the build parsed already: its data and position table, no YAML parse needed. */
export function locatedFromCache(
  file: string,
  text: string,
  cached: { readonly data: unknown; positions: PositionTable },
): Located {
  const table = cached.positions;
  const find = (path: readonly (string | number)[], key: boolean): Pos => {
    for (let n = path.length; n >= 0; n--) {
      const hit = table[path.slice(0, n).join("/")];
      if (hit)
        return key && n === path.length ? { line: hit[2], column: hit[3] } : { line: hit[0], column: hit[1] };
    }
    return { line: 1, column: 1 };
  };
  return {
    file,
    text,
    // Read only when needed (a file the build had not checked as what it is used for).
    get data() {
      return cached.data;
    },
    at: (path) => find(path, false),
    keyAt: (path) => find(path, true),
  };
}
