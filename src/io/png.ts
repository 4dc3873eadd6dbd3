import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as sea from "node:sea";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import type { AssembledCase } from "../render/case-files.js";
import { findPackageRoot } from "./assets.js";

/**
 * SVG made into PNG in-process: resvg compiled to WebAssembly (@resvg/resvg-wasm), with
 * the DejaVu Sans font the pictures are drawn in, never the system's fonts, so a picture
 * comes out the same on every machine. The WebAssembly and the font are files the build
 * copied out of their packages into dist/assets/ (scripts/assets.mjs), or in the single
 * executable its SEA assets of the same names (scripts/build-binary.mjs).
 */

/** The asset names (= scripts/assets.mjs, and the SEA's). */
export const WASM_ASSET = "resvg.wasm";
export const FONT_ASSET = "DejaVuSans.ttf";

function file(asset: string): Uint8Array {
  if (sea.isSea()) return new Uint8Array(sea.getAsset(asset));
  return readFileSync(join(findPackageRoot(), "dist", "assets", asset));
}

let ready: Promise<void> | undefined;
let font: Uint8Array | undefined;

/** The PNG of an SVG, `width` pixels wide (its height kept in proportion), on white. */
export async function svgToPng(svg: string, width: number): Promise<Uint8Array> {
  ready ??= initWasm(file(WASM_ASSET));
  await ready;
  font ??= file(FONT_ASSET);
  const resvg = new Resvg(svg, {
    font: { fontBuffers: [font], defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    fitTo: { mode: "width", value: width },
    background: "white",
  });
  return resvg.render().asPng();
}

/** pathway.png's width in pixels: the timeline as sharp as on a 1400-px-wide screen or page. */
export const PATHWAY_PNG_WIDTH = 1400;

/**
 * The case with pathway.png after pathway.svg: the same timeline as a picture, for a record
 * system or a document that takes no SVG. Costs a second or so (docs/decisions.md), so only
 * where it is wanted.
 */
export async function withPathwayPng<C extends AssembledCase>(assembled: C): Promise<C> {
  const at = assembled.files.findIndex((f) => f.path === "pathway.svg");
  const svg = assembled.files[at];
  if (svg === undefined) return assembled;
  const png = await svgToPng(new TextDecoder().decode(svg.bytes), PATHWAY_PNG_WIDTH);
  const files = [...assembled.files];
  files.splice(at + 1, 0, { path: "pathway.png", bytes: png, mode: 0o600 });
  return { ...assembled, files };
}
