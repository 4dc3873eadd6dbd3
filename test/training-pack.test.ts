import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { packageRoot } from "../src/io/paths.js";
import { bundledScenarios, readScenario } from "../src/io/scenarios.js";
import { decideStory } from "../src/training/case-seam.js";
import { quizQuestions } from "../src/training/quiz.js";
import { bundledFlow } from "./helpers/flow.js";
import { TRANSITION_AGES, testWorld } from "./helpers/world.js";
import { unzip } from "./helpers/zip.js";

const flow = bundledFlow();
const scratch = mkdtempSync(join(tmpdir(), "safeguard-pack-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function safeguard(...args: string[]) {
  const w = testWorld({ cwd: scratch });
  const code = await main(["node", "safeguard", ...args], w.world);
  return { code, stdout: w.out(), stderr: w.err() };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

/** Every file under a folder, relative names. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/**
 * What a sheet must never show: a step's, document's or fact's id (the ones a person
 * would not write: with a hyphen, underscore or dot, and not a word the flow's own titles
 * use, as "step-down" is in a section's name), or a rule's condition.
 */
const TITLES = [
  ...flow.actions.map((a) => a.title),
  ...[...flow.documents.values()].map((d) => d.title),
  ...flow.sections,
]
  .join("\n")
  .toLowerCase();
const MACHINE = [
  ...flow.actions.map((a) => a.id),
  ...flow.documents.keys(),
  ...flow.facts.keys(),
  ...flow.conditions.keys(),
].filter((id) => /[-_.]/.test(id) && !TITLES.includes(id));
function machineWords(text: string): string[] {
  const found = MACHINE.filter((id) =>
    new RegExp(`(^|[^\\w.-])${id.replace(/[.]/g, "\\.")}(?![\\w-])`).test(text),
  );
  for (const cel of ["recommends[", "&&", "||", "==", "!has("]) if (text.includes(cel)) found.push(cel);
  return found;
}

describe("training-pack, 45 minutes", () => {
  const dir = join(scratch, "pack45");
  let ran: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    ran = await safeguard("training-pack", "--out", dir);
  }, 120_000);

  it("writes the plan, the quiz sheets and the three default stories' folders, owner-only", () => {
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const files = walk(dir);
    for (const f of [
      "session-plan.md",
      "session-plan.docx",
      "quiz-learners.md",
      "quiz-learners.docx",
      "quiz-answers.md",
    ])
      expect(files).toContain(f);
    for (const stem of ["t1-child-county-lines", "t4-adult-refuses-duty-to-notify", "t6-transition-17"])
      for (const f of ["case.yaml", "pathway.svg", "pathway.png", "deadlines.ics", "case-summary.md"])
        expect(files).toContain(`${stem}/${f}`);
    expect(files).toContain("t4-adult-refuses-duty-to-notify/duty-to-notify.md");
    expect(files.some((f) => f.startsWith("t2-"))).toBe(false);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    expect(readFileSync(join(dir, "t1-child-county-lines/pathway.png")).subarray(1, 4).toString()).toBe(
      "PNG",
    );
  });

  it("lists what it wrote in one column, each story's folder on a line of its own", () => {
    const lines = ran.stdout.split("\n");
    const files = lines.filter((l) => /^ {2}\S+( and \.docx)?\s{2,}\S/.test(l));
    expect(files.length).toBe(4);
    // The descriptions start in one column, whatever the file's name.
    expect(new Set(files.map((l) => /^ {2}\S+(?: and \.docx)?\s+/.exec(l)?.[0].length)).size).toBe(1);
    const folders = lines.filter((l) => /^ {4}t\d-/.test(l));
    expect(folders).toEqual([
      "    t1-child-county-lines/",
      "    t4-adult-refuses-duty-to-notify/",
      "    t6-transition-17/",
    ]);
    expect(ran.stdout).toContain("a folder for each story, with its case file, drafts,");
  });

  it("plans 45 minutes, objectives with their sections, and asks the room each story's question", () => {
    const plan = read(dir, "session-plan.md");
    expect(plan).toContain("Total: 45 minutes.");
    const minutes = [...plan.matchAll(/^\| \d:\d\d \| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(minutes.reduce((a, b) => a + b, 0)).toBe(45);
    expect(plan).toMatch(/Follow the child pathway.*\(Procedures §12, §14; Flowchart \(child\)\)/);
    expect(plan).toContain("Ask the room: What happens next, and by when?");
    expect(plan).toContain("Told as on Wed 28 Apr 2027.");
    expect(plan).toContain("Duty to notify (anonymous)");
  });

  it("never shows an id, a condition or an overdue count on a sheet", () => {
    for (const f of ["session-plan.md", "quiz-learners.md", "quiz-answers.md"]) {
      const text = read(dir, f);
      expect(machineWords(text), f).toEqual([]);
      expect(text, f).not.toMatch(/overdue/i);
    }
  });

  it("gives the room the questions without the answers, and the trainer the answers with why", () => {
    const learners = read(dir, "quiz-learners.md");
    const answers = read(dir, "quiz-answers.md");
    expect(learners).toMatch(/\*\*1\.\*\* /);
    expect(learners).not.toMatch(/Answer|Right:|Not here/);
    const keys = [...answers.matchAll(/^Answer: \*\*([A-D])\*\*$/gm)];
    expect(keys.length).toBe([...learners.matchAll(/^\*\*\d+\.\*\* /gm)].length);
    expect(answers).toMatch(/Right: .*\(Procedures §/);
    expect(answers).toMatch(
      /Not here: that step is in the "[^"]+" part of the procedures \((Procedures|Flowchart)/,
    );
  });

  it("writes each story as a case file that run --answers takes, giving the folder's own pathway", async () => {
    for (const stem of ["t1-child-county-lines", "t4-adult-refuses-duty-to-notify", "t6-transition-17"]) {
      const caseFile = join(dir, stem, "case.yaml");
      const toldOn = /--date (\d{4}-\d\d-\d\d)/.exec(read(dir, `${stem}/case.yaml`))?.[1] as string;
      const r = await safeguard("run", "--answers", caseFile, "--date", toldOn, "--json");
      expect(r.code, r.stderr).toBe(0);
      const fromRun = JSON.parse(r.stdout) as { actions: { id: string; due: string | null }[] };
      const inPack = JSON.parse(read(dir, `${stem}/pathway.json`)) as typeof fromRun;
      expect(fromRun.actions.map((a) => [a.id, a.due])).toEqual(inPack.actions.map((a) => [a.id, a.due]));
      expect(inPack.actions.length).toBeGreaterThan(3);
    }
  });

  it("replaces its own pack when run again, and refuses a folder holding anything else", async () => {
    expect((await safeguard("training-pack", "--out", dir)).code).toBe(0);
    const other = join(scratch, "other");
    await safeguard(
      "run",
      "--answers",
      join(packageRoot, "examples/ex-1-county-lines-15.yaml"),
      "--out",
      other,
    );
    const r = await safeguard("training-pack", "--out", join(other, "EX-1"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds another case: it was not replaced/);
  });
});

describe("training-pack, 90 minutes", () => {
  const dir = join(scratch, "pack90");
  it("tells all eight stories in 90 minutes, up to three quiz questions on each", async () => {
    const r = await safeguard("training-pack", "--out", dir, "--minutes", "90");
    expect(r.code, r.stderr).toBe(0);
    const plan = read(dir, "session-plan.md");
    expect(plan).toContain("Total: 90 minutes.");
    expect([...plan.matchAll(/^### Story \d: /gm)].length).toBe(8);
    const learners = read(dir, "quiz-learners.md");
    expect([...learners.matchAll(/^## Story \d: /gm)].length).toBe(8);
    // t7, a concern about a place, has two steps: two questions.
    expect([...learners.matchAll(/^\*\*\d+\.\*\* /gm)].length).toBe(23);
    expect(machineWords(plan + learners + read(dir, "quiz-answers.md"))).toEqual([]);
    // A story about a place has no person's case: its folder still holds its case file.
    expect(walk(dir)).toContain("t7-context-place/case.yaml");
    // A deck a trainer gets through in 90 minutes: at most 60 slides.
    const deck = [...unzip(readFileSync(join(dir, "slides.pptx"))).keys()].filter((n) =>
      /^ppt\/slides\/slide\d+\.xml$/.test(n),
    );
    expect(deck.length).toBeGreaterThan(30);
    expect(deck.length).toBeLessThanOrEqual(60);
  }, 180_000);
});

describe("training-pack: choices and bad input", () => {
  it("takes the stories asked for, in that order, by short name or full name", async () => {
    const dir = join(scratch, "chosen");
    const r = await safeguard("training-pack", "--out", dir, "--stories", "t4,t1-child-county-lines");
    expect(r.code, r.stderr).toBe(0);
    const plan = read(dir, "session-plan.md");
    expect(plan.indexOf("domestic servitude")).toBeLessThan(plan.indexOf("county lines"));
    expect(walk(dir).some((f) => f.startsWith("t6-"))).toBe(false);
  }, 60_000);

  it("under --redact, tells no story and writes no case file; the drafts say they are redacted", async () => {
    const dir = join(scratch, "redacted");
    const r = await safeguard("training-pack", "--out", dir, "--stories", "t4", "--redact");
    expect(r.code, r.stderr).toBe(0);
    const files = walk(dir);
    expect(files.some((f) => f.endsWith("case.yaml"))).toBe(false);
    expect(r.stdout).toContain("a folder for each story, with its drafts,");
    const all = files.filter((f) => /\.(md|json|ics|svg)$/.test(f)).map((f) => read(dir, f));
    for (const text of all) expect(text).not.toMatch(/Mira|1999-08-14/);
    expect(read(dir, "t4-adult-refuses-duty-to-notify/duty-to-notify.md")).toMatch(/redacted/i);
  }, 60_000);

  it.each([
    [["--minutes", "60"], /--minutes: "60" is not a session length we plan for: give 45 or 90/],
    [["--stories", "t1,t9"], /--stories: no training story "t9"; choose from t1 \(t1-child-county-lines\)/],
    [["--stories", "t1,t2,t3,t4,t5,t6"], /6 stories do not fit in 45 minutes: .* at most 5/],
    [["--stories", ","], /--stories: no story given/],
  ])("refuses %j with a clear message, exit 2, nothing written", async (args, message) => {
    const dir = join(scratch, `bad-${args.join("")}`.replace(/[^\w-]/g, "_"));
    const r = await safeguard("training-pack", "--out", dir, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => statSync(dir)).toThrow();
  });

  it("needs --out", async () => {
    const r = await safeguard("training-pack");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("training-pack writes a folder: give --out DIR");
  });
});

describe("the quiz", () => {
  const training = bundledScenarios().filter((e) => e.kind === "training");
  it.each(training.map((e) => [e.stem, e] as const))(
    "%s: one right answer, the step itself; every wrong one a step not recommended and not waiting on a fact",
    (_stem, entry) => {
      const s = readScenario(entry, packageRoot);
      const p = decideStory(flow, s.file, s.caseText, s.today as string);
      const qs = quizQuestions(flow, p, { most: 3 });
      expect(qs.length).toBe(Math.min(3, p.actions.length));
      const recommended = new Set(p.actions.map((a) => a.title));
      const waiting = new Set(p.undecided.map((u) => u.title));
      for (const q of qs) {
        expect(q.choices.filter((c) => c.right).map((c) => c.text)).toEqual([p.actions[q.step - 1]?.title]);
        const wrong = q.choices.filter((c) => !c.right);
        expect(wrong.length).toBeGreaterThanOrEqual(2);
        for (const c of wrong) {
          expect(recommended.has(c.text), c.text).toBe(false);
          expect(waiting.has(c.text), c.text).toBe(false);
          expect(c.feedback).toMatch(/\((Procedures|Flowchart|WM Framework)/);
        }
      }
    },
  );

  it("draws the wrong answers for a child's step from the adult part first, and says so", () => {
    const entry = training.find((e) => e.stem.startsWith("t1-")) as (typeof training)[number];
    const s = readScenario(entry, packageRoot);
    const p = decideStory(flow, s.file, s.caseText, s.today as string);
    const mash = quizQuestions(flow, p, { most: 20 }).find((q) =>
      q.choices.some((c) => c.right && c.text.startsWith("Refer to Children's Services (MASH)")),
    );
    expect(mash?.choices.filter((c) => c.feedback.includes('"18 and over"')).length).toBeGreaterThanOrEqual(
      2,
    );
    expect(mash?.choices.some((c) => c.feedback.includes("for the other age group"))).toBe(true);
  });
});

describe("slides.pptx", () => {
  const dir = join(scratch, "slides45");
  let slides: { name: string; xml: string; notes: string }[] = [];
  beforeAll(async () => {
    const r = await safeguard("training-pack", "--out", dir);
    expect(r.code, r.stderr).toBe(0);
    const files = unzip(readFileSync(join(dir, "slides.pptx")));
    const number = (n: string) => Number(/(\d+)\.xml$/.exec(n)?.[1]);
    const names = [...files.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    slides = names
      .sort((a, b) => number(a) - number(b))
      .map((name) => {
        const rels = files
          .get(name.replace("slides/", "slides/_rels/").replace(/\.xml$/, ".xml.rels"))
          ?.toString();
        const notesFile = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(rels ?? "")?.[1];
        return {
          name,
          xml: files.get(name)?.toString("utf8") ?? "",
          notes: notesFile ? (files.get(`ppt/notesSlides/${notesFile}`)?.toString("utf8") ?? "") : "",
        };
      });
  }, 120_000);

  const text = (xml: string) =>
    [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)]
      .map((m) => m[1] ?? "")
      .join(" ")
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");

  it("is a PowerPoint package: a presentation part and its slides, 16:9", () => {
    const files = unzip(readFileSync(join(dir, "slides.pptx")));
    expect(files.get("[Content_Types].xml")?.toString()).toContain("presentationml.presentation.main+xml");
    expect(files.get("ppt/presentation.xml")?.toString()).toMatch(/<p:sldSz cx="12192000" cy="6858000"/);
    expect(slides.length).toBeGreaterThan(20);
  });

  it("fits 45 minutes: at most 30 slides, each pathway on one or two, each story's steps on one", () => {
    expect(slides.length).toBeLessThanOrEqual(30);
    const all = slides.map((s) => text(s.xml));
    for (const pathway of ["The child pathway", "The adult pathway", "Getting ready for 18"]) {
      const n = all.filter((t) => t.startsWith(pathway)).length;
      expect(n, pathway).toBeGreaterThanOrEqual(1);
      expect(n, pathway).toBeLessThanOrEqual(2);
    }
    for (const n of [1, 2, 3]) {
      const every = all.filter((t) => t.startsWith(`Story ${n}: the steps in order`));
      expect(every.length).toBe(1);
      expect(every[0]).toMatch(/and \d+ more steps?: in the speaker notes and the story's folder|; §/);
      expect(all.filter((t) => t.startsWith(`Story ${n}: the step `)).length).toBeLessThanOrEqual(2);
    }
  });

  it("has every text at 24 pt or more, titles and body text the same size on every slide", () => {
    const sizes = new Set<number>();
    for (const s of slides) {
      const found = [...s.xml.matchAll(/\bsz="(\d+)"/g)].map((m) => Number(m[1]));
      expect(found.length, s.name).toBeGreaterThan(0);
      for (const n of found) {
        expect(n, `${s.name}: ${n / 100} pt`).toBeGreaterThanOrEqual(2400);
        sizes.add(n);
      }
    }
    // 24 pt text, 36 pt titles; the title slide alone has 28 and 44.
    expect([...sizes].sort()).toEqual([2400, 2800, 3600, 4400]);
  });

  it("reads as a person writes: no id, condition or machine wording on any slide or in the notes", () => {
    for (const s of slides) {
      const words = text(s.xml);
      expect(machineWords(words), s.name).toEqual([]);
      expect(words, s.name).not.toMatch(/→ Not|Not not|Not none|is known, or not|overdue/);
      expect(machineWords(text(s.notes)), `${s.name} notes`).toEqual([]);
    }
  });

  it("shows the three pathways with deadlines, ages and sections, each story, and Language Matters last", () => {
    const all = slides.map((s) => text(s.xml));
    const titled = (re: RegExp) => all.filter((t) => re.test(t));
    expect(titled(/^The child pathway: under 18 \(\d+ of \d+\)/).length).toBeGreaterThan(1);
    expect(titled(/^The adult pathway: 18 and over/).length).toBeGreaterThan(1);
    const transitions = titled(/^Getting ready for 18: 14 to 25/).join(" ");
    for (const age of TRANSITION_AGES) expect(transitions).toContain(age);
    const child = titled(/^The child pathway/).join(" ");
    // In short on the slide (step, by when, section); in full in the notes.
    expect(child).toContain(
      "Expect a strategy discussion, and take part in it : within 3 working days; §12.4",
    );
    expect(child).toContain("(MASH), with the screening tool attached : now; §12.2");
    expect(child).toContain(
      "Exploitation (MAACE) meeting : within 15 calendar days or 15 working days; §12.4",
    );
    const childNotes = slides
      .filter((s) => /^The child pathway/.test(text(s.xml)))
      .map((s) => text(s.notes))
      .join(" ");
    expect(childNotes).toContain(
      "3 working days from the date of the referral (Flowchart (child), Procedures §12.4)",
    );
    // The police on imminent harm, at every stage and age (§13.3); the notes cite it as the
    // procedure map does.
    expect(child).toContain("Contact the police now (999) : now; §13.3");
    expect(childNotes).toContain(
      "1. Contact the police now (999): immediately (the day the concern is identified) (Procedures §13.3, Flowchart (adult)).",
    );
    // The MAACE meeting for an adult: its date and section from the adult's rule, not the child's.
    const adult = titled(/^The adult pathway/).join(" ");
    expect(adult).toContain("Exploitation (MAACE) meeting : within 15 working days; §13.5");
    // Lead and screening first.
    expect(child.indexOf("safeguarding lead")).toBeLessThan(
      child.indexOf("Refer to Children's Services (MASH)"),
    );
    for (const n of [1, 2, 3]) {
      expect(titled(new RegExp(`^Story ${n}: the situation`)).length).toBeGreaterThan(0);
      expect(titled(new RegExp(`^Story ${n}: the question`)).length).toBe(1);
      expect(titled(new RegExp(`^Story ${n}: the step .*By `)).length).toBeGreaterThan(0);
    }
    expect(all.at(-1)).toMatch(/^Language Matters .*Procedures §7/);
  });

  it("carries speaker notes on every slide: the script, and likely questions with answers", () => {
    for (const s of slides) expect(text(s.notes).length, s.name).toBeGreaterThan(40);
    expect(slides.filter((s) => /Likely question: .*Answer: /.test(text(s.notes))).length).toBeGreaterThan(
      10,
    );
  });
});

describe("the same pack, built at another time", () => {
  /** A pack of one story built with the clock at `clock` (the world's today stays 2026-11-20). */
  async function builtAt(name: string, clock: string) {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(clock) });
    try {
      const r = await safeguard("training-pack", "--out", name, "--stories", "t4");
      expect(r.code, r.stderr).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const dir = join(scratch, name);
    return new Map(walk(dir).map((f) => [f, readFileSync(join(dir, f))]));
  }

  it("is byte-identical, slides.pptx and its Word files too, dated the pack's day", async () => {
    const first = await builtAt("same-1", "2026-11-20T09:15:07Z");
    const second = await builtAt("same-2", "2031-02-03T23:59:58Z");
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(first.has("slides.pptx")).toBe(true);
    for (const [f, bytes] of first) expect(second.get(f)?.equals(bytes), f).toBe(true);
    const core = unzip(first.get("slides.pptx") as Buffer)
      .get("docProps/core.xml")
      ?.toString("utf8");
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:created>',
    );
    expect(core).toContain(
      '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:modified>',
    );
  }, 120_000);
});
