import * as loaded from "docx";

// docx's type declarations re-export from folders, which NodeNext resolution cannot follow
// (docx 9.7): the part of its API used here, typed by hand.
type Part = object;
type Ctor = new (options: Record<string, unknown>) => Part;
const { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } =
  loaded as unknown as {
    Document: Ctor;
    Paragraph: Ctor;
    Table: Ctor;
    TableCell: Ctor;
    TableRow: Ctor;
    TextRun: Ctor;
    HeadingLevel: Record<"HEADING_1" | "HEADING_2" | "HEADING_3" | "HEADING_4", string>;
    WidthType: Record<"PERCENTAGE", string>;
    Packer: { toBuffer: (doc: Part) => Promise<Uint8Array> };
  };
type Paragraph = Part;
type Table = Part;
type TextRun = Part;

/**
 * A draft's Word twin, from its Markdown (the same content): headings, paragraphs, lists
 * (nested by indentation), checkboxes (☐/☒), tables, bold/italic/code, and every
 * "[to complete: …]" blank highlighted. Pure: Markdown in, .docx bytes out.
 */
export async function markdownToDocx(markdown: string, title: string): Promise<Uint8Array> {
  const doc = new Document({ title, creator: "safeguard", sections: [{ children: blocks(markdown) }] });
  // No clock in the package: the same draft gives the same bytes except for what docx stamps.
  return new Uint8Array(await Packer.toBuffer(doc));
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
];

function blocks(markdown: string): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let para: string[] = [];
  const flush = () => {
    if (para.length > 0) out.push(new Paragraph({ children: runs(para.join(" ")), spacing: { after: 120 } }));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^(\s*)(?:[-*+]|(\d+[.)]))\s+(?:\[([ xX])\]\s+)?(.*)$/.exec(line);
    if (line.trim() === "") flush();
    else if (heading) {
      flush();
      out.push(
        new Paragraph({
          heading: HEADINGS[(heading[1] as string).length - 1],
          children: runs(heading[2] as string),
        }),
      );
    } else if (/^\s*\|/.test(line)) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i] as string); i++) {
        const cells = cellsOf(lines[i] as string);
        if (!cells.every((c) => /^:?-{2,}:?$/.test(c))) rows.push(cells);
      }
      i--;
      out.push(table(rows));
    } else if (item) {
      flush();
      const [, indent = "", number, box, text = ""] = item;
      const level = Math.min(Math.floor(indent.length / 2), 8);
      const mark = box === undefined ? "" : box === " " ? "☐ " : "☒ ";
      const children = runs(`${number ? `${number} ` : ""}${mark}${text}`);
      out.push(
        number
          ? new Paragraph({ children, indent: { left: 360 * (level + 1) } })
          : new Paragraph({ children, bullet: { level } }),
      );
    } else if (/^>\s?/.test(line)) {
      flush();
      out.push(new Paragraph({ children: runs(line.replace(/^>\s?/, "")), indent: { left: 720 } }));
    } else if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) flush();
    else para.push(line.trim());
  }
  flush();
  return out;
}

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll("\\|", "|"));
}

function table(rows: string[][]): Table {
  const width = Math.max(...rows.map((r) => r.length));
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(
      (r, n) =>
        new TableRow({
          tableHeader: n === 0,
          children: Array.from(
            { length: width },
            (_, c) => new TableCell({ children: [new Paragraph({ children: runs(r[c] ?? "", n === 0) })] }),
          ),
        }),
    ),
  });
}

/** Inline Markdown to runs: **bold**, *italic* / _italic_, `code`, [to complete: …] highlighted. */
export function runs(text: string, bold = false): TextRun[] {
  const out: TextRun[] = [];
  const pattern =
    /(\[to complete(?::[^\]]*)?\])|\*\*(.+?)\*\*|`([^`]+)`|(?<![\w*])[*_]([^*_]+?)[*_](?![\w*])/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push(new TextRun({ text: text.slice(at, m.index), bold }));
    if (m[1]) out.push(new TextRun({ text: m[1], bold, highlight: "yellow" }));
    else if (m[2]) out.push(...runs(m[2], true));
    else if (m[3]) out.push(new TextRun({ text: m[3], bold, font: "Consolas" }));
    else if (m[4]) out.push(new TextRun({ text: m[4], bold, italics: true }));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(new TextRun({ text: text.slice(at), bold }));
  return out;
}
