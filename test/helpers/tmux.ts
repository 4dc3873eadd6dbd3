import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";
import { packageRoot } from "../../src/io/paths.js";

/**
 * A real pseudo-terminal for end-to-end tests of the wizard: tmux runs the built CLI in a
 * detached session on a private socket; send-keys types, capture-pane reads the screen.
 * tmux needs no terminal of its own (CI has none) and builds nothing at install time.
 */

/** tmux's version, or why there is none. */
export function tmuxVersion(): { version?: string; missing?: string } {
  const r = spawnSync("tmux", ["-V"], { encoding: "utf8" });
  if (r.error) return { missing: `tmux is not installed (${(r.error as NodeJS.ErrnoException).code})` };
  return { version: r.stdout.trim() };
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export interface TerminalOptions {
  args: string[];
  /** The program to run (default: the built CLI with node), e.g. the single executable. */
  program?: string[];
  cwd: string;
  env?: Record<string, string>;
  width?: number;
  height?: number;
}

export class Terminal {
  private readonly dir = mkdtempSync(join(tmpdir(), "safeguard-pty-"));
  private readonly socket = join(this.dir, "sock");
  private readonly exitFile = join(this.dir, "exit");
  private readonly env: NodeJS.ProcessEnv;

  constructor(opts: TerminalOptions) {
    const conf = join(this.dir, "tmux.conf");
    // The pane stays readable after the program exits; no status line; a long history.
    writeFileSync(conf, "set -g remain-on-exit on\nset -g status off\nset -g history-limit 50000\n");
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color" };
    // Not the test runner's: a nested tmux, or colour forced on (FORCE_COLOR beats NO_COLOR in Node).
    delete env.TMUX;
    delete env.FORCE_COLOR;
    Object.assign(env, opts.env);
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === "") delete env[k];
    this.env = env;
    const program = [...(opts.program ?? ["node", join(packageRoot, "bin", "safeguard.js")]), ...opts.args]
      .map(quote)
      .join(" ");
    const command = `${program}; echo $? > ${quote(this.exitFile)}`;
    this.tmux(
      "-f",
      conf,
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(opts.width ?? 300),
      "-y",
      String(opts.height ?? 60),
      "-c",
      opts.cwd,
      command,
    );
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, ...args], {
      encoding: "utf8",
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Everything shown so far, wrapped lines joined. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", "t", "-S", "-");
  }

  /** What is on the screen now, without the scrollback; lines the terminal wrapped joined. */
  visible(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", "t");
  }

  /** The screen with its colours and attributes as escape codes. */
  raw(): string {
    return this.tmux("capture-pane", "-p", "-e", "-J", "-t", "t", "-S", "-");
  }

  /** tmux key names: Enter, Up, Down, Escape, C-c, Space, BSpace… */
  keys(...keys: string[]): void {
    this.tmux("send-keys", "-t", "t", ...keys);
  }

  /** Text typed as it is. */
  type(text: string): void {
    this.tmux("send-keys", "-t", "t", "-l", "--", text);
  }

  async waitFor(
    test: RegExp | ((screen: string) => boolean),
    what: string,
    timeoutMs = 20_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof test === "function" ? test(s) : test.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  exitCode(): number | undefined {
    if (!existsSync(this.exitFile)) return undefined;
    const text = readFileSync(this.exitFile, "utf8").trim();
    return text === "" ? undefined : Number(text);
  }

  async waitExit(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exitCode();
      if (code !== undefined) return code;
      if (Date.now() > deadline) throw new Error(`the program did not exit; the screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Close the terminal (as closing the window would): the program gets SIGHUP. */
  close(): void {
    try {
      this.tmux("kill-server");
    } catch {
      // Already gone.
    }
  }
}

/**
 * A test file's terminals: a scratch folder (removed after the file), a working folder and a
 * data folder of its own for each test (`setup`), terminals opened on them (`open`; the wizard
 * keeps its sessions under the data folder) and closed after each test.
 */
export function terminalScratch(name: string) {
  const scratch = mkdtempSync(join(tmpdir(), `safeguard-${name}-`));
  const terminals: Terminal[] = [];
  afterEach(() => {
    for (const t of terminals.splice(0)) t.close();
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let n = 0;
  /** A new, empty folder in the scratch folder. */
  const fresh = (prefix = "t") => join(scratch, `${prefix}${n++}`);
  return {
    fresh,
    setup() {
      const dir = fresh();
      const cwd = join(dir, "work");
      const data = join(dir, "data");
      mkdirSync(cwd, { recursive: true });
      return { cwd, data, sessions: join(data, "sessions") };
    },
    open(
      args: string[],
      cwd: string,
      data: string,
      env: Record<string, string> = { NO_COLOR: "1" },
      size: { width?: number; height?: number } = {},
    ): Terminal {
      const t = new Terminal({ args, cwd, env: { SAFEGUARD_DATA_DIR: data, ...env }, ...size });
      terminals.push(t);
      return t;
    },
  };
}
