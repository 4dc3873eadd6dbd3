import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as sea from "node:sea";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
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
