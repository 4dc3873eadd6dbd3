import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { marked } from "marked";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_INCLUDED } from "../src/flow/templates.js";
import { packageRoot } from "../src/io/paths.js";
import { lockFileAt } from "../src/io/session-lock.js";
import { templateEngine } from "../src/render/documents.js";
import { markdownInline } from "../src/render/inert.js";
import { renderOutputs } from "../src/render/outputs.js";
import { cli, example } from "./helpers/cli.js";
import { bundledFlow, decideCase } from "./helpers/flow.js";
import { savedSession } from "./helpers/session.js";
import { FIXED_SEED, fuzzSeed } from "./support/fast-check-seed.js";

/**
 * Issue 24, "the last escapes": what a case or a custom flow holds, and what the program
 * prints, reach a reader only as text.
 */

const BIN = join(packageRoot, "bin", "safeguard.js");
const scratch = mkdtempSync(join(tmpdir(), "safeguard-trust-escapes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

/** A copy of the bundled flow (flows/ and templates/ side by side) in a folder of its own. */
function customFlow(edit: (dir: string) => void): { dir: string; flow: string } {
  const dir = mkdtempSync(join(scratch, `f${n++}-`));
  cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
  cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
  edit(dir);
  return { dir, flow: join(dir, "flows", "all-age.flow.yaml") };
}

const oneLine = (r: { code: number | null; stderr: string }) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/This is a bug|\n\s+at |node:events/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
};

/** The built CLI with its output a pipe nobody reads: the reading end is closed before it starts. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** The bundled flow with each [file, text, replacement] edit made (each text is there to replace). */
function editedFlow(edits: readonly (readonly [string, string, string])[]) {
  return customFlow((d) => {
    for (const [file, from, to] of edits) {
      const path = join(d, file);
      const text = readFileSync(path, "utf8");
      expect(text, from).toContain(from);
      writeFileSync(path, text.replace(from, to));
    }
  });
}

describe("the fast start's own output fails as every command's does: exit 2, one line", () => {
  it("--version and -V onto a full disk (/dev/full)", () => {
    if (!existsSync("/dev/full")) return;
    for (const flag of ["--version", "-V", "--help"]) {
      const full = openSync("/dev/full", "w");
      const r = spawnSync(process.execPath, [BIN, flag], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      closeSync(full);
      oneLine({ code: r.status, stderr: r.stderr });
      expect(r.stderr).toBe("safeguard: error: cannot write the output: the disk is full\n");
    }
  });

  it("--help and --version into a closed pipe (`| head -0`)", async () => {
    for (const flag of ["--help", "--version"]) {
      const r = await intoClosedPipe([flag]);
      oneLine(r);
      expect(r.stderr).toBe(
        "safeguard: error: cannot write the output: the output was closed before everything was written\n",
      );
    }
  });
});

describe("a custom flow's includes are bounded, however they branch", () => {
  /** x1.md includes x2.md twice, x2.md x3.md twice, … to x{LEVELS}.md; the case summary includes x1.md. */
  function doubling(levels: number) {
    return customFlow((dir) => {
      for (let i = 1; i <= levels; i++) {
        const next = i < levels ? `{% include 'x${i + 1}.md' %}{% include 'x${i + 1}.md' %}\n` : "";
        writeFileSync(join(dir, "templates", `x${i}.md`), `level ${i}\n${next}`);
      }
      const summary = join(dir, "templates", "case-summary.md");
      writeFileSync(summary, `${readFileSync(summary, "utf8")}\n{% include 'x1.md' %}\n`);
    });
  }

  it("30 levels that each include the next twice (2^30 templates): refused at load, once, at the include that passes the bound; exit 2, never a hang", () => {
    const { dir, flow } = doubling(30);
    // 2^k - 1 templates from x(31-k): x21.md (1023) is the first over the bound.
    const over = 30 - Math.ceil(Math.log2(MAX_INCLUDED + 1)) + 1;
    for (const args of [
      ["flows", "validate", flow],
      ["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/This is a bug|\n\s+at /);
      const problems = r.stderr.split("\n").filter((l) => /templates[\\/]\S+\.md:\d+:\d+ /.test(l));
      expect(problems.map((l) => l.replace(/^.*templates[\\/]/, ""))).toEqual([
        `x${over}.md:2:${"{% include 'x00.md' %}{% include ".length + 1}  include "x${over + 1}.md": x${over}.md would be made of more than ${MAX_INCLUDED} templates, counting each include as often as it is reached (a template that includes another twice, which includes another twice, … doubles each time): include fewer`,
      ]);
    }
    expect(readdirSync(dir)).not.toContain("out");
  });

  it("just within the bound (9 levels, 511 templates), the same chain is a flow like any other", () => {
    const { dir, flow } = doubling(9);
    const r = cli(["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(dir, "out", "EX-1", "case-summary.md"), "utf8");
    expect(summary.match(/^level 9$/gm)).toHaveLength(256);
  });
});

describe("the debug switches of bundled libraries are cleared at start", () => {
  it("LOG_TOKENS, LOG_STREAM (yaml) and TINYGLOBBY_DEBUG print nothing of a case: run and batch say what they say without them", () => {
    const dir = mkdtempSync(join(scratch, "debug-"));
    const text = readFileSync(example("ex-1-county-lines-15.yaml"), "utf8").replace(
      "person:\n",
      "person:\n  name: Taro Yamada\n",
    );
    writeFileSync(join(dir, "Taro-Yamada.yaml"), text);
    const switches = { LOG_TOKENS: "1", LOG_STREAM: "1", TINYGLOBBY_DEBUG: "1" };
    for (const args of [
      ["run", "--answers", "Taro-Yamada.yaml", "--date", "2026-08-27"],
      ["run", "--answers", "-", "--date", "2026-08-27"],
      ["batch", "*.yaml", "--out", "out", "--date", "2026-08-27", "--force"],
    ]) {
      const input = args.includes("-") ? text : "";
      const plain = cli(args, { cwd: dir, input });
      expect(plain.code, plain.stderr).toBe(0);
      const debug = cli(args, { cwd: dir, input, env: switches });
      expect(debug.stdout).toBe(plain.stdout);
      expect(debug.stderr).toBe(plain.stderr);
      expect(debug.stderr).not.toContain("Taro");
    }
  });
});

describe("the fuzzers run on a fixed seed, and a failure can be replayed", () => {
  it("every property runs on FIXED_SEED, or on FC_SEED when that is an integer", () => {
    expect(fc.readConfigureGlobal().seed).toBe(fuzzSeed(process.env));
    expect(fuzzSeed({})).toBe(FIXED_SEED);
    expect(fuzzSeed({ FC_SEED: "42" })).toBe(42);
    expect(fuzzSeed({ FC_SEED: "-7" })).toBe(-7);
    expect(fuzzSeed({ FC_SEED: "" })).toBe(FIXED_SEED);
    expect(fuzzSeed({ FC_SEED: "random" })).toBe(FIXED_SEED);
  });

  it("the same cases each run; a failure prints its seed and path, which replay it", () => {
    const seen = () => fc.sample(fc.string(), 20);
    expect(seen()).toEqual(seen());
    const failing = fc.property(fc.integer(), (i) => i < 1000);
    const first = fc.check(failing);
    expect(first.failed).toBe(true);
    expect(first.seed).toBe(fuzzSeed(process.env));
    expect(fc.defaultReportMessage(first)).toContain(
      `seed: ${first.seed}, path: "${first.counterexamplePath}"`,
    );
    const replayed = fc.check(failing, { seed: first.seed, path: first.counterexamplePath ?? "" });
    expect(replayed.counterexample).toEqual(first.counterexample);
  });
});

/** Every Markdown renderer a draft may meet: GFM (marked), markdown-it with linkify as it comes, and with every fuzzy kind on. */
const linkify = new MarkdownIt({ linkify: true });
const fuzzy = new MarkdownIt({ linkify: true });
fuzzy.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });
const RENDERERS: [string, (md: string) => string][] = [
  ["GFM (marked)", (md) => marked.parse(md, { gfm: true, async: false })],
  ["markdown-it, linkify", (md) => linkify.render(md)],
  ["markdown-it, linkify, fuzzy", (md) => fuzzy.render(md)],
];
/** The text a reader sees of one rendered paragraph: its tags dropped, its entities read. */
const shown = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "",
    )
    .trim();

describe("addresses in answers stay text in every Markdown renderer", () => {
  const ADDRESSES = [
    "https://evil.example/x?y=1",
    "http://localhost:8080/",
    "ftp://files.example.org",
    "//evil.example",
    "//localhost",
    "www.evil.example",
    "WWW.Example.COM",
    "solihull.gov.uk",
    "google.com",
    "bücher.de",
    "bob@evil.example",
    "first.last+tag@sub.example.co.uk",
    "mailto:bob@evil.example",
    "xmpp:bob@evil.example",
    "192.168.0.1",
    "1.2.3.4:80/x",
  ];

  it("each address: no link anywhere, and it reads as typed", () => {
    for (const address of ADDRESSES) {
      const line = `Contact: ${markdownInline(`see ${address} today`)}`;
      for (const [renderer, render] of RENDERERS) {
        const html = render(line);
        expect(html, `${renderer}: ${address}`).not.toContain("<a");
        expect(shown(html), `${renderer}: ${address}`).toBe(`Contact: see ${address} today`);
      }
    }
  });

  it("every draft of a case whose answers hold addresses: not one of them a link, in any renderer", () => {
    const flow = bundledFlow();
    const pathway = decideCase({
      case_id: "EX-1",
      concern: {
        date: "2026-08-26",
        about: "individual",
        types: ["criminal", "county-lines"],
        description: "Messages from bob@evil.example; see https://evil.example/chat and www.evil.example",
      },
      referral: { date: "2026-08-27" },
      person: { name: "Sam evil.example", dob: "2011-05-19", address: "//evil.example/1, 10.0.0.1" },
      screening: { outcome: "evidence", significant_harm: "likely" },
      responder: { organisation: "education" },
      referrer: { name: "A Lead", email: "lead@evil.example" },
    });
    const { files } = renderOutputs(templateEngine(flow.templates), flow, pathway, "out");
    const drafts = [...files].filter(([name]) => name.endsWith(".md"));
    expect(drafts.length).toBeGreaterThan(4);
    for (const [name, md] of drafts)
      for (const [renderer, render] of RENDERERS) {
        const html = render(md);
        expect(html, `${renderer}: ${name}`).not.toMatch(/<a [^>]*(evil\.example|10\.0\.0\.1)/);
      }
    const mash = files.get("out/mash-referral.md") ?? files.get("mash-referral.md") ?? "";
    expect(shown(marked.parse(mash, { gfm: true, async: false }))).toContain("lead@evil.example");
  });

  it("numbers and ordinary words keep their Markdown plain: 2.5, 07700 900123, e.g.", () => {
    expect(markdownInline("for 2.5 days, 07700 900123, v1.2.3, end. Next")).toBe(
      "for 2.5 days, 07700 900123, v1.2.3, end. Next",
    );
    expect(markdownInline("from 10.0.0.1")).toBe("from 10\\.0\\.0\\.1");
    expect(markdownInline("www.x.org bob@x.org https://x.org")).toBe(
      "www\\.x\\.org bob\\@x\\.org https:\\//x\\.org",
    );
  });

  it("property: any text, addresses among it, renders as typed and links nowhere", () => {
    const printable = fc.string({
      unit: fc.oneof(
        fc.constantFrom(..."abcxyz019 .:/@_-+~*[]()<>!&#=|`\\'\"%?"),
        fc.constantFrom("é", "ü", "ж", "中", "😀"),
      ),
      maxLength: 12,
    });
    const piece = fc.oneof(
      printable,
      fc.constantFrom(...ADDRESSES, "www.", "http://", "https:", "@", ".", "//", ".com", ".uk"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const typed = pieces.join("");
        const line = `Contact: ${markdownInline(typed)} (given)`;
        for (const [renderer, render] of RENDERERS) {
          const html = render(line);
          expect(html, `${renderer}: ${JSON.stringify(typed)}`).not.toContain("<a");
          expect(shown(html), `${renderer}: ${JSON.stringify(typed)}`).toBe(`Contact: ${typed} (given)`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("what the terminal is sent from outside the program is shown, never sent raw", () => {
  const ESCAPES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

  it("commander's own errors quote an option, a command or an argument as text", () => {
    for (const [args, shown] of [
      [["run", "--bogus\u001b[31mX"], "unknown option '--bogus\\x1B[31mX'"],
      [["\u001b]0;pwn\u0007"], "unknown command '\\x1B]0;pwn\\x07'"],
      [["sessions", "--\u009b2J"], "unknown option '--\\x9B2J'"],
    ] as const) {
      const r = cli([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(shown);
      expect(ESCAPES.test(r.stderr), JSON.stringify(r.stderr)).toBe(false);
    }
  });

  it("sessions shows a lock file's host as text: a lock from another computer named as written, escapes and all", () => {
    const data = mkdtempSync(join(scratch, "data-"));
    const sessions = join(data, "sessions");
    mkdirSync(sessions, { recursive: true, mode: 0o700 });
    const id = "20261101-aaaaaa";
    writeFileSync(join(sessions, `${id}.json`), JSON.stringify(savedSession(id)), { mode: 0o600 });
    const host = "far\u001b]52;c;ZXZpbA==\u0007\u001b[2J\rbox";
    writeFileSync(
      join(sessions, `${id}.lock`),
      JSON.stringify({ pid: 4242, host, since: "2026-11-01T09:30:00.000Z" }),
      { mode: 0o600 },
    );
    const r = cli(["sessions"], { env: { SAFEGUARD_DATA_DIR: data } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("open now (process 4242 on far\\x1B]52;c;ZXZpbA==\\x07\\x1B[2J\\rbox");
    expect(ESCAPES.test(r.stdout), JSON.stringify(r.stdout)).toBe(false);
    const json = cli(["sessions", "--json"], { env: { SAFEGUARD_DATA_DIR: data } });
    expect(JSON.parse(json.stdout).sessions[0].open_by).toContain(host);
  });

  it("the error for a lock another computer holds names its host as text, wherever it is shown (the wizard's screen too)", () => {
    const folder = mkdtempSync(join(scratch, "lock-"));
    const file = join(folder, ".safeguard-lock");
    const host = "far\u001b]52;c;ZXZpbA==\u0007\u001b[2J\rbox";
    writeFileSync(file, JSON.stringify({ pid: 4242, host, since: "2026-11-01T09:30:00.000Z" }), {
      mode: 0o600,
    });
    let message = "";
    try {
      lockFileAt(file, "2026-11-01T10:00:00.000Z", { what: "case C-1", hint: "let it finish" }).release();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("process 4242 on far\\x1B]52;c;ZXZpbA==\\x07\\x1B[2J\\rbox");
    expect(ESCAPES.test(message), JSON.stringify(message)).toBe(false);
  });
});

describe("a custom flow's words hold no control character: refused at load, at their place", () => {
  it("an ESC, a C1 CSI or a bidi override in a title, a reason, a question or its help, or a contact: exit 2, file:line:column and field, never on the terminal", () => {
    const edits: [string, string, string][] = [
      [
        "flows/parts/under-18.yaml",
        "title: Refer to Children's Services (MASH), with the screening tool attached",
        'title: "Refer \\e]0;pwned\\a to Children\'s Services (MASH)"',
      ],
      [
        "flows/parts/under-18.yaml",
        "because: in the referrer's professional opinion there is evidence that the child is being groomed for exploitation or exploited",
        'because: "\\x9B2J there is evidence of exploitation"',
      ],
      [
        "flows/parts/questions.yaml",
        "ask: When was the concern identified?",
        'ask: "When was the concern \\u202Eidentified?"',
      ],
      ["flows/parts/questions.yaml", "      What decides whether", "      \u001b[2JWhat decides whether"],
    ];
    const { dir, flow } = editedFlow(edits);
    const locality = join(dir, "flows", "localities", "solihull.yaml");
    const contacts = readFileSync(locality, "utf8");
    const name = /name: ([^\n]+)/.exec(contacts.slice(contacts.indexOf("contacts:")));
    expect(name).not.toBeNull();
    writeFileSync(
      join(dir, "evil-locality.yaml"),
      contacts.replace(name?.[0] ?? "", `name: "\\e[8m${name?.[1]}"`),
    );
    const validate = cli(["flows", "validate", flow], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(2);
    const lines = validate.stderr.split("\n").filter((l) => l.includes("control character"));
    expect(
      lines.map((l) =>
        l.replace(/^.*flows[\\/]/, "").replace(/: holds the control character (U\+\w+).*$/, " $1"),
      ),
    ).toEqual([
      expect.stringMatching(/^parts[\\/]questions\.yaml:\d+:\d+ {2}groups\[0\]\.help U\+001B$/),
      expect.stringMatching(/^parts[\\/]questions\.yaml:\d+:\d+ {2}questions\[1\]\.ask U\+202E$/),
      expect.stringMatching(/^parts[\\/]under-18\.yaml:\d+:\d+ {2}actions\[\d+\]\.title U\+001B$/),
      expect.stringMatching(
        /^parts[\\/]under-18\.yaml:\d+:\d+ {2}actions\[\d+\]\.rules\[0\]\.because U\+009B$/,
      ),
    ]);
    for (const args of [
      ["run", flow, "--answers", example("ex-1-county-lines-15.yaml")],
      ["explain", "mash-referral", "--flow", flow],
      ["flows", "graph", flow, "--format", "text"],
      [
        "run",
        "--answers",
        example("ex-1-county-lines-15.yaml"),
        "--locality",
        join(dir, "evil-locality.yaml"),
      ],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("control character");
      expect(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(r.stdout + r.stderr),
        args.join(" "),
      ).toBe(false);
    }
  });
});

describe("a custom flow's words reach a draft as text, never as HTML", () => {
  it("<script> in a title, a document's title or a reason: shown as typed in every draft, in every renderer", () => {
    const edits: [string, string, string][] = [
      [
        "flows/parts/under-18.yaml",
        "title: Refer to Children's Services (MASH), with the screening tool attached",
        'title: "Refer <script>alert(1)</script> to MASH & co"',
      ],
      [
        "flows/parts/under-18.yaml",
        "because: in the referrer's professional opinion there is evidence that the child is being groomed for exploitation or exploited",
        'because: "there is evidence <img src=x onerror=alert(2)>"',
      ],
      [
        "flows/parts/documents.yaml",
        "title: Referral to Children's Services (MASH)",
        'title: "Referral <iframe src=x></iframe>"',
      ],
    ];
    const { dir, flow } = editedFlow(edits);
    const r = cli(["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const folder = join(dir, "out", "EX-1");
    const drafts = readdirSync(folder).filter((f) => f.endsWith(".md"));
    const html = new MarkdownIt({ html: true });
    let seen = 0;
    for (const name of drafts) {
      const md = readFileSync(join(folder, name), "utf8");
      for (const rendered of [marked.parse(md, { gfm: true, async: false }), html.render(md)]) {
        expect(rendered, name).not.toMatch(/<(script|img|iframe)\b/);
        if (rendered.includes("Refer &lt;script&gt;alert(1)&lt;/script&gt; to MASH &amp; co")) seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(folder, "mash-referral.md"), "utf8")).toContain(
      "# Referral \\<iframe src=x\\>\\</iframe\\>",
    );
  });
});
