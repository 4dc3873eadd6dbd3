import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../src/io/paths.js";
import { templateEngine } from "../src/render/documents.js";
import { renderOutputs } from "../src/render/outputs.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";

const scenario = (name: string) =>
  parse(readFileSync(join(packageRoot, "scenarios", `${name}.yaml`), "utf8")).case;

// The case summary (procedure-map §3): the pathway in order, deadlines, contacts, why,
// the answers and the flow version. Not a golden file: it carries the flows' sha256.
describe("case-summary.md", () => {
  // Worked out on the concern date: nothing is overdue yet.
  const pathway = decideCase(scenario("ex-1-county-lines-15"), "2026-08-26");
  const md =
    renderOutputs(templateEngine(bundledFlow().templates), bundledFlow(), pathway, "out/EX-1").files.get(
      "case-summary.md",
    ) ?? "";

  it("lists the pathway in procedure order, each with its due date, rule, reason and contact", () => {
    const order = pathway.actions.map((a) => md.indexOf(`(\`${a.id}\`)`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain(
      "- Due: **Wed 2 Sep 2026** (3 working days from referral.date (Thu 27 Aug 2026), skipping Summer bank holiday (Mon 31 Aug 2026)).",
    );
    expect(md).toContain(
      "Why: in the referrer's professional opinion there is evidence that the child is being groomed",
    );
    expect(md).toContain("Contact: SMBC Exploitation Team: 0121 709 7011, exploitationteam@solihull.gov.uk");
  });

  it("has the deadlines by date, what is not decided, the currency notes, the answers and the flow version", () => {
    const table = md.slice(md.indexOf("## Deadlines by date"), md.indexOf("## Not decided"));
    const dates = [...table.matchAll(/^\| (\w{3} \d+ \w{3} \d{4}) \|/gm)].map((m) => Date.parse(m[1] ?? ""));
    expect(dates.length).toBeGreaterThan(4);
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    expect(md).toContain("- Contact the police now (999) (`police-emergency`): needs concern.imminent_harm");
    expect(md).toContain("## Where national guidance has moved on since these procedures");
    expect(md).toContain("| `person.dob` | Date of birth | 2011-05-19 |");
    expect(md).toContain(`flows sha256 \`${pathway.flow.sha256}\``);
    expect(md).not.toContain("**not-decided:**");
  });

  it("marks a step due before today as overdue, in the pathway and in the deadlines", () => {
    const later = decideCase(scenario("ex-1-county-lines-15"), "2026-09-10");
    const text =
      renderOutputs(templateEngine(bundledFlow().templates), bundledFlow(), later, "out/EX-1").files.get(
        "case-summary.md",
      ) ?? "";
    expect(text).toContain("- **Worked out on:** Thu 10 Sep 2026 (steps due before it are marked overdue)");
    expect(text).toContain(
      "- Due: **Wed 2 Sep 2026**, **overdue: 6 working days** (3 working days from referral.date (Thu 27 Aug 2026)",
    );
    expect(text).toContain("| Wed 2 Sep 2026, **overdue: 6 working days** | Expect a strategy discussion");
    // The MAACE meeting (Thu 17 Sep) is not due yet, and is expected until the strategy discussion agrees.
    expect(text).toMatch(/\| Thu 17 Sep 2026, expected if the strategy discussion agrees \| Multi-Agency/);
    expect(md).not.toContain("overdue:");
  });
});
