import { describe, expect, it } from "vitest";
import { compactPathway } from "../src/prompts/screens.js";
import { renderDocument, templateEngine } from "../src/render/documents.js";
import { deadlinesIcs } from "../src/render/ics.js";
import { bundledFlow, decideCase, readScenarioFile, replayScreens, scenarios } from "./helpers/flow.js";

/** A record of the scenario file's (its keys, each given a value), as pairs. */
const entries = <V>(r: Partial<Record<string, V>> | undefined) => Object.entries(r ?? {}) as [string, V][];

// Scenario files (scenarios/*.yaml): a case in; the actions, dates and documents out.
// Adding a rule means adding a scenario (style.md §10).
describe("scenarios", () => {
  for (const s of scenarios()) {
    it(`${s.file}: ${s.name}`, () => {
      const p = decideCase(s.case, s.today);
      const got = new Map(p.actions.map((a) => [a.id, a.due]));
      const e = s.expect;
      if (e.group) expect(p.person.group, "group").toBe(e.group);
      if (e.age !== undefined) expect(p.person.age, "age").toBe(e.age);
      for (const [id, due] of entries(e.actions)) {
        expect(got.has(id), `${id} should be recommended; got ${[...got.keys()].join(", ")}`).toBe(true);
        expect(got.get(id), `${id} due`).toBe(due);
      }
      for (const id of e.not ?? []) expect(got.has(id), `${id} should not be recommended`).toBe(false);
      for (const d of e.documents ?? []) expect(p.documents, `document ${d}`).toContain(d);
      for (const d of e.not_documents ?? []) expect(p.documents, `document ${d}`).not.toContain(d);
      const kinds = p.warnings.map((w) => w.kind);
      for (const k of e.warnings ?? []) expect(kinds, `warning ${k}`).toContain(k);
      const undecided = p.undecided.map((u) => u.id);
      for (const id of e.not_decided ?? []) expect(undecided, `${id} should be not decided`).toContain(id);
      for (const [id, text] of entries(e.due_rule_includes)) {
        expect(p.actions.find((a) => a.id === id)?.dueRule, `${id} due rule`).toContain(text);
      }
      for (const [id, contacts] of entries(e.contacts)) {
        const ids = p.actions.find((a) => a.id === id)?.contacts.map((c) => c.id) ?? [];
        for (const c of contacts) expect(ids, `${id} contacts`).toContain(c);
      }
      const texts = p.warnings.map((w) => w.text);
      for (const t of e.warnings_include ?? [])
        expect(
          texts.some((w) => w.includes(t)),
          `a warning containing ${JSON.stringify(t)}; got ${JSON.stringify(texts)}`,
        ).toBe(true);
      for (const t of e.not_warnings_include ?? [])
        expect(
          texts.filter((w) => w.includes(t)),
          `no warning containing ${JSON.stringify(t)}`,
        ).toEqual([]);
      for (const [id, title] of entries(e.titles))
        expect(p.actions.find((a) => a.id === id)?.title, `${id} title`).toBe(title);
      for (const [id, text] of entries(e.because_includes)) {
        const reasons = p.actions.find((a) => a.id === id)?.because.map((b) => b.because) ?? [];
        expect(
          reasons.some((r) => r.includes(text)),
          `${id}: a reason containing ${JSON.stringify(text)}; got ${JSON.stringify(reasons)}`,
        ).toBe(true);
      }
      for (const [id, text] of entries(e.not_because_includes)) {
        const reasons = p.actions.find((a) => a.id === id)?.because.map((b) => b.because) ?? [];
        expect(
          reasons.filter((r) => r.includes(text)),
          `${id}: no reason containing ${JSON.stringify(text)}`,
        ).toEqual([]);
        expect(reasons.length, `${id} is recommended`).toBeGreaterThan(0);
      }
      const readings = (id: string) => {
        const a = p.actions.find((x) => x.id === id);
        expect(a, `${id} is recommended`).toBeDefined();
        return a?.because.flatMap((b) => b.notKnown.map((n) => n.fact)) ?? [];
      };
      for (const [id, facts] of entries(e.reads_as))
        for (const f of facts) expect(readings(id), `${id} reads ${f} as not known`).toContain(f);
      for (const [id, facts] of entries(e.not_reads_as))
        for (const f of facts) expect(readings(id), `${id} does not read ${f} as not known`).not.toContain(f);
      for (const [id, days] of entries(e.overdue)) {
        expect(p.actions.find((a) => a.id === id)?.daysOverdue, `${id} days overdue`).toBe(days);
      }
      for (const id of e.expected ?? []) {
        const a = p.actions.find((x) => x.id === id);
        expect(a, `${id} is recommended`).toBeDefined();
        expect(a?.expected, `${id} is expected`).toBe("expected if the strategy discussion agrees");
        expect(a?.daysOverdue, `${id} is never overdue`).toBe(0);
      }
      for (const id of e.firm ?? []) {
        const a = p.actions.find((x) => x.id === id);
        expect(a, `${id} is recommended`).toBeDefined();
        expect(a?.expected, `${id} is firm`).toBeUndefined();
      }
      if (e.glance_includes || e.glance_excludes) {
        const glance = compactPathway(p, false, 200);
        for (const t of e.glance_includes ?? []) expect(glance, "glance").toContain(t);
        for (const t of e.glance_excludes ?? []) expect(glance, "glance").not.toContain(t);
      }
      if (e.calendar_includes || e.calendar_excludes) {
        const ics = deadlinesIcs(p).replace(/\r\n /g, "");
        for (const t of e.calendar_includes ?? []) expect(ics, "deadlines.ics").toContain(t);
        for (const t of e.calendar_excludes ?? []) expect(ics, "deadlines.ics").not.toContain(t);
      }
      if (e.asks || e.not_asks) {
        const asked = replayScreens(p.answers, s.today).flat();
        for (const f of e.asks ?? []) expect(asked, `${f} should be asked`).toContain(f);
        for (const f of e.not_asks ?? []) expect(asked, `${f} should not be asked`).not.toContain(f);
      }
      const docs = { ...e.document_includes, ...e.document_excludes };
      for (const id of Object.keys(docs)) {
        const flow = bundledFlow();
        const def = flow.documents.get(id);
        expect(def, `document ${id} exists`).toBeDefined();
        const text = renderDocument(templateEngine(flow.templates), flow, p, def as NonNullable<typeof def>);
        for (const t of e.document_includes?.[id] ?? []) expect(text, `${id} draft`).toContain(t);
        for (const t of e.document_excludes?.[id] ?? []) expect(text, `${id} draft`).not.toContain(t);
      }
    });
  }
});

describe("a scenario file's keys", () => {
  const text = (expect: string) => `name: x\ncase: { concern: { date: "2026-11-02" } }\nexpect:\n${expect}\n`;

  it("a misspelt key in expect is refused, naming the file and the key, rather than asserting nothing", () => {
    expect(() => readScenarioFile("x.yaml", text("  not_document: [mash-referral]"))).toThrow(
      /^scenarios\/x\.yaml:\n {2}expect\.not_document: unknown field; did you mean "not_documents"\?$/,
    );
    expect(() => readScenarioFile("x.yaml", text("  actions: { maace-meeting: 3 }"))).toThrow(
      /expect\.actions\.maace-meeting: should be/,
    );
  });

  it("a well-formed one is read as written", () => {
    const s = readScenarioFile("x.yaml", text("  not_documents: [mash-referral]"));
    expect(s.expect.not_documents).toEqual(["mash-referral"]);
    expect(s.file).toBe("x.yaml");
  });
});

describe("coverage of the flows by scenarios", () => {
  const all = scenarios();
  const expected = new Set(all.flatMap((s) => Object.keys(s.expect.actions ?? {})));
  const documents = new Set(all.flatMap((s) => s.expect.documents ?? []));

  it("every action in the flows is expected by at least one scenario", () => {
    const missing = bundledFlow()
      .actions.map((a) => a.id)
      .filter((id) => !expected.has(id));
    expect(missing, "actions no scenario expects").toEqual([]);
  });

  it("every document in the flows is expected by at least one scenario", () => {
    const missing = [...bundledFlow().documents.keys()].filter(
      (id) => id !== "case-summary" && !documents.has(id),
    );
    expect(missing, "documents no scenario expects").toEqual([]);
  });
});
