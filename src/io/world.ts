import { basename } from "node:path";
import * as sea from "node:sea";
import { ERROR_PREFIX } from "../errors.js";
import { fsProblem } from "./fs-errors.js";

/**
 * Everything a command may touch outside the pure core, passed in rather than reached
 * for (style.md §7): tests give their own streams, directory, environment and clock.
 */
export interface World {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
  /** Today's date, YYYY-MM-DD, in local time. Only the shell reads the clock. */
  today: () => string;
  /** The current time, ISO 8601 in UTC: session times, and what `sessions prune` counts from. */
  now: () => string;
  /** The program as it was called, for hints ("safeguard resume …", "safeguard-linux-x64 resume …"). */
  program: string;
}

/**
 * The name hints give the program: "safeguard" for the Node version (npm's command); the single
 * executable as it was called ("./safeguard-linux-x64", "safeguard-win-x64.exe"), from the
 * command line's own first word, or the executable's file name where that word is missing or
 * would not paste back as one word.
 */
export function programName(single: boolean, argv0: string, execPath: string): string {
  if (!single) return "safeguard";
  return /^[\w./\\:~+-]+$/.test(argv0) ? argv0 : basename(execPath);
}

/**
 * The output cannot be written (the reader went away, a full disk): one line, exit 2, never
 * a stack trace. On stderr's own failure there is nowhere left to say it. Also what
 * bin/boot.js does when the text it prints itself (--version, piped --help) cannot be written.
 */
export function outputFailed(stream: NodeJS.WritableStream, error: NodeJS.ErrnoException): never {
  if (stream !== process.stderr) {
    const why =
      error.code === "EPIPE" ? "the output was closed before everything was written" : fsProblem(error);
    try {
      process.stderr.write(`${ERROR_PREFIX}cannot write the output: ${why}\n`);
    } catch {
      // nowhere to say it
    }
  }
  process.exit(2);
}

export function realWorld(): World {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => outputFailed(stream, error));
  }
  return {
    // Made on first use: Node builds standard input when it is first asked for (~9 ms at
    // start-up), and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    today: () => {
      const d = new Date();
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
    },
    now: () => new Date().toISOString(),
    program: programName(sea.isSea(), process.argv0, process.execPath),
  };
}

/**
 * Colour as Node and chalk read the environment: FORCE_COLOR forces it, even off a terminal
 * and over NO_COLOR ("0" or "false" remove it instead); else NO_COLOR (not empty) or
 * TERM=dumb removes it, and a terminal has it.
 */
export function useColour(world: Pick<World, "stdout" | "env">): boolean {
  const force = world.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if ((world.env.NO_COLOR ?? "") !== "" || world.env.TERM === "dumb") return false;
  return Boolean(world.stdout.isTTY);
}
