import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { assemble, caseFolder } from "../src/case/assemble.js";
import { decideCase, decidedPathway, lexiconFor } from "../src/case/decide.js";
import { InputError } from "../src/errors.js";
import { caseFolderName } from "../src/io/output.js";
import { bundledFlow } from "./helpers/flow.js";

// The case pipeline (src/case/): read and decide, redact what is shown, assemble every output.
// run, batch, the wizard and demo all go through it; their own tests check what they print and write.

const TODAY = "2026-11-23";
const base = {
  concern: { date: "2026-08-26", about: "individual", types: ["criminal", "county-lines"] },
  person: { dob: "2011-05-19" },
  screening: { outcome: "evidence", significant_harm: "likely" },
};
const file = (c: Record<string, unknown>) => ({ file: "c.yaml", text: stringify(c) });

describe("decideCase: read and decide", () => {
  it("decides from the real facts, and with redact shows a redacted copy of the same pathway", () => {
    const flow = bundledFlow();
    const plain = decideCase(flow, file({ case_id: "CP-1", ...base }), { today: TODAY });
    const red = decideCase(flow, file({ case_id: "CP-1", ...base }), { today: TODAY, redact: true });
    if (!plain.ok || !red.ok) throw new Error("both decide");
    expect(plain.pathway.redacted).toBeUndefined();
    expect(red.pathway.redacted).toBe(true);
    expect(red.pathway.actions.map((a) => a.id)).toEqual(plain.pathway.actions.map((a) => a.id));
    expect(plain.pathway.answers.get("person.dob")).toBe("2011-05-19");
    expect(red.pathway.answers.get("person.dob")).not.toBe("2011-05-19");
  });

  it("a case that cannot be read: every problem, and with redact no quoted personal value or unknown key", () => {
    const flow = bundledFlow();
    const bad = { case_id: "CP-2", ...base, person: { dob: "19/05/2011" }, "Taro Yamada": 1 };
    const plain = decideCase(flow, file(bad), { today: TODAY });
    const red = decideCase(flow, file(bad), { today: TODAY, redact: true });
    if (plain.ok || red.ok) throw new Error("neither decides");
    expect(plain.problems).toHaveLength(2);
    expect(plain.problems.map((p) => p.message).join("\n")).toContain("19/05/2011");
    expect(plain.problems.map((p) => p.field)).toContain("Taro Yamada");
    expect(red.problems).toHaveLength(2);
    expect(JSON.stringify(red.problems)).not.toMatch(/19\/05\/2011|Taro Yamada/);
  });

  it("decidedPathway: the pathway, or an InputError naming the file with every problem (one and several)", () => {
    const flow = bundledFlow();
    const good = decideCase(flow, file({ case_id: "CP-3", ...base }), { today: TODAY });
    expect(decidedPathway(good, "the case file c.yaml").caseId).toBe("CP-3");
    const one = decideCase(flow, file({ ...base, person: { dob: "nope" } }), { today: TODAY });
    const two = decideCase(flow, file({ ...base, person: { dob: "nope" }, extra: 1 }), { today: TODAY });
    const thrown = (d: typeof one) => {
      try {
        decidedPathway(d, "the case file c.yaml");
      } catch (error) {
        return error;
      }
      throw new Error("no error");
    };
    const e1 = thrown(one);
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as InputError).message).toBe("the case file c.yaml has 1 problem:");
    expect((e1 as InputError).problems).toHaveLength(1);
    expect((e1 as InputError).problems[0]).toMatch(/^c\.yaml:\d+:\d+/);
    const e2 = thrown(two) as InputError;
    expect(e2.message).toBe("the case file c.yaml has 2 problems:");
    expect(e2.problems).toHaveLength(2);
  });

  it("a case with no case_id takes the fallback; one with its own keeps it", () => {
    const flow = bundledFlow();
    const without = decideCase(flow, file(base), { today: TODAY, fallbackId: "from-file" });
    const own = decideCase(flow, file({ case_id: "CP-4", ...base }), {
      today: TODAY,
      fallbackId: "from-file",
    });
    expect(without.ok && without.pathway.caseId).toBe("from-file");
    expect(own.ok && own.pathway.caseId).toBe("CP-4");
  });

  it("the language lexicon only when free text is given: not for none, nor for text not known", () => {
    const flow = bundledFlow();
    expect(lexiconFor(flow, new Map([["person.age", 15]]))).toEqual({});
    expect(lexiconFor(flow, new Map([["concern.description", null]]))).toEqual({});
    expect(lexiconFor(flow, new Map([["concern.description", "seen with older men"]])).lexicon).toBeDefined();
    // And the pathway carries the check's warning: the lexicon was used.
    const said = decideCase(
      flow,
      file({ case_id: "CP-5", ...base, concern: { ...base.concern, description: "she is promiscuous" } }),
      { today: TODAY },
    );
    expect(said.ok && said.pathway.warnings.some((w) => w.kind === "language")).toBe(true);
  });
});

describe("assemble: every output of a case", () => {
  const decided = () => {
    const d = decideCase(bundledFlow(), file({ case_id: "a/b", ...base }), { today: TODAY });
    if (!d.ok) throw new Error("decides");
    return d.pathway;
  };

  it("in the case's own folder under --out, its name made safe; extra files after the outputs", () => {
    const a = assemble(bundledFlow(), decided(), {
      out: "out",
      extra: new Map([["answers.yaml", "x: 1\n"]]),
    });
    expect(a.folder).toBe(join("out", caseFolderName("a/b")));
    expect(caseFolder("out", "a/b")).toBe(a.folder);
    expect(a.folder).not.toContain(join("a", "b"));
    expect(a.files.map((f) => f.path).at(-1)).toBe("answers.yaml");
    expect(a.result.documents.find((d) => d.id === "case-summary")?.path).toBe(`${a.folder}/case-summary.md`);
  });

  it("with docx, a Word twin after the files for each Markdown file, the rest byte for byte the same", async () => {
    const flow = bundledFlow();
    const md = assemble(flow, decided(), { out: "out" });
    const both = await assemble(flow, decided(), { out: "out", docx: true });
    const markdown = md.files.filter((f) => f.path.endsWith(".md")).map((f) => f.path);
    expect(both.files.slice(0, md.files.length)).toEqual(md.files);
    expect(both.files.slice(md.files.length).map((f) => f.path)).toEqual(
      markdown.map((p) => p.replace(/\.md$/, ".docx")),
    );
    expect(both.folder).toBe(md.folder);
  });
});
