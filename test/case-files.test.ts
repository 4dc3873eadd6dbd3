import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyCase, MANIFEST } from "../src/io/output.js";
import { assembleCase, withWordTwins } from "../src/render/case-files.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";

const scratch = mkdtempSync(join(tmpdir(), "safeguard-case-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pathway = () =>
  decideCase({
    case_id: "CF-1",
    concern: { date: "2026-11-23", types: ["criminal"], about: "individual" },
    person: { age: 15 },
    screening: { outcome: "evidence" },
  });

describe("the case pipeline: a pure assemble, then apply", () => {
  it("assemble gives the folder's files as data (path, bytes, mode) and touches no disk", () => {
    const folder = join(scratch, "never-written", "CF-1");
    const a = assembleCase(bundledFlow(), pathway(), {
      folder,
      extra: new Map([["answers.yaml", "x: 1\n"]]),
    });
    expect(existsSync(join(scratch, "never-written"))).toBe(false);
    expect(a.caseId).toBe("CF-1");
    const paths = a.files.map((f) => f.path);
    expect(paths.slice(0, 2)).toEqual(["pathway.json", "case-summary.md"]);
    expect(paths.slice(-3)).toEqual(["deadlines.ics", "pathway.svg", "answers.yaml"]);
    expect(a.files.every((f) => f.mode === 0o600 && f.bytes instanceof Uint8Array)).toBe(true);
    const json = a.files.find((f) => f.path === "pathway.json");
    // The result names the documents in the folder as the caller shows it; pathway.json, by their own names.
    expect(a.result.documents).toContainEqual({ id: "case-summary", path: `${folder}/case-summary.md` });
    expect(JSON.parse(new TextDecoder().decode(json?.bytes))).toEqual({
      ...a.result,
      documents: a.result.documents.map((d) => ({ id: d.id, path: `${d.id}.md` })),
    });
    // The same pathway assembles to the same bytes.
    const again = assembleCase(bundledFlow(), pathway(), {
      folder,
      extra: new Map([["answers.yaml", "x: 1\n"]]),
    });
    expect(again.files).toEqual(a.files);
  });

  it("apply writes exactly those bytes, owner-only, with the .gitignore and a manifest of every hash", () => {
    const folder = join(scratch, "out", "CF-1");
    const a = assembleCase(bundledFlow(), pathway(), { folder });
    applyCase(a, { cwd: scratch, force: false });
    const written = readdirSync(folder).sort();
    expect(written).toEqual([...a.files.map((f) => f.path), ".gitignore", MANIFEST].sort());
    for (const f of a.files) {
      expect(new Uint8Array(readFileSync(join(folder, f.path)))).toEqual(f.bytes);
      expect(statSync(join(folder, f.path)).mode & 0o777).toBe(0o600);
    }
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8")) as {
      case_id: string;
      files: Record<string, string>;
    };
    expect(manifest.case_id).toBe("CF-1");
    expect(Object.keys(manifest.files)).toEqual([...a.files.map((f) => f.path), ".gitignore"]);
    for (const f of a.files)
      expect(manifest.files[f.path]).toBe(createHash("sha256").update(f.bytes).digest("hex"));
    // No folder: nothing to apply, nothing written.
    applyCase(assembleCase(bundledFlow(), pathway(), { folder: null }), {
      cwd: join(scratch, "none"),
      force: false,
    });
    expect(existsSync(join(scratch, "none"))).toBe(false);
  });

  it("a Word twin follows each Markdown file, the Markdown unchanged", async () => {
    const a = assembleCase(bundledFlow(), pathway(), { folder: "out/CF-1" });
    const twinned = await withWordTwins(a);
    const md = a.files.filter((f) => f.path.endsWith(".md")).map((f) => f.path);
    expect(twinned.files.slice(0, a.files.length)).toEqual(a.files);
    expect(twinned.files.slice(a.files.length).map((f) => f.path)).toEqual(
      md.map((p) => p.replace(/\.md$/, ".docx")),
    );
  });
});
