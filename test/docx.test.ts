import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";
import { unzip } from "./helpers/zip.js";

/** `--format md,docx`: every draft also as a Word document, with the same text. */

const scratch = mkdtempSync(join(tmpdir(), "safeguard-docx-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The text of a document.xml: its paragraphs' runs, a space between paragraphs. */
function docxText(xml: string): string {
  const paragraphs = xml
    .split(/<\/w:p>/)
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""));
  return words(
    paragraphs
      .join(" ")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&apos;", "'")
      .replaceAll("&amp;", "&"),
  );
}

/** The text a reader sees in a Markdown draft: its markup taken away. */
function markdownText(md: string): string {
  return words(
    md
      .split("\n")
      .filter(
        (l) =>
          !/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(l) && !/^\s*(-{3,}|\*{3,})\s*$/.test(l),
      )
      .map((l) =>
        l
          .replace(/^#{1,4}\s+/, "")
          .replace(/^>\s?/, "")
          .replace(/^(\s*)[-*+]\s+/, "$1")
          .replace(/\[ \]/, "☐")
          .replace(/\[[xX]\]/, "☒")
          .replaceAll("**", "")
          .replaceAll("`", "")
          .replace(/(?<![\w*])[*_]([^*_]+?)[*_](?![\w*])/g, "$1")
          .replaceAll("|", " "),
      )
      .join(" "),
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
      const drafts = files.filter((x) => x.endsWith(".md"));
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
      expect(files.filter((x) => x.endsWith(".docx")).length, c).toBe(
        files.filter((x) => x.endsWith(".md")).length,
      );
    }
  });
});
