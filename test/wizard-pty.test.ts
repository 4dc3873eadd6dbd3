import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Answers, readCase, type Value } from "../src/engine/answers.js";
import { formatLong } from "../src/engine/dates.js";
import { decide, type Pathway } from "../src/engine/decide.js";
import { decidesSteps, liveRows, nextQuestion, nextScreen } from "../src/engine/next.js";
import type { Question, QuestionGroup } from "../src/flow/types.js";
import { packageRoot } from "../src/io/paths.js";
import { rowOptions } from "../src/prompts/grid.js";
import { lastWorkingDayWords } from "../src/prompts/screens.js";
import { valueWords } from "../src/prompts/view.js";
import { actingOrder, byWords, overdueWords } from "../src/render/text.js";
import { cli, example } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";
import { type Terminal, terminalScratch, tmuxVersion } from "./helpers/tmux.js";

/**
 * The wizard end to end, as a person uses it: the built CLI (npm test builds first) in a
 * real pseudo-terminal (tmux), typed at and read from the screen.
 */

const tmux = tmuxVersion();
if (tmux.missing) {
  // CI installs tmux (.ci/run): there a missing tmux is a failure, not a skip.
  if (process.env.CI) throw new Error(`the wizard's terminal tests need tmux: ${tmux.missing}`);
  console.warn(`Skipping the wizard's terminal tests: ${tmux.missing}. Install tmux to run them.`);
}

const flow = bundledFlow();
const EX1_TEXT = readFileSync(example("ex-1-county-lines-15.yaml"), "utf8");
const EX1 = readCase("ex-1.yaml", EX1_TEXT, flow.facts).answers as Answers;

const { setup, open, fresh } = terminalScratch("wizard-pty");

function today(): string {
  const d = new Date();
  const p = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// --- reading the screen ---------------------------------------------------------------

/**
 * The prompt being asked (its first line, with the lines it wraps onto on a narrow
 * terminal), if one is, and how many answers are on screen.
 */
function read(screen: string): { prompt?: string; done: number } {
  const lines = screen.split("\n");
  let lastPrompt = -1;
  let lastDone = -1;
  let done = 0;
  lines.forEach((l, i) => {
    if (l.startsWith("? ")) lastPrompt = i;
    if (l.startsWith("✔ ")) {
      lastDone = i;
      done++;
    }
  });
  if (lastPrompt <= lastDone) return { done };
  let prompt = lines[lastPrompt] as string;
  for (const l of lines.slice(lastPrompt + 1)) {
    if (!/^ {2}\S/.test(l)) break;
    prompt += ` ${l.trim()}`;
  }
  return { prompt, done };
}

const byAsk = [...flow.questions].sort((a, b) => b.ask.length - a.ask.length);
function questionOf(prompt: string): Question | undefined {
  return byAsk.find((q) => prompt.startsWith(`? ${q.ask}`));
}
function groupOf(prompt: string): QuestionGroup | undefined {
  return [...flow.groups.values()].find((g) => prompt.startsWith(`? ${g.heading} (`));
}

/** Wait for a prompt with at least `done` answers above it. */
async function prompt(t: Terminal, done: number, what = "the next prompt"): Promise<string> {
  const s = await t.waitFor((sc) => {
    const r = read(sc);
    return r.prompt !== undefined && r.done >= done;
  }, what);
  return read(s).prompt as string;
}

// --- answering as a person would -------------------------------------------------------

function valueFor(facts: Answers, q: Question): Value | null {
  if (facts.has(q.fact.id)) return facts.get(q.fact.id) ?? null;
  if (q.notKnown) return null;
  if (q.fact.type === "bool") return false;
  if (q.fact.type === "list") return [];
  return q.fact.values?.[0] ?? "x";
}

/** A colour or text-attribute escape sequence. */
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);

const times = (k: number, key: string) => Array.from({ length: k }, () => key);

/** Keys that give `v` at a fresh prompt for q (no answer offered). */
function answer(t: Terminal, q: Question, v: Value | null): void {
  const type = q.fact.type;
  if (type === "enum" || type === "bool") {
    const values: unknown[] = type === "bool" ? [true, false] : [...(q.fact.values ?? [])];
    // "Not known" is the entry after the values (the blank line between is skipped). A question
    // that cannot be not known starts on an entry above the values that cannot be picked.
    const index = v === null ? values.length : values.indexOf(v);
    const above = q.notKnown || q.fact.notKnown !== undefined ? 0 : 1;
    t.keys(...times(values.length + 5, "Up"), ...times(index + above, "Down"), "Enter");
  } else if (type === "list") {
    const values = q.fact.values ?? [];
    // Nothing ticked is not known; "None of these" is the entry after the values.
    const want =
      v === null
        ? []
        : (v as string[]).length === 0
          ? [values.length]
          : values.flatMap((x, i) => ((v as string[]).includes(x) ? [i] : []));
    let at = 0;
    const keys: string[] = [];
    for (const i of want) {
      keys.push(...times(i - at, "Down"), "Space");
      at = i;
    }
    t.keys(...keys, "Enter");
  } else {
    if (v !== null) t.type(String(v));
    t.keys("Enter");
  }
}

/**
 * Answer a group's screen as a person would: on each row still worth asking (the engine's
 * liveRows, as the rows above are chosen), the choice's number, then ↓; Enter. The facts given.
 */
async function answerGroup(t: Terminal, so: Map<string, Value | null>, facts: Answers): Promise<string[]> {
  const screen = nextScreen(flow, so, today());
  if (screen?.kind !== "group") throw new Error(`no group is next; the screen:\n${t.screen()}`);
  const rows = screen.questions;
  const values = new Map(rows.map((q) => [q.fact.id, valueFor(facts, q)]));
  const live = liveRows(flow, so, today(), rows, values);
  const given: string[] = [];
  for (const [i, q] of rows.entries()) {
    if (!live[i]) continue;
    const index = rowOptions(q).findIndex((o) => o.value === values.get(q.fact.id));
    t.keys(String(index + 1));
    t.keys("Down");
    given.push(q.fact.id);
    so.set(q.fact.id, values.get(q.fact.id) ?? null);
  }
  t.keys("Enter");
  return given;
}

/**
 * Answer every screen from the case until a prompt matches `until` (or `max` screens): the
 * facts each screen asked, in order (a question's one, a group's rows).
 */
async function answerScreens(
  t: Terminal,
  facts: Answers,
  until: RegExp | undefined,
  max = 100,
  start: Answers = new Map(),
): Promise<string[][]> {
  const screens: string[][] = [];
  const so = new Map(start);
  let done = read(t.screen()).done;
  for (let i = 0; i < max; i++) {
    const p = await prompt(t, done);
    done = read(t.screen()).done;
    if (until?.test(p)) return screens;
    const group = groupOf(p);
    if (group) screens.push(await answerGroup(t, so, facts));
    else {
      const q = questionOf(p);
      if (!q) throw new Error(`a prompt that is no question of the flow: ${p}\n${t.screen()}`);
      answer(t, q, valueFor(facts, q));
      so.set(q.fact.id, valueFor(facts, q));
      screens.push([q.fact.id]);
    }
    done++;
  }
  if (until) throw new Error(`still asking after ${max} questions`);
  await prompt(t, done);
  return screens;
}

/** Answer every question from the case until a prompt matches `until`; the facts asked, in order. */
async function answerUntil(
  t: Terminal,
  facts: Answers,
  until: RegExp,
  start: Answers = new Map(),
): Promise<string[]> {
  return (await answerScreens(t, facts, until, 100, start)).flat();
}

/** Answer `count` screens from the case; the facts asked. */
async function answerSome(t: Terminal, facts: Answers, count: number): Promise<string[]> {
  return (await answerScreens(t, facts, undefined, count)).flat();
}

/** Each screen was the engine's next at its turn: a question, or a group with the same rows. */
function expectEngineScreens(asked: readonly string[], facts: Answers): void {
  const so = new Map<string, Value | null>();
  let i = 0;
  while (i < asked.length) {
    const screen = nextScreen(flow, so, today());
    const rows = screen?.kind === "group" ? screen.questions : screen ? [screen.question] : [];
    expect(rows[0]?.fact.id).toBe(asked[i]);
    for (const q of rows) {
      if (asked[i] !== q.fact.id) continue;
      so.set(q.fact.id, valueFor(facts, q));
      i++;
    }
  }
  expect(nextQuestion(flow, so, today())).toBeNull();
}

function savedSession(sessions: string): {
  id: string;
  answers: Record<string, Value | null>;
  order: string[];
} {
  const files = readdirSync(sessions).filter((f) => f.endsWith(".json"));
  expect(files).toHaveLength(1);
  expect(readdirSync(sessions).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  return JSON.parse(readFileSync(join(sessions, files[0] as string), "utf8"));
}

/**
 * The round for the drafts, offered after "Write the files" where a draft is to be written,
 * skipped (its own test answers it); a pathway with no draft goes straight to the folder.
 */
async function skipDraftsRound(t: Terminal): Promise<void> {
  const round = /^\? A few details for the drafts/m;
  await t.waitFor(
    (s) => round.test(s) || /^\? Output folder/m.test(s),
    "the round for the drafts, or the folder",
  );
  if (round.test(t.screen())) t.keys("Down", "Enter"); // Skip
}

/** Finish at the review, write to `out`, clear the screen, and exit 0. */
async function finish(t: Terminal, out: string): Promise<string> {
  t.keys("Enter"); // These are right: show the pathway
  await t.waitFor(/^\? What next\?/m, "the pathway menu");
  t.keys("Enter"); // Write the files
  await skipDraftsRound(t);
  await t.waitFor(/^\? Output folder/m, "the folder prompt");
  t.type(out);
  t.keys("Enter");
  await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
  t.keys("Enter"); // Clear the screen
  expect(await t.waitExit()).toBe(0);
  return t.screen();
}

/**
 * The wizard's files are byte for byte those of `run --answers answers.yaml --out DIR
 * --format md,png` (the wizard writes the timeline as pathway.png as well).
 */
function expectSameAsRun(cwd: string, out: string, caseFolder: string): void {
  const folder = join(cwd, out, caseFolder);
  const again = fresh("again");
  mkdirSync(again);
  const r = cli(["run", "--answers", join(folder, "answers.yaml"), "--out", out, "--format", "md,png"], {
    cwd: again,
  });
  expect(r.code, r.stderr).toBe(0);
  const wizardFiles = readdirSync(folder)
    .filter((f) => f !== "answers.yaml")
    .sort();
  expect(wizardFiles).toEqual(readdirSync(join(again, out, caseFolder)).sort());
  expect(wizardFiles).toContain("pathway.json");
  expect(wizardFiles).toContain("chronology.jsonl");
  expect(wizardFiles).toContain("pathway.png");
  for (const f of wizardFiles) {
    // The history says when and where from (the wizard, or the case file).
    if (f === ".safeguard-case.json" || f.startsWith("chronology.")) continue;
    expect(readFileSync(join(folder, f), "utf8"), f).toBe(
      readFileSync(join(again, out, caseFolder, f), "utf8"),
    );
  }
  // The manifests differ only by answers.yaml, which the wizard writes besides.
  const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, ".safeguard-case.json"), "utf8"));
  const wizard = manifest(folder);
  expect(Object.keys(wizard.files)).toContain("answers.yaml");
  delete wizard.files["answers.yaml"];
  expect(wizard).toEqual(manifest(join(again, out, caseFolder)));
}

describe.skipIf(Boolean(tmux.missing))(
  `the wizard in a terminal (${tmux.version ?? "no tmux"})`,
  { timeout: 120_000 },
  () => {
    it("a full run: questions, review, pathway with why, owner-only files as run --answers writes them", async () => {
      const { cwd, data } = setup();
      const t = open([], cwd, data);
      const asked = await answerUntil(t, EX1, /^\? Your answers/);
      expect(asked.slice(0, 2)).toEqual(["case_id", "concern.date"]);
      // Only what the engine asks: each screen was the engine's at its turn.
      expectEngineScreens(asked, EX1);
      let s = t.screen();
      expect(s).toMatch(new RegExp(`Review: ${asked.length} answers`));
      expect(s).toContain("Case reference: EX-1");

      t.keys("Enter"); // show the pathway
      s = await t.waitFor(/^\? What next\?/m, "the pathway menu");
      expect(s).toContain("Case EX-1: 15, child pathway");
      expect(s).toMatch(/^ *1\. .*Discuss the concern/m);

      t.keys("Right", "Right", "Right", "Right", "Enter"); // Show everything: more than 60 lines, so a page at a time
      s = await t.waitFor(
        /Recommended pathway, in the order to act[\s\S]*^Lines 1-\d+ of \d+ \(more below\)/m,
        "everything",
      );
      expect(s).toMatch(/due: Wed 2 Sep 2026\b.*Summer bank holiday/);
      expect(s).toMatch(/contact: /);
      t.keys("q");
      await t.waitFor(() => /^\? What next\?/m.test(t.visible()), "the menu again");

      t.keys("Left", "Left", "Left", "Enter"); // Why: choose a step
      await t.waitFor(/^\? Why: which step\?/m, "the steps to choose from");
      t.keys("Enter"); // 1.
      s = await t.waitFor(/Recommended because:[\s\S]*^\? What next\?/m, "the why screen");
      t.keys("Left", "Enter"); // Write the files
      await skipDraftsRound(t);
      await t.waitFor(/^\? Output folder .*\(\.\/safeguard-out\)/m, "the folder prompt with its default");
      t.keys("Enter");
      await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
      t.keys("Enter");
      expect(await t.waitExit()).toBe(0);
      s = t.screen();
      expect(s).toContain("Written to safeguard-out/EX-1/ (readable by you only)");
      expect(s).toContain("safeguard run --answers safeguard-out/EX-1/answers.yaml");

      const folder = join(cwd, "safeguard-out", "EX-1");
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(folder)) expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
      const answersYaml = readFileSync(join(folder, "answers.yaml"), "utf8");
      // The editor's pointer at the shipped schema, relative to the folder.
      const modeline = /^# yaml-language-server: \$schema=(\S+)\n/.exec(answersYaml);
      expect(modeline && resolve(folder, modeline[1] ?? "")).toBe(
        join(packageRoot, "schemas", "case.schema.json"),
      );
      // What the wizard wrote is valid under the schema it points at, formats checked (issue 27).
      const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
      formats.default(ajv);
      const valid = ajv.compile(JSON.parse(readFileSync(resolve(folder, modeline?.[1] ?? ""), "utf8")));
      expect(valid(parse(answersYaml)), ajv.errorsText(valid.errors)).toBe(true);
      const replay = parse(answersYaml);
      expect(replay.case_id).toBe("EX-1");
      expect(replay.concern.date).toBe("2026-08-26");
      expectSameAsRun(cwd, "safeguard-out", "EX-1");

      // NO_COLOR: no colour anywhere on the screen.
      expect(t.raw()).not.toMatch(SGR);
    });

    it("back: the previous question again with its answer offered; the answers are kept", async () => {
      const { cwd, data, sessions } = setup();
      const t = open([], cwd, data, {}); // colour on: a terminal, NO_COLOR unset
      const asked = await answerSome(t, EX1, 3);
      expect(asked).toEqual(["case_id", "concern.date", "concern.about"]);
      const fourth = await prompt(t, 3);
      t.type("<");
      if (fourth.includes("<: back")) t.keys("Enter"); // a list takes the key at once; typed answers need Enter
      let s = await t.waitFor(
        (sc) => read(sc).prompt?.startsWith("? Is the concern about") ?? false,
        "back to 3",
      );
      expect(s).toMatch(/❯ An identified person/);
      t.type("<");
      s = await t.waitFor(
        (sc) => read(sc).prompt?.startsWith("? When was the concern identified?") ?? false,
        "back to 2",
      );
      expect(read(s).prompt).toContain("(2026-08-26)");
      t.keys("Enter"); // keep it
      await t.waitFor((sc) => read(sc).prompt?.startsWith("? Is the concern about") ?? false, "forward to 3");
      t.keys("Enter"); // keep it
      await t.waitFor((sc) => read(sc).prompt === fourth, "forward to 4");
      expect(t.raw()).toMatch(SGR); // colour on a terminal
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
      const saved = savedSession(sessions);
      expect(saved.order).toEqual(["case_id", "concern.date", "concern.about"]);
      expect(saved.answers).toEqual({
        case_id: "EX-1",
        "concern.date": "2026-08-26",
        "concern.about": "individual",
      });
    });

    it("Ctrl-C: exit 130, saved; resume carries on and ends with the pathway run --answers gives", async () => {
      const { cwd, data, sessions } = setup();
      const t = open([], cwd, data);
      const first = await answerSome(t, EX1, 6);
      t.keys("C-c");
      expect(await t.waitExit()).toBe(130);
      const s = t.screen();
      const id = /safeguard resume (\S+)/.exec(s)?.[1] ?? "";
      expect(s).toContain(`Your ${first.length} answers are saved in session ${id}`);
      expect(s).toContain(join(sessions, `${id}.json`));
      const saved = savedSession(sessions);
      expect(saved.id).toBe(id);
      expect(saved.order).toEqual(first);
      expect(statSync(join(sessions, `${id}.json`)).mode & 0o777).toBe(0o600);

      const list = cli(["sessions"], { env: { SAFEGUARD_DATA_DIR: data } });
      // The case reference tells interrupted cases apart; no other answer is shown.
      expect(list.stdout).toMatch(
        new RegExp(`${id}\\s+EX-1\\s+\\S+\\s+all-age\\s+.*${first.length} answers so far`),
      );
      for (const [fact, value] of Object.entries(saved.answers))
        if (fact !== "case_id" && fact !== "concern.types" && typeof value === "string" && value.length > 3)
          expect(list.stdout).not.toContain(value);

      const r = open(["resume", id], cwd, data);
      const p = await prompt(r, 0, "the first unanswered question");
      const answers = new Map(Object.entries(saved.answers));
      const next = nextScreen(flow, answers, today());
      const nextAsk = next?.kind === "group" ? next.group.heading : next?.question.ask;
      expect(p.startsWith(`? ${nextAsk}`), p).toBe(true);
      // The recap: how many, the last question answered (never its answer), what comes next.
      const last = flow.questions.find((q) => q.fact.id === first.at(-1)) as Question;
      const recap = r.screen().slice(0, r.screen().search(/^\? /m));
      expect(recap).toContain(
        `Resuming session ${id} (all-age): ${first.length} answers given, the last to "${last.ask}".`,
      );
      expect(recap).toContain(`Next: "${nextAsk}"`);
      for (const v of Object.values(saved.answers)) if (typeof v === "string") expect(recap).not.toContain(v);
      await answerUntil(r, EX1, /^\? Your answers/, answers);
      await finish(r, "out");
      expectSameAsRun(cwd, "out", "EX-1");
      const done = savedSession(sessions);
      expect(done).toMatchObject({ finished: true, out: "out" });
      const json = cli(
        ["run", "--answers", join(cwd, "out", "EX-1", "answers.yaml"), "--out", "out", "--json"],
        {
          cwd,
        },
      );
      // The result as written, and what writing it again did (an update: nothing changed).
      const { update, ...fromRun } = JSON.parse(json.stdout);
      expect(JSON.parse(readFileSync(join(cwd, "out", "EX-1", "pathway.json"), "utf8"))).toEqual({
        ...fromRun,
        documents: fromRun.documents.map((d: { id: string }) => ({ id: d.id, path: `${d.id}.md` })),
      });
      expect(update.changed.facts).toEqual([]);
      // The wizard's answers stay: the record of what was given.
      expect(update.drafts.removed).not.toContain("answers.yaml");
      // Nor its picture: a folder written with pathway.png is updated with it.
      expect(update.drafts.removed).not.toContain("pathway.png");
      expect(readFileSync(join(cwd, "out", "EX-1", "answers.yaml"), "utf8")).toContain("case_id: EX-1");
    });

    it("a closed terminal mid-answer loses nothing already given", async () => {
      const { cwd, data, sessions } = setup();
      const t = open([], cwd, data);
      const given = await answerSome(t, EX1, 3);
      const p = read(t.screen()).prompt ?? "";
      const q = questionOf(p);
      if (q?.fact.type === "date") t.type("2011-05");
      else t.type("half an answ");
      await t.waitFor(/2011-05|half an answ/, "the half-typed answer");
      t.close(); // the terminal goes away: SIGHUP
      const saved = savedSession(sessions);
      expect(saved.order).toEqual(given);
      expect(saved.answers).toEqual({
        case_id: "EX-1",
        "concern.date": "2026-08-26",
        "concern.about": "individual",
      });

      // And it carries on from there.
      const r = open(["resume"], cwd, data);
      const next = await prompt(r, 0, "the question that was being answered");
      expect(next).toBe(p);
      r.keys("Escape");
      expect(await r.waitExit()).toBe(130);
    });

    // Issues 14 and 21: the interviews of new users (test/interviews/), end to end in a terminal,
    // each answered from its case file: the counts the README gives, each question the engine's.
    // A group's screen counts as one.
    for (const [file, count] of [
      ["school-dsl-county-lines-14.yaml", 27],
      ["hospital-adult-refuses-nrm.yaml", 27],
      ["leaving-care-17-maace.yaml", 32],
      ["community-nurse-cuckooing-34.yaml", 34],
    ] as const) {
      it(`the interview ${file}: ${count} questions to the review`, async () => {
        const text = readFileSync(join(packageRoot, "test", "interviews", file), "utf8");
        const facts = readCase(file, text, flow.facts).answers as Answers;
        const { cwd, data } = setup();
        const t = open([], cwd, data);
        const screens = await answerScreens(t, facts, /^\? Your answers/);
        expect(screens).toHaveLength(count);
        expectEngineScreens(screens.flat(), facts);
        t.keys("Escape");
        expect(await t.waitExit()).toBe(130);
      });
    }
  },
);

// --- the pathway screen, privacy at a shared desk ---------------------------------------

/** The day these tests run the wizard on (its --date), so what is overdue, and by how much, is fixed. */
const DAY = "2026-09-10";
const ON_DAY = ["run", "--date", DAY];

/** The pathway the wizard decided, from the answers it saved. */
function savedPathway(sessions: string): Pathway {
  return decide(flow, new Map(Object.entries(savedSession(sessions).answers)), DAY);
}

/** Answer EX-1 to the review, show the pathway, and wait for the menu under it. */
async function toPathway(t: Terminal): Promise<string> {
  await answerUntil(t, EX1, /^\? Your answers/);
  t.keys("Enter"); // These are right: show the pathway
  return t.waitFor(/^\? What next\?[\s\S]*F2 blank screen/m, "the pathway menu");
}

/** From the start to the folder prompt: the pathway, "Write the files", the round for the drafts skipped. */
async function toFolderPrompt(t: Terminal): Promise<void> {
  await toPathway(t);
  t.keys("Enter"); // Write the files
  await skipDraftsRound(t);
  await t.waitFor(/^\? Output folder/m, "the folder prompt");
}

/** The terminals issue 14 is checked in: 80x24 and 60x40. */
const SCREENS = [
  [80, 24],
  [60, 40],
] as const;

/** Whitespace runs as one space: lines wrapped by the wizard read as the text they came from. */
const flat = (s: string) => s.replace(/\s+/g, " ");

describe.skipIf(Boolean(tmux.missing))(
  `the pathway screen and the blank key (${tmux.version ?? "no tmux"})`,
  { timeout: 120_000 },
  () => {
    for (const [width, height] of SCREENS) {
      it(`at ${width}x${height} the pathway at a glance and the menu fit the screen, wrapped at word boundaries`, async () => {
        const { cwd, data, sessions } = setup();
        const t = open(ON_DAY, cwd, data, { NO_COLOR: "1" }, { width, height });
        await toPathway(t);
        const shown = t.visible();
        const lines = shown.replace(/\n+$/, "").split("\n");
        // Nothing went past the edge for the terminal to wrap, and it all fits in the height.
        for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
        expect(lines.length).toBeLessThanOrEqual(height);
        expect(lines[0]).toMatch(/^Case EX-1: 15, child pathway, concern Wed 26 Aug 2026/);
        const p = savedPathway(sessions);
        expect(p.actions.length).toBeGreaterThan(8);
        expect(p.actions.some((a) => a.daysOverdue > 0)).toBe(true);
        // In the order to act; as many as fit, each whole (wrapped between words, never cut
        // with "…"), and the rest counted.
        const order = actingOrder(p.actions);
        const shownSteps = order.filter((_, i) => new RegExp(`^ *${i + 1}\\. `, "m").test(shown));
        expect(shownSteps).toEqual(order.slice(0, shownSteps.length));
        expect(shownSteps.length).toBeGreaterThan(4);
        expect(lines.filter((l) => /…$/.test(l))).toEqual([]);
        const left = order.length - shownSteps.length;
        if (left > 0)
          expect(flat(shown)).toContain(`… and ${left} more steps: Show everything lists them all`);
        shownSteps.forEach((a, i) => {
          expect(flat(shown)).toContain(a.title);
          if (a.daysOverdue > 0) expect(flat(shown)).toContain(`${i + 1}. ${overdueWords(a)}`);
          const by = byWords(a);
          if (by) expect(flat(shown)).toContain(`${a.title} (${by})`);
          // A due date on a weekend or bank holiday: the last working day before it, beside the step.
          const working = lastWorkingDayWords(a, p.today);
          if (working) expect(flat(shown)).toContain(`${a.title}${by ? ` (${by})` : ""} (${working})`);
        });
        // EX-1 on 10 Sep: the strategy discussion (3 working days from Thu 27 Aug, Wed 2 Sep)
        // is late by working days, the Intel Form (immediately, 26 Aug) by calendar days; the
        // tracker (Mon 31 Aug) waits on the strategy discussion: expected, never overdue (issue 22).
        expect(flat(shown)).toContain("overdue: 6 working days");
        expect(flat(shown)).toContain("overdue: 15 calendar days");
        expect(flat(shown)).toContain("expected Mon 31 Aug");
        expect(shown).toMatch(/Write the files[\s\S]*Why: choose a step[\s\S]*Show the pathway again/);
        expect(shown).toContain("Finish without writing");
        // The detail waits for a request.
        expect(shown).not.toContain("contact:");
        expect(shown).not.toContain("Recommended because");
      });
    }

    for (const [width, height] of SCREENS) {
      it(`at ${width}x${height} show everything is a page at a time: keys in the footer, q and Esc back to the pathway`, async () => {
        const { cwd, data, sessions } = setup();
        const t = open(ON_DAY, cwd, data, { NO_COLOR: "1" }, { width, height });
        await toPathway(t);
        // From the menu's first entry, or (once chosen) the menu's default.
        const showEverything = (...keys: string[]) => {
          t.keys(...keys, "Enter");
          return t.waitFor(() => /^Lines 1-\d+ of \d+ \(more below\)$/m.test(t.visible()), "the first page");
        };
        await showEverything("Right", "Right", "Right", "Right");
        /** The page on screen, checked to fit: its text, the line saying where it is, the keys. */
        const page = () => {
          const lines = t.visible().replace(/\n+$/, "").split("\n");
          for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
          expect(lines.length).toBeLessThanOrEqual(height);
          const at = lines.findIndex((l) => l.startsWith("Lines "));
          expect(at).toBeGreaterThan(0);
          return {
            text: lines.slice(0, at),
            label: lines[at] as string,
            // The keys, line by line: whole keys on each, "key what • key what".
            footer: lines.slice(at + 1).flatMap((l) => l.trim().split(" • ")),
          };
        };
        const first = page();
        expect(first.text[0]).toMatch(/^Case EX-1: 15, child pathway/);
        expect(first.footer).toEqual([
          "space next page",
          "b previous",
          "↑↓ line",
          "q back to the menu",
          "F2 blank screen",
        ]);
        const total = Number(/ of (\d+) \(more below\)/.exec(t.visible())?.[1]);
        expect(total).toBeGreaterThan(height);
        // Every page, to the end: all of the detail is there to read, wrapped at word boundaries.
        let seen = first.text.join("\n");
        let label = "";
        for (let i = 0; i < 20 && !label.includes("(the end)"); i++) {
          const before = t.visible();
          t.keys("Space");
          await t.waitFor(() => t.visible() !== before, "the next page");
          const shown = page();
          label = shown.label;
          expect(label).toMatch(/^Lines \d+-\d+ of \d+ \((more below|the end)\)$/);
          seen += `\n${shown.text.join("\n")}`;
        }
        expect(label).toMatch(new RegExp(`^Lines \\d+-${total} of ${total} \\(the end\\)$`));
        const p = savedPathway(sessions);
        for (const a of p.actions) {
          expect(flat(seen)).toContain(a.title);
          expect(flat(seen)).toContain(flat(a.dueRule));
        }
        for (const heading of ["Not decided yet", "Where national guidance has moved on"])
          expect(seen).toContain(heading);
        // b: a page back; F2 blanks it, and the next key brings that page back.
        t.keys("b");
        await t.waitFor(() => /\(more below\)$/m.test(t.visible()), "the page before");
        const back = t.visible();
        t.keys("F2");
        await t.waitFor(() => !t.visible().includes("Lines"), "a blank screen");
        t.keys("x");
        await t.waitFor(() => t.visible() === back, "the same page again");
        // q: back to the pathway at a glance and its menu.
        t.keys("q");
        await t.waitFor(
          () =>
            /^Case EX-1: 15, child pathway, concern/.test(t.visible()) &&
            /^\? What next\?/m.test(t.visible()),
          "the pathway again",
        );
        // Esc in the pager goes back too: it does not stop the wizard.
        await showEverything();
        t.keys("Escape");
        await t.waitFor(
          () => /^\? What next\?/m.test(t.visible()) && !t.visible().includes("Lines "),
          "the menu",
        );
        expect(t.exitCode()).toBeUndefined();
        t.keys("Escape");
        expect(await t.waitExit()).toBe(130);
      });
    }

    it("at 80x24 a pathway taller than the screen keeps its first line: the first steps whole, the rest counted; the folder prompt fits too", async () => {
      const file = "school-dsl-county-lines-14.yaml";
      const text = readFileSync(join(packageRoot, "test", "interviews", file), "utf8");
      const facts = readCase(file, text, flow.facts).answers as Answers;
      const { cwd, data, sessions } = setup();
      const t = open(
        ["run", "--date", "2026-11-23"],
        cwd,
        data,
        { NO_COLOR: "1" },
        { width: 80, height: 24 },
      );
      await answerUntil(t, facts, /^\? Your answers/);
      t.keys("Enter");
      await t.waitFor(() => /^\? What next\?[\s\S]*F2 blank screen/m.test(t.visible()), "the pathway menu");
      const lines = t.visible().replace(/\n+$/, "").split("\n");
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(lines[0]).toMatch(/^Case INT-1: 14, child pathway, concern Fri 20 Nov 2026$/);
      const p = decide(flow, new Map(Object.entries(savedSession(sessions).answers)), "2026-11-23");
      expect(p.actions.length).toBe(13);
      // Wrapped, they would take more than the rows above the menu: the first in the order to
      // act, whole, and a count of the rest; no title cut short.
      const order = actingOrder(p.actions);
      const shown = order.filter((_, i) => lines.some((l) => l.startsWith(`${String(i + 1).padStart(2)}. `)));
      expect(shown).toEqual(order.slice(0, shown.length));
      expect(shown.length).toBeGreaterThan(4);
      for (const a of shown) expect(flat(lines.join(" "))).toContain(a.title);
      expect(lines.filter((l) => /…$/.test(l))).toEqual([]);
      expect(lines).toContain(`… and ${13 - shown.length} more steps: Show everything lists them all`);
      // The folder prompt with its default, "(./safeguard-out)", is fitted with the default in it.
      t.keys("Enter");
      await skipDraftsRound(t);
      await t.waitFor(() => /^\? Output folder/m.test(t.visible()), "the folder prompt");
      await t.waitFor(() => t.visible().includes("./safeguard-out"), "its default");
      for (const l of t.visible().split("\n")) expect(l.length, l).toBeLessThanOrEqual(80);
      expect(t.visible()).toContain("(./safeguard-out)");
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
    });

    it("at 60 columns the keys under a question break between keys, never inside one", async () => {
      const { cwd, data } = setup();
      const t = open(ON_DAY, cwd, data, { NO_COLOR: "1" }, { width: 60, height: 40 });
      await answerSome(t, EX1, 2); // to the first list: who the concern is about
      await t.waitFor(() => /esc save and stop/.test(t.visible()), "the keys");
      const lines = t.visible().replace(/\n+$/, "").split("\n");
      const at = lines.findIndex((l) => l.startsWith("↑↓ navigate"));
      const footer = lines.slice(at);
      expect(footer.length).toBe(2);
      for (const l of footer) {
        expect(l.length).toBeLessThanOrEqual(60);
        // Each line is whole keys: "key what • key what".
        for (const item of l.trim().split(" • ")) expect(item, l).toMatch(/^(↑↓|⏎|\?|<|F2|esc) \S/);
      }
      expect(flat(footer.join(" • "))).toBe(
        "↑↓ navigate • ⏎ select • ? help • < back • F2 blank screen • esc save and stop",
      );
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
    });

    it("the review says why the highlighted answer was asked, in two lines at most, and fits 80x24", async () => {
      const { cwd, data, sessions } = setup();
      const t = open(ON_DAY, cwd, data, { NO_COLOR: "1" }, { width: 80, height: 24 });
      await answerUntil(t, EX1, /^\? Your answers/);
      const answers = new Map(Object.entries(savedSession(sessions).answers));
      const highlighted = () => /^❯ (.*)$/m.exec(t.visible())?.[1] ?? "";
      const seek = async (label: string) => {
        for (let i = 0; i < 60 && !highlighted().startsWith(label); i++) {
          const before = highlighted();
          t.keys("Down");
          await t.waitFor(() => highlighted() !== before, "the next answer");
        }
        expect(highlighted()).toContain(label);
        const lines = t.visible().replace(/\n+$/, "").split("\n");
        for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
        expect(lines.length).toBeLessThanOrEqual(24);
        return lines;
      };
      // In the order they were asked.
      // An answer that decides no step (the case reference): nothing under it.
      let lines = await seek("Case reference");
      expect(lines.join("\n")).not.toContain("Asked because");
      // Whether the concern is about a person decides most steps: as many as fit, the rest counted.
      lines = await seek("An identified person, or a peer group");
      const about = decidesSteps(flow, "concern.about", answers, DAY);
      expect(about.length).toBeGreaterThan(10);
      const why = lines.filter((l) => l.startsWith("Asked because it decides:"));
      expect(why).toHaveLength(1);
      const at = lines.indexOf(why[0] as string);
      const said = flat(lines.slice(at, at + 2).join(" "));
      expect(said).toMatch(/; and \d+ more steps? \(its help lists more\)\.$/);
      const more = Number(/and (\d+) more/.exec(said)?.[1]);
      expect(said).toContain(about.slice(0, about.length - more).join("; "));
      expect(lines[at + 2]).toMatch(/navigate/);
      // The referral date decides two dates: both named.
      lines = await seek("Date of the referral");
      const referral = decidesSteps(flow, "referral.date", answers, DAY);
      expect(referral.length).toBe(2);
      expect(flat(lines.join(" "))).toContain(`Asked because it decides: ${referral.join("; ")}.`);
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
    });

    it("why for a chosen step: its rule in words, the facts it read, its citation; then the pathway again", async () => {
      const { cwd, data, sessions } = setup();
      const t = open(ON_DAY, cwd, data, { NO_COLOR: "1" }, { width: 80, height: 24 });
      await toPathway(t);
      t.keys("Right", "Enter"); // Why: choose a step
      await t.waitFor(/^\? Why: which step\?/m, "the steps");
      t.keys("Down", "Down", "Enter"); // step 3
      const s = await t.waitFor(/Recommended because:[\s\S]*^\? What next\?/m, "the why screen");
      const a = savedPathway(sessions).actions[2];
      if (!a) throw new Error("no step 3");
      const why = flat(t.visible());
      expect(why).toContain(a.title);
      expect(why).toContain(a.citation);
      for (const b of a.because) expect(why).toContain(`${b.because} (${b.cite})`);
      const [fact] = Object.keys(a.because[0]?.facts ?? {});
      expect(why).toContain(`${flow.facts.get(fact as string)?.label} (${fact})`);
      // Each answer read, in the words its question offered ("County lines", not county-lines).
      let worded = 0;
      for (const b of a.because)
        for (const [f, v] of Object.entries(b.facts)) {
          const q = flow.questions.find((x) => x.fact.id === f);
          if (!q) continue;
          expect(why).toContain(`(${f}): ${valueWords(q, v)}`);
          worded++;
        }
      expect(worded).toBeGreaterThan(0);
      expect(why).toContain("(concern.types): Criminal exploitation, County lines");
      expect(s).toContain("✔ Why: which step? 3.");
      t.keys("Right", "Right", "Enter"); // Show the pathway again
      await t.waitFor(
        (sc) => /✔ What next\? Show the pathway again/.test(sc) && /^\? What next\?/m.test(t.visible()),
        "the pathway again",
      );
      expect(t.visible()).toMatch(/^Case EX-1: 15, child pathway/);
    });

    it("the round for the drafts: its questions, the referrer's details kept owner-only and in the drafts, the files as run --answers writes them", async () => {
      const { cwd, data } = setup();
      const t = open([], cwd, data); // today: run --answers, without --date, must give the same files
      await toPathway(t);
      t.keys("Enter"); // Write the files
      await t.waitFor(/^\? A few details for the drafts/m, "the round for the drafts");
      t.keys("Enter"); // Answer them now
      const round: Record<string, Value | null> = {
        "person.lives_in_locality": null,
        "person.school": "Example Academy",
        "referral.parents_aware": "yes",
      };
      const asked: string[] = [];
      /**
       * The round's question on screen, not answered yet; "name" at the first of the referrer's
       * details. Those not in `round` are left as they are (Enter: to complete in the draft).
       */
      const next = () => {
        const shown = read(t.visible()).prompt ?? "";
        if (shown.startsWith("? Your name")) return "name";
        const q = questionOf(shown);
        return q && !asked.includes(q.fact.id) ? q : undefined;
      };
      for (;;) {
        await t.waitFor(() => next() !== undefined, "a question of the round");
        const q = next();
        if (q === "name" || q === undefined) break;
        asked.push(q.fact.id);
        answer(t, q, round[q.fact.id] ?? null);
      }
      expect(asked).toEqual(expect.arrayContaining(Object.keys(round)));
      // Only the round's own questions: each marked for the drafts in the flow.
      for (const id of asked) expect(flow.questions.find((q) => q.fact.id === id)?.drafts, id).toBeDefined();
      const details: [RegExp, string][] = [
        [/^\? Your name/m, "A. Lead"],
        [/^\? Your role/m, ""],
        [/^\? Your organisation/m, ""],
        [/^\? Your phone number/m, ""],
        [/^\? Your secure email address/m, "a.lead@school.example.org"],
      ];
      for (const [prompt, value] of details) {
        await t.waitFor(() => prompt.test(t.visible()), String(prompt));
        if (value) t.type(value);
        t.keys("Enter");
      }
      await t.waitFor(/^\? Keep these for next time\?/m, "whether to keep them");
      t.keys("Enter"); // Yes
      await t.waitFor(/^\? Output folder/m, "the folder prompt");
      t.keys("Enter");
      await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
      t.keys("Enter");
      expect(await t.waitExit()).toBe(0);

      // Kept in the data folder, readable by the lead only.
      const file = join(data, "referrer.json");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
        name: "A. Lead",
        email: "a.lead@school.example.org",
      });
      const folder = join(cwd, "safeguard-out", "EX-1");
      const answers = parse(readFileSync(join(folder, "answers.yaml"), "utf8"));
      expect(answers.referrer).toEqual({ name: "A. Lead", email: "a.lead@school.example.org" });
      expect(answers.person.school).toBe("Example Academy");
      expect(answers.person).not.toHaveProperty("lives_in_locality");
      expect(readFileSync(join(folder, "mash-referral.md"), "utf8")).toContain(
        "- **School or college:** Example Academy",
      );
      // Every draft with a referrer section carries the name (the case summary lists every answer).
      const p = decide(
        flow,
        readCase("a.yaml", readFileSync(join(folder, "answers.yaml"), "utf8"), flow.facts).answers as Answers,
        today(),
      );
      const drafts = p.documents.filter((id) => flow.documents.get(id)?.reads?.includes("referrer.name"));
      for (const id of [...drafts, "case-summary"])
        expect(readFileSync(join(folder, `${id}.md`), "utf8"), id).toContain("A. Lead");
      expectSameAsRun(cwd, "safeguard-out", "EX-1");
    });

    it("finish without writing writes nothing, and says so", async () => {
      const { cwd, data, sessions } = setup();
      const t = open(ON_DAY, cwd, data);
      await toPathway(t);
      t.keys("Left", "Enter"); // round to the last entry: Finish without writing
      await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
      t.keys("Enter");
      expect(await t.waitExit()).toBe(0);
      expect(t.screen()).toContain("Nothing was written.");
      expect(readdirSync(cwd)).toEqual([]);
      expect(savedSession(sessions)).toMatchObject({ finished: true });
    });

    it("the folder asked for: one of the lead's own is refused untouched and asked again; an empty one made in advance is written as a new case", async () => {
      const { cwd, data } = setup();
      const theirs = join(cwd, "mine", "EX-1");
      mkdirSync(theirs, { recursive: true });
      writeFileSync(join(theirs, "notes.txt"), "the lead's own");
      mkdirSync(join(cwd, "safeguard-out", "EX-1"), { recursive: true, mode: 0o755 });
      const t = open(ON_DAY, cwd, data);
      await toFolderPrompt(t);
      t.type("mine");
      t.keys("Enter");
      const s = await t.waitFor(
        /holds files safeguard did not write \(notes\.txt\)[\s\S]*^\? Output folder/m,
        "the refusal, and the folder asked again",
      );
      expect(s).toContain("choose another --out, or move the folder");
      expect(readdirSync(theirs)).toEqual(["notes.txt"]);
      expect(readFileSync(join(theirs, "notes.txt"), "utf8")).toBe("the lead's own");
      t.type("safeguard-out");
      t.keys("Enter");
      await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
      t.keys("Enter");
      expect(await t.waitExit()).toBe(0);
      expect(t.screen()).toContain("Written to safeguard-out/EX-1/ (readable by you only)");
      const folder = join(cwd, "safeguard-out", "EX-1");
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const names = readdirSync(folder);
      expect(names).toContain("answers.yaml");
      expect(names).toContain("chronology.jsonl");
      expect(names).not.toContain(".safeguard-lock");
      for (const f of names) expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
      const history = readFileSync(join(folder, "chronology.jsonl"), "utf8").trim().split("\n");
      expect(history.map((l) => JSON.parse(l).kind)).toEqual(["run"]);
      expect(JSON.parse(readFileSync(join(folder, ".safeguard-case.json"), "utf8")).case_id).toBe("EX-1");
    });

    it("after the wizard the scrollback holds no answer, unless the pathway was kept on screen", async () => {
      for (const keep of [false, true]) {
        const { cwd, data } = setup();
        const t = open(ON_DAY, cwd, data);
        await toFolderPrompt(t);
        t.keys("Enter");
        await t.waitFor(/^\? Done\. Clear the screen\?/m, "the last question");
        if (keep) t.keys("Down");
        t.keys("Enter");
        expect(await t.waitExit()).toBe(0);
        const all = t.screen();
        expect(all).toContain("Written to safeguard-out/EX-1/");
        // Dates as the wizard says them back: with their weekday.
        for (const answer of [
          "Wed 26 Aug 2026",
          "Thu 19 May 2011",
          "✔",
          "Discuss the concern",
          "Case EX-1: 15",
        ])
          expect(all.includes(answer), `${answer} kept: ${keep}`).toBe(keep);
      }
    });

    it("F2 blanks the screen and its scrollback; any key brings the question back as it was", async () => {
      const { cwd, data, sessions } = setup();
      const t = open(ON_DAY, cwd, data);
      await answerSome(t, EX1, 3);
      const fourth = read(t.screen()).prompt as string;
      t.keys("F2");
      await t.waitFor((sc) => !sc.includes("?") && !sc.includes("✔"), "a blank screen");
      let all = t.screen();
      for (const gone of ["EX-1", "2026-08-26", "An identified person", fourth])
        expect(all).not.toContain(gone);
      t.keys("q"); // any key
      await t.waitFor((sc) => read(sc).prompt === fourth, "the question again");

      // A typed answer half given is there again, as typed, and the key that woke the screen is not in it.
      const q = questionOf(fourth);
      expect(q?.fact.type).toBe("date");
      t.type("2011-05");
      await t.waitFor(/2011-05/, "the half-typed answer");
      t.keys("F2");
      await t.waitFor((sc) => !sc.includes("2011-05") && !sc.includes("?"), "a blank screen");
      t.keys("x");
      await t.waitFor((sc) => (read(sc).prompt ?? "").endsWith("2011-05"), "the answer as typed");
      t.type("-19");
      t.keys("Enter");
      await prompt(t, 1, "the next question");
      expect(savedSession(sessions).answers["person.dob"]).toBe("2011-05-19");
      all = t.screen();
      expect(all).not.toMatch(/2011-05x|2011-05q/);
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
    });

    it("no stray lines after a free-text answer, however fast the next keys come", async () => {
      const { cwd, data } = setup();
      const t = open(ON_DAY, cwd, data);
      const description = flow.questions.find((q) => q.fact.id === "concern.description") as Question;
      await answerUntil(t, EX1, new RegExp(`^\\? ${description.ask.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      const p = read(t.screen()).prompt as string;
      expect(questionOf(p)?.fact.type).toBe("text");
      t.type("He was seen with older boys near the station");
      t.keys("Enter");
      // Typed as soon as the answer shows as given: while it is checked, or at the next question.
      await t.waitFor(/^✔ .*He was seen with older boys near the station$/m, "the answer given");
      t.type("zzz");
      // The next question, wherever on its line it starts.
      await t.waitFor(
        (sc) => /\? \S/.test(sc.slice(sc.lastIndexOf("near the station") + "near the station".length)),
        "the next question",
      );
      const stray = t
        .screen()
        .split("\n")
        .filter((l) => l.includes("zzz") && !l.startsWith("? "));
      expect(stray).toEqual([]);
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
    });
  },
);

// --- a group of questions on one screen (issue 14) --------------------------------------

const SCHOOL = readCase(
  "school.yaml",
  readFileSync(join(packageRoot, "test", "interviews", "school-dsl-county-lines-14.yaml"), "utf8"),
  flow.facts,
).answers as Answers;

describe.skipIf(Boolean(tmux.missing))(
  `a group's screen, a row each (${tmux.version ?? "no tmux"})`,
  { timeout: 120_000 },
  () => {
    for (const [width, height] of SCREENS) {
      it(`at ${width}x${height}: fits, wrapped; ←→ and keys choose, ↑↓ move, ? helps; a row left alone is not known`, async () => {
        const { cwd, data, sessions } = setup();
        const t = open([], cwd, data, { NO_COLOR: "1" }, { width, height });
        const before = await answerUntil(t, SCHOOL, /^\? Right now \(/);
        let s = t.visible();
        const fits = (screen: string) => {
          const lines = screen.replace(/\n+$/, "").split("\n");
          for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(width);
          expect(lines.length).toBeLessThanOrEqual(height);
        };
        fits(s);
        expect(s).toMatch(
          /❯ Is there a risk of imminent harm\?\n {5}○ Yes {2}○ No {2}\(an answer is needed\)/,
        );
        // A row that can be not known starts not known; one that cannot must be chosen.
        expect(flat(s)).toContain("Is the person missing now? ○ Yes ○ No ◉ Not known");
        t.keys("Enter");
        s = await t.waitFor(
          /> Choose an answer for: Is there a risk of imminent harm\?/,
          "the row to choose",
        );
        t.keys("Right", "Right"); // Yes, then No
        s = await t.waitFor(/ {5}○ Yes {2}◉ No/, "No chosen with the arrows");
        t.keys("Enter"); // the second row left alone
        s = await t.waitFor(/✔ Is the person missing now\? Not known/, "the screen answered");
        expect(s).toContain("✔ Is there a risk of imminent harm? No");

        // On to the children's social care screen: four rows, all shown.
        const start = new Map<string, Value | null>([
          ...before.map(
            (id) => [id, valueFor(SCHOOL, flow.questions.find((q) => q.fact.id === id) as Question)] as const,
          ),
          ["concern.imminent_harm", false],
          ["concern.missing_now", null],
        ]);
        const more = await answerUntil(t, SCHOOL, /^\? Children's social care and family \(/, start);
        s = t.visible();
        fits(s);
        for (const id of [
          "person.allocated_social_worker",
          "person.child_protection_plan",
          "person.looked_after",
          "person.has_siblings",
        ])
          expect(flat(s)).toContain(flow.questions.find((q) => q.fact.id === id)?.ask);
        // No to the first: the plan and being looked after are then not worth asking.
        t.keys("n");
        s = await t.waitFor(
          (sc) => flat(sc).split("(not needed, given the answers above)").length === 3,
          "two rows not needed",
        );
        fits(t.visible());
        t.keys("Down"); // past the rows not needed, to the siblings
        t.keys("y");
        t.keys("?");
        s = await t.waitFor(/In a case file this is person\.has_siblings\./, "the help of the row");
        fits(t.visible());
        expect(flat(s)).toContain("From: Procedures §15.2.");
        t.keys("?"); // help away again
        await t.waitFor(
          () => !t.visible().includes("In a case file this is person.has_siblings"),
          "help gone",
        );
        t.keys("Enter");
        s = await t.waitFor(/✔ Do they have brothers or sisters \(siblings\)\? Yes/, "the screen answered");
        expect(flat(s)).toContain(
          "✔ Are they already open to children's social care at Level 4, with an allocated social worker? No",
        );
        // Saved: each row its own fact; the rows not needed left out; not known is null, never false.
        t.keys("Escape");
        expect(await t.waitExit()).toBe(130);
        const saved = savedSession(sessions);
        expect(saved.answers["concern.imminent_harm"]).toBe(false);
        expect(saved.answers["concern.missing_now"]).toBeNull();
        expect(saved.answers["person.allocated_social_worker"]).toBe(false);
        expect(saved.answers["person.has_siblings"]).toBe(true);
        expect(Object.keys(saved.answers)).not.toContain("person.child_protection_plan");
        expect(Object.keys(saved.answers)).not.toContain("person.looked_after");
        expect(saved.order.slice(-2)).toEqual(["person.allocated_social_worker", "person.has_siblings"]);
        expect(more.length).toBeGreaterThan(3);

        // Resumed, it carries on after the screen; the review changes a row's answer on its own.
        const r = open(["resume"], cwd, data, { NO_COLOR: "1" }, { width, height });
        const p = await prompt(r, 0, "the next question");
        expect(p).not.toMatch(/Children's social care/);
        r.keys("Escape");
        expect(await r.waitExit()).toBe(130);
      });
    }
  },
);

// --- no answer is ever chosen for the lead (issue 21) -----------------------------------

const byId = new Map(flow.questions.map((q) => [q.fact.id, q]));
/** What a question's "not known" is saved as: null, or the choice that means it (s42: unknown). */
const notKnownOf = (q: Question): Value | null => (q.notKnown ? null : (q.fact.notKnown ?? null));
const canBeNotKnown = (q: Question) => q.notKnown || q.fact.notKnown !== undefined;
/** A date as people in the UK type it: 2026-11-20 as 20/11/2026. */
const ukDate = (iso: string) => {
  const [y, m, d] = iso.split("-");
  return `${Number(d)}/${Number(m)}/${y}`;
};

interface EnterOnly {
  /** Facts Enter alone was pressed on (a question, or a row of a screen left alone). */
  entered: string[];
  /** Facts that refused Enter (they cannot be not known) and were then chosen. */
  chosen: string[];
  /** Facts typed. */
  typed: string[];
}

/**
 * To the review pressing Enter alone on every yes/no, choice and list question and every screen
 * of rows. A typed answer is typed from `facts` (dates as day/month/year) where it cannot be not
 * known, or every one where `typeAll`; otherwise Enter. A question or row that cannot be not
 * known must refuse Enter and say a choice is needed, and ask again: only then is it chosen.
 */
async function enterOnly(t: Terminal, facts: Answers, typeAll: boolean): Promise<EnterOnly> {
  const got: EnterOnly = { entered: [], chosen: [], typed: [] };
  let done = read(t.screen()).done;
  for (let i = 0; i < 100; i++) {
    const p = await prompt(t, done);
    done = read(t.screen()).done;
    if (/^\? Your answers/.test(p)) return got;
    const group = groupOf(p);
    if (group) {
      const rows = group.facts.map((id) => byId.get(id) as Question);
      const chosen: string[] = [];
      t.keys("Enter");
      for (;;) {
        const refused = /> Choose an answer for: (.*?) \(it cannot be not known\)/;
        const s = await t.waitFor(
          (sc) => read(sc).done > done || refused.test(flat(t.visible())),
          "the screen answered, or a row it cannot leave alone",
        );
        if (read(s).done > done) break;
        const ask = refused.exec(flat(t.visible()))?.[1];
        const q = rows.find((r) => r.ask === ask);
        if (!q || canBeNotKnown(q) || chosen.includes(q.fact.id))
          throw new Error(`refused a row it should not: ${ask}\n${t.visible()}`);
        const index = rowOptions(q).findIndex((o) => o.value === valueFor(facts, q));
        t.keys(String(index + 1));
        await t.waitFor(() => !refused.test(flat(t.visible())), "the row chosen");
        chosen.push(q.fact.id);
        t.keys("Enter");
      }
      got.chosen.push(...chosen);
      got.entered.push(...rows.filter((r) => !chosen.includes(r.fact.id)).map((r) => r.fact.id));
    } else {
      const q = questionOf(p);
      if (!q) throw new Error(`a prompt that is no question of the flow: ${p}\n${t.screen()}`);
      const id = q.fact.id;
      if (q.fact.type === "bool" || q.fact.type === "enum" || q.fact.type === "list") {
        t.keys("Enter");
        if (canBeNotKnown(q)) got.entered.push(id);
        else {
          await t.waitFor(() => t.visible().includes("A choice is needed here"), `${id}: a choice is needed`);
          // Still on the question, nothing recorded.
          expect(read(t.screen()).done, id).toBe(done);
          expect(read(t.screen()).prompt?.startsWith(`? ${q.ask}`), id).toBe(true);
          answer(t, q, valueFor(facts, q));
          got.chosen.push(id);
        }
      } else {
        const v = facts.get(id);
        if (v !== undefined && v !== null && (typeAll || !q.notKnown)) {
          t.type(q.fact.type === "date" ? ukDate(String(v)) : String(v));
          got.typed.push(id);
        } else got.entered.push(id);
        t.keys("Enter");
      }
    }
    done++;
  }
  throw new Error("still asking after 100 screens");
}

describe.skipIf(Boolean(tmux.missing))(
  `Enter alone never chooses an answer (${tmux.version ?? "no tmux"})`,
  { timeout: 180_000 },
  () => {
    const runs = [
      ["school-dsl-county-lines-14.yaml", false],
      ["school-dsl-county-lines-14.yaml", true],
      ["hospital-adult-refuses-nrm.yaml", true],
      ["leaving-care-17-maace.yaml", true],
      ["community-nurse-cuckooing-34.yaml", true],
    ] as const;
    for (const [file, typeAll] of runs) {
      const typing = typeAll
        ? "typed answers typed (dates as day/month/year)"
        : "typing only the case reference and the concern date";
      it(`${file}, ${typing}: no yes and no choice saved or written for any question Enter was pressed on`, async () => {
        const text = readFileSync(join(packageRoot, "test", "interviews", file), "utf8");
        const facts = readCase(file, text, flow.facts).answers as Answers;
        const { cwd, data, sessions } = setup();
        const t = open(["run", "--date", "2026-11-23"], cwd, data);
        const got = await enterOnly(t, facts, typeAll);

        // Enter was pressed on many yes/no, choice and list questions, not only on typed ones.
        const chosenKinds = got.entered.filter((id) => byId.get(id)?.fact.type !== "date");
        expect(chosenKinds.length).toBeGreaterThan(12);
        expect(got.entered.some((id) => byId.get(id)?.fact.type === "list")).toBe(true);
        expect(got.entered.some((id) => byId.get(id)?.fact.type === "enum")).toBe(true);
        // Only what cannot be not known was chosen, after Enter was refused there.
        expect(got.chosen).toContain("concern.about");
        expect(got.chosen).toContain("concern.imminent_harm");
        for (const id of got.chosen) expect(canBeNotKnown(byId.get(id) as Question), id).toBe(false);
        if (!typeAll) expect(got.typed.sort()).toEqual(["case_id", "concern.date"]);

        // The concern date typed as day/month/year, said back with its weekday.
        const date = String(facts.get("concern.date"));
        const concern = byId.get("concern.date") as Question;
        expect(t.screen()).toContain(`✔ ${concern.ask} ${formatLong(date)}`);
        const caseId = String(facts.get("case_id"));
        await finish(t, "out");

        // Saved in the session, and written in answers.yaml: not known for every one.
        const saved = savedSession(sessions).answers;
        const file2 = join(cwd, "out", caseId, "answers.yaml");
        const written = readCase(file2, readFileSync(file2, "utf8"), flow.facts).answers as Answers;
        expect(saved["concern.date"]).toBe(date);
        expect(written.get("concern.date")).toBe(date);
        for (const id of got.entered) {
          const q = byId.get(id) as Question;
          expect(saved[id] ?? null, id).toEqual(notKnownOf(q));
          expect(written.get(id) ?? null, id).toEqual(notKnownOf(q));
        }
        // Nothing else was answered: every answer saved was typed, chosen, or Enter's not known.
        for (const [id, v] of Object.entries(saved)) {
          if (got.typed.includes(id) || got.chosen.includes(id)) continue;
          expect(got.entered, id).toContain(id);
          expect(v, id).not.toBe(true);
        }
      });
    }
  },
);
