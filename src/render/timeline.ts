import { formatLong } from "../engine/dates.js";
import type { ResultObject } from "./result.js";
import { overdueWords } from "./text.js";
import { wrapLine } from "./wrap.js";
import { xmlText } from "./xml.js";

/**
 * `pathway.svg`: one case's steps against their due dates, drawn from the result object.
 * Today is marked, its line behind the words; an overdue step is drawn in red with how many
 * days; a due date on a weekend or bank holiday says so and the last working day before it,
 * as the glance does; steps with no date are listed apart. No personal details: the case reference, the steps' titles and
 * dates only (never the due rule's words, which can name a birthday). Every text is
 * escaped, so a case reference is inert. Pure: the same result gives the same bytes.
 */

const WIDTH = 1400;
const LEFT = 24;
const AXIS_FROM = 700;
const AXIS_TO = WIDTH - 60;
const ROW = 46;
const FONT = `font-family="DejaVu Sans, Verdana, sans-serif"`;
const RED = "#b3261e";
const BLUE = "#2f5d9b";

/** A white outline under a label, so that a line behind it never runs through its letters. */
const HALO = `stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`;

/**
 * "weekend; last working day Fri 28 May 2027" for a due date that falls on a weekend or bank
 * holiday and is not yet past (as the glance says it); else nothing.
 */
function nonWorkingWords(a: ResultObject["actions"][number]): string | undefined {
  if (!a.due || !a.last_working_day || a.overdue) return undefined;
  const weekday = new Date(`${a.due}T00:00:00Z`).getUTCDay();
  const what = weekday === 0 || weekday === 6 ? "weekend" : "bank holiday";
  return `${what}; last working day ${formatLong(a.last_working_day)}`;
}

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

type Step = ResultObject["actions"][number];

/** The days the axis runs over (today and every due date, at least a week) and where a date falls on it. */
interface Scale {
  first: number;
  last: number;
  x: (iso: string) => number;
}

function scale(today: string, dated: readonly Step[]): Scale {
  const days = [today, ...dated.map((a) => a.due as string)].map(dayNumber);
  const first = Math.min(...days);
  const last = Math.max(...days, first + 7);
  const x = (iso: string) => AXIS_FROM + ((dayNumber(iso) - first) / (last - first)) * (AXIS_TO - AXIS_FROM);
  return { first, last, x };
}

/** One line of words, escaped. */
const text = (tx: number, ty: number, s: string, attrs = "") =>
  `<text x="${tx.toFixed(1)}" y="${ty}" ${FONT} ${attrs}>${xmlText(s)}</text>`;

const TOP = 110;
const rowY = (i: number) => TOP + i * ROW + ROW / 2;
const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

function heading(r: ResultObject): string[] {
  return [
    text(LEFT, 40, `Pathway for case ${r.case_id}`, `font-size="26" font-weight="bold" fill="#1d2a44"`),
    text(LEFT, 70, `Due dates as at ${r.today}; overdue steps in red`, `font-size="16" fill="#444444"`),
  ];
}

/** The axis and the dates at its ends. */
function axis(axisY: number, { first, last }: Scale): string[] {
  return [
    `<line x1="${AXIS_FROM}" y1="${axisY}" x2="${AXIS_TO}" y2="${axisY}" stroke="#888888" stroke-width="1.5"/>`,
    text(AXIS_FROM, axisY + 22, isoDay(first), `font-size="14" fill="#444444" text-anchor="start"`),
    text(AXIS_TO, axisY + 22, isoDay(last), `font-size="14" fill="#444444" text-anchor="end"`),
  ];
}

/** Each row's band (every other row) and line, drawn first so that everything else is over them. */
function rowBands(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const y = rowY(i);
    if (i % 2 === 0)
      out.push(
        `<rect x="${LEFT - 8}" y="${y - ROW / 2}" width="${WIDTH - 2 * LEFT + 16}" height="${ROW}" fill="#f4f6fa"/>`,
      );
    out.push(
      `<line x1="${AXIS_FROM}" y1="${y}" x2="${AXIS_TO}" y2="${y}" stroke="#d5dbe5" stroke-width="1"/>`,
    );
  }
  return out;
}

/** Today's dashed line down to the axis and its label, kept inside the axis's ends. */
function todayLine(today: string, axisY: number, { x }: Scale): string[] {
  const tx = x(today);
  const anchor = tx > AXIS_TO - 90 ? "end" : tx < AXIS_FROM + 90 ? "start" : "middle";
  return [
    `<line x1="${tx.toFixed(1)}" y1="${TOP - 14}" x2="${tx.toFixed(1)}" y2="${axisY}" stroke="#1d2a44" stroke-width="2" stroke-dasharray="6 4"/>`,
    text(
      tx,
      TOP - 20,
      `today ${today}`,
      `font-size="14" font-weight="bold" fill="#1d2a44" text-anchor="${anchor}"`,
    ),
  ];
}

/** What a step's date says beside its marker. */
function whenWords(a: Step): string {
  const due = a.due as string;
  // An expected step and a date something ends are never overdue: they say what they are.
  if (a.overdue)
    return `${due}, ${overdueWords({ due: a.due, daysOverdue: a.days_overdue, counts: a.overdue_unit, workingDaysOverdue: a.working_days_overdue })}`;
  if (a.until) return `${a.until} ${due}`;
  return a.expected ? `${due}, expected` : due;
}

/** One dated step's row: its title (two lines at most), its marker on the axis, and its date's words on a halo. */
function stepRow(a: Step, i: number, { x }: Scale): string[] {
  const out: string[] = [];
  const y = rowY(i);
  const colour = a.overdue ? RED : BLUE;
  const lines = wrapLine(a.title, 56);
  const [line1 = "", line2] = lines;
  const more = line2 !== undefined && lines.length > 2 ? "…" : "";
  out.push(text(LEFT, line2 === undefined ? y + 5 : y - 4, line1, `font-size="15" fill="#222222"`));
  if (line2 !== undefined) out.push(text(LEFT, y + 15, `${line2}${more}`, `font-size="15" fill="#222222"`));
  const px = x(a.due as string);
  out.push(
    a.overdue
      ? `<rect x="${(px - 8).toFixed(1)}" y="${y - 8}" width="16" height="16" fill="${RED}" transform="rotate(45 ${px.toFixed(1)} ${y})"/>`
      : `<circle cx="${px.toFixed(1)}" cy="${y}" r="8" fill="${colour}"/>`,
  );
  const right = px > (AXIS_FROM + AXIS_TO) / 2;
  const anchor = `text-anchor="${right ? "end" : "start"}" ${HALO}`;
  const nonWorking = nonWorkingWords(a);
  out.push(
    text(
      right ? px - 16 : px + 16,
      nonWorking ? y : y + 5,
      whenWords(a),
      `font-size="14" fill="${colour}" ${anchor}${a.overdue ? ` font-weight="bold"` : ""}`,
    ),
  );
  // A due date on a weekend or bank holiday, as the glance says it, under the date.
  if (nonWorking)
    out.push(text(right ? px - 16 : px + 16, y + 15, nonWorking, `font-size="12" fill="#8a5a00" ${anchor}`));
  return out;
}

/** The steps with no date, listed under the axis from FROM; and where the list ends. */
function undatedList(undated: readonly Step[], from: number): { lines: string[]; end: number } {
  const lines: string[] = [];
  let y = from;
  if (undated.length > 0) {
    lines.push(text(LEFT, y, "Steps with no date", `font-size="18" font-weight="bold" fill="#1d2a44"`));
    for (const a of undated) {
      for (const line of wrapLine(a.title, 110, "• ", "  ")) {
        y += 24;
        lines.push(text(LEFT, y, line, `font-size="15" fill="#222222"`));
      }
    }
  }
  return { lines, end: y };
}

export function pathwaySvg(r: ResultObject): string {
  const dated = r.actions
    .filter((a) => a.due !== null)
    .sort((a, b) => ((a.due ?? "") < (b.due ?? "") ? -1 : 1));
  const undated = r.actions.filter((a) => a.due === null);
  const sc = scale(r.today, dated);
  const axisY = TOP + dated.length * ROW + 10;
  const list = undatedList(undated, axisY + 60);
  const height = list.end + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    `<title>${xmlText(`Pathway for case ${r.case_id}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...heading(r),
    ...axis(axisY, sc),
    // The rows' bands and lines first, then today's line over them, then the markers and
    // words on top: the line passes behind every label, each on a white halo.
    ...rowBands(dated.length),
    ...todayLine(r.today, axisY, sc),
    ...dated.flatMap((a, i) => stepRow(a, i, sc)),
    ...list.lines,
    "</svg>",
    "",
  ].join("\n");
}
