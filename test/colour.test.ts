import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { useColour } from "../src/io/world.js";
import { cli, example } from "./helpers/cli.js";

/** Colour as the ecosystem reads the environment (Node's and chalk's rules). */

describe("useColour", () => {
  const cases: [string, boolean, Record<string, string>, boolean][] = [
    ["a terminal", true, {}, true],
    ["a pipe", false, {}, false],
    ["NO_COLOR on a terminal", true, { NO_COLOR: "1" }, false],
    ["an empty NO_COLOR (as if unset)", true, { NO_COLOR: "" }, true],
    ["TERM=dumb on a terminal", true, { TERM: "dumb" }, false],
    ["another TERM", true, { TERM: "xterm-256color" }, true],
    ["FORCE_COLOR on a pipe", false, { FORCE_COLOR: "1" }, true],
    ["an empty FORCE_COLOR on a pipe", false, { FORCE_COLOR: "" }, true],
    ["FORCE_COLOR over NO_COLOR", false, { FORCE_COLOR: "3", NO_COLOR: "1" }, true],
    ["FORCE_COLOR over TERM=dumb", true, { FORCE_COLOR: "1", TERM: "dumb" }, true],
    ["FORCE_COLOR=0 on a terminal", true, { FORCE_COLOR: "0" }, false],
    ["FORCE_COLOR=false on a terminal", true, { FORCE_COLOR: "false" }, false],
  ];
  for (const [name, isTTY, env, colour] of cases) {
    it(`${name}: ${colour ? "colour" : "none"}`, () => {
      expect(useColour({ stdout: Object.assign(new PassThrough(), { isTTY }), env })).toBe(colour);
    });
  }
});

describe("the built program, its output piped", () => {
  const esc = String.fromCharCode(27);
  const run = (env: Record<string, string>) =>
    cli(["run", "--answers", example("ex-1-county-lines-15.yaml")], { env }).stdout;

  it("is coloured with FORCE_COLOR, NO_COLOR or not; not with FORCE_COLOR=0", () => {
    expect(run({ FORCE_COLOR: "1" })).toContain(`${esc}[1m`);
    expect(run({ FORCE_COLOR: "1", NO_COLOR: "1" })).toContain(`${esc}[1m`);
    expect(run({ FORCE_COLOR: "0" })).not.toContain(esc);
  });
});
