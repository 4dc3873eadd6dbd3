import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { readCase } from "../src/engine/answers.js";
import { decide, type Pathway } from "../src/engine/decide.js";
import { compileFlow } from "../src/flow/compile.js";
import type { Flow } from "../src/flow/types.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";
import { renderDocument, templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { bundledFlow, factIdRe, scenarios } from "./helpers/flow.js";

// A draft is read by someone other than the lead: it carries no fact id, file name or mention
// of this program; one meant to be sent (audience: sent) carries no checklist and no note on
// where national guidance has moved on either. Those are the lead's: the case summary and
// before-you-send.md. Over every draft of every scenario and worked example.

/** What a draft may not carry, in the words a finding is reported in. */
function leadOnly(flow: Flow): [RegExp, string][] {
  return [
    [factIdRe(flow), "a fact id"],
    [/\b[\w-]+\.(?:md|json|ics|yaml|docx)\b/, "a file name"],
    [
      /prepared with safeguard|\bsafeguard\s+(?:run|check-language|batch|resume|explain|demo|flows|schema|sessions)\b/i,
      "this program",
    ],
  ];
}
const SENT_ONLY: [RegExp, string][] = [
  [/^\s*- \[[ xX]\]|^#+\s*Before you (?:send|file|share)/im, "a checklist"],
  [/guidance has moved on/i, 'a "moved on" section'],
  // Issue 21: a reason is written for the team that reads it, not to the lead ("in your
  // professional opinion", "your organisation is under the statutory duty").
  [/^\s*- Why:[^\n]*?\b(?:you|your|yours|yourself)\b[^\n]*/im, "a reason that speaks to the lead"],
];

/** Each thing a draft should not carry, with what it is. */
function findings(flow: Flow, text: string, sent: boolean): string[] {
  const out: string[] = [];
  for (const [re, what] of [...leadOnly(flow), ...(sent ? SENT_ONLY : [])]) {
    const m = re.exec(text);
    if (m) out.push(`${what}: "${m[0].trim()}"`);
  }
  return out;
}

function examples(): { file: string; case: Record<string, unknown> }[] {
  const dir = join(packageRoot, "examples");
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ file: `examples/${f}`, case: parse(readFileSync(join(dir, f), "utf8")) }));
}

function pathwayOf(flow: Flow, c: Record<string, unknown>, today = "2026-11-23"): Pathway {
  const { answers, problems } = readCase("case.yaml", stringify(c), flow.facts);
  if (!answers) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join("\n"));
  return decide(flow, answers, today);
}

describe("drafts carry only what their reader needs", () => {
  const flow = bundledFlow();
  const liquid = templateEngine(flow.templates);
  const cases = [
    ...examples().map((e) => ({ file: e.file, case: e.case, today: undefined })),
    ...scenarios().map((s) => ({ file: `scenarios/${s.file}`, case: s.case, today: s.today })),
  ];

  it("no draft of any scenario or worked example carries a fact id, file name, the program, or (sent) a checklist or currency note", () => {
    expect(cases.length).toBeGreaterThan(100);
    const found: string[] = [];
    let sent = 0;
    for (const c of cases) {
      const p = pathwayOf(flow, c.case, c.today);
      for (const id of p.documents) {
        const doc = flow.documents.get(id);
        if (!doc) continue;
        if (doc.audience === "sent") sent++;
        const text = renderDocument(liquid, flow, p, doc);
        for (const f of findings(flow, text, doc.audience === "sent")) found.push(`${c.file} ${id}.md: ${f}`);
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it("finds each of them when one is planted in a real draft (so it can fail)", () => {
    const p = pathwayOf(flow, examples()[0]?.case ?? {});
    const doc = flow.documents.get("mash-referral");
    if (!doc) throw new Error("no mash-referral");
    const text = renderDocument(liquid, flow, p, doc);
    expect(findings(flow, text, true)).toEqual([]);
    const planted: [string, string][] = [
      ["- Due: immediately (concern.date, Mon 7 Dec 2026)", "a fact id"],
      ["- Due: 3 calendar days from missing.return_date", "a fact id"],
      ["- An NRM referral is recommended (nrm-referral.md).", "a file name"],
      ["Run `safeguard check-language` on what you have added.", "this program"],
      ["Draft prepared with safeguard for case EX-1.", "this program"],
      ["## Before you send\n\n- [ ] Every blank is filled in.", "a checklist"],
      ["## Where national guidance has moved on", 'a "moved on" section'],
      [
        "  - Why: in your professional opinion there is evidence that the child is being exploited (Procedures §12.2)",
        "a reason that speaks to the lead",
      ],
      [
        "  - Why: the adult does not consent; your organisation is under the statutory duty to notify (Procedures §15.4.a.1)",
        "a reason that speaks to the lead",
      ],
    ];
    for (const [plant, what] of planted) {
      const got = findings(flow, `${text}\n${plant}\n`, true);
      expect(
        got.map((f) => f.split(":")[0]),
        plant,
      ).toContain(what);
    }
    // A record may keep its checklist-free currency note, but never an id or a file name.
    expect(findings(flow, `${text}\n## Where national guidance has moved on\n`, false)).toEqual([]);
    expect(findings(flow, `${text}\n(capacity-assessment-record.md)\n`, false)).toHaveLength(1);
  });

  it("each case folder has one before-you-send.md, the lead's: checklists and currency notes are there", () => {
    const p = pathwayOf(flow, examples()[0]?.case ?? {});
    const { files, result } = renderOutputs(liquid, flow, p, "out/EX-1");
    const lead = files.get("before-you-send.md") ?? "";
    expect(lead).toContain("- [ ] The completed screening tool is attached (Procedures §12.2).");
    expect(lead).toContain("## Referral to Children's Services (MASH) (mash-referral.md)");
    expect(lead).toContain("Where national guidance has moved on");
    expect(lead).toContain("safeguard check-language");
    expect(result.documents.map((d) => d.id)).toContain("before-you-send");
    expect(result.documents.find((d) => d.id === "before-you-send")?.path).toBe(
      "out/EX-1/before-you-send.md",
    );
  });
});

describe("flows validate: a draft meant to be sent", () => {
  const loc = locateFlow(undefined, packageRoot);
  const planted = (template: string, line: string) => {
    const sources = readFlowSources(loc, packageRoot);
    const { cache: _cache, ...uncached } = sources;
    const raw = sources.templates.get(template);
    if (!raw) throw new Error(`no ${template}`);
    const templates = new Map(uncached.templates);
    templates.set(template, { ...raw, text: `${raw.text}\n${line}\n` });
    return compileFlow({ ...uncached, templates }).problems.map((p) => `${p.line}: ${p.message}`);
  };

  it("may not name a file, the program, hold a checklist or currency note, or print a due rule with ids", () => {
    for (const [line, what] of [
      ["See capacity-assessment-record.md.", "names a file"],
      ["Run `safeguard check-language` on it.", "mentions this program"],
      ["- [ ] Every blank is filled in.", "holds a checklist for the lead"],
      ["## Where national guidance has moved on", "holds a note on where national guidance has moved on"],
      ["{% for a in actions %}{{ a.due_rule }}{% endfor %}", "prints a due rule with fact ids"],
      ["{% for n in summary.currency %}{{ n.topic }}{% endfor %}", "reads summary.currency"],
    ] as const) {
      const got = planted("mash-referral.md", line);
      expect(
        got.some((m) => m.includes(what) && m.includes("mash-referral is sent to another agency")),
        `${line}: ${JSON.stringify(got)}`,
      ).toBe(true);
    }
  });

  it("a record may keep its currency note, and every bundled template passes", () => {
    expect(planted("information-sharing-decision.md", "Guidance has moved on, see above.")).toEqual([]);
    const sources = readFlowSources(loc, packageRoot);
    const { cache: _cache, ...uncached } = sources;
    expect(compileFlow(uncached).problems).toEqual([]);
  });

  it("every document says who reads it", () => {
    for (const d of bundledFlow().documents.values()) expect(["sent", "record"], d.id).toContain(d.audience);
  });
});
