import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { testWorld } from "./helpers/world.js";
import { unzip } from "./helpers/zip.js";

/**
 * slides.pptx as a room sees it: drawn by LibreOffice Impress (to PDF), every word's box
 * read back (poppler's pdftotext), and each found inside the box the slide put it in. A
 * text that runs out of its box, into the next or off the slide, fails here. Neither
 * program is in CI (the slide-XML checks of training-pack.test.ts are CI's): without them
 * this skips. The 90-minute pack tells all eight stories, so it has every kind of slide.
 */
const found = (cmd: string, arg: string) => !spawnSync(cmd, [arg], { encoding: "utf8" }).error;
const here = found("soffice", "--version") && found("pdftotext", "-v");

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Points per EMU (12700 EMU to a point): the PDF is in points, the slide XML in EMU. */
const EMU = 12_700;
/** A word's box is its font's ascent and descent: it may stand this far (pt) past its shape. */
const SLACK = 3;

describe.skipIf(!here)("slides.pptx drawn by LibreOffice", () => {
  const scratch = mkdtempSync(join(tmpdir(), "safeguard-slides-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let files: Map<string, Buffer>;
  let pages: { text: string; box: Rect }[][];

  beforeAll(async () => {
    const w = testWorld({ cwd: scratch });
    const code = await main(
      ["node", "safeguard", "training-pack", "--out", "pack", "--minutes", "90"],
      w.world,
    );
    expect(code, w.err()).toBe(0);
    const pack = join(scratch, "pack");
    // A profile of its own: another soffice running on the machine does not block this one.
    const profile = pathToFileURL(join(scratch, "profile")).href;
    const convert = spawnSync(
      "soffice",
      [
        `-env:UserInstallation=${profile}`,
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        pack,
        join(pack, "slides.pptx"),
      ],
      { encoding: "utf8" },
    );
    expect(convert.status, convert.stderr).toBe(0);
    const html = spawnSync("pdftotext", ["-bbox", join(pack, "slides.pdf"), "-"], {
      encoding: "utf8",
    }).stdout;
    files = unzip(readFileSync(join(pack, "slides.pptx")));
    pages = html
      .split("<page ")
      .slice(1)
      .map((page) =>
        [
          ...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</g),
        ].map((m) => ({
          text: m[5] ?? "",
          box: { x0: +(m[1] ?? 0), y0: +(m[2] ?? 0), x1: +(m[3] ?? 0), y1: +(m[4] ?? 0) },
        })),
      );
  }, 300_000);

  it("draws every slide", () => {
    const slides = [...files.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(pages.length).toBe(slides.length);
    expect(pages.every((words) => words.length > 0)).toBe(true);
  });

  it("keeps every word inside its own box: no text runs into the next box or off the slide", () => {
    const outside: string[] = [];
    pages.forEach((words, i) => {
      const xml = files.get(`ppt/slides/slide${i + 1}.xml`)?.toString("utf8") ?? "";
      const shapes: Rect[] = [
        ...xml.matchAll(/<a:off x="(\d+)" y="(\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>/g),
      ].map((m) => {
        const [x, y, cx, cy] = [m[1], m[2], m[3], m[4]].map((n) => Number(n) / EMU) as [
          number,
          number,
          number,
          number,
        ];
        return { x0: x, y0: y, x1: x + cx, y1: y + cy };
      });
      expect(shapes.length, `slide ${i + 1}`).toBeGreaterThan(0);
      const inside = (w: Rect, s: Rect) =>
        w.x0 >= s.x0 - SLACK && w.x1 <= s.x1 + SLACK && w.y0 >= s.y0 - SLACK && w.y1 <= s.y1 + SLACK;
      const lost = words.filter((w) => !shapes.some((s) => inside(w.box, s)));
      if (lost.length > 0) outside.push(`slide ${i + 1}: ${lost.map((w) => w.text).join(" ")}`);
    });
    expect(outside).toEqual([]);
  });
});
