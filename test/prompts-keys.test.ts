// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { ask, makeUi } from "./helpers/prompts.js";

/** The keys every prompt shares (keys.ts). */

describe("stopping: a value, not an exception", () => {
  it("Esc", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome");
    screen.keypress("escape");
    await expect(answer).resolves.toEqual({ kind: "cancel" });
  });

  it("Ctrl-C", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.date");
    screen.type("2026-0");
    screen.keypress({ name: "c", ctrl: true });
    await expect(answer).resolves.toEqual({ kind: "cancel" });
  });
});
