import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../src/cli/main.js";
import { packageRoot } from "../src/io/paths.js";
import { bundledScenarios } from "../src/io/scenarios.js";
import { saveSession } from "../src/io/sessions.js";
import { cli } from "./helpers/cli.js";
import { savedSession } from "./helpers/session.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-completion-"));

/**
 * The built program's bash script, sourced in a real bash with a `safeguard` on PATH (the
 * script asks it for session ids) and COMP_WORDS set as bash sets them: what it offers.
 */
let bashDir: string | undefined;
function bashOffers(words: string[], env: Record<string, string> = {}): string[] {
  if (bashDir === undefined) {
    const script = cli(["completion", "bash"]);
    expect(script.code, script.stderr).toBe(0);
    bashDir = tmp();
    writeFileSync(join(bashDir, "completion.bash"), script.stdout);
    writeFileSync(
      join(bashDir, "safeguard"),
      `#!/bin/sh\nexec "${process.execPath}" "${join(packageRoot, "bin", "safeguard.js")}" "$@"\n`,
    );
    chmodSync(join(bashDir, "safeguard"), 0o755);
  }
  const dir = bashDir;
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const r = spawnSync(
    "bash",
    [
      "--norc",
      "-c",
      `source "${dir}/completion.bash"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; ` +
        `_safeguard_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: "utf8", env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}` } },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\n").filter((l) => l !== "");
}

describe("safeguard completion", () => {
  it("bash: completes every command of the table, then a group's subcommands", () => {
    const top = [...new Set(commands.map((c) => c.path[0]))];
    expect(top).toContain("completion");
    expect(bashOffers(["safeguard", ""])).toEqual(expect.arrayContaining([...top, "--help", "--version"]));
    expect(bashOffers(["safeguard", "fl"])).toEqual(["flows"]);
    expect(bashOffers(["safeguard", "flows", ""])).toEqual(["graph", "validate", "--help"]);
    expect(bashOffers(["safeguard", "sessions", "r"])).toEqual(["rm"]);
  });

  it("bash: a command's own options, wherever the words before put it", () => {
    const runOptions = Object.values(commands.find((c) => c.path.join(" ") === "run")?.options ?? {}).map(
      (o) => o.flags.split(" ")[0],
    );
    expect(bashOffers(["safeguard", "run", "--"])).toEqual([...runOptions, "--help"]);
    expect(bashOffers(["safeguard", "run", "--out", "drafts", "--answers", "flows", "--j"])).toEqual([
      "--json",
    ]);
    expect(bashOffers(["safeguard", "flows", "validate", "--"])).toContain("--json");
    // A word that is no subcommand (a file named "graph" given to --out) does not move the place.
    expect(bashOffers(["safeguard", "batch", "graph", "--js"])).toEqual(["--json"]);
  });

  it("bash: the values it knows (flows, scenarios, choices); a file is left to bash's own completion", () => {
    expect(bashOffers(["safeguard", "run", ""])).toContain("all-age");
    const examples = bundledScenarios()
      .filter((s) => s.stem.startsWith("ex-"))
      .map((s) => s.stem);
    expect(examples.length).toBeGreaterThan(0);
    expect(bashOffers(["safeguard", "demo", "ex-"])).toEqual(examples);
    expect(bashOffers(["safeguard", "flows", "graph", "--format", ""])).toEqual([
      "mermaid",
      "text",
      "svg",
      "png",
    ]);
    expect(bashOffers(["safeguard", "run", "--format", "md"])).toEqual([
      "md",
      "md,docx",
      "md,png",
      "md,docx,png",
    ]);
    expect(bashOffers(["safeguard", "schema", ""])).toEqual([
      "case",
      "result",
      "scenario",
      "story",
      "--flow",
      "--help",
    ]);
    expect(bashOffers(["safeguard", "completion", ""])).toEqual([
      "bash",
      "zsh",
      "fish",
      "powershell",
      "--help",
    ]);
    // The case file: nothing offered by the script, so `complete -o default` gives file names.
    expect(bashOffers(["safeguard", "run", "--answers", ""])).toEqual([]);
  });

  it("bash: resume and sessions rm offer the saved sessions' ids, asked of the program when completing", () => {
    const data = tmp();
    const session = savedSession("", {
      flowVersion: "2026.11",
      answers: { case_id: "C-7", "person.name": "Jade Example" },
      order: ["case_id", "person.name"],
    });
    saveSession(join(data, "sessions"), { ...session, id: "20261101-aaaaaa" });
    saveSession(join(data, "sessions"), { ...session, id: "20261102-bbbbbb", finished: true });
    const env = { SAFEGUARD_DATA_DIR: data };
    expect(bashOffers(["safeguard", "resume", "2026"], env)).toEqual(["20261101-aaaaaa", "20261102-bbbbbb"]);
    expect(bashOffers(["safeguard", "sessions", "rm", "20261102"], env)).toEqual(["20261102-bbbbbb"]);
    // No sessions: the options only.
    expect(bashOffers(["safeguard", "resume", ""], { SAFEGUARD_DATA_DIR: tmp() })).toEqual([
      "--date",
      "--help",
    ]);
  });

  it("zsh, fish and PowerShell get their own script from the same table; another shell is exit 2", () => {
    const zsh = cli(["completion", "zsh"]).stdout;
    expect(zsh).toMatch(/^#compdef safeguard\n/);
    expect(zsh).toContain("bashcompinit");
    expect(zsh).toContain("complete -o default -F _safeguard_complete safeguard");
    const fish = cli(["completion", "fish"]).stdout;
    expect(fish).toContain("complete -c safeguard -n '__safeguard_at flows' -a 'graph validate'");
    expect(fish).toContain("complete -c safeguard -n '__safeguard_at run' -l answers -r -F");
    expect(fish).toContain(
      "complete -c safeguard -n '__safeguard_at flows graph' -l format -r -a 'mermaid text svg png'",
    );
    const ps = cli(["completion", "powershell"]).stdout;
    expect(ps).toContain("Register-ArgumentCompleter -Native -CommandName 'safeguard'");
    expect(ps).toContain("'flows graph' = @('all-age', '--format', '--section', '--width', '--help')");
    const bad = cli(["completion", "tcsh"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'safeguard: error: completion for "tcsh": give one of bash, zsh, fish, powershell\n',
    );
  });
});
