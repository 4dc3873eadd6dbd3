import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { run } from "../src/commands/check-language.js";
import { InputError } from "../src/errors.js";
import { loadLexicon } from "../src/io/lexicon.js";
import { bundledFlowsDir } from "../src/io/paths.js";
import {
  checkText,
  compileLexicon,
  expandPattern,
  type Finding,
  QUOTED_NOTE,
} from "../src/language/check.js";
import { testWorld } from "./helpers/world.js";

const lexicon = loadLexicon(bundledFlowsDir);
const check = (text: string) => checkText(text, lexicon);
const brief = (fs: Finding[]) => fs.map((f) => `${f.line}:${f.column} ${f.phrase} [${f.entryId}]`);

const scratch = mkdtempSync(join(tmpdir(), "safeguard-language-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tiredNote = [
  "Jade keeps going missing and is putting herself at risk.",
  "She is sexually active with her older boyfriend and refuses to engage with services.",
  "Mum says she is making lifestyle choices.",
];
const tiredFindings = [
  "1:6 keeps going missing [going-missing]",
  "1:33 putting herself at risk [putting-self-at-risk]",
  "2:8 sexually active [sexually-active]",
  "2:33 older boyfriend [older-boyfriend]",
  "2:53 refuses to engage [refusing-support]",
  "3:17 making lifestyle choices [lifestyle-choice]",
];
const cleanNote =
  "Jade has been missing three times this month; she is being exploited by an adult who is grooming her.";

describe("the bundled lexicon (flows/language.yaml)", () => {
  const raw = parse(readFileSync(join(bundledFlowsDir, "language.yaml"), "utf8")) as {
    entries: { id: string; phrases: string[] }[];
  };

  it("compiles without problems and keeps every row of spec/language.md", () => {
    expect(compileLexicon(raw).problems).toEqual([]);
    expect(lexicon.entries.length).toBeGreaterThanOrEqual(25);
  });

  // The flag column of spec/language.md, row by row: a deleted row fails here.
  const tableFlags = [
    "provocative",
    "lifestyle choice",
    "lifestyle choices",
    "making lifestyle choices",
    "refusing offers of support",
    "refuses to engage",
    "non-compliant",
    "not engaging",
    "putting himself at risk",
    "putting herself at risk",
    "putting themselves at risk",
    "child prostitute",
    "child prostitution",
    "sex worker",
    "sexually active",
    "promiscuous",
    "consented",
    "consensual",
    "boyfriend",
    "girlfriend",
    "partner",
    "older boyfriend",
    "drug runner",
    "drug dealer",
    "recruited",
    "working for a gang",
    "working for a dealer",
    "gang member",
    "gang-affiliated",
    "keeps going missing",
    "choosing to go missing",
    "absconding",
    "ran away",
    "transactional sex",
    "exchanged sex for",
    "sex for drugs",
    "sex for money",
    "child pornography",
    "child porn",
    "hard to reach",
    "streetwise",
    "attention seeking",
    "manipulative",
    "knows what they are doing",
    "could have done otherwise",
    "risk-taking behaviour",
    "risky behaviour",
    "drug addict",
    "junkie",
    "cuckooed",
  ];
  it.each(tableFlags)("flags the table's phrase %j as a whole", (phrase) => {
    const found = check(`Note: ${phrase}.`);
    expect(found.map((f) => f.phrase)).toEqual([phrase]);
  });

  it.each(["provocative", "making lifestyle choices", "refusing offers of support"])(
    "cites Procedures §7 for the seed phrase %j",
    (phrase) => {
      expect(check(phrase)[0]?.cite).toBe("Procedures §7");
    },
  );

  it("cites the 2024 language guide for the national rows", () => {
    expect(check("streetwise")[0]?.cite).toBe("Language guide 2024 (The Children's Society / Home Office)");
  });

  // Data-driven over the YAML: every phrase of every entry is found, as itself, for its
  // own entry (no other entry's longer phrase swallows it).
  for (const entry of raw.entries) {
    it(`matches every phrase of "${entry.id}" in a sentence`, () => {
      const compiled = lexicon.entries.find((e) => e.id === entry.id);
      expect(compiled?.variants.length).toBeGreaterThan(0);
      for (const variant of compiled?.variants ?? []) {
        const found = check(`The note says ${variant} today.`);
        expect(brief(found), variant).toEqual([`1:15 ${variant} [${entry.id}]`]);
      }
    });
  }
});

describe("checkText", () => {
  it("finds each phrase of a tired professional's note, with line and column", () => {
    const found = check(tiredNote.join("\n"));
    expect(brief(found)).toEqual(tiredFindings);
    const first = found[0];
    expect(first?.why).toBe("blames the person for episodes driven by exploitation");
    expect(first?.suggestion).toBe(
      '"has been missing N times"; "is being taken away"; "is being pulled away"',
    );
    expect(first?.quoted).toBe(false);
  });

  it("finds nothing in clean text", () => {
    expect(check(cleanNote)).toEqual([]);
    expect(check("")).toEqual([]);
  });

  it("gives the same lines and columns for CRLF text", () => {
    expect(brief(check(tiredNote.join("\r\n")))).toEqual(tiredFindings);
    expect(brief(check(`${tiredNote.join("\r\n")}\r\n`))).toEqual(tiredFindings);
  });

  it("counts a lone CR as a line break too", () => {
    expect(brief(check("ok\rjunkie"))).toEqual(["2:1 junkie [drug-addict]"]);
  });

  it("finds a phrase broken over a line break, reported where it starts", () => {
    expect(brief(check("Seen with her older\r\n   boyfriend today."))).toEqual([
      "1:15 older boyfriend [older-boyfriend]",
    ]);
  });

  it("counts columns in characters, not UTF-16 units, and ignores a byte-order mark", () => {
    expect(brief(check("😀 Zoë is a junkie"))).toEqual(["1:12 junkie [drug-addict]"]);
    expect(brief(check("\uFEFFjunkie"))).toEqual(["1:1 junkie [drug-addict]"]);
  });

  describe("word boundaries", () => {
    it("does not match inside a longer word", () => {
      expect(check("The partnership met. She was recruitedx. Provocativeness.")).toEqual([]);
      expect(check("An unprovocative reply; a nonjunkie; ex-partnership.")).toEqual([]);
    });

    it("matches at the start of a sentence, in any case", () => {
      expect(brief(check("Streetwise, they said. STREETWISE."))).toEqual([
        "1:1 Streetwise [streetwise]",
        "1:24 STREETWISE [streetwise]",
      ]);
    });

    it("matches before punctuation and possessives", () => {
      expect(brief(check("Her boyfriend's flat (junkie).")).map((s) => s.split(" [")[1])).toEqual([
        "boyfriend]",
        "drug-addict]",
      ]);
    });

    it("treats hyphens and spaces alike", () => {
      for (const written of ["non-compliant", "non compliant", "noncompliant", "Non‑compliant"]) {
        expect(
          check(`He is ${written}.`).map((f) => f.entryId),
          written,
        ).toEqual(["refusing-support"]);
      }
      expect(check("a hard-to-reach family").map((f) => f.phrase)).toEqual(["hard-to-reach"]);
      expect(check("street-wise and street wise").length).toBe(2);
    });

    it("matches straight and curly apostrophes alike", () => {
      expect(check("she knows what she's doing").map((f) => f.entryId)).toEqual([
        "knows-what-they-are-doing",
      ]);
      expect(check("she knows what she’s doing").map((f) => f.entryId)).toEqual([
        "knows-what-they-are-doing",
      ]);
    });

    it("lists other word forms in the lexicon rather than matching word stems", () => {
      expect(check("refuse to engage, refuses to engage, refused to engage, refusing to engage").length).toBe(
        4,
      );
      expect(check("kept going missing, recruiting, recruited, provocatively").map((f) => f.entryId)).toEqual(
        ["going-missing", "recruited", "recruited", "provocative"],
      );
    });
  });

  describe("overlapping phrases", () => {
    it("prefers the longest match", () => {
      expect(check("her older boyfriend").map((f) => f.phrase)).toEqual(["older boyfriend"]);
      expect(check("making lifestyle choices").map((f) => f.phrase)).toEqual(["making lifestyle choices"]);
      expect(check("working for a drug dealer").map((f) => f.entryId)).toEqual(["working-for"]);
      expect(check("exchanged sex for drugs").map((f) => f.phrase)).toEqual(["exchanged sex for"]);
      // The earlier match is shorter: the longer one that starts later still wins.
      expect(check("sold sex for money").map((f) => f.phrase)).toEqual(["sex for money"]);
    });

    it("keeps separate findings that do not overlap, sorted by position", () => {
      expect(check("junkie boyfriend junkie").map((f) => f.column)).toEqual([1, 8, 18]);
    });
  });

  describe("context-dependent rows", () => {
    it("flags them, asking the reader to check the context", () => {
      for (const text of ["her partner collected her", "a sex worker", "she consented"]) {
        const [f] = check(text);
        expect(f?.why, text).toMatch(/Check the context: /);
      }
      expect(check("junkie")[0]?.why).not.toMatch(/context/);
    });

    it("skips the lexicon's exceptions", () => {
      expect(check("We met partner agencies and our safeguarding partners.")).toEqual([]);
      expect(check("Mum consented to the referral; non-consensual image sharing.")).toEqual([]);
      expect(check("Mum consented to the referral. She consented.").map((f) => f.column)).toEqual([36]);
    });
  });

  describe("quotations", () => {
    it("marks a phrase in straight, curly or single curly quotes as quoted", () => {
      for (const text of [
        'She said "he is my boyfriend" and left.',
        "She said “he is my boyfriend” and left.",
        "She said ‘he is my boyfriend’ and left.",
        "She said ‘he’s my boyfriend’ and left.",
      ]) {
        const [f] = check(text);
        expect(f?.quoted, text).toBe(true);
        expect(f?.suggestion).toBe(
          `${QUOTED_NOTE}. In your own words: "the adult who is exploiting them"; "perpetrator"`,
        );
      }
    });

    it("does not mark phrases outside the quotation", () => {
      const found = check('Her boyfriend said "she is fine" but she keeps going missing.');
      expect(found.map((f) => f.quoted)).toEqual([false, false]);
    });

    it("does not let a stray quote mark run past a blank line", () => {
      const found = check('He said "she is fine.\r\n\r\nShe is streetwise.');
      expect(found.map((f) => [f.line, f.quoted])).toEqual([[3, false]]);
    });

    it("lets a quotation run over a single line break", () => {
      expect(check('Mum said "she is making\nlifestyle choices" today.')[0]?.quoted).toBe(true);
    });

    it("does not take an apostrophe for a closing quote", () => {
      expect(check("Jade’s boyfriend")[0]?.quoted).toBe(false);
    });
  });
});

describe("compileLexicon", () => {
  const entry = { id: "x", phrases: ["thing"], why: "w", suggest: ["s"], cite: "c" };
  const withEntries = (...entries: unknown[]) => ({ version: "1", source: "s", entries });

  it("expands {a|b} patterns, with empty alternatives", () => {
    expect(expandPattern("{refuses|refused} to engage").variants).toEqual([
      "refuses to engage",
      "refused to engage",
    ]);
    expect(expandPattern("choice{|s}").variants).toEqual(["choice", "choices"]);
    expect(expandPattern("working for {a |}gang").variants).toEqual([
      "working for a gang",
      "working for gang",
    ]);
  });

  it("reports every problem, with where it is", () => {
    const { problems, lexicon: partial } = compileLexicon(
      withEntries(
        entry,
        { ...entry, phrases: ["refus(e|ed)", "a {b|{c}}", "open {a|b", "thing"] },
        { ...entry, id: "Bad Id", why: "", extra: 1 },
        { ...entry, id: "y", phrases: ["other"], except: ["unrelated words"] },
      ),
    );
    expect(problems).toEqual([
      'entries[1].id: id "x" is also used by entries[0]',
      expect.stringMatching(/^entries\[1\]\.phrases\[0\]: "refus\(e\|ed\)": "\(" is not allowed/),
      'entries[1].phrases[1]: "a {b|{c}}": groups {…} cannot nest',
      'entries[1].phrases[2]: "open {a|b": "{" is never closed',
      'entries[1].phrases[3]: "thing" is already listed in entry "x"',
      "entries[2].id: use lower-case letters, digits and hyphens",
      expect.stringMatching(/^entries\[2\]\.why: /),
      "entries[2].extra: unknown field",
      'entries[3].except[0]: "unrelated words" contains none of this entry\'s phrases',
    ]);
    // The good entries still compile.
    expect(partial.entries.map((e) => e.id)).toEqual(["x", "x", "y"]);
  });

  it("rejects a file without entries", () => {
    expect(compileLexicon({ version: "1", source: "s" }).problems).toEqual([
      expect.stringMatching(/^entries: /),
    ]);
    expect(compileLexicon(null).problems.length).toBe(1);
  });
});

describe("loadLexicon", () => {
  it("names the file, line and column of each problem", () => {
    const dir = join(scratch, "bad-flows");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "language.yaml"),
      'version: "1"\nsource: s\nentries:\n  - id: x\n    phrases: ["a [b]"]\n    why: w\n    suggest: [s]\n    cite: c\n',
    );
    expect(() => loadLexicon(dir)).toThrow(/^the language lexicon .*language\.yaml has 1 problem:$/);
    const error = (() => {
      try {
        loadLexicon(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([
      expect.stringMatching(/language\.yaml:5:15 {2}entries\[0\]\.phrases\[0\]: "a \[b\]"/),
    ]);
  });

  it("fails clearly when the file is missing", () => {
    expect(() => loadLexicon(join(scratch, "nowhere"))).toThrow(InputError);
  });
});

describe("check-language command", () => {
  /** check-language in-process; what it wrote is read once its streams have settled. */
  function fakeWorld(stdinText?: string) {
    const t = testWorld({ cwd: scratch, stdin: stdinText, colour: true });
    const settle = () => new Promise((r) => setImmediate(r));
    return {
      world: t.world,
      out: async () => {
        await settle();
        return t.out();
      },
      err: async () => {
        await settle();
        return t.err();
      },
    };
  }

  writeFileSync(join(scratch, "note.txt"), tiredNote.join("\r\n"));
  writeFileSync(join(scratch, "clean.txt"), cleanNote);
  writeFileSync(join(scratch, "quoted.txt"), 'Jade said "he is my boyfriend".');

  it("flags a file: one line per finding, a count, exit 1, and none of the rest of the text", async () => {
    const w = fakeWorld();
    expect(await run(w.world, ["note.txt"], { json: false })).toBe(1);
    const lines = (await w.out()).trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe(
      'note.txt:1:6  "keeps going missing"  suggestion: "has been missing N times"; "is being taken away"; ' +
        `"is being pulled away"  (blames the person for episodes driven by exploitation; Language guide 2024 (The Children's Society / Home Office))`,
    );
    expect(lines[5]).toMatch(
      /^note\.txt:3:17 {2}"making lifestyle choices" {2}suggestion: .*; Procedures §7\)$/,
    );
    expect(lines[6]).toBe("6 phrases to reword.");
    expect(await w.out()).not.toMatch(/Jade|Mum|with her/);
    expect(await w.err()).toBe("");
  });

  it("says so and exits 0 for clean text", async () => {
    const w = fakeWorld();
    expect(await run(w.world, ["clean.txt"], { json: false })).toBe(0);
    expect(await w.out()).toBe("No victim-blaming language found.\n");
  });

  it("reads stdin when the file is '-' or absent", async () => {
    for (const args of [["-"], []]) {
      const w = fakeWorld("She is streetwise.\n");
      expect(await run(w.world, args, { json: false })).toBe(1);
      expect(await w.out()).toMatch(/^<stdin>:1:8 {2}"streetwise"/);
    }
    const clean = fakeWorld(cleanNote);
    expect(await run(clean.world, [], { json: false })).toBe(0);
  });

  it("prints JSON with --json", async () => {
    const w = fakeWorld();
    expect(await run(w.world, ["note.txt"], { json: true })).toBe(1);
    const result = JSON.parse(await w.out()) as {
      file: string;
      findings: (Omit<Finding, "entryId"> & { entry_id: string })[];
    };
    expect(result.file).toBe("note.txt");
    expect(brief(result.findings.map((f) => ({ ...f, entryId: f.entry_id })))).toEqual(tiredFindings);
    expect(Object.keys(result.findings[0] ?? {})).toEqual([
      "line",
      "column",
      "phrase",
      "entry_id",
      "why",
      "suggestion",
      "quoted",
      "cite",
    ]);

    const clean = fakeWorld(cleanNote);
    expect(await run(clean.world, ["-"], { json: true })).toBe(0);
    expect(JSON.parse(await clean.out())).toEqual({ file: "<stdin>", findings: [] });
  });

  it("gives quoted words a note without failing", async () => {
    const w = fakeWorld();
    expect(await run(w.world, ["quoted.txt"], { json: false })).toBe(0);
    const out = await w.out();
    expect(out).toContain(`"boyfriend"  suggestion: ${QUOTED_NOTE}.`);
    expect(out).toMatch(/1 quoted phrase to check\.\n$/);
  });

  it("throws an InputError (exit 2) for a missing or unreadable file", async () => {
    for (const [file, why] of [
      ["missing.txt", "no such file"],
      [".", "folder"],
    ]) {
      const w = fakeWorld();
      const failure = run(w.world, [file as string], { json: false });
      await expect(failure).rejects.toBeInstanceOf(InputError);
      await expect(failure).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining(why as string),
      });
      expect(await w.out()).toBe("");
    }
  });
});
