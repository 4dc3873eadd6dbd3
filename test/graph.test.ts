import { describe, expect, it } from "vitest";
import { run } from "../src/commands/flows-graph.js";
import { UsageError } from "../src/errors.js";
import type { Flow } from "../src/flow/types.js";
import { decisionsText, picture } from "../src/render/decision-views.js";
import { decisions, sectionKeys } from "../src/render/decisions.js";
import {
  dependencyEdges,
  dueWords,
  escapeMermaid,
  flowMermaid,
  flowOutline,
  mermaidId,
  shorten,
} from "../src/render/graph.js";
import { wrapText } from "../src/render/wrap.js";
import { graphOpts } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";
import { TRANSITION_AGES, testWorld } from "./helpers/world.js";

const flow = bundledFlow();
const mermaid = flowMermaid(flow);
const lines = mermaid.split("\n");

/** Lines that define a node: an id followed by the opening of a shape. */
const nodeLines = (id: string) =>
  lines.filter((l) => new RegExp(`^\\s*${mermaidId(id)}(\\[|\\(|\\{\\{|>)`).test(l));

describe("flowMermaid (the bundled flow)", () => {
  it("is a top-down flowchart", () => {
    expect(lines.find((l) => !l.startsWith("%%"))).toBe("flowchart TD");
  });

  it("has every action exactly once as a node, with its title, id and citation", () => {
    for (const a of flow.actions) {
      const defined = nodeLines(a.id);
      expect(defined, a.id).toHaveLength(1);
      expect(defined[0]).toContain(escapeMermaid(a.title));
      expect(defined[0]).toContain(`<br/>${a.id}<br/>`);
      expect(defined[0]).toContain(escapeMermaid(a.cite));
    }
  });

  it("has a subgraph per section that holds actions, in the flow's order, each node inside its own", () => {
    const withActions = flow.sections.filter((s) => flow.actions.some((a) => a.section === s));
    const subgraphs = lines.filter((l) => /^\s*subgraph /.test(l));
    expect(subgraphs.map((l) => /\["(.*)"\]$/.exec(l)?.[1])).toEqual(withActions.map(escapeMermaid));
    expect(lines.filter((l) => l.trim() === "end")).toHaveLength(withActions.length);
    for (const a of flow.actions) {
      const at = lines.indexOf(nodeLines(a.id)[0] as string);
      const opened = lines.slice(0, at).filter((l) => /^\s*subgraph /.test(l));
      expect(opened.at(-1), a.id).toContain(escapeMermaid(a.section));
    }
  });

  it("draws an edge from an action to the actions whose rules read it, labelled with the reason", () => {
    const edge = lines.find((l) => /^\s*mash_referral -->\|".*"\| strategy_discussion$/.test(l));
    expect(edge).toBeDefined();
    expect(edge).toContain("a MASH referral where significant harm is");
    expect(lines).toContain(
      '  section_47_enquiry -->|"a section 47 enquiry is under way for exploitation; a…"| maace_meeting',
    );
    // One edge per pair, even where two rules read the same action.
    const deps = dependencyEdges(flow);
    const arrows = lines.filter((l) => / -->\|/.test(l));
    expect(arrows).toHaveLength(deps.length);
    const readers = new Map<string, number>();
    for (const a of flow.actions)
      for (const r of a.rules)
        for (const read of r.when.actions)
          readers.set(`${read} ${a.id}`, (readers.get(`${read} ${a.id}`) ?? 0) + 1);
    expect(
      [...readers.values()].some((n) => n > 1),
      "some pair is read by two rules",
    ).toBe(true);
    for (const a of flow.actions)
      for (const r of a.rules)
        for (const read of r.when.actions) {
          const edges = arrows.filter(
            (l) => l.startsWith(`  ${mermaidId(read)} -->`) && l.endsWith(`| ${mermaidId(a.id)}`),
          );
          expect(edges, `${read} -> ${a.id}`).toHaveLength(1);
        }
  });

  it("has an entry node per section showing the facts that start it, pointing at the actions they start", () => {
    expect(mermaid).toMatch(
      / {4}S3_START>"starts from<br\/>concern\.about, person\.group, screening\.outcome<br\/>/,
    );
    expect(lines).toContain("  S3_START --> mash_referral");
    // strategy-discussion starts from the MASH referral recommended in the same run, and
    // from facts alone when a MASH referral was already made (mash.referral_made).
    expect(
      lines.some((l) => l.startsWith("  mash_referral -->|") && l.endsWith("| strategy_discussion")),
    ).toBe(true);
    expect(lines).toContain("  S3_START --> strategy_discussion");
  });

  it("shapes a node by its kind of deadline", () => {
    expect(nodeLines("police-emergency")[0]).toMatch(/\{\{".*"\}\}$/);
    expect(nodeLines("strategy-discussion")[0]).toMatch(/\(".*due: 3 working days from referral\.date"\)$/);
    expect(nodeLines("transition-acs-takes-over")[0]).toMatch(
      /\[\/".*due: on the 18th birthday \(now, if that has passed\)"\/\]$/,
    );
    expect(nodeLines("section-47-enquiry")[0]).toMatch(/\[".*due: after the strategy discussion"\]$/);
  });

  it("gives the same bytes twice, and no raw quote inside any label", () => {
    expect(flowMermaid(bundledFlow())).toBe(mermaid);
    for (const l of lines.filter((x) => x.includes('"'))) {
      // Every label is "...": quotes come in pairs only where a label opens and closes.
      const inner = l.replace(/"[^"]*"/g, "");
      expect(inner, l).not.toContain('"');
    }
  });
});

describe("Mermaid escaping", () => {
  it("turns quotes and markup characters into entity codes", () => {
    expect(escapeMermaid('Say "no" & <b>mean</b> it | #1 `x`')).toBe(
      "Say #quot;no#quot; #amp; #lt;b#gt;mean#lt;/b#gt; it #124; #35;1 #96;x#96;",
    );
    expect(escapeMermaid("two\n  lines")).toBe("two lines");
  });

  it("makes ids safe: hyphens to underscores, reserved words avoided", () => {
    expect(mermaidId("mash-referral")).toBe("mash_referral");
    expect(mermaidId("end")).toBe("end_");
  });

  it("escapes a quote in a hand-made flow's title and keeps the diagram well formed", () => {
    const police = flow.actionById.get("police-emergency");
    if (!police) throw new Error("no police-emergency action");
    const odd = { ...police, title: 'Call "999" now <urgent>' };
    const small: Flow = {
      ...flow,
      actions: [odd],
      actionById: new Map([[odd.id, odd]]),
      sections: [odd.section],
    };
    const out = flowMermaid(small);
    expect(out).toContain(
      'police_emergency{{"Call #quot;999#quot; now #lt;urgent#gt;<br/>police-emergency<br/>',
    );
    expect(out).not.toContain('"999"');
    expect(out.split("\n").filter((l) => l.trim() === "end")).toHaveLength(1);
  });

  it("shortens at a word, with an ellipsis", () => {
    expect(shorten("a short one", 20)).toBe("a short one");
    expect(shorten("there is evidence of exploitation and significant harm", 30)).toBe(
      "there is evidence of…",
    );
  });
});

describe("flowOutline (--format text)", () => {
  const text = flowOutline(flow);
  it("lists section, action with its due rule, then each rule's condition, reason and citation", () => {
    expect(text).toContain(
      [
        "  strategy-discussion: Expect a strategy discussion, and take part in it",
        "    due: 3 working days from referral.date",
        "    cite: Flowchart (child), Procedures §12.4",
        '    when recommends["mash-referral"] && screening.significant_harm in ["yes", "likely"] && !has(strategy_discussion.outcome)',
        "      because a MASH referral where significant harm is occurring or likely",
      ].join("\n"),
    );
    expect(text.indexOf("\nUnder 18\n")).toBeLessThan(text.indexOf("  strategy-discussion:"));
    for (const a of flow.actions) expect(text).toContain(`\n  ${a.id}: `);
  });

  it("holds due references typed: { fact } or { action }, never an @ marker", () => {
    const support = bundledFlow().actionById.get("support-disruption-plan");
    expect(support?.due).toEqual({
      calendar_days: 10,
      from: [{ fact: "maace.last_meeting_date" }, { action: "maace-meeting" }],
    });
  });

  it("says due rules in words", () => {
    expect(dueWords("immediately")).toBe("immediately (the day the concern is identified)");
    const from = [{ fact: "maace.last_meeting_date" }, { action: "maace-meeting" }];
    expect(dueWords({ calendar_days: 10, from })).toBe(
      "10 calendar days from maace.last_meeting_date (until that is known, from the due date of maace-meeting)",
    );
    expect(dueWords({ age: { years: 17, months: 6 }, or_now: true })).toBe(
      "at age 17 years 6 months (now, if that has passed)",
    );
    expect(dueWords({ age: { years: 21 } })).toBe("on the 21st birthday");
    expect(dueWords({ none: "promptly (the procedures set no date)" })).toBe(
      "promptly (the procedures set no date)",
    );
    expect(dueWords({ earliest: ["immediately", { weeks: 1, from: [{ fact: "referral.date" }] }] })).toBe(
      "the earlier of: immediately (the day the concern is identified); and 1 week from referral.date",
    );
  });
});

describe("flows graph command", () => {
  const world = () => testWorld({ colour: true });

  it("prints Mermaid by default, and the outline with --format text", async () => {
    const m = world();
    expect(await run(m.world, [], graphOpts({ format: undefined }))).toBe(0);
    expect(m.out()).toBe(mermaid);
    const t = world();
    expect(await run(t.world, ["all-age"], graphOpts({ format: "text" }))).toBe(0);
    // Wrapped at 80 columns when piped (issue 11: the outline had 565-character lines).
    expect(t.out()).toBe(`${wrapText(flowOutline(flow).trimEnd(), 80)}\n`);
    expect(
      Math.max(
        ...t
          .out()
          .split("\n")
          .map((l) => [...l].length),
      ),
    ).toBeLessThanOrEqual(80);
    expect(t.out().replace(/\s+/g, " ")).toBe(flowOutline(flow).replace(/\s+/g, " "));
  });

  it("refuses another format (exit 2)", async () => {
    const w = world();
    await expect(run(w.world, [], graphOpts({ format: "pdf" }))).rejects.toBeInstanceOf(UsageError);
    expect(w.out()).toBe("");
  });
});

describe("decision boxes read as a person writes them (issue 28)", () => {
  const every = sectionKeys(flow).map((s) => [s.key, decisionsText(decisions(flow, s.key), 400)] as const);

  it.each(every)("%s: no doubled 'not', no 'Not none', no '… is known, or not: …'", (_key, text) => {
    expect(text).not.toMatch(/\bNot not\b|\bNot none\b|is known, or not|\bNot: |, or not: /i);
  });

  it("a fact known to be other than an answer lists the other answers", () => {
    const all = every.map(([, t]) => t).join("\n");
    // group != "none": the concern is about one person, a child or an adult.
    expect(all).toMatch(/- Child, or adult\n/i);
    // strategy_discussion.level != "3"-style tests: the other levels, not "Not Level 3".
    expect(all).not.toMatch(/- Not Level/);
    expect(all).toContain("is recorded, or");
  });

  it("draws each step with when it is due and its section, in words", () => {
    const steps = picture(decisions(flow, "under-18")).nodes.filter((n) => n.kind === "step");
    const strategy = steps.find((n) => n.text.startsWith("Expect a strategy discussion"));
    expect(strategy?.text).toContain("\nWhen: 3 working days from the date of the referral\n");
    expect(strategy?.text).toMatch(/Procedures §12\.4/);
    for (const n of steps)
      expect(n.text, n.text).toMatch(/\nWhen: .+\n.*(Procedures|Flowchart|WM Framework)/s);
    const transitions = picture(decisions(flow, "transitions"))
      .nodes.map((n) => n.text)
      .join("\n");
    for (const age of TRANSITION_AGES) expect(transitions).toContain(age);
  });
});
