import { createPrompt, isEnterKey, useKeypress, useState } from "@inquirer/core";
import { Chalk } from "chalk";
import { CANCEL, guarded } from "./keys.js";
import { say, type Term } from "./term.js";
import { BLANK_KEY, fitsAbove, type Keys, keyLine, PAGER_KEYS, pagerLayout, pagerPage } from "./view.js";

export interface PagerConfig {
  /** The text, fitted again to the width at every key (a resized terminal re-flows it). */
  text: string;
  width: () => number;
  height: () => number;
  colour: boolean;
  /** The first line shown; kept here so that the screen blanked by F2 comes back at the same place. */
  at: { line: number };
  footer: (keys: Keys) => string;
}

/**
 * Text a page at a time (Show everything, a long why): Space, Page Down or Enter a page on,
 * b or Page Up a page back, ↓ ↑ a line, Home End; q or Esc back (Enter on the last page too).
 */
export const pager = createPrompt<void, PagerConfig>((config, done) => {
  const [, redraw] = useState(0);
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const c = new Chalk({ level: config.colour ? 1 : 0 });
  const footer = config.footer(PAGER_KEYS);
  const layout = pagerLayout(config.text, config.width(), config.height(), footer.split("\n").length);
  const { room, lastStart } = layout;
  const move = (to: number) => {
    config.at.line = Math.min(Math.max(0, to), lastStart);
    redraw(config.at.line);
  };
  const finish = () => {
    setStatus("done");
    done();
  };
  useKeypress((key, rl) => {
    // Keys typed here are commands, not text: nothing stays on readline's line.
    rl.clearLine(0);
    const name = key.name ?? "";
    const at = config.at.line;
    if (name === "q" || name === "escape") finish();
    else if (isEnterKey(key)) at >= lastStart ? finish() : move(at + room);
    else if (name === "space" || name === "pagedown" || name === "f") move(at + room);
    else if (name === "b" || name === "pageup") move(at - room);
    else if (name === "down" || name === "j") move(at + 1);
    else if (name === "up" || name === "k") move(at - 1);
    else if (name === "home" || name === "g") move(0);
    else if (name === "end") move(lastStart);
  });
  if (status === "done") return "";
  const page = pagerPage(layout, config.at.line, c);
  return [`${page.text}\u001b[?25l`, `${page.where}\n${footer}`];
});

/**
 * A screen of text: printed as it is where it fits above a menu of `room` lines; otherwise a
 * page at a time. Esc goes back to the menu (not "save and stop"); Ctrl-C stops.
 */
export async function page(term: Term, text: string, room = 3): Promise<"said" | "paged" | "cancel"> {
  if (fitsAbove(text, term.width(), term.rows(), room)) {
    say(term, text);
    return "said";
  }
  const at = { line: 0 };
  const paged = await guarded(
    term,
    (ctx) =>
      pager(
        {
          text,
          width: term.width,
          height: term.rows,
          colour: term.colour,
          at,
          footer: (keys) => keyLine([...keys, [BLANK_KEY.shown, "blank screen"]], term.width(), term.c),
        },
        ctx,
      ),
    // After F2 the page is where it was (its place is kept in `at`), not the keys played again.
    { escape: false, replay: false },
  );
  return paged === CANCEL ? "cancel" : "paged";
}
