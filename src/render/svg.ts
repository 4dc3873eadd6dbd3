import { instance } from "@viz-js/viz";
import { FONT_SIZE } from "./decision-views.js";

/**
 * Graphviz DOT made into SVG in-process: Graphviz compiled to WebAssembly (@viz-js/viz),
 * its module held inside its JavaScript, so nothing is fetched and no browser is needed.
 * Pure computation: the same DOT gives the same SVG.
 */

let viz: ReturnType<typeof instance> | undefined;

/** SVG of a DOT graph. A DOT the program wrote that Graphviz refuses is a bug (thrown). */
export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: "svg" });
  if (result.status !== "success") {
    throw new Error(`Graphviz: ${result.errors.map((e) => e.message).join("; ")}`);
  }
  return result.output;
}

/** The picture's size in points (its viewBox), read from the SVG Graphviz wrote. */
export function svgSize(svg: string): { width: number; height: number } {
  const box = /viewBox="([\d.\s-]+)"/.exec(svg)?.[1]?.trim().split(/\s+/).map(Number);
  return { width: box?.[2] ?? 0, height: box?.[3] ?? 0 };
}

/** How large the text is on a 1920 x 1080 slide when the picture is scaled to fit it, in px. */
export function slideTextPx(size: { width: number; height: number }, fontSize = FONT_SIZE): number {
  const scale = Math.min(1920 / size.width, 1080 / size.height);
  return fontSize * scale;
}

/**
 * The SVG of whichever way round (left to right, or top to bottom) the text comes out
 * larger on a 16:9 slide.
 */
export async function bestSvg(dotOf: (rankdir: "LR" | "TB") => string): Promise<string> {
  const lr = await dotToSvg(dotOf("LR"));
  const tb = await dotToSvg(dotOf("TB"));
  return slideTextPx(svgSize(lr)) >= slideTextPx(svgSize(tb)) ? lr : tb;
}
