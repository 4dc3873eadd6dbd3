import { hash } from "node:crypto";
import type { Pathway } from "../engine/decide.js";
import { icsText } from "./inert.js";

/**
 * One all-day event per dated action. No personal details: the case reference, the
 * action, the rule in words and its citation only. A date worked out from the date of
 * birth says so without the birthday or the age (the event's date is all a calendar
 * needs). Every value is RFC 5545 TEXT, escaped; a UID is unique per case id (hashed) and
 * action. Deterministic: DTSTAMP is the reference date.
 */
export function deadlinesIcs(p: Pathway): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//safeguard//deadlines//EN",
    "CALSCALE:GREGORIAN",
  ];
  const stamp = `${p.referenceDate.replace(/-/g, "")}T000000Z`;
  // One hash a calendar, not one an event.
  const key = caseKey(p.caseId);
  for (const a of p.actions) {
    // A done step is shown done on its date (none where the date is not known), never due.
    const on = a.done ? a.done.date : a.due;
    if (!on) continue;
    const day = on.replace(/-/g, "");
    const next = nextDay(on).replace(/-/g, "");
    lines.push(
      "BEGIN:VEVENT",
      `UID:${key}-${a.id.replace(/[^A-Za-z0-9._-]/g, "_")}@safeguard`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day}`,
      `DTEND;VALUE=DATE:${next}`,
      // An anticipated step is a tentative event; a date something ends says what it is.
      ...(a.done ? ["STATUS:CONFIRMED"] : a.expected ? ["STATUS:TENTATIVE"] : []),
      fold(`SUMMARY:${icsText(`${p.caseId}: ${summary(a)}`)}`),
      fold(
        `DESCRIPTION:${icsText(`${a.dueFromDob ? FROM_DOB : a.dueRule}. ${a.expected ? `${upper(a.expected)}. ` : ""}${a.citation}.`)}`,
      ),
      "END:VEVENT",
    );
  }
  for (const d of p.doneAlready ?? []) {
    if (!d.done.date) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${key}-${d.id.replace(/[^A-Za-z0-9._-]/g, "_")}@safeguard`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${d.done.date.replace(/-/g, "")}`,
      `DTEND;VALUE=DATE:${nextDay(d.done.date).replace(/-/g, "")}`,
      "STATUS:CONFIRMED",
      fold(`SUMMARY:${icsText(`${p.caseId}: done: ${d.title}`)}`),
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.join("\r\n")}\r\n`;
}

/** The event's title: an anticipated step says "expected", a date something ends says so. */
function summary(a: Pathway["actions"][number]): string {
  if (a.done) return `done: ${a.title}`;
  if (a.until) return `${a.title}: ${a.until} this date`;
  return a.expected ? `expected: ${a.title}` : a.title;
}

function upper(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

const FROM_DOB = "Due on a date worked out from the date of birth: the rule is in the case summary";

/** Distinct case ids, distinct UIDs: a hash, so no id can collapse into another. */
export function caseKey(caseId: string): string {
  return hash("sha256", caseId, "hex").slice(0, 20);
}

/** RFC 5545 lines are at most 75 octets; continuation lines start with a space. */
export function fold(line: string): string {
  // Most lines fit: nothing to fold (what the loop below would give).
  if (line.length <= 75 && Buffer.byteLength(line, "utf8") <= 75) return line;
  // By characters (code points), never inside one: a UTF-16 cut through an emoji's surrogate
  // pair would be written as U+FFFD.
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > 75) {
      out.push(current);
      current = " ";
      bytes = 1;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join("\r\n");
}
