import pptxModule from "pptxgenjs";
import { formatLong } from "../engine/dates.js";
import type { Recommendation } from "../engine/decide.js";
import type { Action, Flow } from "../flow/types.js";
import { dueWords } from "../render/due-words.js";
import { wrapLine } from "../render/wrap.js";
import { editStored, stampZip } from "../render/zip.js";
import { type Minutes, OBJECTIVES } from "./plan.js";
import type { QuizQuestion } from "./quiz.js";
import { storyQuestion, type TrainingStory } from "./story.js";

/**
 * `slides.pptx`: the session as slides a room can read from the back. Every text is at
 * least 24 pt on a 16:9 slide (13.33 x 7.5 in, so 48 px on a 1920-px picture): titles 36
 * pt, everything else 24 pt, the same on every slide of every part. A part that does not
 * fit one slide is split between its steps, in the pathway's order, each slide titled so
 * that it makes sense alone. Speaker notes carry the script and the likely questions with
 * their answers. Built with pptxgenjs (docs/decisions.md); nothing here touches the disk.
 */
// The package's types describe its CommonJS shape ({ default: class }); Node's import of
// its ES build gives the class itself. Either way, the class.
const PptxGenJS: typeof pptxModule.default =
  (pptxModule as unknown as { default?: typeof pptxModule.default }).default ??
  (pptxModule as unknown as typeof pptxModule.default);
type Deck = InstanceType<typeof PptxGenJS>;
type Slide = ReturnType<Deck["addSlide"]>;

export const TITLE_PT = 36;
export const BODY_PT = 24;

const W = 13.33;
const H = 7.5;
const MARGIN = 0.5;
const TOP = 1.35;
const INK = "1D2A44";
const BOX = "EEF2F8";
const EDGE = "2F5D9B";
const FONT = "Arial";

/**
 * Lines a text takes at a size in a width (inches): an estimate on the safe side. Arial's
 * average letter is about half its size; where Arial is missing (LibreOffice on Linux),
 * DejaVu Sans stands in, wider: about 0.51 of its size, 0.58 in bold (measured at 24 pt).
 */
function linesOf(text: string, widthIn: number, pt: number, bold = false): number {
  const columns = Math.max(10, Math.floor((widthIn * 72) / (pt * (bold ? 0.6 : 0.55))));
  return text.split("\n").reduce((n, para) => n + Math.max(1, wrapLine(para, columns).length), 0);
}

const heightOf = (lines: number, pt: number) => (lines * pt * 1.25) / 72 + 0.2;

/** A box of text in the pathway: its lines, for fitting; its runs, for drawing. */
interface Box {
  head: string;
  lines: string[];
}

function boxLines(b: Box, width: number): number {
  return (
    linesOf(b.head, width - 0.3, BODY_PT, true) +
    b.lines.reduce((n, l) => n + linesOf(l, width - 0.3, BODY_PT), 0)
  );
}

/** Boxes stacked down a slide, as many per slide as fit, in order; each slide of a part titled alone. */
function boxSlides(
  pres: Deck,
  title: string,
  boxes: readonly Box[],
  notes: (first: number, last: number) => string,
) {
  const width = W - 2 * MARGIN;
  const room = H - TOP - 0.3;
  const pages: Box[][] = [];
  let page: Box[] = [];
  let used = 0;
  for (const b of boxes) {
    const h = heightOf(boxLines(b, width), BODY_PT) + 0.15;
    if (page.length > 0 && used + h > room) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(b);
    used += h;
  }
  if (page.length > 0) pages.push(page);
  let n = 0;
  pages.forEach((boxesOn, i) => {
    const s = pres.addSlide();
    heading(s, pages.length > 1 ? `${title} (${i + 1} of ${pages.length})` : title);
    let y = TOP;
    for (const b of boxesOn) {
      const h = heightOf(boxLines(b, width), BODY_PT);
      s.addText(
        [
          { text: b.head, options: { bold: true, breakLine: b.lines.length > 0 } },
          ...b.lines.map((l, k) => ({ text: l, options: { breakLine: k < b.lines.length - 1 } })),
        ],
        {
          shape: pres.ShapeType.roundRect,
          rectRadius: 0.08,
          x: MARGIN,
          y,
          w: width,
          h,
          fill: { color: BOX },
          line: { color: EDGE, width: 1.5 },
          fontFace: FONT,
          fontSize: BODY_PT,
          color: INK,
          valign: "top",
          margin: 6,
          fit: "none",
        },
      );
      y += h + 0.15;
    }
    s.addNotes(notes(n + 1, n + boxesOn.length));
    n += boxesOn.length;
  });
}

/** A slide's title, on one line: a longer one would run into the slide's text (a bug, so thrown). */
function heading(s: Slide, title: string) {
  if (linesOf(title, W - 2 * MARGIN, TITLE_PT, true) > 1)
    throw new Error(`slides: the title "${title}" does not fit one line`);
  s.addText(title, {
    x: MARGIN,
    y: 0.3,
    w: W - 2 * MARGIN,
    h: 0.95,
    fontFace: FONT,
    fontSize: TITLE_PT,
    bold: true,
    color: INK,
    valign: "middle",
    fit: "none",
  });
}

/** Paragraphs on slides of their own title, as many per slide as fit. */
function textSlides(pres: Deck, title: string, paras: readonly string[], notes: string) {
  const width = W - 2 * MARGIN;
  const room = H - TOP - 0.3;
  const pages: string[][] = [];
  let page: string[] = [];
  for (const p of paras) {
    const next = [...page, p];
    if (page.length > 0 && heightOf(linesOf(next.join("\n"), width, BODY_PT), BODY_PT) > room) {
      pages.push(page);
      page = [p];
    } else page = next;
  }
  if (page.length > 0) pages.push(page);
  pages.forEach((ps, i) => {
    const s = pres.addSlide();
    heading(s, pages.length > 1 ? `${title} (${i + 1} of ${pages.length})` : title);
    s.addText(
      ps.map((p, k) => ({ text: p, options: { breakLine: k < ps.length - 1, paraSpaceAfter: 8 } })),
      {
        x: MARGIN,
        y: TOP,
        w: width,
        h: room,
        fontFace: FONT,
        fontSize: BODY_PT,
        color: INK,
        valign: "top",
        fit: "none",
      },
    );
    s.addNotes(notes);
  });
}

/** A due rule as a slide says it: the flow's own words, without "(now, if that has passed)". */
const deadline = (flow: Flow, a: Action) =>
  dueWords(flow, a.due).replace(/ \(now, if that has passed\)$/, "");

/** The three pathways: the point of concern first (the lead and the screening tool), then each group's part, then MAACE. */
const PATHWAYS: readonly { title: string; sections: readonly string[]; ages: string; notes: string }[] = [
  {
    title: "The child pathway",
    sections: [
      "All ages: at the point of concern",
      "Under 18",
      "All ages: MAACE and the support and disruption plan",
    ],
    ages: "under 18",
    notes:
      "Walk the room through the child pathway in order: the safeguarding lead and the screening tool first, then MASH, the strategy discussion and MAACE.\n\n" +
      "Likely question: do the 3 working days for the strategy discussion count weekends and bank holidays? Answer: no; they are working days, counted from the referral (Flowchart (child), Procedures §12.4).\n" +
      "Likely question: what if the screening tool shows no evidence? Answer: an Early Help offer, and the screening tool still goes to the Exploitation Team (Procedures §12.1, §12.3).",
  },
  {
    title: "The adult pathway",
    sections: [
      "All ages: at the point of concern",
      "18 and over",
      "All ages: MAACE and the support and disruption plan",
    ],
    ages: "18 and over",
    notes:
      "Walk the room through the adult pathway: consent and capacity first, then the safeguarding concern to One Front Door, the s42 enquiry and MAACE.\n\n" +
      "Likely question: what if the adult says no to sharing? Answer: where asking would put them or others at more risk, or they lack capacity to consent, information can still be shared without consent: record why (Procedures §6.2, §13.2).\n" +
      "Likely question: what if they say no to an NRM referral? Answer: the duty to notify still applies for public authorities, without details that identify them (Procedures §15.4.a).",
  },
  {
    title: "Getting ready for 18",
    sections: ["Transitions at 17-18"],
    ages: "14 to 25",
    notes:
      "The transitions pathway runs on birthdays: 14 (learning or physical disability), 16 (an adult social worker; mental health), 17 (the referral to Adult One Front Door), 17 and a half (the Care Act assessment), 18 (adult services take over; MAACE continues), and up to 25 for care leavers.\n\n" +
      "Likely question: does the MAACE process stop at 18? Answer: no; it continues into adulthood under the Care Act, with the same professionals (Procedures §20.7).",
  },
];

function pathwaySlides(pres: Deck, flow: Flow) {
  for (const p of PATHWAYS) {
    const actions = p.sections.flatMap((s) => flow.actions.filter((a) => a.section === s));
    const boxes: Box[] = actions.map((a, i) => ({
      head: `${i + 1}. ${a.title}`,
      lines: [`When: ${deadline(flow, a)}; ${a.cite}`],
    }));
    boxSlides(
      pres,
      `${p.title}: ${p.ages}`,
      boxes,
      (first, last) =>
        `${p.notes}\n\nOn this slide: steps ${first} to ${last} of ${boxes.length}, in the order the procedures take them.`,
    );
  }
}

function stepLines(r: Recommendation, flow: Flow): string[] {
  const when = r.due ? `By ${formatLong(r.due)}${r.expected ? `, ${r.expected}` : ""}` : "No date set";
  const rule = deadline(flow, flow.actionById.get(r.id) as Action);
  const who = r.by?.name ?? r.contacts[0]?.name;
  return [`${when}: ${rule}`, ...(who ? [`Who: ${who}`] : []), `Section: ${r.citation}`];
}

function storySlides(pres: Deck, flow: Flow, n: number, s: TrainingStory, qs: readonly QuizQuestion[]) {
  const p = s.pathway;
  const title = `Story ${n}`;
  textSlides(
    pres,
    `${title}: the situation`,
    [s.title, ...(s.story ? [s.story] : [])],
    `Read the story aloud, then ask the room the question on the next slide. Told as on ${formatLong(s.toldOn)}: the dates on the slides are worked out from that day.`,
  );
  textSlides(
    pres,
    `${title}: the question`,
    [storyQuestion(s), "Talk it through in pairs: what, by when, who, and why?"],
    "Give the room two minutes in pairs, then take answers before you click on.\n\nLikely question: who decides? Answer: the safeguarding lead decides with the practitioner; the procedures say what must happen and by when.",
  );
  const asked = new Set(qs.map((q) => q.step));
  const key = p.actions.filter((_, i) => asked.has(i + 1));
  for (const r of key.length > 0 ? key : p.actions.slice(0, 2)) {
    const why = r.because[0];
    textSlides(
      pres,
      `${title}: what the procedures say`,
      [why ? `${capital(why.because)} (${why.cite}).` : r.title, "So the step is:"],
      `Ask the room what follows from this before you click on. ${why ? `The procedures' reason: ${why.because} (${why.cite}).` : ""}`,
    );
    boxSlides(pres, `${title}: the step`, [{ head: r.title, lines: stepLines(r, flow) }], () =>
      [
        `The step: ${r.title}. ${r.detail ?? ""}`.trim(),
        `Likely question: by when? Answer: ${r.dueWords || "the procedures set no date"}.`,
        `Likely question: where does it say so? Answer: ${r.citation}.`,
      ].join("\n\n"),
    );
  }
  boxSlides(
    pres,
    `${title}: every step`,
    p.actions.map((r, i) => ({
      head: `${i + 1}. ${r.title}`,
      lines: [r.due ? `By ${formatLong(r.due)}; ${r.citation}` : `No date set; ${r.citation}`],
    })),
    (first, last) =>
      `The whole pathway for this story, steps ${first} to ${last} of ${p.actions.length}. The drafts for it are in the story's folder of the pack: open one to show the room.`,
  );
}

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

export interface SlideDeck {
  flow: Flow;
  minutes: Minutes;
  stories: readonly TrainingStory[];
  quiz: ReadonlyMap<string, QuizQuestion[]>;
  language: readonly { avoid: string; why: string; say: string }[];
  /** The pack's day (YYYY-MM-DD): the package is dated midnight UTC of it, never the clock. */
  date: string;
}

/** The deck's bytes (a .pptx package). */
export async function slidesPptx(d: SlideDeck): Promise<Uint8Array> {
  const pres = new PptxGenJS();
  pres.layout = "LAYOUT_WIDE";
  pres.title = "Exploitation: the Solihull procedures in practice";
  pres.subject = `A ${d.minutes}-minute session`;

  const first = pres.addSlide();
  first.addText(
    [
      {
        text: "Exploitation: the Solihull procedures in practice",
        options: { fontSize: 44, bold: true, breakLine: true },
      },
      { text: `A ${d.minutes}-minute session for practitioners`, options: { fontSize: 28, breakLine: true } },
      { text: `${d.flow.name}, version ${d.flow.version}`, options: { fontSize: BODY_PT } },
    ],
    {
      x: MARGIN,
      y: 1.5,
      w: W - 2 * MARGIN,
      h: 4.5,
      fontFace: FONT,
      color: INK,
      valign: "middle",
      fit: "none",
    },
  );
  first.addNotes(
    "Welcome the room. Say what the session is for: knowing what to do, by when, when you are worried that someone is being exploited, child or adult, and what changes at 18.\n\n" +
      "Likely question: where do the steps come from? Answer: from the Solihull All Age Exploitation Reduction Multi-Agency Safeguarding Procedures and their three flowcharts; each step on the slides gives its section.",
  );
  textSlides(
    pres,
    "What you will be able to do",
    OBJECTIVES.map((o, i) => `${i + 1}. ${o.text} (${o.cite}).`),
    "Read the objectives; come back to them at the end and ask the room which they feel surer of.",
  );
  pathwaySlides(pres, d.flow);
  d.stories.forEach((s, i) => {
    storySlides(pres, d.flow, i + 1, s, d.quiz.get(s.stem) ?? []);
  });
  textSlides(
    pres,
    "Language Matters",
    [
      "The words we use shape how a person is seen, and whether they are believed (Procedures §7).",
      ...d.language.map((r) => `Not "${r.avoid}" (${r.why}): say "${r.say}".`),
    ],
    "Close on Language Matters. Ask the room for phrases they have heard in reports or meetings, and what to say instead.\n\n" +
      "Likely question: what if the young person calls it their choice? Answer: record their words as theirs, in quotation marks, and say what is happening to them: they are being exploited (Procedures §7).",
  );
  const bytes = (await pres.write({ outputType: "uint8array" })) as Uint8Array;
  return dated(bytes, d.date);
}

/**
 * The same stories, length and day give the same bytes: pptxgenjs stamps the clock's time
 * in docProps/core.xml (stored, not compressed, as written here) and on every zip entry.
 */
function dated(pptx: Uint8Array, date: string): Uint8Array {
  const when = `${date}T00:00:00Z`;
  const core = editStored(
    pptx,
    "docProps/core.xml",
    (xml) =>
      xml.replace(
        /(<dcterms:(created|modified) xsi:type="dcterms:W3CDTF">)[^<]*(<\/dcterms:\2>)/g,
        (_m, open: string, _tag: string, close: string) => `${open}${when}${close}`,
      ),
    "slides",
  );
  return stampZip(core, date, "slides");
}
