import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFlow } from "../src/flow/compile.js";
import { formatProblem } from "../src/flow/problems.js";
import type { FlowSources } from "../src/flow/read.js";
import { locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";

// Loading a flow reports every problem in every file at once, in plain words (issue 13).
const bundled = readFlowSources(locateFlow(undefined, packageRoot), packageRoot);

/** The bundled flow with some files' text edited: `edits` maps a file to [from, to] pairs. */
function edited(edits: Record<string, [string, string][]>, base: FlowSources = bundled): FlowSources {
  const files = new Map(base.files);
  let flow = base.flow;
  for (const [name, pairs] of Object.entries(edits)) {
    const raw = name === "flow" ? flow : files.get(name);
    if (!raw) throw new Error(`no file ${name}`);
    let text = raw.text;
    for (const [from, to] of pairs) {
      if (!text.includes(from)) throw new Error(`${name} has no "${from}"`);
      text = text.replace(from, to);
    }
    if (name === "flow") flow = { ...raw, text };
    else files.set(name, { ...raw, text });
  }
  return { ...base, flow, files };
}

const RAW_ZOD = /Invalid (input|option|string)|Too (small|big)|Unrecognized key|expected .* received|>=/;

describe("a flow with problems in several files", () => {
  const sources = edited({
    "facts.yaml": [
      ['concern.date: { type: date, label: "Date', 'concern.date: { type: dat, label: "Date'],
      ["case_id: { type: string, label:", "case_id: { type: string, lable:"],
    ],
    "parts/maace.yaml": [
      [
        "due: { working_days: 15, from: [s42.decision_date] }",
        "due: { working_dys: 15, from: [s42.decision_date] }",
      ],
    ],
    "parts/transitions.yaml": [
      ['"@transition-exploitation-ofd-referral"', '"@transition-exploitation-ofd-referal"'],
    ],
    "parts/under-18.yaml": [
      ["contacts: [childrens-front-door]", "contacts: [childrens-frontdoor]"],
      ["by: childrens-services", "by: childrens-service"],
    ],
  });
  const { flow, problems } = compileFlow(sources);
  const lines = problems.map(formatProblem);

  it("reports the bad facts file and, still, every part's problems", () => {
    expect(flow).toBeUndefined();
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/facts\.yaml:\d+:\d+ {2}facts\.concern\.date\.type: "dat" is not one of "string", .*; did you mean "date"\?$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/facts\.yaml:\d+:\d+ {2}facts\.case_id\.lable: unknown field; did you mean "label"\?$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/facts\.case_id\.label: missing; text is needed$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/maace\.yaml:\d+:\d+ {2}actions\[\d+\]\.rules\[\d+\]\.due\.working_dys: unknown field; did you mean "working_days"\?$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/transitions\.yaml:\d+:\d+ .*unknown action "transition-exploitation-ofd-referal"; did you mean "transition-exploitation-ofd-referral"\?$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^flows\/parts\/under-18\.yaml:\d+:\d+ .*unknown contact "childrens-frontdoor"/),
    );
    // Who does a step: a team the locality file names.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/under-18\.yaml:\d+:\d+ {2}actions\[\d+\]\.by: unknown team "childrens-service" \(not under teams: in .*solihull\.yaml\); did you mean "childrens-services"\?$/,
      ),
    );
  });

  it("does not cascade: nothing is called unknown because the file defining it failed", () => {
    expect(lines.filter((l) => /unknown (fact|name)/.test(l))).toEqual([]);
    // maace.yaml failed its check; the actions it defines are not reported where used.
    expect(lines.filter((l) => l.includes('unknown action "maace-meeting"'))).toEqual([]);
  });

  it("never shows zod's own wording", () => {
    for (const l of lines) expect(l).not.toMatch(RAW_ZOD);
  });
});

describe("a facts file with one bad entry", () => {
  // Built entry by entry: the bad entry is reported, the others still check the parts'
  // fact names (before, the whole file failed and no fact name was checked at all).
  const badEntry: [string, string] = ["case_id: { type: string, label:", "case_id: { type: string, lable:"];
  const misspeltFact: [string, string] = [
    'person.group == "child" && recommends',
    'person.grup == "child" && recommends',
  ];
  const { flow, problems } = compileFlow(
    edited({ "facts.yaml": [badEntry], "parts/maace.yaml": [misspeltFact] }),
  );
  const lines = problems.map(formatProblem);

  it("reports both the bad entry and the misspelt fact in a part", () => {
    expect(flow).toBeUndefined();
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/facts\.yaml:\d+:\d+ {2}facts\.case_id\.lable: unknown field; did you mean "label"\?$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/maace\.yaml:\d+:\d+ .*unknown fact "person\.grup"; did you mean "person\.group"\?$/,
      ),
    );
  });

  it("names of the bad entry's fact are not called unknown, and nothing else is reported", () => {
    expect(lines.filter((l) => l.includes("case_id") && !l.startsWith("flows/facts.yaml"))).toEqual([]);
    expect(lines).toHaveLength(3); // lable: unknown field; label: missing; person.grup
  });

  it("a bad entry and a bad file shape: the file fails, as before, with no cascade", () => {
    const shape: [string, string] = ["facts:", "versoin: x\nfacts:"];
    const lines = compileFlow(
      edited({ "facts.yaml": [badEntry, shape], "parts/maace.yaml": [misspeltFact] }),
    ).problems.map(formatProblem);
    expect(lines).toContainEqual(expect.stringMatching(/versoin: unknown field; did you mean "version"\?$/));
    expect(lines.filter((l) => /unknown fact/.test(l))).toEqual([]);
  });
});

describe("schema problems in plain words", () => {
  it("a flow file with a bad header still has its parts checked", () => {
    const { problems } = compileFlow(
      edited({
        flow: [["parts:", "partz: 1\nparts:"]],
        "parts/under-18.yaml": [["contacts: [childrens-front-door]", "contacts: [childrens-frontdoor]"]],
      }),
    );
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(/all-age\.flow\.yaml:\d+:1 {2}partz: unknown field; did you mean "parts"\?$/),
    );
    expect(lines).toContainEqual(expect.stringContaining('unknown contact "childrens-frontdoor"'));
  });

  it("lists, missing values, empty text and a due rule of no known form", () => {
    const { problems } = compileFlow(
      edited({
        "parts/maace.yaml": [
          ["due: { working_days: 15, from: [s42.decision_date] }", "due: 15"],
          ["title: ", "title: ''\n    x_title: "],
        ],
      }),
    );
    const messages = problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /due: should be one of these forms: "immediately", \{none\}, \{working_days, from\}/,
      ),
    );
    expect(messages).toContainEqual(expect.stringMatching(/\.title: must not be empty$/));
    for (const m of messages) expect(m).not.toMatch(RAW_ZOD);
  });

  it("a derived fact is worked out from facts a case file gives, named right (issue 22)", () => {
    const { problems } = compileFlow(
      edited({
        "facts.yaml": [
          [
            'from: [person.dob, person.age, person.age_disputed], label: "Child or adult',
            'from: [person.dob, person.agee, person.group], label: "Child or adult',
          ],
          ["person.age_known: { type: bool,", "person.age_known: { type: bool, from: [person.dob],"],
          ["case_id: { type: string,", "case_id: { type: string, from: [person.dob],"],
        ],
      }),
    );
    const messages = problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(/"person.agee" is not a fact a case file gives; did you mean "person.age"\?/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/"person.group" is not a fact a case file gives/));
    expect(messages).toContainEqual(expect.stringMatching(/only a derived fact is worked out from others/));
    expect(messages.filter((m) => m.includes("person.dob"))).toEqual([]);
  });

  it("a rule's own title: checked like the action's, said at its file and line", () => {
    const { problems } = compileFlow(
      edited({
        "parts/consent-nrm.yaml": [
          [
            "title: Ask the local authority front door (MASH) to make",
            "titel: Ask the local authority front door (MASH) to make",
          ],
          [
            "title: Make a National Referral Mechanism (NRM) referral, or ask the local authority front door (MASH) to make it",
            "title: ''",
          ],
        ],
      }),
    );
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/consent-nrm\.yaml:\d+:\d+ {2}actions\[\d+\]\.rules\[1\]\.titel: unknown field; did you mean "title"\?$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/consent-nrm\.yaml:\d+:\d+ {2}actions\[\d+\]\.rules\[2\]\.title: must not be empty$/,
      ),
    );
    for (const l of lines) expect(l).not.toMatch(RAW_ZOD);
  });
});

describe("questions for the drafts", () => {
  it("one that no draft reads is a problem at the question; a drafts condition is checked like any", () => {
    const { flow, problems } = compileFlow(
      edited({
        "parts/questions.yaml": [
          [
            "      organisation's frequent attenders process (Procedures §19.6).\n",
            "      organisation's frequent attenders process (Procedures §19.6).\n    drafts: true\n",
          ],
          [
            `drafts: { when: 'recommends["share-without-consent"]' }`,
            `drafts: { when: 'recommends["share-without-consnet"]' }`,
          ],
        ],
      }),
    );
    expect(flow).toBeUndefined();
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^flows\/parts\/questions\.yaml:\d+:\d+ {2}drafts: no document's template reads concern\.frequent_attender, so the round for the drafts would never ask it$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /questions\.yaml:\d+:\d+ .*unknown action "share-without-consnet"; did you mean "share-without-consent"\?/,
      ),
    );
    expect(lines).toHaveLength(2);
  });

  it("the bundled flow's drafts questions are each read by a draft", () => {
    expect(compileFlow(bundled).problems).toEqual([]);
  });
});

describe("conditions a flow can read and afford (issue 24)", () => {
  const OPEN = 'when: person.open_to_childrens_services.exists(r, r != "no")';
  /** The line the condition is on in the bundled file, as a problem names it. */
  const openLine =
    readFileSync(join(packageRoot, "flows", "parts", "conditions.yaml"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(OPEN)) + 1;
  const nested = (depth: number) => {
    let body = `x${depth - 1} != "no"`;
    for (let i = depth - 1; i >= 0; i--) body = `person.open_to_childrens_services.exists(x${i}, ${body})`;
    return `when: ${body}`;
  };
  const lines = (edits: Record<string, [string, string][]>) => {
    const { flow, problems } = compileFlow(edited(edits));
    return { flow, lines: problems.map(formatProblem) };
  };

  it("a named condition named with a word CEL keeps for itself is refused at its name", () => {
    for (const name of ["int", "in", "true", "null", "for", "map"]) {
      const r = lines({ "parts/conditions.yaml": [["name: first_responder", `name: "${name}"`]] });
      expect(r.flow).toBeUndefined();
      expect(r.lines, name).toContainEqual(
        `flows/parts/conditions.yaml:6:11  conditions[0].name: "${name}" is a word the expression language (CEL) keeps for itself: choose another name`,
      );
    }
  });

  it("a named condition CEL cannot read is said at its line, and the rules naming it are still checked", () => {
    const r = lines({
      "parts/conditions.yaml": [
        [
          'when: responder.organisation in ["local-authority"',
          'when: responder.organisation ¬ ["local-authority"',
        ],
      ],
    });
    expect(r.flow).toBeUndefined();
    expect(r.lines).toEqual([
      "flows/parts/conditions.yaml:9:11  conditions[0].when: cannot parse: Unexpected character: ¬",
    ]);
  });

  it("list comprehensions nested deeper than 3 are refused at load, in the condition or where it is named", () => {
    expect(lines({ "parts/conditions.yaml": [[OPEN, nested(3)]] }).lines).toEqual([]);
    const deep = lines({ "parts/conditions.yaml": [[OPEN, nested(8)]] });
    expect(deep.flow).toBeUndefined();
    expect(deep.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^flows/parts/conditions\\.yaml:${openLine}:11 {2}conditions\\[\\d+\\]\\.when: 8 list comprehensions \\(exists, all, map, filter, exists_one\\) nested one in another: at most 3 \\(each level multiplies the work a case costs\\)$`,
        ),
      ),
    ]);
    // Depth 3 named inside a comprehension of a rule: 4 where it is named.
    const named = "still_open_to_childrens_services"; // whose `when` is OPEN
    const used = lines({
      "parts/conditions.yaml": [[OPEN, nested(3)]],
      "parts/maace.yaml": [["concern.types.exists(t, t in [", `concern.types.exists(t, ${named} && t in [`]],
    });
    const ruleLine =
      readFileSync(join(packageRoot, "flows", "parts", "maace.yaml"), "utf8")
        .split("\n")
        .findIndex((l) => l.includes("concern.types.exists(t, t in [")) + 1;
    expect(used.lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^flows/parts/maace\\.yaml:${ruleLine}:\\d+ {2}actions\\[\\d+\\]\\.rules\\[\\d+\\]\\.when: 4 list comprehensions .* nested one in another, with the named conditions it uses: at most 3`,
        ),
      ),
    ]);
  });
});
