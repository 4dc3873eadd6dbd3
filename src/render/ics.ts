import type { Pathway } from "../engine/decide.js";

/**
 * One all-day event per dated action. No personal details: the case reference, the
 * action and its citation only. Deterministic: DTSTAMP is the reference date.
 */
export function deadlinesIcs(p: Pathway): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//safeguard//deadlines//EN",
    "CALSCALE:GREGORIAN",
  ];
  const stamp = `${p.referenceDate.replace(/-/g, "")}T000000Z`;
  for (const a of p.actions) {
    if (!a.due) continue;
    const day = a.due.replace(/-/g, "");
    const next = nextDay(a.due).replace(/-/g, "");
    lines.push(
      "BEGIN:VEVENT",
      `UID:${safe(p.caseId)}-${a.id}@safeguard`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${day}`,
      `DTEND;VALUE=DATE:${next}`,
      fold(`SUMMARY:${escapeText(`${p.caseId}: ${a.title}`)}`),
      fold(`DESCRIPTION:${escapeText(`${a.dueRule}. ${a.citation}.`)}`),
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.join("\r\n")}\r\n`;
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "_");
}

function escapeText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** RFC 5545 lines are at most 75 octets; continuation lines start with a space. */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest, "utf8") > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut), "utf8") > 75) cut--;
    out.push(rest.slice(0, cut));
    rest = ` ${rest.slice(cut)}`;
  }
  out.push(rest);
  return out.join("\r\n");
}
