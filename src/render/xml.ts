const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text safe inside XML (SVG text and attributes, Graphviz HTML-like labels): markup
 * characters as entities, and every control character, which XML 1.0 cannot hold or which
 * could hide text, as a space. Bidirectional overrides go too.
 */
export function xmlText(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const control =
      c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    out += control ? " " : (ENTITIES[ch] ?? ch);
  }
  return out;
}
