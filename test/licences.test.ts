import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";

/**
 * dist/THIRD-PARTY-LICENSES.txt (scripts/bundle.mjs, written by the build): each bundled
 * package's licence in full, those that ship no licence file (resvg-wasm, viz-js, isarray)
 * given the standard text from docs/licenses/ with the copyright line the package gives, and
 * the software a package carries compiled in (viz-js's Graphviz, Expat and Emscripten's runtime
 * and C library) with their own licences (docs/licenses/compiled-in.json), and the packages and
 * crates a package carries inside its code (docx's bundled dependencies, the Rust crates of
 * resvg-wasm's WebAssembly) with their copyright lines and licence texts (docs/licenses/inlined.json).
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

/** A part holding its copyright line (or other words) and its licence whole, to its last words. */
function expectWhole(
  p: { body: string } | undefined,
  name: string,
  holder: string,
  end: RegExp,
  start?: RegExp,
) {
  expect(p, name).toBeDefined();
  expect(p?.body, name).toContain(holder);
  if (start) expect(p?.body, name).toMatch(start);
  expect(p?.body.trimEnd(), name).toMatch(end);
  expect(p?.body, name).not.toContain("<copyright holders>");
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

  it("what viz-js compiles in: Graphviz, Expat, Emscripten's runtime and C library, each with its licence in full", () => {
    const all = parts(notices());
    const viz = JSON.parse(readFileSync(join(packageRoot, "node_modules/@viz-js/viz/package.json"), "utf8"));
    const meta = readFileSync(join(packageRoot, "node_modules/@viz-js/viz/lib/metadata.js"), "utf8");
    const graphviz = /graphvizVersion = "([^"]+)"/.exec(meta)?.[1];
    expect(graphviz).toBeDefined();
    const part = (heading: string) => all.find((p) => p.heading === heading);
    const inViz = `Compiled into @viz-js/viz ${viz.version}.`;
    const expected = [
      // The Graphviz the installed viz-js says it carries, under the Eclipse licence, to its last clause.
      [
        `Graphviz ${graphviz} (EPL-1.0)`,
        "Copyright (c) 2011 AT&T Intellectual Property",
        /^Eclipse Public License - v 1\.0$/m,
        /any resulting litigation\.$/,
      ],
      [
        "Expat 2.8.5 (MIT)",
        "Copyright (c) 1998-2000 Thai Open Source Software Center Ltd and Clark Cooper",
        /^Permission is hereby granted/m,
        /OTHER DEALINGS IN THE SOFTWARE\.$/,
      ],
      [
        "Emscripten runtime 6.0.10 (MIT OR NCSA)",
        "Copyright (c) 2010-2014 Emscripten authors",
        /University of Illinois\/NCSA Open Source License/,
        /Copyright Joyent, Inc\. and other Node contributors/,
      ],
      [
        "musl libc in Emscripten 6.0.10 (MIT)",
        "Copyright © 2005-2020 Rich Felker, et al.",
        /^Permission is hereby granted/m,
        /./,
      ],
    ] as const;
    for (const [heading, holder, start, end] of expected) {
      const p = part(heading);
      expectWhole(p, heading, holder, end, start);
      expect(p?.body.startsWith(inViz), heading).toBe(true);
    }
  });

  it("what docx carries inside: each package its bundle names, with its version, copyright and licence in full", () => {
    const all = parts(notices());
    const docx = JSON.parse(readFileSync(join(packageRoot, "node_modules/docx/package.json"), "utf8"));
    const inside = all.filter((p) => p.heading.startsWith(`Inside docx ${docx.version}: `));
    expect(inside.length).toBeGreaterThan(3);
    // Each package's line: "name version (licence): copyright lines".
    const lines = inside.flatMap((p) =>
      p.body.split("\n").filter((l) => /^\S+( runtime)? \S+ \([^)]+\): /.test(l)),
    );
    const named = new Set(lines.map((l) => l.split(" ")[0]));
    // The packages rolldown marked in the docx we install, read here from its files, not from our list.
    const regions = ["index.cjs", "index.mjs"].flatMap((f) =>
      Array.from(
        readFileSync(join(packageRoot, "node_modules/docx/dist", f), "utf8").matchAll(
          /^\/\/#region node_modules\/(?:[^/\s]+\/node_modules\/)?((?:@[^/\s]+\/)?[^/\s]+)\//gm,
        ),
        (m) => m[1],
      ),
    );
    expect(new Set(regions).size).toBeGreaterThan(40);
    // And those inside jszip's own bundle, and the bundler's runtime helpers.
    for (const name of [...regions, "pako", "lie", "immediate", "setimmediate", "@oxc-project/runtime"])
      expect(named.has(name), name).toBe(true);
    const line = (name: string) => lines.find((l) => l.startsWith(`${name} `));
    expect(line("jszip")).toBe(
      "jszip 3.10.1 (MIT OR GPL-3.0-or-later): Copyright (c) 2009-2016 Stuart Knightley, David Duponchel, Franz Buchinger, António Afonso",
    );
    expect(line("call-bind")).toBe("call-bind 1.0.8 (MIT): Copyright (c) 2020 Jordan Harband");
    expect(line("hash.js")).toBe("hash.js 1.1.7 (MIT): Copyright Fedor Indutny, 2014.");
    // A package whose licence file is not the common text gets that file, copyright and all.
    const holding = (name: string) => inside.find((p) => p.body.includes(`\n${name} `));
    for (const [name, start, end] of [
      [
        "sax",
        "Copyright (c) Isaac Z. Schlueter and Contributors",
        /WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE\.$/,
      ],
      [
        "ieee754",
        "Copyright 2008 Fair Oaks Labs, Inc.",
        /EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE\.$/,
      ],
      [
        "readable-stream",
        "Copyright Node.js contributors. All rights reserved.",
        /Copyright Joyent, Inc\. and other Node contributors/,
      ],
      [
        "pako",
        "(C) 1995-2013 Jean-loup Gailly and Mark Adler",
        /This notice may not be removed or altered from any source distribution\.$/,
      ],
      ["jszip", "Permission is hereby granted", /OTHER DEALINGS IN THE SOFTWARE\.$/],
      ["inherits", "Permission to use, copy, modify, and/or distribute", /PERFORMANCE OF THIS SOFTWARE\.$/],
    ] as const) {
      expectWhole(holding(name), name, start, end);
    }
  });

  it("what resvg-wasm's WebAssembly is built from: each crate it names, with its version, copyright and licence in full", () => {
    const all = parts(notices());
    const resvg = JSON.parse(
      readFileSync(join(packageRoot, "node_modules/@resvg/resvg-wasm/package.json"), "utf8"),
    );
    const inside = all.filter((p) => p.heading.startsWith(`Inside @resvg/resvg-wasm ${resvg.version}: `));
    expect(inside.length).toBeGreaterThan(3);
    const body = inside.map((p) => p.body).join("\n");
    // The crates whose source paths Rust kept in the WebAssembly we ship, read here from it.
    const wasm = readFileSync(join(packageRoot, "node_modules/@resvg/resvg-wasm/index_bg.wasm"), "latin1");
    const crates = new Set(
      Array.from(
        wasm.matchAll(/registry\/src\/[^/]+\/([A-Za-z0-9_-]+)-(\d+\.\d+\.\d+)\//g),
        (m) => `${m[1]} ${m[2]}`,
      ),
    );
    expect(crates.size).toBeGreaterThan(30);
    expect(crates).toContain("tiny-skia 0.10.0");
    for (const crate of crates)
      expect(body, crate).toMatch(new RegExp(`^${crate.replace(/[.+]/g, "\\$&")} \\(`, "m"));
    // resvg and usvg from the fork resvg-js patches in, and its woff2.
    for (const crate of [
      "resvg 0.34.1 (MPL-2.0)",
      "usvg 0.34.1 (MPL-2.0)",
      "usvg-parser 0.34.0 (MPL-2.0)",
      "woff2 0.3.0 (Apache-2.0)",
    ])
      expect(body, crate).toContain(`\n${crate}: `);
    const part = (crate: string) => inside.find((p) => p.body.includes(`\n${crate} `));
    for (const [crate, holder, start, end] of [
      [
        "tiny-skia",
        "Copyright (c) 2011 Google Inc. All rights reserved.",
        /^Redistribution and use in source and binary forms/m,
        /POSSIBILITY OF SUCH DAMAGE\.$/,
      ],
      [
        "ttf-parser",
        "ttf-parser 0.18.1 (MIT OR Apache-2.0): Copyright (c) 2018 Yevhenii Reizner",
        /^Permission is hereby granted/m,
        /limitations under the License\.$/,
      ],
      [
        "rustybuzz",
        "Copyright (c) HarfBuzz developers",
        /^Permission is hereby granted/m,
        /OTHER DEALINGS IN THE SOFTWARE\.$/,
      ],
      [
        "brotli-decompressor",
        "Copyright (c) 2016 Dropbox, Inc.",
        /^Redistribution and use/m,
        /POSSIBILITY OF SUCH DAMAGE\.$/,
      ],
      ["slotmap", "Copyright (c) 2021 Orson Peters", /This notice may not be removed or altered/, /./],
      [
        "resvg",
        "resvg 0.34.1 (MPL-2.0)",
        /^Mozilla Public License Version 2\.0$/m,
        /defined by the Mozilla Public License, v\. 2\.0\.$/,
      ],
    ] as const) {
      expectWhole(part(crate), crate, holder, end, start);
    }
  });
});
