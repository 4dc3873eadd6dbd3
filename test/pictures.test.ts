import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SaxesParser } from "saxes";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { run } from "../src/commands/flows-graph.js";
import { UsageError } from "../src/errors.js";
import { packageRoot } from "../src/io/paths.js";
import { decisionsDot, decisionsMermaid, decisionsText, picture } from "../src/render/decision-views.js";
import { type Branch, decisions, findSection, sectionKeys } from "../src/render/decisions.js";
import { flowMermaid, mermaidId, namedId } from "../src/render/graph.js";
import { READABLE_PX, slides } from "../src/render/slides.js";
import { dotToSvg } from "../src/render/svg.js";
import { cli, graphOpts } from "./helpers/cli.js";
import { bundledFlow, compileWith } from "./helpers/flow.js";
import { testWorld } from "./helpers/world.js";

const flow = bundledFlow();
const KEYS = ["point-of-concern", "under-18", "adults", "maace", "consent-nrm", "escalation", "transitions"];

/** Parse as XML with a strict parser: throws at the first error. */
function parseXml(xml: string): { elements: string[]; texts: string[] } {
  const parser = new SaxesParser();
  const elements: string[] = [];
  const texts: string[] = [];
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("opentag", (t) => elements.push(t.name));
  parser.on("text", (t) => texts.push(t));
  parser.write(xml).close();
  return { elements, texts };
}

/**
 * The smallest text on a 1920 x 1080 slide when the SVG is scaled to fit it: the viewBox
 * against the slide, times each font size the SVG draws text at (in viewBox units).
 */
function smallestSlideTextPx(svg: string): number {
  const box = /viewBox="([^"]+)"/.exec(svg)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  const [, , w = 0, h = 0] = box;
  expect(w).toBeGreaterThan(0);
  expect(h).toBeGreaterThan(0);
  // Graphviz scales nothing (transform="scale(1 1)"): its font sizes are viewBox units.
  expect(svg).toMatch(/transform="scale\(1 1\)/);
  const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  expect(sizes.length).toBeGreaterThan(0);
  return Math.min(...sizes) * Math.min(1920 / w, 1080 / h);
}

function steps(b: Branch): string[] {
  return [...b.steps, ...b.questions.flatMap((q) => q.answers.flatMap((a) => steps(a.next)))];
}

function world(opts: { tty?: boolean; columns?: number } = {}) {
  const w = testWorld({ ...opts, colour: true });
  return { ...w, out: w.bytes };
}

describe("a part as the decisions a practitioner makes", () => {
  it("offers every part that holds steps, by its file name", () => {
    expect(sectionKeys(flow).map((s) => s.key)).toEqual(KEYS);
    expect(findSection(flow, "under-18")).toEqual({ key: "under-18" });
    expect(findSection(flow, "Under 18")).toEqual({ key: "under-18" });
  });

  it("a typo names the part meant and lists them all", () => {
    const found = findSection(flow, "undr-18");
    expect(found).toEqual({
      error: `no section "undr-18"; did you mean "under-18"? The sections: ${KEYS.join(", ")}`,
    });
  });

  it("reaches every step of the part that has a rule, and only the part's steps", () => {
    for (const key of KEYS) {
      const d = decisions(flow, key);
      const own = flow.actions.filter((a) => a.origin.file.endsWith(`${key}.yaml`));
      expect(new Set(steps(d.root))).toEqual(new Set(own.filter((a) => a.rules.length > 0).map((a) => a.id)));
    }
  });

  it("asks the flow's own questions and answers in the choices' words", () => {
    const text = decisionsText(decisions(flow, "under-18"), 200);
    const ask = flow.questions.find((q) => q.fact.id === "screening.outcome");
    expect(text).toContain(`? ${ask?.ask}`);
    expect(text).toContain(`- ${ask?.choices?.evidence}`);
    // The part's applies_when, said once at the start.
    expect(text).toMatch(
      /^ {2}for: Is the concern about an identified person.*An identified person, or not known$/m,
    );
    // No condition syntax anywhere.
    expect(text).not.toMatch(/==|&&|\|\||has\(|recommends\[/);
  });

  it("is drawn from the data: a changed question shows in the picture (not a hand-drawn copy)", () => {
    const changed = compileWith("parts/questions.yaml", (t) =>
      t.replace("ask: Do they have brothers or sisters (siblings)?", "ask: Any brothers or sisters?"),
    );
    if (!changed.flow) throw new Error("flow did not compile");
    expect(decisionsText(decisions(flow, "under-18"), 200)).toContain(
      "? Do they have brothers or sisters (siblings)?",
    );
    const text = decisionsText(decisions(changed.flow, "under-18"), 200);
    expect(text).toContain("? Any brothers or sisters?");
    expect(text).not.toContain("(siblings)?");
  });

  it("draws a named condition as a question in its plain-words meaning, answered yes or no", () => {
    const text = decisionsText(decisions(flow, "consent-nrm"), 300);
    const named = flow.conditions.get("first_responder");
    const meaning = named?.meaning ?? "";
    expect(text).toContain(`? ${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}?`);
    expect(text).not.toContain("first_responder");
  });

  it("Mermaid of a part: questions, answers and steps, each step once", () => {
    const m = decisionsMermaid(decisions(flow, "maace"));
    expect(m.split("\n")[1]).toBe("flowchart LR");
    const stepLines = m.split("\n").filter((l) => /^ {2}step_\w+\[/.test(l));
    expect(new Set(stepLines).size).toBe(stepLines.length);
    expect(stepLines.length).toBe(flow.actions.filter((a) => a.origin.file.endsWith("maace.yaml")).length);
  });
});

describe("named conditions in the whole map (Mermaid)", () => {
  const lines = flowMermaid(flow).split("\n");
  it("a decision node per named condition, with its meaning, and a dotted arrow to each action using it", () => {
    for (const n of flow.conditions.values()) {
      const users = flow.actions.filter((a) => a.rules.some((r) => r.when.named.includes(n.name)));
      if (users.length === 0) continue;
      const node = lines.filter((l) => l.startsWith(`  ${namedId(n.name)}{"`));
      expect(node, n.name).toHaveLength(1);
      expect(node[0]).toContain(`${n.name}<br/>`);
      const arrows = lines.filter((l) => l.startsWith(`  ${namedId(n.name)} -.-> `));
      expect(arrows.map((l) => l.split(" -.-> ")[1])).toEqual(users.map((a) => mermaidId(a.id)));
    }
    expect(lines.some((l) => l.startsWith("  N_first_responder -.-> nrm_referral"))).toBe(true);
  });
});

describe("SVG and PNG, offline", () => {
  it("every part's slides parse as XML and fit a 16:9 slide with text of at least 18 px", async () => {
    for (const key of KEYS) {
      const cut = await slides(decisions(flow, key));
      expect(cut.length, key).toBeGreaterThan(0);
      for (const s of cut) {
        const { elements } = parseXml(s.svg);
        expect(elements[0]).toBe("svg");
        expect(smallestSlideTextPx(s.svg), s.decisions.key).toBeGreaterThanOrEqual(READABLE_PX);
      }
      // Slides together still hold every step of the part.
      const all = new Set(cut.flatMap((s) => steps(s.decisions.root)));
      expect(all).toEqual(new Set(steps(decisions(flow, key).root)));
    }
  }, 120_000);

  it("the check can fail: the whole consent-nrm part is too small to read on one slide", async () => {
    const svg = await dotToSvg(decisionsDot(decisions(flow, "consent-nrm")));
    expect(smallestSlideTextPx(svg)).toBeLessThan(READABLE_PX);
  });

  it("escapes every text: a title with markup stays text", async () => {
    const d = decisions(flow, "maace");
    const [first] = d.steps.keys();
    const action = d.steps.get(first as string);
    if (!action) throw new Error("no step");
    const odd = {
      ...d,
      steps: new Map([[action.id, { ...action, title: `<script>alert("x")</script> & ]]>` }]]),
    };
    const svg = await dotToSvg(decisionsDot(odd));
    const { elements, texts } = parseXml(svg);
    expect(elements).not.toContain("script");
    expect(texts.join("")).toContain(`<script>alert("x")</script>`);
    expect(picture(odd).nodes.some((n) => n.text.includes("<script>"))).toBe(true);
  });

  it("flows graph --section NAME --format svg|png, and the whole map", async () => {
    const svg = world();
    expect(await run(svg.world, [], graphOpts({ section: "maace", format: "svg" }))).toBe(0);
    parseXml(svg.out().toString("utf8"));

    const png = world();
    expect(await run(png.world, [], graphOpts({ section: "escalation/1", format: "png" }))).toBe(0);
    const bytes = png.out();
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.toString("latin1", 12, 16)).toBe("IHDR");
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    expect(w).toBeLessThanOrEqual(1920);
    expect(h).toBeLessThanOrEqual(1080);
    expect(Math.max(w / 1920, h / 1080)).toBeGreaterThan(0.99);

    const big = world();
    expect(await run(big.world, [], graphOpts({ section: "under-18", format: "svg" }))).toBe(0);
    expect(big.err()).toMatch(
      /^under-18 is too large for one slide at a readable size; its slides: under-18\/1, /,
    );

    const map = world();
    expect(await run(map.world, [], graphOpts({ format: "svg" }))).toBe(0);
    const whole = parseXml(map.out().toString("utf8"));
    for (const key of KEYS) expect(whole.texts.join(" ")).toContain(decisions(flow, key).title.split(" ")[0]);
  }, 60_000);

  it("refuses a typo in --section, a slide that is not there, and PNG to a terminal (exit 2)", async () => {
    await expect(run(world().world, [], graphOpts({ section: "adlts" }))).rejects.toThrow(
      /did you mean "adults"/,
    );
    await expect(run(world().world, [], graphOpts({ section: "maace/99" }))).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(run(world().world, [], graphOpts({ section: "under-18/99" }))).rejects.toThrow(
      /slides 1 to \d+/,
    );
    await expect(run(world({ tty: true }).world, [], graphOpts({ format: "png" }))).rejects.toThrow(
      /send it to a file/,
    );
    await expect(run(world().world, [], graphOpts({ format: "pdf" }))).rejects.toBeInstanceOf(UsageError);
  });
});

describe("--format text wraps", () => {
  it("at --width, at the terminal's width, or at 80 when piped", async () => {
    const cases = [
      { make: () => world(), opts: { width: "50" } as { width?: string }, width: 50 },
      { make: () => world({ tty: true, columns: 100 }), opts: {}, width: 100 },
      { make: () => world(), opts: {}, width: 80 },
    ];
    for (const c of cases)
      for (const section of [undefined, "consent-nrm"]) {
        const w = c.make();
        expect(
          await run(w.world, [], graphOpts({ ...c.opts, format: "text", ...(section ? { section } : {}) })),
        ).toBe(0);
        const longest = Math.max(
          ...w
            .out()
            .toString("utf8")
            .split("\n")
            .map((l) => [...l].length),
        );
        expect(longest, `${section} at ${c.width}`).toBeLessThanOrEqual(c.width);
        expect(longest).toBeGreaterThan(c.width - 15);
      }
    await expect(run(world().world, [], graphOpts({ format: "text", width: "abc" }))).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});

describe("flows graph on the command line", () => {
  it("the real CLI: a typo in --section exits 2 with the list, and no stack trace", () => {
    const r = cli(["flows", "graph", "--section", "transitons"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `safeguard: error: no section "transitons"; did you mean "transitions"? The sections: ${KEYS.join(", ")}\n`,
    );
    expect(r.stdout).toBe("");
  });
});

describe("pathway.svg in the case folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-svg-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const person = {
    case_id: "<b>T&1</b>",
    concern: { date: "2026-10-01", about: "individual", types: ["county-lines"] },
    person: { name: "Zebedee Quintrell", dob: "2009-03-17", address: "12 Larkspur Row" },
    screening: { outcome: "evidence", significant_harm: "yes" },
  };

  it("a timeline of the case's steps: today marked, overdue distinct, undated apart; no personal details; inert", () => {
    const file = join(dir, "case.yaml");
    writeFileSync(file, stringify(person));
    const r = cli(["run", "--answers", file, "--out", join(dir, "out"), "--date", "2026-11-20"]);
    expect(r.code, r.stderr).toBe(0);
    const folder = join(dir, "out", readdirSync(join(dir, "out"))[0] as string);
    const svgFile = join(folder, "pathway.svg");
    expect(statSync(svgFile).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(readFileSync(join(folder, ".safeguard-case.json"), "utf8"));
    expect(Object.keys(manifest.files)).toContain("pathway.svg");
    const svg = readFileSync(svgFile, "utf8");
    const { elements, texts } = parseXml(svg);
    expect(elements).not.toContain("b");
    const all = texts.join(" ");
    expect(all).toContain("Pathway for case <b>T&1</b>");
    expect(all).toContain("today 2026-11-20");
    expect(all).toMatch(/overdue: \d+ (calendar|working) days?/);
    expect(svg).toContain('fill="#b3261e"');
    // No strategy discussion outcome: the MAACE meeting (Wed 21 Oct) is expected, not overdue (issue 22).
    expect(all).toContain("2026-10-21, expected");
    expect(all).not.toMatch(/2026-10-21, overdue/);
    expect(all).toContain("Steps with no date");
    const result = JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8"));
    for (const a of result.actions) expect(all).toContain(a.title.slice(0, 20));
    for (const secret of ["Zebedee", "Quintrell", "2009-03-17", "Larkspur", `${result.person.age}`]) {
      expect(svg, secret).not.toContain(secret === `${result.person.age}` ? `age ${secret}` : secret);
    }
    expect(svg).not.toMatch(/\bage\b|birth|dob/i);
  });

  it("marks a due date on a weekend or bank holiday as the glance does; today's line runs behind the words", () => {
    // t1's case: the tracker falls on the Early May bank holiday, the plan on a Saturday.
    const file = join(dir, "t1.yaml");
    writeFileSync(
      file,
      stringify({
        case_id: "T1",
        concern: {
          date: "2027-04-28",
          about: "individual",
          types: ["criminal", "county-lines"],
          perpetrator_or_location_information: true,
          missing_episodes: 3,
        },
        missing: { return_date: "2027-04-27" },
        referral: { date: "2027-04-28" },
        person: { dob: "2013-01-09" },
        screening: { outcome: "evidence", significant_harm: "likely" },
        responder: { organisation: "education" },
      }),
    );
    const r = cli(["run", "--answers", file, "--out", join(dir, "t1"), "--date", "2027-04-28"]);
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, "t1", "T1", "pathway.svg"), "utf8");
    const all = parseXml(svg)
      .texts.map((x) => x.trim())
      .filter(Boolean)
      .join(" | ");
    expect(all).toContain("2027-05-03, expected | bank holiday; last working day Fri 30 Apr 2027");
    expect(all).toContain("2027-05-29, expected | weekend; last working day Fri 28 May 2027");
    // A working day says nothing of the kind.
    expect(all).toMatch(/2027-05-04 \| (?!weekend|bank holiday)/);
    // Today's line comes before every due date's words (drawn under them), and each has a halo.
    const todayLine = svg.indexOf('stroke-dasharray="6 4"');
    expect(todayLine).toBeGreaterThan(0);
    expect(svg.indexOf(">2027-05-03, expected<")).toBeGreaterThan(todayLine);
    expect(svg).toMatch(/paint-order="stroke"[^>]*>2027-05-03, expected</);
  });

  it("worked example 3 (a birthday in the dates): the steps, never the birthday, the year of birth or the age", () => {
    const r = cli([
      "run",
      "--answers",
      join(packageRoot, "examples", "ex-3-transition-17.yaml"),
      "--out",
      join(dir, "ex3"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, "ex3", "EX-3", "pathway.svg"), "utf8");
    expect(svg).toContain("Adult Care and Support take over case responsibility");
    expect(svg).not.toMatch(/birthday|14 Sep|2009|\b17\b/);
  });
});

describe("the binary and the package carry what the pictures need", () => {
  it("the bundled Node runs svg and png offline from the package's own files", () => {
    const r = spawnSync(
      process.execPath,
      [
        join(packageRoot, "bin", "safeguard.js"),
        "flows",
        "graph",
        "--section",
        "escalation/2",
        "--format",
        "png",
      ],
      { cwd: tmpdir(), encoding: "buffer", timeout: 30_000 },
    );
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(r.stdout.subarray(1, 4).toString()).toBe("PNG");
  });
});
