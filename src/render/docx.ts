import * as loaded from "docx";
import { Lexer, type Token, type Tokens } from "marked";
import { xmlText } from "./xml.js";
import { stampZip } from "./zip.js";

// docx's type declarations re-export from folders, which NodeNext resolution cannot follow
// (docx 9.7): the part of its API used here, typed by hand.
type Part = object;
type Ctor = new (options: Record<string, unknown>) => Part;
const { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } = loaded as unknown as {
  Document: Ctor;
  Paragraph: Ctor;
  Table: Ctor;
  TableCell: Ctor;
  TableRow: Ctor;
  TextRun: Ctor;
  Packer: {
    toBuffer: (
      doc: Part,
      prettify: boolean,
      overrides: { path: string; data: string }[],
    ) => Promise<Uint8Array>;
  };
};

/**
 * A draft's Word twin, from its Markdown (the same content), read by a Markdown parser
 * (marked's lexer, GFM) and built from its syntax tree: headings, paragraphs, bold and
 * italics, ordered lists as Word numbering, nested lists, checkboxes (☐/☒), block quotes in
 * Word's Quote style, tables, and every "[to complete: …]" blank highlighted. Backslash
 * escapes are resolved (an answer shows as typed); a link, such as a web or email address
 * GFM finds in an answer, stays text. `date` (YYYY-MM-DD, the day the case was worked out
 * on) stamps the document and its zip entries, so the same draft and date give the same
 * bytes. Pure: Markdown in, .docx bytes out.
 */
export async function markdownToDocx(
  markdown: string,
  opts: { title: string; date: string },
): Promise<Uint8Array> {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const word = new WordBuilder();
  const children = word.blocks(tokens, { depth: 0, quote: false });
  const heading = tokens.find((t): t is Tokens.Heading => t.type === "heading" && t.depth === 1);
  const title = heading ? plain(inline(heading.tokens, {})) : opts.title;
  const doc = new Document({
    title,
    creator: "safeguard",
    styles: { paragraphStyles: [QUOTE_STYLE] },
    numbering: { config: word.numberingConfig() },
    sections: [{ children }],
  });
  const zip = await Packer.toBuffer(doc, false, [
    { path: "docProps/core.xml", data: coreXml(title, opts.date) },
  ]);
  return stampZip(new Uint8Array(zip), opts.date, "docx");
}

const HEADINGS = ["Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6"];

/** Word's own Quote style (same id and name), so a reader's Word shows and lists it as such. */
const QUOTE_STYLE = {
  id: "Quote",
  name: "Quote",
  basedOn: "Normal",
  next: "Normal",
  quickFormat: true,
  run: { italics: true, color: "404040" },
  paragraph: { indent: { left: 720, right: 720 }, spacing: { after: 120 } },
};

/** Number formats by list depth, as Word cycles them: 1. a. i. */
const ORDERED_FORMATS = ["decimal", "lowerLetter", "lowerRoman"];

interface Where {
  /** List nesting: 0 outside a list. */
  depth: number;
  quote: boolean;
}

/** One piece of inline text with its look. */
interface Span {
  text: string;
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  code?: boolean;
  highlight?: boolean;
}

/**
 * Block tokens to Word paragraphs and tables. Each ordered list is its own numbering
 * instance, so it starts again at its first number; a list nested in an ordered one shares
 * its instance one level down, which Word restarts under each parent item.
 */
class WordBuilder {
  private readonly starts = new Set<number>();
  private instances = 0;

  numberingConfig(): Record<string, unknown>[] {
    return [...this.starts]
      .sort((a, b) => a - b)
      .map((start) => ({
        reference: `ordered-${start}`,
        levels: Array.from({ length: 9 }, (_, level) => ({
          level,
          format: ORDERED_FORMATS[level % ORDERED_FORMATS.length],
          text: `%${level + 1}.`,
          alignment: "left",
          start,
          style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
        })),
      }));
  }

  blocks(tokens: Token[], where: Where): Part[] {
    return tokens.flatMap((t) => this.block(t, where));
  }

  private paragraph(spans: Span[], where: Where, extra: Record<string, unknown> = {}): Part {
    return new Paragraph({
      children: runs(spans),
      spacing: { after: 120 },
      ...(where.quote ? { style: "Quote" } : {}),
      // A list item's own paragraph takes its indent from its mark; the rest indent under it.
      ...(where.depth > 0 && Object.keys(extra).length === 0 ? { indent: { left: 720 * where.depth } } : {}),
      ...extra,
    });
  }

  private block(t: Token, where: Where): Part[] {
    switch (t.type) {
      case "heading": {
        const h = t as Tokens.Heading;
        return [new Paragraph({ heading: HEADINGS[h.depth - 1], children: runs(inline(h.tokens, {})) })];
      }
      case "paragraph":
        return [this.paragraph(inline((t as Tokens.Paragraph).tokens, {}), where)];
      case "text": {
        // A tight list item's text: inline tokens when it has them.
        const x = t as Tokens.Text;
        return [this.paragraph(x.tokens ? inline(x.tokens, {}) : [{ text: x.text }], where)];
      }
      case "blockquote":
        return this.blocks((t as Tokens.Blockquote).tokens, { ...where, quote: true });
      case "list":
        return this.list(t as Tokens.List, where, null);
      case "table":
        return [table(t as Tokens.Table)];
      case "code":
        return (t as Tokens.Code).text
          .split("\n")
          .map((line) => this.paragraph([{ text: line, code: true }], where));
      case "html":
        // Raw HTML from a template, shown as the text it is (answers cannot hold any).
        return (t as Tokens.HTML).text.trim() === "" ? [] : [this.paragraph([{ text: t.raw.trim() }], where)];
      default:
        // space, hr, def: nothing to show.
        return [];
    }
  }

  /** A list: each item's first paragraph carries the number or bullet, the rest indent under it. */
  private list(list: Tokens.List, where: Where, parent: { instance: number } | null): Part[] {
    const level = Math.min(where.depth, 8);
    const start = list.ordered ? (typeof list.start === "number" ? list.start : 1) : 1;
    let numbering: Record<string, unknown> | null = null;
    let own: { instance: number } | null = null;
    if (list.ordered) {
      const reference = `ordered-${start}`;
      this.starts.add(start);
      own = parent ?? { instance: ++this.instances };
      numbering = { reference, level, instance: own.instance };
    }
    const inner: Where = { depth: where.depth + 1, quote: where.quote };
    const out: Part[] = [];
    for (const item of list.items) {
      const box = item.task ? [{ text: item.checked ? "☒ " : "☐ " }] : [];
      let first = true;
      for (const t of item.tokens) {
        if (t.type === "checkbox") continue;
        if (t.type === "list") {
          out.push(...this.list(t as Tokens.List, inner, list.ordered ? own : null));
          continue;
        }
        if (first && (t.type === "text" || t.type === "paragraph")) {
          first = false;
          const x = t as Tokens.Text | Tokens.Paragraph;
          const spans = [...box, ...(x.tokens ? inline(x.tokens, {}) : [{ text: x.text }])];
          // A checkbox is the item's mark: no bullet beside it.
          const mark = numbering
            ? { numbering }
            : item.task
              ? { indent: { left: 720 * (level + 1) } }
              : { bullet: { level } };
          out.push(this.paragraph(spans, where, mark));
          continue;
        }
        out.push(...this.block(t, inner));
      }
    }
    return out;
  }
}

function table(t: Tokens.Table): Part {
  const row = (cells: Tokens.TableCell[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map(
        (c, i) =>
          new TableCell({
            children: [
              new Paragraph({
                children: runs(inline(c.tokens, header ? { bold: true } : {})),
                ...(t.align[i] ? { alignment: t.align[i] } : {}),
              }),
            ],
          }),
      ),
    });
  return new Table({
    width: { size: 100, type: "pct" },
    rows: [row(t.header, true), ...t.rows.map((r) => row(r, false))],
  });
}

/** Inline tokens to spans, the look of their parents carried down. */
function inline(tokens: Token[], look: Omit<Span, "text">): Span[] {
  const out: Span[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case "strong":
        out.push(...inline((t as Tokens.Strong).tokens, { ...look, bold: true }));
        break;
      case "em":
        out.push(...inline((t as Tokens.Em).tokens, { ...look, italics: true }));
        break;
      case "del":
        out.push(...inline((t as Tokens.Del).tokens, { ...look, strike: true }));
        break;
      case "codespan":
        out.push({ ...look, text: (t as Tokens.Codespan).text, code: true });
        break;
      case "br":
        out.push({ ...look, text: "\n" });
        break;
      case "link":
        // Never a hyperlink: an address in an answer is data, and stays text.
        out.push(...inline((t as Tokens.Link).tokens, look));
        break;
      case "image":
        out.push({ ...look, text: (t as Tokens.Image).text });
        break;
      case "text": {
        const x = t as Tokens.Text;
        if (x.tokens) out.push(...inline(x.tokens, look));
        else out.push({ ...look, text: x.text.replace(/\n/g, " ") });
        break;
      }
      case "escape":
        out.push({ ...look, text: (t as Tokens.Escape).text });
        break;
      default:
        // Inline HTML from a template (answers cannot hold any), shown as the text it is.
        out.push({ ...look, text: t.raw });
    }
  }
  return highlightBlanks(out);
}

const BLANK = /\[to complete(?::[^\]]*)?\]/g;

/**
 * Every "[to complete: …]" blank highlighted, wherever the parser split it (an escape, say):
 * the blanks are found in the spans' joined text, and the spans cut at their edges.
 */
function highlightBlanks(spans: Span[]): Span[] {
  const text = spans.map((s) => s.text).join("");
  const ranges = [...text.matchAll(BLANK)].map((m) => [m.index, m.index + m[0].length] as const);
  if (ranges.length === 0) return spans;
  const inBlank = (i: number) => ranges.some(([a, b]) => i >= a && i < b);
  const out: Span[] = [];
  let at = 0;
  for (const s of spans) {
    let from = 0;
    for (let i = 1; i <= s.text.length; i++) {
      if (i < s.text.length && inBlank(at + i) === inBlank(at + i - 1)) continue;
      const piece = { ...s, text: s.text.slice(from, i) };
      out.push(inBlank(at + from) ? { ...piece, highlight: true } : piece);
      from = i;
    }
    at += s.text.length;
  }
  return out;
}

/** Spans to Word runs, neighbours with the same look joined into one run. */
function runs(spans: Span[]): Part[] {
  const joined: Span[] = [];
  for (const s of spans) {
    const last = joined.at(-1);
    if (last && s.text !== "\n" && last.text !== "\n" && sameLook(last, s))
      joined[joined.length - 1] = { ...last, text: last.text + s.text };
    else joined.push(s);
  }
  return joined.flatMap(textRun);
}

const LOOKS = ["bold", "italics", "strike", "code", "highlight"] as const;
const sameLook = (a: Span, b: Span) => LOOKS.every((k) => Boolean(a[k]) === Boolean(b[k]));

function textRun(s: Span): Part[] {
  if (s.text === "") return [];
  if (s.text === "\n") return [new TextRun({ text: "", break: 1 })];
  return [
    new TextRun({
      text: s.text,
      ...(s.bold ? { bold: true } : {}),
      ...(s.italics ? { italics: true } : {}),
      ...(s.strike ? { strike: true } : {}),
      ...(s.code ? { font: "Consolas" } : {}),
      ...(s.highlight ? { highlight: "yellow" } : {}),
    }),
  ];
}

const plain = (spans: Span[]) => spans.map((s) => s.text).join("");

/** docProps/core.xml with the given day, not the clock: docx stamps the time it was made. */
function coreXml(title: string, date: string): string {
  const when = `${date}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(title)}</dc:title><dc:creator>safeguard</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}
