// Build step: the files the pictures need, copied out of their development packages into
// dist/assets/, so the package ships them and not the packages (issue 27, a lean package):
//   - DejaVuSans.ttf (0.7 MB), the one font the pictures are drawn in, from dejavu-fonts-ttf
//     (11.9 MB, every DejaVu face), with DejaVuSans.LICENSE beside it: the DejaVu licence
//     (Bitstream Vera's terms) asks that its text go with the font;
//   - resvg.wasm, resvg compiled to WebAssembly: @resvg/resvg-wasm's JavaScript is bundled
//     (dist/vendor/), but WebAssembly is loaded from a file, so that file is shipped as it is.
// src/io/png.ts reads them here; the single executable carries the same files as SEA assets
// of the same names (scripts/build-binary.mjs).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Each shipped asset: its name in dist/assets/ (and in the executable) and where it comes from. */
export const ASSETS = {
  "DejaVuSans.ttf": require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  "DejaVuSans.LICENSE": require.resolve("dejavu-fonts-ttf/LICENSE"),
  "resvg.wasm": require.resolve("@resvg/resvg-wasm/index_bg.wasm"),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL("../dist/assets/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [name, from] of Object.entries(ASSETS)) copyFileSync(from, join(dir, name));
}
