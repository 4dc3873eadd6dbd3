import { createPrompt, isEnterKey, useKeypress, useState } from "@inquirer/core";
import { Separator, select } from "@inquirer/prompts";
import { Chalk } from "chalk";
import { guarded } from "./keys.js";
import { answered, type Term } from "./term.js";
import type { Choice, ChooseOptions, Entry, Picked } from "./types.js";
import { fitName, footerKeys, INLINE_KEYS, inlineRows, listTheme } from "./view.js";

/** A menu that is not a flow question: a list down the screen, or side by side under a screen. */

interface InlineMenuConfig {
  message: string;
  items: string[];
  default: number;
  width: () => number;
  colour: boolean;
  footer: string;
}

/** A menu laid out side by side under a screen: ← → (or ↑ ↓, Tab) move, Enter picks. */
const inlineMenu = createPrompt<number, InlineMenuConfig>((config, done) => {
  const [active, setActive] = useState(config.default);
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const last = config.items.length - 1;
  useKeypress((key) => {
    if (isEnterKey(key)) {
      setStatus("done");
      done(active);
    } else if (key.name === "right" || key.name === "down" || key.name === "tab")
      setActive(active === last ? 0 : active + 1);
    else if (key.name === "left" || key.name === "up") setActive(active === 0 ? last : active - 1);
  });
  const c = new Chalk({ level: config.colour ? 1 : 0 });
  const head = `${c.blue("?")} ${c.bold(config.message)}`;
  if (status === "done") return head;
  const rows = inlineRows(config.message, config.items, active, config.width(), c);
  return [`${rows.join("\n")}\u001b[?25l`, config.footer];
});

/** The rows left above an inline menu of these entries, at the size the terminal is now. */
export function roomAbove(term: Term, message: string, entries: readonly string[]): number {
  const footer = footerKeys(INLINE_KEYS, term.width(), term.c);
  return (
    term.rows() - inlineRows(message, entries, 0, term.width(), term.c).length - footer.split("\n").length
  );
}

export async function choose<T>(
  term: Term,
  message: string,
  entries: readonly Entry<T>[],
  opts: ChooseOptions<T> = {},
): Promise<Picked<T>> {
  const values: T[] = [];
  const choices = entries.map((e) => {
    if ("separator" in e) return new Separator(e.separator);
    values.push(e.value);
    return {
      value: values.length - 1,
      name: fitName(e.name, term.width(), 2, e.hang),
      ...(e.description ? { description: e.description } : {}),
    };
  });
  const wanted = opts.default === undefined ? undefined : JSON.stringify(opts.default);
  const initial = values.findIndex((v) => v === opts.default || JSON.stringify(v) === wanted);
  const height = term.rows();
  // Room for the tallest description, shown under the list for the highlighted entry.
  const described = Math.max(
    0,
    ...entries.map((e) => ("description" in e && e.description ? e.description.split("\n").length : 0)),
  );
  const picked = await guarded(term, (ctx) =>
    opts.inline
      ? inlineMenu(
          {
            message,
            items: entries.flatMap((e) => ("separator" in e ? [] : [e.name])),
            default: Math.max(initial, 0),
            width: term.width,
            colour: term.colour,
            footer: footerKeys(INLINE_KEYS, term.width(), term.c),
          },
          ctx,
        )
      : select(
          {
            message,
            choices,
            // As many as fit under the screen above, keys and message included.
            pageSize: Math.max(5, Math.min(choices.length, height - 4 - described)),
            loop: false,
            theme: listTheme(term.c, term.width, []),
            ...(initial >= 0 ? { default: initial } : {}),
          },
          ctx,
        ),
  );
  if (typeof picked !== "number") return { kind: "cancel" };
  const entry = entries.filter((e): e is Choice<T> => !("separator" in e))[picked];
  answered(term, message, entry?.name ?? "");
  return { kind: "pick", value: values[picked] as T };
}
