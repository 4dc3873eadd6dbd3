import { describe, expect, it } from "vitest";
import { command, commands, main } from "../src/cli/main.js";
import { commanderOption, date, flag, text, typedOptions } from "../src/cli/options.js";
import { UsageError } from "../src/errors.js";
import type { World } from "../src/io/world.js";
import { testWorld } from "./helpers/world.js";

const fakeWorld = () => testWorld({ cwd: process.cwd() });

const run = async (_world: World, _args: string[], _opts: unknown) => 0;

describe("command options, typed per command", () => {
  it("a command reading an option its table entry does not declare, or as another type, fails typecheck", () => {
    // `npm run typecheck` fails if any of these lines stops being an error.
    const undeclared = command({
      path: ["x"],
      summary: "x",
      options: { json: flag("--json", "JSON") },
      // @ts-expect-error: the module reads --date, which this entry does not declare
      load: async () => ({ run: (w: World, a: string[], o: { date: string | undefined }) => run(w, a, o) }),
    });
    const mistyped = command({
      path: ["y"],
      summary: "y",
      options: { out: text("--out <dir>", "where") },
      // @ts-expect-error: --out holds a folder name, not a flag
      load: async () => ({ run: (w: World, a: string[], o: { out: boolean }) => run(w, a, o) }),
    });
    const declared = command({
      path: ["z"],
      summary: "z",
      options: { out: text("--out <dir>", "where"), json: flag("--json", "JSON") },
      load: async () => ({ run: (w: World, a: string[], o: { out: string | undefined }) => run(w, a, o) }),
    });
    expect([undeclared, mistyped, declared].map((c) => c.path[0])).toEqual(["x", "y", "z"]);
  });

  it("every entry's keys are the names commander gives its options", () => {
    for (const c of commands)
      for (const [key, spec] of Object.entries(c.options))
        expect(commanderOption(key, spec).attributeName()).toBe(key);
    expect(() => commanderOption("older", text("--older-than <d>", "how long"))).toThrow(/"olderThan"/);
    expect(() => commanderOption("json", text("--json", "JSON"))).toThrow(/flags say otherwise/);
  });

  it("parsed values come typed: a flag is true or false, a value a string or absent", () => {
    const table = { json: flag("--json", "JSON"), out: text("--out <dir>", "where") };
    expect(typedOptions(table, {})).toEqual({ json: false, out: undefined });
    expect(typedOptions(table, { json: true, out: "d" })).toEqual({ json: true, out: "d" });
    // Something commander would never give is a bug, not the user's doing.
    expect(() => typedOptions(table, { out: ["a"] })).toThrow(/came back from commander/);
  });

  it("a --date is checked once, for every command that takes it (exit 2)", async () => {
    const table = { date: date("--date <YYYY-MM-DD>", "today") };
    expect(typedOptions(table, { date: "2026-02-28" })).toEqual({ date: "2026-02-28" });
    expect(() => typedOptions(table, { date: "2026-02-31" })).toThrow(UsageError);
    expect(() => typedOptions(table, { date: "9999-01-01" })).toThrow(/not a plausible date/);
    // Steps are late by working days up to it: only the years whose bank holidays are known.
    for (const edge of ["1990-01-01", "2100-12-31"])
      expect(typedOptions(table, { date: edge })).toEqual({ date: edge });
    for (const outside of ["1989-12-31", "2101-01-01"])
      expect(() => typedOptions(table, { date: outside })).toThrow(
        `--date "${outside}" is outside the years whose bank holidays safeguard knows (1990 to 2100)`,
      );
    const taking = commands.filter((c) => "date" in c.options).map((c) => c.path.join(" "));
    expect(taking).toEqual(["run", "batch", "done", "update", "due", "cases", "resume", "demo"]);
    for (const words of [["run"], ["batch", "x", "--out", "o"], ["update", "x"], ["resume"], ["demo", "x"]]) {
      const w = fakeWorld();
      expect(await main(["node", "safeguard", ...words, "--date", "23/11/2026"], w.world)).toBe(2);
      expect(w.err()).toBe('safeguard: error: --date "23/11/2026" is not a date (use YYYY-MM-DD)\n');
    }
  });
});
