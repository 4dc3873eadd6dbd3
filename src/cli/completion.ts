import { readdirSync } from "node:fs";
import { UsageError } from "../errors.js";
import { bundledFlowsDir } from "../io/paths.js";
import { bundledScenarios } from "../io/scenarios.js";
import type { World } from "../io/world.js";
import { say } from "../words/problems.js";
import type { OptionTable } from "./options.js";

/**
 * `safeguard completion bash|zsh|fish|powershell`: a completion script made from the
 * command table (commander has none): the commands and their subcommands, each command's
 * options, and the values we know: bundled flow names, scenario names, the session ids
 * `sessions --json` lists when the script runs, and an option's fixed choices. Anything
 * else (a case file, a folder) is left to the shell's own file completion.
 */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

/** What completion needs of a command table entry (src/cli/main.ts). */
export interface Completable {
  path: string[];
  args?: string;
  options: OptionTable;
}

/** One place in the command line: the words after the program that lead there, and what may follow. */
interface Place {
  /** e.g. "flows graph"; "" for the program itself. */
  path: string;
  /** Subcommands, known argument values and options. */
  words: string[];
  /** The argument is a saved session's id: listed by `sessions --json` when completing. */
  sessions: boolean;
}

/** An option whose value has fixed choices, at a place. */
interface Choice {
  path: string;
  option: string;
  values: string[];
}

/** The values a command's first argument takes, by its name in the table's `args`. */
function argumentValues(args: string | undefined, path: string): string[] {
  const name = args?.replace(/[[\]<>.]/g, "");
  if (name === "flow" || path === "flows validate") return bundledFlows();
  if (name === "scenario") return bundledScenarios().map((s) => s.stem);
  if (path === "schema") return ["case", "result", "scenario", "story"];
  if (path === "completion") return [...SHELLS];
  return [];
}

function bundledFlows(): string[] {
  return readdirSync(bundledFlowsDir)
    .filter((f) => f.endsWith(".flow.yaml"))
    .map((f) => f.slice(0, -".flow.yaml".length))
    .sort();
}

/** Fixed choices of an option's value, from its description's own list. */
const CHOICES: Record<string, string[]> = {
  "flows graph --format": ["mermaid", "text", "svg", "png"],
  "run --format": ["md", "docx", "md,docx", "md,png", "md,docx,png"],
  "batch --format": ["md", "docx", "md,docx", "md,png", "md,docx,png"],
};

interface Table {
  places: Place[];
  choices: Choice[];
  /** Options that take a value: the word after one is that value, never a command. */
  valued: string[];
}

/** Every place and choice, from the command table. */
export function completionTable(commands: readonly Completable[]): Table {
  // Subcommands first, in the table's order; then argument values and options.
  const places = new Map<string, Place & { commands: string[] }>();
  const place = (path: string) => {
    let p = places.get(path);
    if (!p) {
      p = { path, commands: [], words: [], sessions: false };
      places.set(path, p);
    }
    return p;
  };
  place("").words.push("--help", "--version", "--debug");
  const choices: Choice[] = [];
  const valued = new Set<string>();
  for (const c of commands) {
    for (let i = 0; i < c.path.length; i++) {
      const parent = place(c.path.slice(0, i).join(" "));
      const word = c.path[i] as string;
      if (!parent.commands.includes(word)) parent.commands.push(word);
      place(c.path.slice(0, i + 1).join(" "));
    }
    const path = c.path.join(" ");
    const here = place(path);
    here.words.push(...argumentValues(c.args, path));
    for (const o of Object.values(c.options)) {
      const long = o.flags.split(/[ ,]+/).find((f) => f.startsWith("--")) as string;
      here.words.push(long);
      if (o.kind !== "flag") valued.add(long);
      const values = CHOICES[`${path} ${long}`];
      if (values) choices.push({ path, option: long, values });
    }
    here.sessions = c.args?.replace(/[[\]<>]/g, "") === "id" && (path === "resume" || path === "sessions rm");
  }
  return {
    places: [...places.values()].map(({ commands, words, ...p }) => ({
      ...p,
      words: [...new Set([...commands, ...words, "--help"])],
    })),
    choices,
    valued: [...valued].sort(),
  };
}

/** The command itself: print the script for the shell named. */
export async function run(world: World, args: string[], commands: readonly Completable[]): Promise<number> {
  const shell = args[0] ?? "";
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(say.completionShell(shell, SHELLS));
  const name = world.program.replace(/^.*[\\/]/, "");
  world.stdout.write(completionScript(shell as (typeof SHELLS)[number], name, completionTable(commands)));
  return 0;
}

const FUNCTION = (name: string) => `_${name.replace(/\W/g, "_")}_complete`;
/** The session ids in `sessions --json`, one a line, by the program as it was called. */
const SED_IDS = `sed -n 's/^ *"id": "\\([^"]*\\)",*$/\\1/p'`;

export function completionScript(shell: (typeof SHELLS)[number], program: string, table: Table): string {
  if (shell === "fish") return fish(program, table);
  if (shell === "powershell") return powershell(program, table);
  const script = bash(program, table);
  return shell === "bash"
    ? script
    : `#compdef ${program}\n# zsh: the bash completion, through zsh's bashcompinit.\nautoload -U +X bashcompinit && bashcompinit\n${script}`;
}

function bash(program: string, { places, choices, valued }: Table): string {
  const fn = FUNCTION(program);
  const known = places.filter((p) => p.path !== "").map((p) => `"/${p.path.replaceAll(" ", "/")}"`);
  const lines = [
    `# ${program} completion for bash: source it, or put it in ~/.local/share/bash-completion/completions/${program}`,
    `${fn}() {`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...}, not ours.
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" i w words=""',
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...}, not ours.
    '    w="${COMP_WORDS[i]}"',
    '    case "$path/$w" in',
    `      ${known.join("|")}) path="$path/$w" ;;`,
    "    esac",
    "  done",
    '  case "$path $prev" in',
    ...choices.map(
      (c) =>
        `    "/${c.path.replaceAll(" ", "/")} ${c.option}") COMPREPLY=($(compgen -W "${c.values.join(" ")}" -- "$cur")); return ;;`,
    ),
    "  esac",
    '  case "$prev" in',
    `    ${valued.join("|")}) return ;;`,
    "  esac",
    '  case "$path" in',
    ...places.map((p) => {
      const ids = p.sessions ? ` $("\${COMP_WORDS[0]}" sessions --json 2>/dev/null | ${SED_IDS})` : "";
      return `    "${p.path === "" ? "" : `/${p.path.replaceAll(" ", "/")}`}") words="${p.words.join(" ")}${ids}" ;;`;
    }),
    "  esac",
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    "}",
    `complete -o default -F ${fn} ${program}`,
    "",
  ];
  return lines.join("\n");
}

function fish(program: string, { places, choices, valued }: Table): string {
  const q = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  const lines = [`# ${program} completion for fish: put it in ~/.config/fish/completions/${program}.fish`];
  lines.push(`complete -c ${program} -f`);
  // The place the command line is at: the subcommand words typed so far, in order.
  lines.push(
    `function __${program.replace(/\W/g, "_")}_at`,
    "    set -l words (commandline -opc)",
    '    set -l path ""',
    `    set -l known ${places.map((p) => q(p.path)).join(" ")}`,
    "    for w in $words[2..-1]",
    '        set -l next (string trim -- "$path $w")',
    "        contains -- $next $known; and set path $next",
    "    end",
    '    test "$path" = "$argv"',
    "end",
  );
  const at = (path: string) => `-n ${q(`__${program.replace(/\W/g, "_")}_at ${path}`.trimEnd())}`;
  for (const p of places) {
    const [options, values] = [
      p.words.filter((w) => w.startsWith("--")),
      p.words.filter((w) => !w.startsWith("--")),
    ];
    if (values.length > 0) lines.push(`complete -c ${program} ${at(p.path)} -a ${q(values.join(" "))}`);
    // An option's value is a file or other text (-r -F), unless it has fixed choices (below).
    for (const o of options)
      lines.push(
        `complete -c ${program} ${at(p.path)} -l ${o.slice(2)}${valued.includes(o) && !choices.some((c) => c.path === p.path && c.option === o) ? " -r -F" : ""}`,
      );
    if (p.sessions)
      lines.push(
        `complete -c ${program} ${at(p.path)} -a ${q(`(${program} sessions --json 2>/dev/null | string match -rg '"id": "([^"]*)"')`)}`,
      );
  }
  for (const c of choices)
    lines.push(`complete -c ${program} ${at(c.path)} -l ${c.option.slice(2)} -r -a ${q(c.values.join(" "))}`);
  return `${lines.join("\n")}\n`;
}

function powershell(program: string, { places, choices }: Table): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const table = places.map((p) => `    ${q(p.path)} = @(${p.words.map(q).join(", ")})`);
  const choiceTable = choices.map(
    (c) => `    ${q(`${c.path} ${c.option}`)} = @(${c.values.map(q).join(", ")})`,
  );
  const sessions = places.filter((p) => p.sessions).map((p) => q(p.path));
  return `${[
    `# ${program} completion for PowerShell: dot-source it from your profile`,
    `Register-ArgumentCompleter -Native -CommandName ${q(program)} -ScriptBlock {`,
    "  param($wordToComplete, $commandAst, $cursorPosition)",
    "  $places = @{",
    ...table,
    "  }",
    "  $choices = @{",
    ...choiceTable,
    "  }",
    `  $sessionPlaces = @(${sessions.join(", ")})`,
    "  $path = ''",
    "  $prev = ''",
    "  foreach ($e in $commandAst.CommandElements | Select-Object -Skip 1) {",
    "    $w = $e.ToString()",
    "    if ($e.Extent.EndOffset -ge $cursorPosition) { break }",
    "    $next = ($path + ' ' + $w).Trim()",
    "    if ($places.ContainsKey($next)) { $path = $next }",
    "    $prev = $w",
    "  }",
    "  $words = $choices[($path + ' ' + $prev)]",
    "  if (-not $words) {",
    "    $words = @($places[$path])",
    `    if ($sessionPlaces -contains $path) { $words += (& ${q(program)} sessions --json 2>$null | ConvertFrom-Json).sessions.id }`,
    "  }",
    '  $words | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {',
    "    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)",
    "  }",
    "}",
  ].join("\n")}\n`;
}
