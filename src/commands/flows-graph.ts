import { UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { loadFlow } from "../io/flows.js";
import { svgToPng } from "../io/png.js";
import type { World } from "../io/world.js";
import { decisionsDot, decisionsMermaid, decisionsText, flowDecisionsDot } from "../render/decision-views.js";
import { type Decisions, decisions, findSection, sectionKeys } from "../render/decisions.js";
import { flowMermaid, flowOutline } from "../render/graph.js";
import { slides } from "../render/slides.js";
import { bestSvg, svgSize } from "../render/svg.js";
import { wrapText } from "../render/wrap.js";
import { say } from "../words/problems.js";

const FORMATS = ["mermaid", "text", "svg", "png"] as const;
type Format = (typeof FORMATS)[number];

/**
 * `safeguard flows graph [FLOW] [--section NAME] [--format mermaid|text|svg|png] [--width N]`:
 * the flow as a diagram, for trainers. Without --section the whole map; with it one part as
 * the decisions a practitioner makes, or one of its slides (`NAME/2`) where the part is
 * too large for one slide at readable size.
 */
export async function run(
  world: World,
  args: string[],
  opts: { format: string | undefined; section: string | undefined; width: string | undefined },
): Promise<number> {
  const format = opts.format ?? "mermaid";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(say.notOneOf("--format", format, FORMATS));
  }
  const width = textWidth(world, opts.width);
  if (format === "png" && world.stdout.isTTY) {
    throw new UsageError(say.pngToTerminal());
  }
  const flow = loadFlow(args[0], world.cwd);
  const section = opts.section;
  if (section === undefined) return whole(world, flow, format as Format, width);
  const drawing = format === "svg" || format === "png";
  const part = await chosen(flow, section, drawing);
  if (format === "text") world.stdout.write(decisionsText(part.decisions, width));
  else if (format === "mermaid") world.stdout.write(decisionsMermaid(part.decisions));
  else await picture(world, part.svg, format as "svg" | "png", true);
  if (drawing && part.slides.length > 1 && !section.includes("/"))
    world.stderr.write(
      `${part.decisions.key} is too large for one slide at a readable size; its slides: ${part.slides.join(", ")}\n`,
    );
  return 0;
}

async function whole(world: World, flow: Flow, format: Format, width: number): Promise<number> {
  if (format === "text") world.stdout.write(`${wrapText(flowOutline(flow).trimEnd(), width)}\n`);
  else if (format === "mermaid") world.stdout.write(flowMermaid(flow));
  else {
    const parts = sectionKeys(flow).map((s) => decisions(flow, s.key));
    await picture(world, await bestSvg((dir) => flowDecisionsDot(parts, dir)), format, false);
  }
  return 0;
}

/** The part or slide NAME names, drawn; a name that is neither is exit 2 with the list. */
async function chosen(
  flow: Flow,
  name: string,
  drawing: boolean,
): Promise<{ decisions: Decisions; svg: string; slides: string[] }> {
  const [partName = "", slideNo] = name.split("/");
  const found = findSection(flow, partName);
  if ("error" in found) throw new UsageError(found.error);
  const whole = decisions(flow, found.key);
  // Slides are worked out by drawing them: only when a picture or a slide is asked for.
  if (!drawing && slideNo === undefined) return { decisions: whole, svg: "", slides: [] };
  const cut = await slides(whole);
  const keys = cut.length > 1 ? cut.map((s) => s.decisions.key) : [];
  if (slideNo === undefined) {
    const svg = cut.length === 1 && cut[0] ? cut[0].svg : await bestSvg((dir) => decisionsDot(whole, dir));
    return { decisions: whole, svg, slides: keys };
  }
  const slide = cut.length > 1 ? cut[Number(slideNo) - 1] : undefined;
  if (!slide || !/^\d+$/.test(slideNo))
    throw new UsageError(say.noSuchSlide(found.key, cut.length, String(slideNo)));
  return { decisions: slide.decisions, svg: slide.svg, slides: keys };
}

/** SVG as written; PNG sized for a 1920 x 1080 slide (a whole map: 1.5 px a point). */
async function picture(world: World, svg: string, format: "svg" | "png", slide: boolean): Promise<void> {
  if (format === "svg") {
    world.stdout.write(svg);
    return;
  }
  const { width, height } = svgSize(svg);
  // A slide fits 1920 x 1080; the whole map, 1.5 px a point up to 8000 px on its longer side.
  const px = slide
    ? Math.min(1920, (width * 1080) / height)
    : Math.min(width * 1.5, (width * 8000) / Math.max(width, height));
  world.stdout.write(await svgToPng(svg, Math.max(1, Math.round(px))));
}

/** --width N, else the terminal's width, else 80 (piped). */
function textWidth(world: World, given: unknown): number {
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 20 || n > 1000)
      throw new UsageError(
        say.wholeNumber("--width", String(given), "a whole number of columns, 20 to 1000"),
      );
    return n;
  }
  const columns = (world.stdout as { columns?: number }).columns;
  return world.stdout.isTTY && columns && columns > 0 ? columns : 80;
}
