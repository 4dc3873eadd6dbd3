import { PassThrough } from "node:stream";
import { packageRoot } from "../../src/io/paths.js";
import type { World } from "../../src/io/world.js";

/**
 * A World for running a command in-process: streams that collect what is written, a fixed
 * clock, no colour. `tty` and `columns` make standard output a terminal of that width;
 * `stdin` is what standard input holds (then it ends); `colour` leaves colour to the
 * terminal, as a user's environment without NO_COLOR does.
 */
export function testWorld(
  opts: { cwd?: string; tty?: boolean; columns?: number; stdin?: string | undefined; colour?: boolean } = {},
) {
  const stdin = new PassThrough();
  if (opts.stdin !== undefined) stdin.end(opts.stdin);
  const stdout = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false, columns: opts.columns });
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const world: World = {
    stdin,
    stdout,
    stderr,
    cwd: opts.cwd ?? packageRoot,
    env: opts.colour ? {} : { NO_COLOR: "1" },
    today: () => "2026-11-20",
    now: () => "2026-11-20T10:00:00.000Z",
    program: "safeguard",
  };
  return { world, stdin, out: () => out, err: () => err };
}

/** The birthdays the transitions pathway runs on (Procedures §20, Flowchart (transitions)). */
export const TRANSITION_AGES = [
  "14th birthday",
  "16th birthday",
  "17th birthday",
  "17 years 6 months",
  "18th birthday",
];
