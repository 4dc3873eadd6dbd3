import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Changes, Entry } from "../src/case/history.js";
import { cli, example } from "./helpers/cli.js";
import { type Terminal, terminalScratch, tmuxVersion } from "./helpers/tmux.js";

/**
 * `safeguard update CASE` end to end (issue 26): the built CLI in a real pseudo-terminal
 * (tmux), on a case folder `run --answers … --out` made, typed at and read from the screen.
 */

const tmux = tmuxVersion();
if (tmux.missing) {
  if (process.env.CI) throw new Error(`the update's terminal tests need tmux: ${tmux.missing}`);
  console.warn(`Skipping the update's terminal tests: ${tmux.missing}. Install tmux to run them.`);
}

const { setup, open } = terminalScratch("update-pty");

const FIRST = "2026-09-01";
const LATER = "2026-09-10";

/** A case folder as run --answers writes it: EX-1, with imminent harm chosen (it cannot be not known). */
function caseFolder(format = "md"): { cwd: string; data: string; folder: string } {
  const { cwd, data } = setup();
  const ex1 = parse(readFileSync(example("ex-1-county-lines-15.yaml"), "utf8"));
  ex1.concern.imminent_harm = false;
  writeFileSync(join(cwd, "case.yaml"), stringify(ex1));
  const r = cli(["run", "--answers", "case.yaml", "--out", "out", "--date", FIRST, "--format", format], {
    cwd,
  });
  expect(r.code, r.stderr).toBe(0);
  return { cwd, data, folder: join(cwd, "out", "EX-1") };
}

/** The prompt being asked on screen now (its first line), if one is: a "? " line with no answer after it. */
function asking(screen: string): string | undefined {
  const lines = screen.split("\n");
  const at = lines.findLastIndex((l) => l.startsWith("? "));
  if (at === -1 || lines.slice(at + 1).some((l) => l.startsWith("✔ "))) return undefined;
  return lines[at];
}

/** The next prompt once the screen has moved on from `before` and settled; undefined once the program has exited. */
async function nextPrompt(
  t: Terminal,
  before: string,
): Promise<{ prompt: string; screen: string } | undefined> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (t.exitCode() !== undefined) return undefined;
    const s = t.visible();
    const prompt = asking(s);
    if (s !== before && prompt) {
      await new Promise((r) => setTimeout(r, 150));
      if (t.visible() === s) return { prompt, screen: s };
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for a prompt; the screen:\n${t.screen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Answer every prompt as `act` says (keys, or text then Enter); Enter where it says nothing. The prompts seen. */
async function drive(
  t: Terminal,
  act: (prompt: string, screen: string) => { keys?: string[]; type?: string } | undefined,
): Promise<string[]> {
  const seen: string[] = [];
  let before = "";
  for (let i = 0; i < 300; i++) {
    const next = await nextPrompt(t, before);
    if (!next) return seen;
    seen.push(next.prompt);
    before = next.screen;
    const a = act(next.prompt, next.screen) ?? {};
    if (a.type !== undefined) t.type(a.type);
    t.keys(...(a.keys ?? ["Enter"]));
  }
  throw new Error("more than 300 prompts");
}

/** The case's history, a line each. */
const history = (folder: string): Entry[] =>
  readFileSync(join(folder, "chronology.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Entry);

const nothing = (c: Changes | undefined) =>
  c !== undefined &&
  c.new_steps.length + c.gone_steps.length + c.now_done.length + c.due_moved.length + c.facts.length === 0;

describe.skipIf(Boolean(tmux.missing))(
  `safeguard update in a terminal (${tmux.version ?? "no tmux"})`,
  { timeout: 180_000 },
  () => {
    it("a strategy discussion held, a step marked done on the pathway screen: what changed, the chronology, an edited draft kept", async () => {
      const { cwd, data, folder } = caseFolder();
      const plan = join(folder, "support-disruption-plan.md");
      appendFileSync(plan, "\nAgreed with the school's pastoral lead.\n");
      const edited = readFileSync(plan, "utf8");
      const t = open(["update", "out/EX-1", "--date", LATER], cwd, data);
      let first = "";
      let menus = 0;
      let marked = "";
      let glance = "";
      const seen = await drive(t, (prompt, screen) => {
        first ||= screen;
        if (prompt.startsWith("? Has a strategy discussion been held?"))
          return { keys: ["Up", "Up", "Enter"] };
        if (prompt.startsWith("? When was the strategy discussion held?")) return { type: "3/9/2026" };
        if (prompt.startsWith("? What next?")) {
          menus++;
          if (menus === 1) return { keys: ["Right", "Right", "Enter"] }; // Mark a step done
          glance = screen;
          return { keys: ["Left", "Left", "Enter"] }; // Write the files
        }
        if (prompt.startsWith("? Mark done: which step?")) {
          marked = /^❯ 1\. (.+?): /m.exec(screen)?.[1] ?? "";
          return { keys: ["Enter"] };
        }
        if (prompt.startsWith("? The day it was done:")) return { type: "today", keys: ["Enter"] };
        if (prompt.startsWith("? A few details for the drafts")) return { keys: ["Down", "Enter"] }; // Skip
        return undefined;
      });
      expect(await t.waitExit()).toBe(0);
      // First what may have happened since, the saved answers offered.
      expect(first).toContain("Updating out/EX-1: last updated Tue 1 Sep 2026.");
      expect(first).toContain("What may have happened since Tue 1 Sep 2026");
      expect(seen.findIndex((p) => p.startsWith("? Has a strategy discussion been held?"))).toBeLessThan(
        seen.findIndex((p) => p.startsWith("? Your answers")),
      );
      // The step marked done shows done on the pathway screen, on the day typed.
      expect(marked).not.toBe("");
      expect(glance).toMatch(new RegExp(`done Thu 10 Sep +${marked.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      expect(glance).toMatch(/done Thu 3 Sep: Expect a strategy discussion/);

      const entries = history(folder);
      expect(entries.map((e) => e.kind)).toEqual(["run", "update"]);
      const last = entries[1] as Entry;
      expect(last.source).toBe("safeguard update");
      expect(last.given?.["strategy_discussion.outcome"]).toBe("significant-harm");
      expect(last.given?.["strategy_discussion.date"]).toBe("2026-09-03");
      const step = last.decided?.steps.find((s) => s.title === marked);
      expect(step?.done).toEqual({ date: LATER, source: "marked" });
      expect(Object.keys(last.marks ?? {})).toEqual([step?.id]);
      // What changed: the fact, the steps now done.
      const changed = readFileSync(join(folder, "what-changed.md"), "utf8");
      expect(changed).toContain(
        "What the strategy discussion agreed: not known → Significant harm is occurring or likely",
      );
      expect(changed).toContain(`${marked}: done Thu 10 Sep 2026`);
      expect(changed).toContain("Expect a strategy discussion, and take part in it: done Thu 3 Sep 2026");
      expect(readFileSync(join(folder, "chronology.md"), "utf8")).toMatch(
        /\| Thu 10 Sep 2026 \| .*What the strategy discussion agreed: not known → Significant harm is occurring or likely.* \| safeguard update \|/,
      );
      // The draft the lead edited is kept; the new version beside it, and the screen says so.
      expect(readFileSync(plan, "utf8")).toBe(edited);
      expect(last.drafts?.kept).toEqual([
        { file: "support-disruption-plan.md", beside: "support-disruption-plan.2026-09-10.md" },
      ]);
      expect(readdirSync(folder)).toContain("support-disruption-plan.2026-09-10.md");
      expect(t.screen()).toContain(
        "support-disruption-plan.md was edited since it was written: kept; the new version is support-disruption-plan.2026-09-10.md",
      );
      // The mark is the case file's done:, as run --answers reads it.
      expect(parse(readFileSync(join(folder, "answers.yaml"), "utf8")).done).toEqual({
        [step?.id as string]: LATER,
      });
    });

    it("a folder written with Word twins keeps them: the update rewrites each draft's and the chronology's", async () => {
      const { cwd, data, folder } = caseFolder("md,docx");
      const words = () =>
        readdirSync(folder)
          .filter((f) => f.endsWith(".docx"))
          .sort();
      const before = words();
      expect(before).toContain("chronology.docx");
      const summary = readFileSync(join(folder, "case-summary.docx"));
      const chronology = readFileSync(join(folder, "chronology.docx"));
      const t = open(["update", "out/EX-1", "--date", LATER], cwd, data);
      await drive(t, (prompt) => {
        if (prompt.startsWith("? Has a strategy discussion been held?"))
          return { keys: ["Up", "Up", "Enter"] };
        if (prompt.startsWith("? When was the strategy discussion held?")) return { type: "3/9/2026" };
        if (prompt.startsWith("? What next?")) return { keys: ["Enter"] }; // Write the files
        if (prompt.startsWith("? A few details for the drafts")) return { keys: ["Down", "Enter"] }; // Skip
        return undefined;
      });
      expect(await t.waitExit()).toBe(0);
      expect(history(folder).map((e) => e.kind)).toEqual(["run", "update"]);
      // Every Markdown file has its Word twin (what-changed.md's new one too; a draft the case
      // no longer has goes with its twin), each rewritten.
      const twins = readdirSync(folder)
        .filter((f) => f.endsWith(".md"))
        .map((f) => f.replace(/\.md$/, ".docx"))
        .sort();
      expect(twins).toContain("what-changed.docx");
      expect(words()).toEqual(twins);
      expect(readFileSync(join(folder, "case-summary.docx")).equals(summary)).toBe(false);
      expect(readFileSync(join(folder, "chronology.docx")).equals(chronology)).toBe(false);
    });

    it("an update stopped and resumed: the pathway screen shows the steps marked done in earlier runs before anything is written", async () => {
      const { cwd, data, folder } = caseFolder();
      // A step the facts do not show done, marked done by `safeguard done`.
      const actions = JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8")).actions as {
        id: string;
        title: string;
        done?: unknown;
      }[];
      const { id: step, title } = actions.find((a) => !a.done) as { id: string; title: string };
      const marked = cli(["done", "out/EX-1", step, "--date", "2026-09-02"], {
        cwd,
        env: { SAFEGUARD_DATA_DIR: data },
      });
      expect(marked.code, marked.stderr).toBe(0);
      const stopped = open(["update", "out/EX-1", "--date", LATER], cwd, data);
      // One answer changed, so the session is saved; stopped at the next question.
      let changed = false;
      await drive(stopped, (prompt) => {
        if (changed) return { keys: ["Escape"] };
        if (!prompt.startsWith("? Has a strategy discussion been held?")) return undefined;
        changed = true;
        return { keys: ["Up", "Up", "Enter"] };
      });
      expect(await stopped.waitExit()).toBe(130);
      const [file] = readdirSync(join(data, "sessions")).filter((f) => f.endsWith(".json"));
      const before = readFileSync(join(folder, "chronology.jsonl"), "utf8");
      const t = open(["resume", (file as string).replace(/\.json$/, ""), "--date", LATER], cwd, data);
      let glance = "";
      await drive(t, (prompt, screen) => {
        if (!prompt.startsWith("? What next?")) return undefined;
        glance = screen;
        return { keys: ["Escape"] };
      });
      expect(await t.waitExit()).toBe(130);
      const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      expect(glance).toMatch(new RegExp(`done Wed 2 Sep:? +${escaped}`));
      expect(readFileSync(join(folder, "chronology.jsonl"), "utf8")).toBe(before);
    });

    it("an update stopped in its first round and resumed (the latest session): the rest of the round, written as an update", async () => {
      const { cwd, data, folder } = caseFolder();
      const stopped = open(["update", "out/EX-1", "--date", LATER], cwd, data);
      // Enter on the round's first question (its saved answer kept), then stopped at the next.
      const before = await drive(stopped, (prompt) =>
        prompt.startsWith("? Is there a risk of imminent harm?") ? undefined : { keys: ["Escape"] },
      );
      expect(await stopped.waitExit()).toBe(130);
      expect(before).toHaveLength(2);
      expect(before[0]).toMatch(/^\? Is there a risk of imminent harm\?/);
      expect(before[1]).toMatch(/^\? How many missing episodes are known\?/);
      const [file] = readdirSync(join(data, "sessions")).filter((f) => f.endsWith(".json"));
      const session = JSON.parse(readFileSync(join(data, "sessions", file as string), "utf8"));
      expect(session.update).toEqual({ folder, since: FIRST, round: ["concern.imminent_harm"] });

      // `resume` with no id: the latest unfinished session, this update.
      const t = open(["resume", "--date", LATER], cwd, data);
      let first = "";
      let offered = "";
      const seen = await drive(t, (prompt, screen) => {
        first ||= screen;
        if (prompt.startsWith("? How many missing episodes are known?")) {
          offered = prompt;
          return { type: "3" };
        }
        if (prompt.startsWith("? A few details for the drafts")) return { keys: ["Down", "Enter"] }; // Skip
        return undefined;
      });
      expect(await t.waitExit()).toBe(0);
      expect(first).toMatch(/Resuming session \S+ \(an update of out\/EX-1\)/);
      expect(first).toContain('Next: "How many missing episodes are known?"');
      expect(first).toContain("The rest of what may have happened since Tue 1 Sep 2026");
      // The rest of the round: what was asked before is not asked again; the saved count offered.
      expect(seen[0]).toMatch(/^\? How many missing episodes are known\?/);
      expect(offered).toMatch(/known\?.*\b2\b/);
      expect(seen.some((p) => p.startsWith("? Is there a risk of imminent harm?"))).toBe(false);
      // Written as an update, what changed against the saved case.
      const entries = history(folder);
      expect(entries.map((e) => [e.kind, e.source])).toEqual([
        ["run", "case file case.yaml"],
        ["update", "safeguard update"],
      ]);
      const last = entries[1] as Entry;
      expect(last.changed?.facts.map((f) => [f.fact, f.from, f.to])).toEqual([
        ["concern.missing_episodes", 2, 3],
      ]);
      expect(readFileSync(join(folder, "what-changed.md"), "utf8")).toMatch(/missing episodes.*: 2 → 3/i);
      expect(readFileSync(join(folder, "chronology.md"), "utf8")).toMatch(
        /\| Thu 10 Sep 2026 \| .*2 → 3.* \| safeguard update \|/,
      );
    });

    it("Enter alone on every question changes nothing: no fact, step, date or done step", async () => {
      const { cwd, data, folder } = caseFolder();
      const before = JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8"));
      const t = open(["update", "out/EX-1", "--date", FIRST], cwd, data);
      const seen = await drive(t, (prompt) =>
        prompt.startsWith("? A few details for the drafts") ? { keys: ["Down", "Enter"] } : undefined,
      );
      expect(await t.waitExit()).toBe(0);
      expect(seen.some((p) => p.startsWith("? Has a strategy discussion been held?"))).toBe(true);
      const last = history(folder).at(-1) as Entry;
      expect(last.kind).toBe("update");
      expect(nothing(last.changed)).toBe(true);
      const after = JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8"));
      expect(after.actions).toEqual(before.actions);
      expect(after.not_decided).toEqual(before.not_decided);
    });
  },
);

describe("what update cannot update is refused, naming it: exit 2, no stack trace", () => {
  it("not a case folder, a redacted copy, a folder with no history; a case folder, but no terminal", () => {
    const { cwd } = caseFolder();
    mkdirSync(join(cwd, "plain"));
    const red = cli(["run", "--answers", "case.yaml", "--out", "red", "--redact", "--date", FIRST], { cwd });
    expect(red.code, red.stderr).toBe(0);
    const [redacted] = readdirSync(join(cwd, "red"));
    cli(["run", "--answers", "case.yaml", "--out", "bare", "--date", FIRST], { cwd });
    rmSync(join(cwd, "bare", "EX-1", "chronology.jsonl"));
    for (const [args, said] of [
      [["update", "plain"], /plain is not a case folder safeguard wrote/],
      [
        ["update", `red/${redacted}`],
        /is a redacted copy: update the original case folder, then redact it again/,
      ],
      [
        ["update", "bare/EX-1"],
        /bare\/EX-1 has no history of its facts yet: .*run --answers CASE\.yaml --out bare, then update it/,
      ],
      [["update", "out/EX-1"], /standard input is not a terminal/],
    ] as const) {
      const r = cli([...args], { cwd });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(said);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
