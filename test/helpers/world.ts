import { PassThrough } from "node:stream";
import { packageRoot } from "../../src/io/paths.js";
import type { World } from "../../src/io/world.js";

/**
 * A World for running a command in-process: streams that collect what is written, a fixed
 * clock, no colour. `tty` and `columns` make standard output (and, with `tty`, standard
 * error and input) a terminal of that width; `stdin` is what standard input holds (then it
 * ends); `colour` leaves colour to the terminal, as a user's environment without NO_COLOR
 * does; `env` adds to the environment; `today` and `now` set the clock.
 */
export function testWorld(
  opts: {
    cwd?: string;
    tty?: boolean;
    columns?: number;
    stdin?: string | undefined;
    colour?: boolean;
    env?: Record<string, string>;
    today?: string;
    now?: string;
  } = {},
) {
  const isTTY = opts.tty ?? false;
  const stdin = Object.assign(new PassThrough(), isTTY ? { isTTY } : {});
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  const stdout = Object.assign(new PassThrough(), { isTTY, columns: opts.columns });
  const stderr = Object.assign(new PassThrough(), isTTY ? { isTTY } : {});
  const outChunks: Buffer[] = [];
  let err = "";
  stdout.on("data", (c: Buffer | string) => outChunks.push(Buffer.from(c)));
  stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const today = opts.today ?? "2026-11-20";
  const now = opts.now ?? `${today}T10:00:00.000Z`;
  const world: World = {
    stdin,
    stdout,
    stderr,
    cwd: opts.cwd ?? packageRoot,
    env: { ...(opts.colour ? {} : { NO_COLOR: "1" }), ...opts.env },
    today: () => today,
    now: () => now,
    program: "safeguard",
  };
  const bytes = () => Buffer.concat(outChunks);
  return { world, stdin, out: () => bytes().toString("utf8"), bytes, err: () => err };
}

/** The birthdays the transitions pathway runs on (Procedures §20, Flowchart (transitions)). */
export const TRANSITION_AGES = [
  "14th birthday",
  "16th birthday",
  "17th birthday",
  "17 years 6 months",
  "18th birthday",
];
