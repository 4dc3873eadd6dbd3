import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mammoth from "mammoth";
import { marked } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { packageRoot } from "../src/io/paths.js";
import { assembleCase, withWordTwins } from "../src/render/case-files.js";
import { markdownToDocx } from "../src/render/docx.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow, decideCase, scenarios } from "./helpers/flow.js";
import { unzip } from "./helpers/zip.js";

/** `--format md,docx`: every draft also as a Word document, with the same text. */

const scratch = mkdtempSync(join(tmpdir(), "safeguard-docx-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A document.xml's paragraphs, each as its runs: text and whether it is highlighted. */
function paragraphsOf(xml: string): { text: string; highlight: boolean }[][] {
  return xml.split(/<\/w:p>/).map((p) =>
    [...p.matchAll(/<w:r>(.*?)<\/w:r>/g)].map((r) => {
      const run = r[1] as string;
      const text = run.includes("<w:br/>")
        ? " "
        : [...run.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
      return { text: entities(text), highlight: run.includes('<w:highlight w:val="yellow"/>') };
    }),
  );
}

const entities = (s: string) =>
  s
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

/** The text a reader of the Word document sees: its paragraphs' runs, a space between paragraphs. */
function docxText(xml: string): string {
  return words(
    paragraphsOf(xml)
      .map((p) => p.map((r) => r.text).join(""))
      .join(" "),
  );
}

/**
 * The text a reader of the Markdown sees, as a GFM renderer shows it (marked's HTML, its tags
 * taken away and a checkbox as ☐/☒): the reference the Word text is compared with. It shares
 * the parser with the converter, not the converter's walk of the tree.
 */
function markdownText(md: string): string {
  return htmlText(marked.parse(md, { gfm: true, async: false }));
}

/** The text of HTML as a reader sees it: a block's edge a space, an inline tag nothing, a checkbox ☐/☒. */
function htmlText(html: string): string {
  return words(
    entities(
      html
        .replace(/<input [^>]*checked[^>]*>/g, "☒")
        .replace(/<input [^>]*>/g, "☐")
        // A block's edge is a paragraph's in Word (a space here); an inline tag is nothing.
        .replace(/<\/?(?:p|li|ul|ol|h[1-6]|blockquote|table|thead|tbody|tr|td|th|pre|hr|br)\b[^>]*>/g, " ")
        .replace(/<[^>]+>/g, ""),
    ),
  );
}
const words = (s: string) => s.replace(/\s+/g, " ").trim();

function runCase(name: string, caseData: unknown, format = "md,docx"): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "case.yaml"), stringify(caseData));
  const r = cli(["run", "--answers", "case.yaml", "--out", "out", "--format", format], { cwd: dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  // The terminal says the .docx twins were written too (or, for md alone, says nothing of them).
  expect(r.stdout.includes("as .docx")).toBe(format.includes("docx"));
  const [folder] = readdirSync(join(dir, "out"));
  return join(dir, "out", folder as string);
}

const example = (f: string) => parse(readFileSync(join(packageRoot, "examples", f), "utf8"));

describe("Word drafts", () => {
  for (const f of readdirSync(join(packageRoot, "examples")).filter((x) => x.endsWith(".yaml"))) {
    it(`${f}: each draft has a .docx twin: a valid OOXML package with the same text`, () => {
      const folder = runCase(f, example(f));
      const files = readdirSync(folder);
      // Every draft and summary, and the case's history (chronology.md).
      const drafts = files.filter((x) => x.endsWith(".md"));
      expect(drafts).toContain("chronology.md");
      expect(drafts.length).toBeGreaterThan(2);
      expect(files.filter((x) => x.endsWith(".docx")).sort()).toEqual(
        drafts.map((d) => d.replace(/\.md$/, ".docx")).sort(),
      );
      for (const d of drafts) {
        const parts = unzip(readFileSync(join(folder, d.replace(/\.md$/, ".docx"))));
        const types = parts.get("[Content_Types].xml")?.toString("utf8") ?? "";
        expect(types, d).toContain("wordprocessingml.document.main+xml");
        const xml = parts.get("word/document.xml")?.toString("utf8") ?? "";
        expect(xml, d).toMatch(/^<\?xml[^>]*\?><w:document /);
        const md = readFileSync(join(folder, d), "utf8");
        expect(docxText(xml), d).toBe(markdownText(md));
        // Headings, and the blanks highlighted where the draft has them.
        if (/^#\s/m.test(md)) expect(xml, d).toContain('w:val="Heading1"');
        if (md.includes("[to complete")) expect(xml, d).toMatch(/<w:highlight w:val="yellow"\/>/);
      }
    });
  }

  it("tables, lists and checkboxes come across as Word tables, bullets and boxes", () => {
    const folder = runCase("structure", example("ex-1-county-lines-15.yaml"));
    const all = readdirSync(folder)
      .filter((x) => x.endsWith(".docx"))
      .map(
        (x) =>
          unzip(readFileSync(join(folder, x)))
            .get("word/document.xml")
            ?.toString("utf8") ?? "",
      )
      .join("");
    const md = readdirSync(folder)
      .filter((x) => x.endsWith(".md"))
      .map((x) => readFileSync(join(folder, x), "utf8"))
      .join("");
    expect(md).toMatch(/^\s*[-*] /m);
    expect(all).toContain("<w:numPr>");
    if (/^\|/m.test(md)) expect(all).toContain("<w:tbl>");
    if (/\[ \]/.test(md)) expect(all).toContain("☐");
  });

  it("the duty-to-notify .docx is as anonymous as its Markdown", () => {
    const ex2 = example("ex-2-adult-refuses-nrm.yaml");
    const folder = runCase("anonymous", {
      ...ex2,
      person: {
        ...ex2.person,
        name: "Robin Example",
        dob: "1990-03-14",
        address: "1 Sample Street",
        phone: "07700 900123",
      },
    });
    const xml = unzip(readFileSync(join(folder, "duty-to-notify.docx")))
      .get("word/document.xml")
      ?.toString("utf8");
    const md = readFileSync(join(folder, "duty-to-notify.md"), "utf8");
    expect(xml).toBeDefined();
    expect(docxText(xml as string)).toContain("This notification is anonymous");
    for (const leak of ["Robin", "Example", "1990-03-14", "14 Mar 1990", "Sample Street", "07700", "EX-2"]) {
      expect(md).not.toContain(leak);
      expect(xml).not.toContain(leak);
    }
    // The same facts do reach a named draft: the check above could fail.
    expect(readFileSync(join(folder, "case-summary.md"), "utf8")).toContain("Robin Example");
  });

  it("md alone writes no .docx; an unknown format, or docx without --out, is a usage error", () => {
    const folder = runCase("md-only", example("ex-1-county-lines-15.yaml"), "md");
    expect(readdirSync(folder).filter((x) => x.endsWith(".docx"))).toEqual([]);
    expect(
      cli(["run", "--answers", "examples/ex-1-county-lines-15.yaml", "--format", "pdf", "--out", scratch])
        .code,
    ).toBe(2);
    expect(cli(["run", "--answers", "examples/ex-1-county-lines-15.yaml", "--format", "docx"]).code).toBe(2);
  });

  it("batch --format md,docx writes the twins for every case", () => {
    const dir = join(scratch, "batch");
    const r = cli(["batch", join(packageRoot, "examples"), "--out", dir, "--format", "md,docx"]);
    expect(r.code).toBe(0);
    for (const c of readdirSync(dir)) {
      const files = readdirSync(join(dir, c));
      expect(files.filter((x) => x.endsWith(".docx")).sort(), c).toEqual(
        files
          .filter((x) => x.endsWith(".md"))
          .map((x) => x.replace(/\.md$/, ".docx"))
          .sort(),
      );
      expect(files, c).toContain("chronology.docx");
    }
  });
});

describe("chronology.docx: the case's history in Word, rewritten with chronology.md", () => {
  const data = { SAFEGUARD_DATA_DIR: join(scratch, "data") };
  const ok = (args: string[], cwd: string) => {
    const r = cli(args, { cwd, env: data });
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return r;
  };
  const run = (cwd: string, date: string, format: string) =>
    ok(["run", "--answers", "case.yaml", "--out", "out", "--date", date, "--format", format], cwd);
  const xmlOf = (file: string) => unzip(readFileSync(file)).get("word/document.xml")?.toString("utf8") ?? "";
  /** chronology.docx beside chronology.md: owner-only, the same text, never in the manifest. */
  const twinOf = (folder: string) => {
    const file = join(folder, "chronology.docx");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const md = readFileSync(join(folder, "chronology.md"), "utf8");
    const xml = xmlOf(file);
    expect(docxText(xml)).toBe(markdownText(md));
    expect(xml).toContain("<w:tbl>");
    const manifest = JSON.parse(readFileSync(join(folder, ".safeguard-case.json"), "utf8"));
    expect(Object.keys(manifest.files)).not.toContain("chronology.docx");
    expect(readdirSync(folder).filter((f) => f.startsWith(".safeguard-write-"))).toEqual([]);
    return docxText(xml);
  };

  it("a new folder carries it with Word on, not with Word off; a folder with Word twins keeps them on every update, done, close and reopen", () => {
    const dir = join(scratch, "chronology");
    mkdirSync(dir);
    const ex1 = example("ex-1-county-lines-15.yaml");
    writeFileSync(join(dir, "case.yaml"), stringify(ex1));
    const folder = join(dir, "out", "EX-1");

    // Word off: a new folder has chronology.md alone.
    run(dir, "2026-11-20", "md");
    expect(existsSync(join(folder, "chronology.md"))).toBe(true);
    expect(existsSync(join(folder, "chronology.docx"))).toBe(false);
    // An update with Word on: the twin appears, with both entries.
    run(dir, "2026-11-23", "md,docx");
    expect(twinOf(folder)).toMatch(/Fri 20 Nov 2026 .* Mon 23 Nov 2026 /);
    // done, with a note holding Markdown, HTML and Liquid-like text: shown as typed in Word.
    const note = "*again* <b>not bold</b> {{ person.name }} {% if x %} [link](https://example.org) | pipe";
    ok(["done", "out/EX-1", "mash-referral", "--date", "2026-11-24", "--note", note], dir);
    const afterDone = twinOf(folder);
    expect(afterDone).toContain(`Note: ${note}`);
    const xml = xmlOf(join(folder, "chronology.docx"));
    expect(xml).not.toContain("<w:hyperlink");
    const typed = [...xml.matchAll(/<w:r>(.*?)<\/w:r>/g)].find((r) => r[1]?.includes("again"))?.[1];
    expect(typed).toBeDefined();
    expect(typed).not.toMatch(/<w:i\/>|<w:b\/>/);
    // close and reopen (no --format): the twin follows the drafts' twins.
    ok(["close", "out/EX-1", "--reason", "moved away <i>out of area</i> {{ case_id }}"], dir);
    expect(twinOf(folder)).toContain("Case closed: moved away <i>out of area</i> {{ case_id }}");
    ok(["reopen", "out/EX-1"], dir);
    expect(twinOf(folder)).toContain("Case reopened");
    // An update without docx: the folder keeps its Word twins (as it keeps a picture), each
    // rewritten, so none lags behind its Markdown; the run says it wrote them.
    const before = readFileSync(join(folder, "case-summary.docx"));
    const said = run(dir, "2026-11-25", "md").stdout;
    expect(said).toContain("as .docx");
    expect(twinOf(folder)).toContain("Wed 25 Nov 2026");
    expect(readFileSync(join(folder, "case-summary.docx")).equals(before)).toBe(false);
    expect(docxText(xmlOf(join(folder, "case-summary.docx")))).toBe(
      markdownText(readFileSync(join(folder, "case-summary.md"), "utf8")),
    );
    // batch, likewise.
    ok(["batch", "case.yaml", "--out", "out", "--date", "2026-11-25"], dir);
    expect(twinOf(folder)).toMatch(/Wed 25 Nov 2026 .* Wed 25 Nov 2026 /);
    // The lead who wants no Word removes the twins: none come back, and close writes none.
    for (const f of readdirSync(folder).filter((n) => n.endsWith(".docx"))) rmSync(join(folder, f));
    const quiet = run(dir, "2026-11-26", "md").stdout;
    expect(quiet).not.toContain("as .docx");
    expect(readdirSync(folder).filter((f) => f.endsWith(".docx"))).toEqual([]);
    expect(readFileSync(join(folder, "chronology.md"), "utf8")).toContain("Thu 26 Nov 2026");
    ok(["close", "out/EX-1", "--reason", "no further concerns"], dir);
    expect(existsSync(join(folder, "chronology.docx"))).toBe(false);

    // Word on from the start: a new folder has it, written with the folder.
    const fresh = join(scratch, "chronology-new");
    mkdirSync(fresh);
    writeFileSync(join(fresh, "case.yaml"), stringify(ex1));
    run(fresh, "2026-11-20", "md,docx");
    expect(twinOf(join(fresh, "out", "EX-1"))).toContain("Case recorded");
  });
});

/** The Word twins of a case decided in process, by draft name: document.xml and the Markdown. */
async function twinsOf(caseObject: Record<string, unknown>, today?: string) {
  const assembled = await withWordTwins(
    assembleCase(bundledFlow(), decideCase(caseObject, today), { folder: null }),
  );
  const bytes = new Map(assembled.files.map((f) => [f.path, Buffer.from(f.bytes)]));
  return [...bytes.keys()]
    .filter((p) => p.endsWith(".md"))
    .map((md) => {
      const docx = bytes.get(md.replace(/\.md$/, ".docx")) as Buffer;
      const parts = unzip(docx);
      return {
        name: md,
        docx,
        md: (bytes.get(md) as Buffer).toString("utf8"),
        xml: parts.get("word/document.xml")?.toString("utf8") ?? "",
        parts,
      };
    });
}

const BLANK = /\[to complete(?::[^\]]*)?\]/g;

/** Each blank's text in a paragraph, and each highlighted stretch: they must be the same. */
function blanksAndHighlights(xml: string): { blanks: string[]; highlighted: string[] } {
  const blanks: string[] = [];
  const highlighted: string[] = [];
  for (const runs of paragraphsOf(xml)) {
    blanks.push(
      ...(runs
        .map((r) => r.text)
        .join("")
        .match(BLANK) ?? []),
    );
    let stretch = "";
    for (const r of [...runs, { text: "", highlight: false }]) {
      if (r.highlight) stretch += r.text;
      else if (stretch !== "") {
        highlighted.push(stretch);
        stretch = "";
      }
    }
  }
  return { blanks, highlighted };
}

describe("Word drafts from the Markdown's syntax tree", () => {
  // Every scenario's drafts: the Word text is the Markdown's as rendered, no backslash is
  // left of an escape, and every blank is highlighted (and nothing else).
  for (const s of scenarios()) {
    it(`${s.file}: the Word text is the Markdown's, every blank highlighted`, async () => {
      for (const d of await twinsOf(s.case, s.today)) {
        const text = docxText(d.xml);
        expect(text, d.name).toBe(markdownText(d.md));
        // The drafts' own words hold no backslash: one in Word is an escape left unresolved.
        expect(text, d.name).not.toContain("\\");
        const found = blanksAndHighlights(d.xml);
        expect(found.blanks.length, d.name).toBe(d.md.match(BLANK)?.length ?? 0);
        expect(found.highlighted, d.name).toEqual(found.blanks);
      }
    });
  }

  it("an answer shows as typed: escapes resolved, no italics, no link, no list", async () => {
    const description = [
      "he owes £200 *again* [police log 12/3]",
      "1. not a list",
      "see https://example.org/page or write to lead@example.org <b>not bold</b> & back\\slash",
    ].join("\n");
    const ex1 = parse(readFileSync(join(packageRoot, "examples", "ex-1-county-lines-15.yaml"), "utf8"));
    const drafts = await twinsOf({ ...ex1, concern: { ...ex1.concern, description } });
    const mash = drafts.find((d) => d.name === "mash-referral.md");
    expect(mash).toBeDefined();
    const { xml, md, parts } = mash as NonNullable<typeof mash>;
    // The Markdown escapes every one of them; Word shows them as typed, in the quote style (its
    // lines one paragraph, as the Markdown renders them).
    expect(md).toContain("\\*again\\*");
    expect(md).toContain("\\[police log 12/3\\]");
    const quoted = paragraphsOf(xml)
      .filter((_, i) => xml.split(/<\/w:p>/)[i]?.includes('<w:pStyle w:val="Quote"/>'))
      .map((runs) => runs.map((r) => r.text).join(""));
    expect(quoted).toEqual([description.split("\n").join(" ")]);
    expect(docxText(xml)).not.toMatch(/\\[*[\]<&1]/);
    // Not one run of it is italic, bold or a list item of its own making.
    const runOf = (s: string) => [...xml.matchAll(/<w:r>(.*?)<\/w:r>/g)].find((r) => r[1]?.includes(s))?.[1];
    expect(runOf("again")).toBeDefined();
    expect(runOf("again")).not.toMatch(/<w:i\/>|<w:b\/>/);
    expect(runOf("not bold")).not.toMatch(/<w:b\/>/);
    // No hyperlink: the addresses are text.
    expect(xml).not.toContain("<w:hyperlink");
    expect(parts.get("word/_rels/document.xml.rels")?.toString("utf8")).not.toContain("hyperlink");
    expect(docxText(xml)).toContain("see https://example.org/page or write to lead@example.org");
  });

  it("ordered lists as Word numbering (each list from 1), nested lists, quotes, tables, boxes", async () => {
    const md = [
      "# Steps",
      "",
      "1. First",
      "2. Second",
      "   1. Second, part one",
      "   - a point under it",
      "",
      "Between the lists.",
      "",
      "1. Again from one",
      "",
      "> Quoted **words**",
      "",
      "- [ ] to do",
      "- [x] done",
      "",
      "| Who | When |",
      "| --- | --- |",
      "| Police | [to complete: date] |",
      "",
    ].join("\n");
    const parts = unzip(Buffer.from(await markdownToDocx(md, { title: "t", date: "2026-11-23" })));
    const xml = parts.get("word/document.xml")?.toString("utf8") ?? "";
    const numbering = parts.get("word/numbering.xml")?.toString("utf8") ?? "";
    const paragraphs = xml.split(/<\/w:p>/);
    const numOf = (text: string) => {
      const p = paragraphs.find((x) => x.includes(`>${text}</w:t>`)) ?? "";
      const m = /<w:numPr><w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/><\/w:numPr>/.exec(p);
      return m ? { level: Number(m[1]), numId: m[2] } : null;
    };
    // Numbers are Word's, not typed: the text has no "1.".
    expect(docxText(xml)).not.toMatch(/\b\d\./);
    const [first, second, part, point, again] = [
      "First",
      "Second",
      "Second, part one",
      "a point under it",
      "Again from one",
    ].map(numOf);
    expect(first).toEqual({ level: 0, numId: expect.any(String) });
    expect(second).toEqual(first);
    expect(part).toEqual({ level: 1, numId: first?.numId });
    expect(point?.level).toBe(1);
    expect(point?.numId).not.toBe(first?.numId);
    // The second list is its own numbering instance, started again at 1.
    expect(again?.level).toBe(0);
    expect(again?.numId).not.toBe(first?.numId);
    const num = (id: string | undefined) =>
      new RegExp(
        `<w:num w:numId="${id}"><w:abstractNumId w:val="(\\d+)"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>`,
      ).exec(numbering)?.[1];
    expect(num(again?.numId)).toBeDefined();
    expect(num(again?.numId)).toBe(num(first?.numId));
    expect(numbering).toMatch(
      new RegExp(
        `<w:abstractNum w:abstractNumId="${num(first?.numId)}"[^>]*>.*?<w:lvl w:ilvl="0"[^>]*><w:start w:val="1"/><w:numFmt w:val="decimal"/>`,
      ),
    );
    // The quote in Word's Quote style, its bold kept; the boxes; the table with the blank lit.
    const quote = paragraphs.find((p) => p.includes("Quoted"));
    expect(quote).toContain('<w:pStyle w:val="Quote"/>');
    expect(quote).toMatch(/<w:b\/>.*>words<\/w:t>/);
    expect(parts.get("word/styles.xml")?.toString("utf8")).toContain('w:styleId="Quote"');
    expect(docxText(xml)).toContain("☐ to do ☒ done");
    expect(xml).toMatch(/<w:tbl>.*<w:tr>.*>Who<\/w:t>.*<w:tr>.*>Police<\/w:t>.*<\/w:tbl>/);
    expect(blanksAndHighlights(xml)).toEqual({
      blanks: ["[to complete: date]"],
      highlighted: ["[to complete: date]"],
    });
    expect(docxText(xml)).toBe(markdownText(md));
  });

  it("the same case and date give the same bytes, whenever it runs", () => {
    const ex1 = example("ex-1-county-lines-15.yaml");
    const run = (name: string, date: string) => {
      const dir = join(scratch, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "case.yaml"), stringify(ex1));
      const r = cli(
        ["run", "--answers", "case.yaml", "--out", "out", "--format", "md,docx", "--date", date],
        {
          cwd: dir,
        },
      );
      expect(r.code, r.stderr).toBe(0);
      const [folder] = readdirSync(join(dir, "out"));
      const at = join(dir, "out", folder as string);
      return new Map(
        readdirSync(at)
          .filter((f) => f.endsWith(".docx"))
          .map((f) => [f, readFileSync(join(at, f))]),
      );
    };
    const first = run("same-1", "2026-11-23");
    // Past a zip timestamp's two seconds, and a second of the core properties' clock.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2100);
    const second = run("same-2", "2026-11-23");
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(first.size).toBeGreaterThan(2);
    for (const [name, bytes] of first) expect(second.get(name)?.equals(bytes), name).toBe(true);
    // Dated with the day given, in the document and its zip entries: another day, other bytes.
    const core = unzip(first.get("case-summary.docx") as Buffer)
      .get("docProps/core.xml")
      ?.toString("utf8");
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-23T00:00:00Z</dcterms:created>',
    );
    expect(core).toContain(
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-23T00:00:00Z</dcterms:modified>',
    );
    const later = run("same-3", "2026-11-24");
    expect(later.get("case-summary.docx")?.equals(first.get("case-summary.docx") as Buffer)).toBe(false);
  });
});

describe("Word drafts read back by an independent reader (mammoth)", () => {
  // Scenarios, in order, until every draft the flow has (and the two every case has) is
  // among their drafts: each draft read back at least once.
  const flow = bundledFlow();
  const wanted = new Set([
    "case-summary.md",
    "before-you-send.md",
    ...[...flow.documents.keys()].map((d) => `${d}.md`),
  ]);
  const chosen: { file: string; case: Record<string, unknown>; today?: string | undefined }[] = [];
  const seen = new Set<string>();
  for (const s of scenarios()) {
    const drafts = [
      "case-summary.md",
      "before-you-send.md",
      ...decideCase(s.case, s.today).documents.map((d) => `${d}.md`),
    ];
    if (drafts.every((d) => seen.has(d))) continue;
    for (const d of drafts) seen.add(d);
    chosen.push(s);
  }

  it("the scenarios chosen hold every draft the flow can write", () => {
    expect([...wanted].filter((d) => !seen.has(d))).toEqual([]);
  });

  for (const s of chosen) {
    it(`${s.file}: mammoth's HTML of each .docx has the text the Markdown renders to`, async () => {
      for (const d of await twinsOf(s.case, s.today)) {
        const { value: html, messages } = await mammoth.convertToHtml({ buffer: d.docx });
        // mammoth warns of what it cannot read (an unknown element, a broken relationship).
        expect(
          messages.filter((m) => m.type === "error"),
          d.name,
        ).toEqual([]);
        expect(htmlText(html), d.name).toBe(markdownText(d.md));
        // Structure comes across as structure: headings, lists and tables where the Markdown has them.
        if (/^#\s/m.test(d.md)) expect(html, d.name).toMatch(/<h1>/);
        // (A task list is boxes, ☐, not bullets: only a plain list item must be a Word list.)
        if (/^\s*(?:[-*]|\d+\.) (?!\[[ xX]\])/m.test(d.md)) expect(html, d.name).toMatch(/<(ul|ol)>/);
        if (/^\|/m.test(d.md)) expect(html, d.name).toContain("<table>");
      }
    });
  }
});
