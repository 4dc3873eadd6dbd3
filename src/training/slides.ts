import pptxModule from "pptxgenjs";
import { formatLong } from "../engine/dates.js";
import type { Recommendation } from "../engine/decide.js";
import { amountWords } from "../engine/due.js";
import type { Action, DueRule, Flow, Rule } from "../flow/types.js";
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

/**
 * A story's step on a slide of its own: what the procedures say first, as a paragraph, then
 * the step in a box. Both fit one slide at 24 pt: a step that would not is a bug, so thrown.
 */
function stepSlide(pres: Deck, title: string, b: Box, notes: string, lead: string | undefined) {
  const width = W - 2 * MARGIN;
  const s = pres.addSlide();
  heading(s, title);
  let y = TOP;
  if (lead !== undefined) {
    const h = heightOf(linesOf(lead, width - 0.2, BODY_PT), BODY_PT);
    s.addText(lead, {
      x: MARGIN,
      y,
      w: width,
      h,
      fontFace: FONT,
      fontSize: BODY_PT,
      color: INK,
      valign: "top",
      fit: "none",
    });
    y += h + 0.2;
  }
  const h = heightOf(boxLines(b, width), BODY_PT);
  if (y + h > H - 0.3) throw new Error(`slides: the step "${b.head}" does not fit one slide`);
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
  s.addNotes(notes);
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

/** A paragraph of a text slide: its words, after a bold lead-in if it has one. */
type Para = string | { bold: string; text: string };

const paraText = (p: Para) => (typeof p === "string" ? p : `${p.bold}${p.text}`);

/** Paragraphs shared out between slides, in order, as many on each as fit. */
function paginate(paras: readonly Para[]): Para[][] {
  const width = W - 2 * MARGIN;
  const room = H - TOP - 0.3;
  // A bold lead-in is measured as if the whole paragraph were bold: on the safe side.
  const lines = (ps: readonly Para[]) =>
    ps.reduce((n, p) => n + linesOf(paraText(p), width, BODY_PT, typeof p !== "string"), 0);
  const pages: Para[][] = [];
  let page: Para[] = [];
  for (const p of paras) {
    const next = [...page, p];
    if (page.length > 0 && heightOf(lines(next), BODY_PT) + (next.length * 8) / 72 > room) {
      pages.push(page);
      page = [p];
    } else page = next;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** As many of the paragraphs as fit one slide, then a last one saying how many are left out. */
function oneSlideOf(paras: readonly Para[], more: (left: number) => string): Para[] {
  for (let k = paras.length; k > 1; k--) {
    const shown = [...paras.slice(0, k), ...(k < paras.length ? [more(paras.length - k)] : [])];
    if (paginate(shown).length === 1) return shown;
  }
  return [paras[0] ?? "", more(paras.length - 1)];
}

/** Paragraphs on slides of their own title, as many per slide as fit; the notes know which are on each. */
function textSlides(
  pres: Deck,
  title: string,
  paras: readonly Para[],
  notes: string | ((first: number, last: number) => string),
) {
  const width = W - 2 * MARGIN;
  const room = H - TOP - 0.3;
  const pages = paginate(paras);
  let n = 0;
  pages.forEach((ps, i) => {
    const s = pres.addSlide();
    heading(s, pages.length > 1 ? `${title} (${i + 1} of ${pages.length})` : title);
    s.addText(
      ps.flatMap((p, k) => {
        const end = { breakLine: k < ps.length - 1, paraSpaceAfter: 8 };
        return typeof p === "string"
          ? [{ text: p, options: end }]
          : [
              { text: p.bold, options: { bold: true } },
              { text: p.text, options: end },
            ];
      }),
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
    s.addNotes(typeof notes === "string" ? notes : notes(n + 1, n + ps.length));
    n += ps.length;
  });
}

/** A due rule as a slide says it: the flow's own words, without "(now, if that has passed)". */
const deadline = (flow: Flow, a: Action | Rule) =>
  a.due === undefined ? "" : dueWords(flow, a.due).replace(/ \(now, if that has passed\)$/, "");

/**
 * The three pathways as a room can take them in: the steps each official flowchart draws,
 * one line each (the step, by when, the section), on one or two slides; every step of the
 * part, with its deadline and citation in full, is in the speaker notes (docs/decisions.md).
 * The steps are the flow's ids, which are never renamed; a missing one is a bug, so thrown.
 */
const PATHWAYS: readonly {
  title: string;
  ages: string;
  /** Whose rules give a step's date when the step's own depends on the rule (the MAACE meeting). */
  group?: "child" | "adult";
  steps: readonly string[];
  notes: string;
}[] = [
  {
    title: "The child pathway",
    ages: "under 18",
    group: "child",
    steps: [
      "police-emergency",
      "discuss-with-safeguarding-lead",
      "complete-screening-tool",
      "send-screening-to-exploitation-team",
      "mash-referral",
      "strategy-discussion",
      "section-47-enquiry",
      "maace-meeting",
      "support-disruption-plan",
      "plan-review",
    ],
    notes:
      "Walk the room through the child pathway in order: the safeguarding lead and the screening tool first, then MASH, the strategy discussion and MAACE.\n\n" +
      "Likely question: do the 3 working days for the strategy discussion count weekends and bank holidays? Answer: no; they are working days, counted from the referral (Flowchart (child), Procedures §12.4).\n" +
      "Likely question: what if the screening tool shows no evidence? Answer: an Early Help offer, and the screening tool still goes to the Exploitation Team (Procedures §12.1, §12.3).",
  },
  {
    title: "The adult pathway",
    ages: "18 and over",
    group: "adult",
    steps: [
      "police-emergency",
      "discuss-with-safeguarding-lead",
      "complete-screening-tool",
      "consent-capacity-check",
      "ofd-safeguarding-concern",
      "s42-enquiry",
      "maace-meeting",
      "safeguarding-adults-plan",
      "support-disruption-plan",
      "plan-review",
    ],
    notes:
      "Walk the room through the adult pathway: consent and capacity first, then the safeguarding concern to One Front Door, the s42 enquiry and MAACE.\n\n" +
      "Likely question: what if the adult says no to sharing? Answer: where asking would put them or others at more risk, or they lack capacity to consent, information can still be shared without consent: record why (Procedures §6.2, §13.2).\n" +
      "Likely question: what if they say no to an NRM referral? Answer: the duty to notify still applies for public authorities, without details that identify them (Procedures §15.4.a).",
  },
  {
    title: "Getting ready for 18",
    ages: "14 to 25",
    steps: [
      "transition-ld-pd-acs-alerted",
      "transition-mh-acs-notified",
      "transition-exploitation-ofd-referral",
      "transition-adult-sw-co-allocated",
      "transition-care-act-assessment-offer",
      "transition-acs-takes-over",
      "transition-maace-continues-as-adult",
      "transition-leaving-care-pa-to-25",
    ],
    notes:
      "The transitions pathway runs on birthdays: 14 (learning or physical disability), 16 (an adult social worker; mental health), 17 (the referral to Adult One Front Door), 17 and a half (the Care Act assessment), 18 (adult services take over; MAACE continues), and up to 25 for care leavers.\n\n" +
      "Likely question: does the MAACE process stop at 18? Answer: no; it continues into adulthood under the Care Act, with the same professionals (Procedures §20.7).",
  },
];

/** A due rule in a few words, for a line of an overview: "now", "within 3 working days", "on the 18th birthday". */
function shortDue(flow: Flow, due: DueRule): string {
  if (due === "immediately") return "now";
  if ("none" in due) return due.none.replace(/ \(.*$|;.*$/, "");
  if ("earliest" in due)
    return due.earliest
      .map((d) => shortDue(flow, d))
      .join(" or ")
      .replace(/ or within /g, " or ");
  if ("age" in due) return dueWords(flow, due).replace(/ \(now, if that has passed\)$/, "");
  return "on" in due ? dueWords(flow, due) : `within ${amountWords(due)}`;
}

/**
 * A step as an overview line says it: its date in short and its section. Where the step's
 * own date depends on the rule that fires (the MAACE meeting's), the first rule with a date
 * for the pathway's group gives both.
 */
function overviewLine(flow: Flow, a: Action, group: "child" | "adult" | undefined): string {
  const own = typeof a.due === "object" && "none" in a.due;
  const ruled = a.rules.find(
    (r) =>
      r.due !== undefined &&
      (group === undefined || /person\.group == "child"/.test(r.when.source) === (group === "child")),
  );
  return own && ruled?.due
    ? `${shortDue(flow, ruled.due)}; ${shortCite(ruled.cite)}`
    : `${shortDue(flow, a.due)}; ${shortCite(a.cite)}`;
}

/** "§12.4" from "Flowchart (child), Procedures §12.4": the first section, or else the first source. */
const shortCite = (cite: string) =>
  /§[\w.()]+(?:-§?[\w.()]+)?/.exec(cite)?.[0] ?? cite.split(",")[0]?.trim() ?? cite;

function pathwaySlides(pres: Deck, flow: Flow) {
  for (const p of PATHWAYS) {
    const actions = p.steps.map((id) => {
      const a = flow.actionById.get(id);
      if (!a) throw new Error(`slides: the pathway "${p.title}" names a step "${id}" the flow does not hold`);
      return a;
    });
    const steps = actions.map((a, i) => ({
      bold: `${i + 1}. ${a.title}`,
      text: `: ${overviewLine(flow, a, p.group)}`,
    }));
    textSlides(pres, `${p.title}: ${p.ages}`, steps, (first, last) =>
      [
        p.notes,
        `On this slide: steps ${first} to ${last} of ${steps.length}, in the order the procedures take them. In full:`,
        ...actions
          .slice(first - 1, last)
          .map((a, i) => `${first + i}. ${a.title}: ${deadline(flow, a)} (${a.cite}).`),
      ].join("\n\n"),
    );
  }
}

function stepLines(r: Recommendation, flow: Flow): string[] {
  const when = r.due ? `By ${formatLong(r.due)}${r.expected ? `, ${r.expected}` : ""}` : "No date set";
  const action = flow.actionById.get(r.id) as Action;
  // The rule that fired, where it sets the date itself (the MAACE meeting's), else the step's own.
  const fired = action.rules.find((x) => x.due !== undefined && r.because.some((b) => b.rule === x.id));
  const rule = deadline(flow, fired ?? action);
  const who = r.by?.name ?? r.contacts[0]?.name;
  return [`${when}: ${rule}`, ...(who ? [`Who: ${who}`] : []), `Section: ${r.citation}`];
}

/** The steps a story's slides take one at a time: those its quiz asks about, two at most (the slide budget). */
const KEY_STEPS = 2;

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
  for (const r of (key.length > 0 ? key : p.actions).slice(0, KEY_STEPS)) {
    const why = r.because[0];
    // What the procedures say, then the step it leads to: one slide, the reason first.
    stepSlide(
      pres,
      `${title}: the step`,
      { head: r.title, lines: stepLines(r, flow) },
      [
        `Ask the room what follows from this before you read out the step. ${why ? `The procedures' reason: ${why.because} (${why.cite}).` : ""}`.trim(),
        `The step: ${r.title}. ${r.detail ?? ""}`.trim(),
        `Likely question: by when? Answer: ${r.dueWords || "the procedures set no date"}.`,
        `Likely question: where does it say so? Answer: ${r.citation}.`,
      ].join("\n\n"),
      why ? `${capital(why.because)} (${why.cite}).` : undefined,
    );
  }
  // The whole pathway on one slide: the steps that fit, then how many more are in the story's folder.
  textSlides(
    pres,
    `${title}: the steps in order`,
    oneSlideOf(
      p.actions.map((r, i) => ({
        bold: `${i + 1}. ${r.title}`,
        text: `: ${r.due ? `by ${formatLong(r.due)}` : "no date set"}; ${shortCite(r.citation)}`,
      })),
      (left) =>
        `and ${left} more ${left === 1 ? "step" : "steps"}: in the speaker notes and the story's folder`,
    ),
    [
      `The whole pathway for this story, ${p.actions.length} steps. The drafts for it are in the story's folder of the pack: open one to show the room. In full:`,
      ...p.actions.map((r, i) => `${i + 1}. ${r.title}: ${r.dueWords || "no date set"} (${r.citation}).`),
    ].join("\n\n"),
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
