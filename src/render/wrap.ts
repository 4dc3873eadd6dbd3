/**
 * Text wrapped at a width, for the terminal (`--format text`): words kept whole where they
 * fit, a word longer than the line cut. Every line after the first starts with `hanging`
 * (the first with `first`), so an outline's marker keeps its text in a column.
 */
export function wrap(text: string, width: number, first = "", hanging = " ".repeat(first.length)): string[] {
  // However deep the indent, at least 10 characters a line.
  const room = Math.max(10, width - hanging.length);
  const firstRoom = Math.max(10, width - first.length);
  const lines: string[] = [];
  let line = "";
  const limit = () => (lines.length === 0 ? firstRoom : room);
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    let w = word;
    while (w.length > limit() && line === "") {
      lines.push(w.slice(0, limit()));
      w = w.slice(limit());
    }
    if (line === "") line = w;
    else if (line.length + 1 + w.length <= limit()) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
      while (line.length > limit()) {
        lines.push(line.slice(0, limit()));
        line = line.slice(limit());
      }
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines.map((l, i) => `${i === 0 ? first : hanging}${l}`.trimEnd());
}

/** Each line of an already laid-out text wrapped at `width`, its own indent kept as the hanging indent. */
export function wrapOutline(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    out.push(...wrap(line.slice(indent.length), width, indent, `${indent}  `));
  }
  return out.join("\n");
}
