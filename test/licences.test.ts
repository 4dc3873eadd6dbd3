import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";

/**
 * dist/THIRD-PARTY-LICENSES.txt (scripts/bundle.mjs, written by the build): each bundled
 * package's licence in full, those that ship no licence file (resvg-wasm, viz-js, isarray)
 * given the standard text from docs/licenses/ with the copyright line the package gives.
 */
const notices = () => readFileSync(join(packageRoot, "dist", "THIRD-PARTY-LICENSES.txt"), "utf8");
const RULE = `\n${"-".repeat(72)}\n\n`;

/** Each package's part: its heading line ("name version (licence)") and its text. */
function parts(text: string): { heading: string; licence: string; body: string }[] {
  const [, ...rest] = text.split("\n\n");
  return rest
    .join("\n\n")
    .split(RULE)
    .map((part) => {
      const [heading = "", ...body] = part.split("\n\n");
      return { heading, licence: /\(([^()]+)\)$/.exec(heading)?.[1] ?? "", body: body.join("\n\n") };
    });
}

describe("the bundled packages' licences, shipped in full", () => {
  it("no package is left with its licence's name alone", () => {
    const text = notices();
    expect(text).not.toContain("has no licence file");
    const all = parts(text);
    expect(all.length).toBeGreaterThan(20);
    for (const p of all) expect(p.body.length, p.heading).toBeGreaterThan(200);
  });

  it("the three with no licence file: the standard text, with the copyright line each package gives", () => {
    const all = parts(notices());
    const part = (name: string) => all.find((p) => p.heading.startsWith(`${name} `));
    const resvg = part("@resvg/resvg-wasm");
    expect(resvg?.licence).toBe("MPL-2.0");
    expect(resvg?.body).toMatch(
      /^Copyright \(c\) 2021-present, yisibl\(一丝\)\n\nMozilla Public License Version 2\.0\n/,
    );
    // The whole of it, to its last exhibit.
    expect(resvg?.body.trimEnd()).toMatch(
      /Exhibit B - "Incompatible With Secondary Licenses" Notice\n-+\n\n {2}This Source Code Form is "Incompatible With Secondary Licenses", as\n {2}defined by the Mozilla Public License, v\. 2\.0\.$/,
    );
    for (const [name, holder] of [
      ["@viz-js/viz", "Copyright (c) Michael Daines"],
      ["isarray", "Copyright (c) 2013 Julian Gruber <julian@juliangruber.com>"],
    ] as const) {
      const p = part(name);
      expect(p?.licence, name).toBe("MIT");
      expect(p?.body, name).toMatch(
        new RegExp(
          `^MIT License\\n\\n${holder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n\\nPermission is hereby granted`,
        ),
      );
      expect(p?.body, name).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
      expect(p?.body, name).not.toContain("<copyright holders>");
    }
  });
});
