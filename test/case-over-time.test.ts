import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { appendHistory, readHistory } from "../src/io/history.js";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";

// A case over time (issue 26), through the built CLI as a lead uses it: a case file updated
// as facts arrive, run into the same folder each time. At each update: what changed, the
// chronology, done steps never overdue, edited drafts kept.

interface Step {
  id: string;
  overdue: boolean;
  done?: { date: string | null; source: string };
}
interface Update {
  kind: string;
  changed: {
    new_steps: { id: string }[];
    gone_steps: { id: string; because: { fact: string }[] }[];
    now_done: { id: string; date: string | null; source: string }[];
    due_moved: { id: string; because: { fact: string }[] }[];
    facts: { fact: string; from: unknown; to: unknown }[];
  } | null;
  drafts: { kept: { file: string; beside: string }[]; written: string[] };
}

function lead() {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-time-"));
  const write = (c: Record<string, unknown>, date: string) => {
    writeFileSync(join(dir, "case.yaml"), stringify(c));
    const r = cli(["run", "--answers", "case.yaml", "--out", "out", "--date", date, "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { actions: Step[]; done_steps?: { id: string }[]; update: Update };
    // A done step is never overdue, whatever the day.
    for (const a of out.actions) if (a.done) expect(a.overdue, a.id).toBe(false);
    return out;
  };
  const folder = (id: string) => join(dir, "out", id);
  const history = (id: string) =>
    readFileSync(join(folder(id), "chronology.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
  return { dir, write, folder, history };
}

const ids = (xs: { id: string }[] | undefined) => (xs ?? []).map((x) => x.id);

describe("one child's case through four dated updates", () => {
  it("referral; strategy discussion held with significant harm; MAACE held; 18th birthday passed (changes no step: the pathway counts age from the concern date and already dates the transition steps by the birthday, Procedures §20.6(10), §20.7; docs/decisions.md)", () => {
    const { dir, write, folder, history } = lead();
    const child: Record<string, unknown> = {
      case_id: "T-CHILD",
      concern: { date: "2026-11-02", about: "individual", types: ["criminal", "county-lines"] },
      referral: { date: "2026-11-02" },
      person: { dob: "2009-01-10" },
      screening: { outcome: "evidence", significant_harm: "likely" },
    };
    // 1. The referral.
    const first = write(child, "2026-11-02");
    expect(first.update.kind).toBe("run");
    expect(first.update.changed).toBeNull();
    expect(ids(first.actions)).toEqual(expect.arrayContaining(["mash-referral", "strategy-discussion"]));
    const marked = cli(["done", "out/T-CHILD", "mash-referral", "--date", "2026-11-02"], { cwd: dir });
    expect(marked.code, marked.stderr).toBe(0);
    const refused = cli(["done", "out/T-CHILD", "s42-enquiry"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot mark "s42-enquiry" done: the pathway does not recommend/);
    const summary = join(folder("T-CHILD"), "case-summary.md");
    expect(readFileSync(summary, "utf8")).toContain("done Mon 2 Nov 2026");
    writeFileSync(join(folder("T-CHILD"), "mash-referral.md"), "As sent to MASH, with my changes.\n");

    // 2. The strategy discussion held, significant harm agreed.
    child.mash = { referral_made: true };
    child.strategy_discussion = { date: "2026-11-05", outcome: "significant-harm" };
    const second = write(child, "2026-11-06");
    const c2 = second.update.changed;
    expect(second.update.kind).toBe("update");
    // Anticipated before, firm now the strategy discussion has agreed.
    const s47 = (o: typeof first) => o.actions.find((a) => a.id === "section-47-enquiry");
    expect(s47(first)).toHaveProperty("expected", true);
    expect(s47(second)).not.toHaveProperty("expected");
    expect(c2?.now_done).toContainEqual({
      id: "strategy-discussion",
      title: expect.any(String),
      date: "2026-11-05",
      source: "facts",
    });
    expect(c2?.facts.map((f) => f.fact)).toEqual(
      expect.arrayContaining([
        "strategy_discussion.outcome",
        "strategy_discussion.date",
        "mash.referral_made",
      ]),
    );
    expect(c2?.facts.find((f) => f.fact === "strategy_discussion.outcome")).toMatchObject({
      from: null,
      to: "significant-harm",
    });
    // The edited draft is never overwritten, and never removed.
    expect(readFileSync(join(folder("T-CHILD"), "mash-referral.md"), "utf8")).toBe(
      "As sent to MASH, with my changes.\n",
    );
    expect(readFileSync(join(folder("T-CHILD"), "what-changed.md"), "utf8")).toMatch(
      /\*\*Now done:\*\*\n\n(- .*\n)*- Expect a strategy discussion, and take part in it: done Thu 5 Nov 2026/,
    );

    // 3. The MAACE meeting held.
    child.maace = { in_process: true, last_meeting_date: "2026-11-19" };
    const third = write(child, "2026-11-20");
    const c3 = third.update.changed;
    expect(c3?.now_done.map((d) => [d.id, d.date])).toContainEqual(["maace-meeting", "2026-11-19"]);
    expect(ids(third.done_steps)).toEqual(expect.arrayContaining(["strategy-discussion", "maace-meeting"]));
    expect(c3?.gone_steps.map((g) => g.id)).not.toContain("maace-meeting");
    expect(ids(c3?.new_steps)).toContain("continue-maace");
    // A date that moved says why: here the two MAACE facts together.
    for (const m of c3?.due_moved ?? [])
      expect(m.because.map((b) => b.fact).sort(), m.id).toEqual([
        "maace.in_process",
        "maace.last_meeting_date",
      ]);

    // 4. The 18th birthday passed: the same facts on a later day.
    const fourth = write(child, "2027-01-11");
    const c4 = fourth.update.changed;
    expect(c4?.facts).toEqual([]);
    expect(c4?.new_steps).toEqual([]);
    // The steps of the transition to adult services were there from the first run, dated by
    // the 18th birthday (2027-01-10): past it, they are due, not new.
    const at18 = fourth.actions.filter((a) => (a as Step & { due: string | null }).due === "2027-01-10");
    expect(ids(at18).length).toBeGreaterThan(0);
    for (const a of at18) expect(ids(first.actions)).toContain(a.id);
    // The strategy discussion and the MAACE meeting stay done, never overdue.
    expect(ids(fourth.done_steps)).toEqual(expect.arrayContaining(["strategy-discussion", "maace-meeting"]));

    // The chronology: one entry for each run and the step marked done, in order, never rewritten.
    const h = history("T-CHILD");
    expect(h.map((e) => [e.kind, e.date])).toEqual([
      ["run", "2026-11-02"],
      ["done", expect.any(String)],
      ["update", "2026-11-06"],
      ["update", "2026-11-20"],
      ["update", "2027-01-11"],
    ]);
    const md = readFileSync(join(folder("T-CHILD"), "chronology.md"), "utf8");
    expect(md).toMatch(
      /\| Fri 6 Nov 2026 \| .*Date the strategy discussion was held: not known → Thu 5 Nov 2026/,
    );
    // The file's name is Markdown-escaped (case\.yaml), as every name that could read as an address is.
    expect(md).toMatch(/\| Mon 11 Jan 2027 \| pathway unchanged \| case file case\\\.yaml \|/);
    expect(md).toMatch(
      /Marked done: Refer to Children's Services \(MASH\), with the screening tool attached \(Mon 2 Nov 2026\)/,
    );
    expect(md.match(/^\| (Mon|Tue|Wed|Thu|Fri|Sat|Sun) /gm)).toHaveLength(5);
  });
});

describe("a case file marking done a step the pathway does not recommend", () => {
  it("run and batch refuse it with the reason, naming file, line and field (run: exit 2); a recommended step's mark is taken", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-mark-"));
    const child = {
      case_id: "M-1",
      concern: { date: "2026-11-02", about: "individual", types: ["criminal"] },
      person: { dob: "2012-01-10" },
      screening: { outcome: "evidence", significant_harm: "likely" },
    };
    writeFileSync(join(dir, "bad.yaml"), stringify({ ...child, done: { "s42-enquiry": "2026-11-03" } }));
    const run = cli(["run", "--answers", "bad.yaml", "--out", "out", "--date", "2026-11-04"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /bad\.yaml:\d+:3 +done\.s42-enquiry: cannot be marked done: the pathway does not recommend "[^"]+" for this case's facts/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "out", "M-1"))).toBe(false);
    const batch = cli(["batch", "bad.yaml", "--out", "out", "--date", "2026-11-04"], { cwd: dir });
    expect(batch.code).toBe(1);
    expect(`${batch.stdout}${batch.stderr}`).toMatch(
      /bad\.yaml:\d+:3 +done\.s42-enquiry: cannot be marked done/,
    );
    expect(existsSync(join(dir, "out", "M-1"))).toBe(false);
    writeFileSync(join(dir, "good.yaml"), stringify({ ...child, done: { "mash-referral": "2026-11-03" } }));
    const good = cli(["run", "--answers", "good.yaml", "--out", "out", "--date", "2026-11-04", "--json"], {
      cwd: dir,
    });
    expect(good.code, good.stderr).toBe(0);
    const mash = (JSON.parse(good.stdout) as { actions: Step[] }).actions.find(
      (a) => a.id === "mash-referral",
    );
    expect(mash?.done).toEqual({ date: "2026-11-03", source: "marked" });
  });
});

describe("one adult's case through three updates", () => {
  it("concern; NRM referral made; positive reasonable grounds decision", () => {
    const { write, folder, history } = lead();
    const adult: Record<string, unknown> = {
      case_id: "T-ADULT",
      concern: { date: "2026-11-02", about: "individual", types: ["labour", "modern-slavery"] },
      person: {
        dob: "1990-03-03",
        appearance_of_care_and_support_needs: "yes",
        unable_to_protect_self: "yes",
      },
      screening: { outcome: "evidence", significant_harm: "yes" },
      consent: { to_share: "yes" },
      nrm: { indicators: true, adult_consents: "yes" },
      done: { "discuss-with-safeguarding-lead": "2026-11-02" },
    };
    const first = write(adult, "2026-11-03");
    expect(first.actions.find((a) => a.id === "discuss-with-safeguarding-lead")?.done).toEqual({
      date: "2026-11-02",
      source: "marked",
    });
    expect(ids(first.actions)).toContain("nrm-referral");
    writeFileSync(join(folder("T-ADULT"), "case-summary.md"), "my summary\n");

    (adult.nrm as Record<string, unknown>).referral_date = "2026-11-04";
    const second = write(adult, "2026-11-05");
    expect(second.update.changed?.now_done.map((d) => [d.id, d.date])).toContainEqual([
      "nrm-referral",
      "2026-11-04",
    ]);
    expect(second.update.drafts.kept).toEqual([
      { file: "case-summary.md", beside: "case-summary.2026-11-05.md" },
    ]);

    (adult.nrm as Record<string, unknown>).decision = "positive-reasonable-grounds";
    (adult.nrm as Record<string, unknown>).decision_date = "2026-11-10";
    const third = write(adult, "2026-11-11");
    const c3 = third.update.changed;
    expect(c3?.facts.find((f) => f.fact === "nrm.decision")).toMatchObject({
      from: null,
      to: "positive-reasonable-grounds",
    });
    expect(c3?.new_steps.length ?? 0).toBeGreaterThan(0);
    expect(readFileSync(join(folder("T-ADULT"), "case-summary.md"), "utf8")).toBe("my summary\n");
    expect(existsSync(join(folder("T-ADULT"), "case-summary.2026-11-11.md"))).toBe(true);
    expect(history("T-ADULT").map((e) => e.kind)).toEqual(["run", "update", "update"]);
    // The mark in the case file stays done through every update.
    expect(third.actions.find((a) => a.id === "discuss-with-safeguarding-lead")?.done?.date).toBe(
      "2026-11-02",
    );
  });
});

describe("the history survives a kill at any moment", () => {
  it("a torn last line (a run killed while writing it) is left out and reported; the next entry starts its own line", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-history-"));
    appendHistory(dir, { n: 1 });
    writeFileSync(
      join(dir, "chronology.jsonl"),
      `${readFileSync(join(dir, "chronology.jsonl"), "utf8")}{"n":2,"giv`,
    );
    expect(readHistory(dir)).toEqual({ entries: [{ n: 1 }], torn: [{ line: 2, last: true }] });
    appendHistory(dir, { n: 3 });
    // Never rewritten: the torn line stays where it was, and is said, not guessed at.
    expect(readFileSync(join(dir, "chronology.jsonl"), "utf8")).toBe('{"n":1}\n{"n":2,"giv\n{"n":3}\n');
    expect(readHistory(dir)).toEqual({ entries: [{ n: 1 }, { n: 3 }], torn: [{ line: 2, last: false }] });
    expect(readHistory(join(dir, "none"))).toEqual({ entries: [], torn: [] });
  });

  it("SIGKILL at random times during updates: every line but a torn last one parses, none lost but the one in flight", async () => {
    const { dir, folder } = lead();
    const cases = [0, 1].map((i) => {
      const file = join(dir, `c${i}.yaml`);
      writeFileSync(
        file,
        stringify({
          case_id: "T-KILL",
          concern: { date: "2026-11-02", about: "individual", types: ["criminal"] },
          person: { dob: "2010-01-10" },
          screening: { outcome: "evidence", significant_harm: i === 0 ? "likely" : "no" },
        }),
      );
      return file;
    });
    let finished = 0;
    let killed = 0;
    for (let i = 0; i < 14; i++) {
      const child = spawn(
        process.execPath,
        [
          join(packageRoot, "bin", "safeguard.js"),
          "run",
          "--answers",
          cases[i % 2] as string,
          "--out",
          "out",
          "--date",
          "2026-11-20",
        ],
        { cwd: dir, stdio: "ignore" },
      );
      const timer = setTimeout(() => child.kill("SIGKILL"), 150 + Math.floor(Math.random() * 500));
      const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
      clearTimeout(timer);
      if (code === 0) finished++;
      else killed++;
    }
    // One more, left to finish: it takes over the lock a killed run left.
    const last = cli(["run", "--answers", cases[0] as string, "--out", "out", "--date", "2026-11-20"], {
      cwd: dir,
    });
    expect(last.code, last.stderr).toBe(0);
    const text = readFileSync(join(folder("T-KILL"), "chronology.jsonl"), "utf8");
    const lines = text.split("\n").filter((l) => l !== "");
    const whole = lines.filter((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    });
    // Every run that finished has its entry; a killed run has one, or none, or a torn line.
    expect(whole.length).toBeGreaterThanOrEqual(finished + 1);
    expect(lines.length - whole.length).toBeLessThanOrEqual(killed);
    expect(text.endsWith("\n")).toBe(true);
    expect(existsSync(join(folder("T-KILL"), "case-summary.md"))).toBe(true);
  }, 120_000);
});

describe("safeguard due: every open step across the cases", () => {
  it("over a folder of the scenarios: every open step, overdue first, then by date, then no date; never a name", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-due-"));
    // The held scenarios' cases, each its own case file.
    mkdirSync(join(dir, "cases"));
    for (const f of readdirSync(join(packageRoot, "scenarios")).filter((n) => n.endsWith(".yaml"))) {
      const s = parse(readFileSync(join(packageRoot, "scenarios", f), "utf8")) as { case?: unknown };
      if (s.case) writeFileSync(join(dir, "cases", f), stringify(s.case));
    }
    const written = cli(["batch", "cases", "--out", "out", "--date", "2026-11-20"], { cwd: dir });
    expect(written.stdout).toMatch(/written to out\//);
    const r = cli(["due", "out", "--date", "2026-12-01", "--json", "--ics", "due.ics"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { steps } = JSON.parse(r.stdout) as {
      steps: { case_id: string; step: string; due: string | null; overdue: boolean }[];
    };
    // Every open step of every case folder, each once.
    const folders = readdirSync(join(dir, "out")).filter((n) =>
      existsSync(join(dir, "out", n, "pathway.json")),
    );
    let open = 0;
    for (const f of folders) {
      const p = JSON.parse(readFileSync(join(dir, "out", f, "pathway.json"), "utf8"));
      for (const a of p.actions.filter((x: { done?: unknown; until?: string }) => !x.done && !x.until)) {
        open++;
        expect(
          steps.some((s) => s.case_id === p.case_id && s.step === a.id),
          `${p.case_id} ${a.id}`,
        ).toBe(true);
      }
    }
    expect(steps).toHaveLength(open);
    // In the order to act.
    const rank = (s: (typeof steps)[number]) => (s.overdue ? `0${s.due}` : s.due ? `1${s.due}` : "2");
    for (let i = 1; i < steps.length; i++)
      expect(rank(steps[i - 1] as (typeof steps)[number]) <= rank(steps[i] as (typeof steps)[number])).toBe(
        true,
      );
    expect(steps.some((s) => s.overdue)).toBe(true);
    expect(steps.some((s) => s.due === null)).toBe(true);
    // No name or date of birth, on screen or in the calendar.
    const text =
      cli(["due", "out", "--date", "2026-12-01"], { cwd: dir }).stdout +
      readFileSync(join(dir, "due.ics"), "utf8");
    for (const s of ["Dana", "Sample", "2002-01-30"]) expect(text).not.toContain(s);
    const week = JSON.parse(
      cli(["due", "out", "--date", "2026-12-01", "--within", "7", "--json"], { cwd: dir }).stdout,
    );
    for (const s of week.steps) expect(s.overdue || (s.due !== null && s.due <= "2026-12-08")).toBe(true);
  }, 120_000);
});

describe("safeguard cases, close and reopen", () => {
  it("one line per case, never a name; a closed case leaves due and cases, --closed lists it, reopen brings it back", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-cases-"));
    mkdirSync(join(dir, "cases"));
    for (const f of readdirSync(join(packageRoot, "examples")).filter((n) => n.endsWith(".yaml")))
      writeFileSync(join(dir, "cases", f), readFileSync(join(packageRoot, "examples", f)));
    const written = cli(["batch", "cases", "--out", "out", "--date", "2026-11-20"], { cwd: dir });
    expect(written.code, written.stderr).toBe(0);
    interface Row {
      case_id: string;
      age_group: string;
      concern_type: string | null;
      last_updated: string;
      next_due: string | null;
      overdue: number;
      closed: string | null;
    }
    const list = (...more: string[]) => {
      const r = cli(["cases", "out", "--date", "2026-12-01", "--json", ...more], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { cases: Row[] }).cases;
    };
    const dueCases = () => {
      const r = cli(["due", "out", "--date", "2026-12-01", "--json"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return new Set((JSON.parse(r.stdout) as { steps: { case_id: string }[] }).steps.map((s) => s.case_id));
    };
    const open = list();
    expect(open.map((c) => c.case_id)).toEqual(["EX-1", "EX-2", "EX-3"]);
    const ex1 = open[0] as Row;
    expect(ex1).toMatchObject({ age_group: "child", concern_type: "criminal", last_updated: "2026-11-20" });
    // The overdue count and the next date are the case's open steps as due counts them.
    const steps = JSON.parse(cli(["due", "out/EX-1", "--date", "2026-12-01", "--json"], { cwd: dir }).stdout)
      .steps as { due: string | null; overdue: boolean }[];
    expect(ex1.overdue).toBe(steps.filter((s) => s.overdue).length);
    expect(ex1.overdue).toBeGreaterThan(0);
    const later = steps.map((s) => s.due).filter((d): d is string => d !== null && d >= "2026-12-01");
    expect(ex1.next_due).toBe(later.sort()[0] ?? null);
    expect(list("--closed")).toEqual([]);
    // Never a name or date of birth, in words or as data.
    const text = cli(["cases", "out", "--date", "2026-12-01"], { cwd: dir }).stdout + JSON.stringify(open);
    expect(text).toMatch(/^EX-1 {2}child {2}criminal {2}updated Fri 20 Nov 2026/m);
    for (const f of readdirSync(join(dir, "cases"))) {
      const c = parse(readFileSync(join(dir, "cases", f), "utf8")) as {
        person?: { name?: string; dob?: string };
      };
      for (const s of [c.person?.name, c.person?.dob]) if (s) expect(text).not.toContain(s);
    }

    // Closed: out of due and cases, listed with --closed, its reason in its chronology.
    expect(dueCases().has("EX-1")).toBe(true);
    const closed = cli(["close", "out/EX-1", "--reason", "no further concerns"], { cwd: dir });
    expect(closed.code, closed.stderr).toBe(0);
    expect(dueCases().has("EX-1")).toBe(false);
    expect(dueCases().has("EX-2")).toBe(true);
    expect(list().map((c) => c.case_id)).toEqual(["EX-2", "EX-3"]);
    const shut = list("--closed");
    expect(shut.map((c) => c.case_id)).toEqual(["EX-1"]);
    expect(shut[0]?.closed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(shut[0]?.last_updated).toBe(shut[0]?.closed);
    const entries = readHistory(join(dir, "out", "EX-1")).entries as { kind: string; reason?: string }[];
    expect(entries.at(-1)).toMatchObject({ kind: "close", reason: "no further concerns" });
    expect(readFileSync(join(dir, "out", "EX-1", "chronology.md"), "utf8")).toContain(
      "Case closed: no further concerns",
    );
    // Closed once until reopened; no reason, no close.
    const again = cli(["close", "out/EX-1", "--reason", "again"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/out\/EX-1 was closed on .*reopen/);
    const blank = cli(["close", "out/EX-2", "--reason", " "], { cwd: dir });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/say why the case is closed/);
    expect(list().map((c) => c.case_id)).toContain("EX-2");

    // Reopened: back in due and cases, and in the chronology.
    const reopened = cli(["reopen", "out/EX-1"], { cwd: dir });
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(dueCases().has("EX-1")).toBe(true);
    expect(list().map((c) => c.case_id)).toEqual(["EX-1", "EX-2", "EX-3"]);
    expect(list("--closed")).toEqual([]);
    expect(readFileSync(join(dir, "out", "EX-1", "chronology.md"), "utf8")).toContain("Case reopened");
    const twice = cli(["reopen", "out/EX-1"], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/out\/EX-1 is not closed/);
  }, 120_000);

  it("close, reopen and cases of what is not a case folder: exit 2 naming it, no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-cases-"));
    mkdirSync(join(dir, "plain"));
    for (const args of [
      ["close", "plain", "--reason", "done"],
      ["reopen", "plain"],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/plain is not a case folder safeguard wrote/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, "plain", "chronology.jsonl"))).toBe(false);
    const none = cli(["cases", "plain"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/plain holds no case folder safeguard wrote/);
    // No folder given, and a data folder that knows no case: said, exit 2.
    const empty = cli(["cases"], { cwd: dir, env: { SAFEGUARD_DATA_DIR: join(dir, "data") } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/your data folder knows no case yet/);
  });
});

describe("the cases your data folder knows", () => {
  const child = (id: string) => ({
    case_id: id,
    concern: { date: "2026-11-02", about: "individual", types: ["criminal"] },
    person: { name: "Robin Example", dob: "2012-01-10" },
    screening: { outcome: "evidence", significant_harm: "likely" },
  });

  it("run and batch record each case folder (path and reference only, owner-only); due and cases with no folder list them", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-known-"));
    const env = { SAFEGUARD_DATA_DIR: join(dir, "data") };
    const run = (...args: string[]) => cli(args, { cwd: dir, env });
    const none = run("due", "--date", "2026-11-04");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/your data folder knows no case yet .*cases\.json/);
    writeFileSync(join(dir, "a.yaml"), stringify(child("K-A")));
    writeFileSync(join(dir, "b.yaml"), stringify(child("K-B")));
    expect(run("run", "--answers", "a.yaml", "--out", "one", "--date", "2026-11-04").code).toBe(0);
    expect(run("batch", "b.yaml", "--out", "two", "--date", "2026-11-04").code).toBe(0);
    const index = join(dir, "data", "cases.json");
    const text = readFileSync(index, "utf8");
    expect(JSON.parse(text).cases).toEqual([
      { path: join(dir, "one", "K-A"), case_id: "K-A" },
      { path: join(dir, "two", "K-B"), case_id: "K-B" },
    ]);
    for (const s of ["Robin", "2012-01-10", "criminal"]) expect(text).not.toContain(s);
    expect(statSync(index).mode & 0o777).toBe(0o600);
    const due = JSON.parse(run("due", "--date", "2026-11-04", "--json").stdout) as {
      steps: { case_id: string }[];
    };
    expect([...new Set(due.steps.map((s) => s.case_id))].sort()).toEqual(["K-A", "K-B"]);
    const cases = JSON.parse(run("cases", "--date", "2026-11-04", "--json").stdout) as {
      cases: { case_id: string }[];
    };
    expect(cases.cases.map((c) => c.case_id)).toEqual(["K-A", "K-B"]);
    // A redacted copy is a copy to share, not a case to follow: not recorded.
    expect(
      run("run", "--answers", "a.yaml", "--out", "shared", "--redact", "--date", "2026-11-04").code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(index, "utf8")).cases).toHaveLength(2);

    // A folder that is gone is left out and said once, never an error; the next run says nothing.
    rmSync(join(dir, "two"), { recursive: true });
    const after = run("due", "--date", "2026-11-04", "--json");
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain(
      `gone (moved or deleted), left out and forgotten: ${join(dir, "two", "K-B")}`,
    );
    expect(new Set((JSON.parse(after.stdout) as typeof due).steps.map((s) => s.case_id))).toEqual(
      new Set(["K-A"]),
    );
    const again = run("cases", "--date", "2026-11-04");
    expect(again.code).toBe(0);
    expect(again.stderr).toBe("");
  }, 60_000);

  it("close and reopen add the case folder to the list, as done does: closed by its folder, cases --closed lists it", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-listed-"));
    const env = { SAFEGUARD_DATA_DIR: join(dir, "data") };
    writeFileSync(join(dir, "a.yaml"), stringify(child("L-1")));
    // Written with another data folder (another account's, or before the list was kept).
    const other = { SAFEGUARD_DATA_DIR: join(dir, "elsewhere") };
    expect(
      cli(["run", "--answers", "a.yaml", "--out", "out", "--date", "2026-11-04"], { cwd: dir, env: other })
        .code,
    ).toBe(0);
    const run = (...args: string[]) => cli(args, { cwd: dir, env });
    const ids = (...more: string[]) => {
      const r = run("cases", "--date", "2026-11-04", "--json", ...more);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { cases: { case_id: string }[] }).cases.map((c) => c.case_id);
    };
    expect(run("cases").code).toBe(2); // this data folder knows no case yet
    const closed = run("close", "out/L-1", "--reason", "moved away");
    expect(closed.code, closed.stderr).toBe(0);
    expect(ids("--closed")).toEqual(["L-1"]);
    expect(ids()).toEqual([]);
    rmSync(join(dir, "data"), { recursive: true });
    const reopened = run("reopen", "out/L-1");
    expect(reopened.code, reopened.stderr).toBe(0);
    expect(ids()).toEqual(["L-1"]);
    expect(run("reopen", "L-1").code).toBe(2); // by its reference now, and not closed
  }, 60_000);

  it("done, close and reopen take a case reference the data folder knows; unknown or ambiguous is exit 2 saying what to give", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-ref-"));
    const env = { SAFEGUARD_DATA_DIR: join(dir, "data") };
    const run = (...args: string[]) => cli(args, { cwd: dir, env });
    writeFileSync(join(dir, "a.yaml"), stringify(child("R-1")));
    expect(run("run", "--answers", "a.yaml", "--out", "out", "--date", "2026-11-04").code).toBe(0);
    const marked = run("done", "R-1", "mash-referral", "--date", "2026-11-03");
    expect(marked.code, marked.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, "out", "R-1", "pathway.json"), "utf8"));
    expect(json.actions.find((a: Step) => a.id === "mash-referral").done.date).toBe("2026-11-03");
    expect(run("close", "r-1", "--reason", "moved away").code).toBe(0);
    expect(run("reopen", "R-1").code).toBe(0);
    // A folder given is a folder, as before.
    expect(run("done", "out/R-1", "strategy-discussion", "--date", "2026-11-04").code).toBe(0);

    const unknown = run("done", "R-9", "mash-referral");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /R-9 is neither a case folder nor a case reference your data folder knows: give the case folder .*, or one of: R-1/,
    );
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    expect(run("run", "--answers", "a.yaml", "--out", "copy", "--date", "2026-11-04").code).toBe(0);
    const both = run("close", "R-1", "--reason", "x");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      `case R-1 is in 2 case folders your data folder knows: give the folder instead, one of: ${join(dir, "copy", "R-1")}, ${join(dir, "out", "R-1")}`,
    );
  }, 60_000);
});

describe("batch reads, decides and writes a case as one", () => {
  it("a write by another window between batch's read and its write is never overwritten: that case is refused; unchanged, it is written", async () => {
    const { prepareCase, writePrepared } = await import("../src/case/prepare.js");
    const { bundledFlow } = await import("./helpers/flow.js");
    const dir = mkdtempSync(join(tmpdir(), "safeguard-race-"));
    const text = stringify({
      case_id: "B-1",
      concern: { date: "2026-11-02", about: "individual", types: ["criminal"] },
      person: { dob: "2012-01-10" },
      screening: { outcome: "evidence", significant_harm: "likely" },
    });
    const opts = {
      out: "out",
      cwd: dir,
      now: "2026-11-04T10:00:00.000Z",
      today: "2026-11-04",
      docx: false,
      png: false,
      redact: false,
    };
    const write = { cwd: dir, force: false, today: opts.today, now: opts.now };
    const prepare = () => prepareCase(bundledFlow(), { file: "b.yaml", text, stem: "b" }, opts);
    const first = await prepare();
    if (first.kind !== "ready") throw new Error("not prepared");
    expect(writePrepared(first, write)).toBeUndefined();
    const folder = join(dir, "out", "B-1");
    expect(readHistory(folder).entries).toHaveLength(1);

    // Read and decided; then another window marks a step done before this write.
    const second = await prepare();
    if (second.kind !== "ready") throw new Error("not prepared");
    const marked = cli(["done", "out/B-1", "mash-referral", "--date", "2026-11-03"], { cwd: dir });
    expect(marked.code, marked.stderr).toBe(0);
    expect(writePrepared(second, write)).toMatch(
      /case B-1 was changed by another window while this batch worked it out/,
    );
    const entries = readHistory(folder).entries as { kind: string }[];
    expect(entries.map((e) => e.kind)).toEqual(["run", "done"]);
    // The mark is kept: read again, the case is written with it.
    const third = await prepare();
    if (third.kind !== "ready") throw new Error("not prepared");
    expect(writePrepared(third, write)).toBeUndefined();
    const last = readHistory(folder).entries.at(-1) as { marks: Record<string, unknown> };
    expect(Object.keys(last.marks)).toEqual(["mash-referral"]);
  }, 60_000);
});
