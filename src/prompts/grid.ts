import { createPrompt, isDownKey, isEnterKey, isUpKey, useKeypress, useState } from "@inquirer/core";
import { Chalk, type ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import type { Question, QuestionGroup } from "../flow/types.js";
import { visibleWidth, wrapLine } from "../render/wrap.js";
import type { PromptContext } from "./keys.js";
import type { GroupAsked, GroupOptions } from "./types.js";

/**
 * A group of questions on one screen (issue 14): a row each, ↑ ↓ to move between rows, ← →
 * (or y / n / k, or the choice's number) to choose, Enter when done, ? for help. Each row is
 * its own fact with its own choices and its own "not known"; a row left alone is not known,
 * and one that cannot be not known must be chosen. Which rows are still worth asking, given
 * the rows above, is the engine's to say (`live`, its liveRows): those that are not are shown
 * dimmed, skipped, and left out. Nothing here decides what the answers mean.
 */

/** What the grid needs of the wizard's Ui (ask.ts), so that it shares its keys, footer and F2. */
export interface GridTools {
  run(
    prompt: (context: PromptContext) => Promise<number[]>,
    back: boolean,
  ): Promise<{ kind: "done"; value: number[] } | { kind: "back" } | { kind: "cancel" }>;
  answered(message: string, words: string): void;
  footer(keys: [string, string][]): string;
  helpText(q: Question, decides?: readonly string[]): string;
  width(): number;
  height(): number;
  colour: boolean;
}

interface Option {
  value: Value | null;
  label: string;
}

/** A row's choices, in order: yes / no, or the fact's own; then its "not known" if it has one. */
export function rowOptions(q: Question): Option[] {
  const own: Option[] =
    q.fact.type === "bool"
      ? [
          { value: true, label: "Yes" },
          { value: false, label: "No" },
        ]
      : (q.fact.values ?? []).map((v) => ({ value: v, label: q.choices?.[v] ?? v }));
  return q.notKnown ? [...own, { value: null, label: q.notKnownLabel }] : own;
}

/**
 * The option a value is; untouched or not known, the row's "not known" (its own, or the choice that means
 * it); -1 for none chosen (a row that cannot be not known starts so).
 */
function indexOf(q: Question, options: readonly Option[], v: Value | null | undefined): number {
  if (v === undefined || v === null)
    return options.findIndex((o) => o.value === null || o.value === q.fact.notKnown);
  return options.findIndex((o) => o.value === v);
}

export interface GridConfig {
  heading: string;
  rows: readonly Question[];
  options: readonly Option[][];
  initial: number[];
  live: (chosen: readonly number[]) => boolean[];
  help: (row: number) => string;
  tools: GridTools;
  canGoBack: boolean;
}

const gridPrompt = createPrompt<number[], GridConfig>((config, done) => {
  const { rows, options, tools } = config;
  const [chosen, setChosen] = useState(config.initial);
  const [active, setActive] = useState(0);
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const live = config.live(chosen);

  const move = (step: number) => {
    for (let i = active + step; i >= 0 && i < rows.length; i += step)
      if (live[i]) {
        setActive(i);
        return;
      }
  };
  const choose = (index: number) => {
    const next = [...chosen];
    next[active] = index;
    setChosen(next);
    setError(undefined);
  };

  useKeypress((key) => {
    const opts = options[active] ?? [];
    const at = chosen[active] ?? -1;
    const typed = key.name ?? "";
    if (isEnterKey(key)) {
      const missing = rows.findIndex((q, i) => live[i] && !q.notKnown && (chosen[i] ?? -1) < 0);
      if (missing >= 0) {
        setActive(missing);
        setError(`Choose an answer for: ${rows[missing]?.ask ?? ""} (it cannot be not known)`);
        return;
      }
      setStatus("done");
      done(chosen);
    } else if (isUpKey(key) || (key.name === "tab" && key.shift)) move(-1);
    else if (isDownKey(key) || key.name === "tab") move(1);
    else if (key.name === "right") choose(at < 0 ? 0 : (at + 1) % opts.length);
    else if (key.name === "left") choose(at <= 0 ? opts.length - 1 : at - 1);
    else if (typed === "y" && rows[active]?.fact.type === "bool") choose(0);
    else if (typed === "n" && rows[active]?.fact.type === "bool") choose(1);
    else if (typed === "k" && rows[active]?.notKnown) choose(opts.length - 1);
    else if (/^[1-9]$/.test(typed) && Number(typed) <= opts.length) choose(Number(typed) - 1);
    else if (key.name === "?" || typed === "?" || (key as { sequence?: string }).sequence === "?")
      setHelp(!help);
  });

  const c = new Chalk({ level: tools.colour ? 1 : 0 });
  const heading = `${c.blue("?")} ${c.bold(config.heading)}`;
  if (status === "done") return heading;
  return gridView(config, { chosen, active, help, error, live }, c);
});

/** Where the grid is: each row's choice (-1: none), the row the cursor is on, what is shown under the rows. */
export interface GridState {
  chosen: readonly number[];
  active: number;
  help: boolean;
  error: string | undefined;
  live: readonly boolean[];
}

/**
 * A row: its question (wrapped under the pointer), its choices side by side under it; a row
 * not worth asking, dimmed.
 */
function rowBlock(
  q: Question,
  options: readonly Option[],
  i: number,
  at: GridState,
  width: number,
  c: ChalkInstance,
) {
  const pointer = i === at.active ? c.cyan("❯ ") : "  ";
  if (!at.live[i])
    return wrapLine(`${q.ask} (not needed, given the answers above)`, width, "  ", "  ").map((l) => c.dim(l));
  const text = wrapLine(q.ask, width - 2).map((l, k) => (k === 0 ? pointer : "  ") + l);
  const lines: string[] = [];
  let line = "   ";
  options.forEach((o, k) => {
    const on = at.chosen[i] === k;
    const item = on ? c.cyan.bold(`◉ ${o.label}`) : `○ ${o.label}`;
    const room = width - (line.trim() === "" ? 0 : 2);
    if (line.trim() !== "" && visibleWidth(line) + 2 + visibleWidth(item) > room) {
      lines.push(line);
      line = `     ${item}`;
    } else line = line.trim() === "" ? `     ${item}` : `${line}  ${item}`;
  });
  if (!q.notKnown && (at.chosen[i] ?? -1) < 0) line = `${line}  ${c.dim("(an answer is needed)")}`;
  lines.push(line);
  return [...text, ...lines];
}

/** The grid's screen (pure): the rows that fit, the active one among them, help and refusal under them; the keys. */
export function gridView(config: GridConfig, at: GridState, c: ChalkInstance): [string, string] {
  const { rows, options, tools } = config;
  const width = tools.width();
  const heading = `${c.blue("?")} ${c.bold(config.heading)}`;
  const hint = c.dim("(one answer per row; a row left alone stays not known)");
  const blocks = rows.map((q, i) => rowBlock(q, options[i] ?? [], i, at, width, c));
  const footer = tools.footer([
    ["↑↓", "row"],
    ["←→", "choose"],
    ["⏎", "done"],
    ["?", "help"],
    ...(config.canGoBack ? ([["<", "back"]] as [string, string][]) : []),
  ]);
  const below: string[] = [];
  if (at.help)
    for (const l of config.help(at.active).split("\n"))
      below.push(...wrapLine(l, width, "  ", "  ").map((x) => c.cyan(x)));
  if (at.error) below.push(...wrapLine(`> ${at.error}`, width, "", "  ").map((x) => c.red(x)));
  // As many rows as fit the screen, the active one among them; the rest said to be there.
  const room = Math.max(tools.height() - 2 - below.length - footer.split("\n").length - 2, 3);
  const sizes = blocks.map((b) => b.length);
  let first = at.active;
  let used = sizes[first] ?? 0;
  while (first > 0 && used + (sizes[first - 1] ?? 0) <= room) used += sizes[--first] ?? 0;
  let last = at.active;
  while (last < blocks.length - 1 && used + (sizes[last + 1] ?? 0) <= room) used += sizes[++last] ?? 0;
  const shown: string[] = wrapLine(`${heading} ${hint}`, width, "", "  ");
  if (first > 0) shown.push(c.dim(`  ↑ ${first} more above`));
  for (let i = first; i <= last; i++) shown.push(...(blocks[i] ?? []));
  if (last < blocks.length - 1) shown.push(c.dim(`  ↓ ${blocks.length - 1 - last} more below`));
  shown.push(...below);
  return [`${shown.join("\n")}\u001b[?25l`, footer];
}

/** Ask a group's rows on one screen; every row comes back with its value (null: not known). */
export async function askGroup(
  tools: GridTools,
  group: QuestionGroup,
  rows: readonly Question[],
  opts: GroupOptions,
): Promise<GroupAsked> {
  const options = rows.map(rowOptions);
  const valuesOf = (chosen: readonly number[]) =>
    new Map(rows.map((q, i) => [q.fact.id, options[i]?.[chosen[i] ?? -1]?.value ?? null] as const));
  const initial = rows.map((q, i) => indexOf(q, options[i] ?? [], opts.defaults.get(q.fact.id)));
  const groupHelp = [group.help, group.cite ? `From: ${group.cite}.` : ""].filter(Boolean).join("\n");
  const result = await tools.run(
    (ctx) =>
      gridPrompt(
        {
          heading: group.heading,
          rows,
          options,
          initial,
          live: (chosen) => opts.live(valuesOf(chosen)),
          help: (i) => {
            const q = rows[i];
            if (!q) return groupHelp;
            return [groupHelp, tools.helpText(q, opts.decides?.(q.fact.id))].filter(Boolean).join("\n");
          },
          tools,
          canGoBack: opts.canGoBack,
        },
        ctx,
      ),
    opts.canGoBack,
  );
  if (result.kind !== "done") return result;
  const values = valuesOf(result.value);
  const live = opts.live(values);
  tools.answered(`${group.heading}:`, "");
  rows.forEach((q, i) => {
    if (!live[i]) return;
    tools.answered(q.ask, options[i]?.[result.value[i] ?? -1]?.label ?? q.notKnownLabel);
  });
  return { kind: "answer", values };
}
