// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { makeUi } from "./helpers/prompts.js";

/** Menus that are not flow questions (menu.ts), and a line of text (text.ts). */

describe("menus and text", () => {
  it("choose returns the value picked; text returns what was typed", async () => {
    const { ui } = makeUi();
    const picked = ui.choose("Pick", [
      { value: { n: 1 }, name: "one" },
      { separator: " " },
      { value: { n: 2 }, name: "two" },
    ]);
    screen.keypress("down");
    screen.keypress("enter");
    await expect(picked).resolves.toEqual({ kind: "pick", value: { n: 2 } });
    const typed = ui.text("Folder", { default: "./safeguard-out" });
    screen.keypress("enter");
    await expect(typed).resolves.toEqual({ kind: "pick", value: "./safeguard-out" });
  });

  it("the entry given as the default is where the cursor starts; Esc is cancel", async () => {
    const { ui } = makeUi();
    const picked = ui.choose(
      "Pick",
      [
        { value: "a", name: "one" },
        { value: "b", name: "two" },
      ],
      { default: "b" },
    );
    expect(screen.getScreen()).toMatch(/❯ two/);
    screen.keypress("enter");
    await expect(picked).resolves.toEqual({ kind: "pick", value: "b" });
    const stopped = ui.choose("Pick", [{ value: "a", name: "one" }]);
    screen.keypress("escape");
    await expect(stopped).resolves.toEqual({ kind: "cancel" });
  });

  it("text is refused, with the reason, until it passes", async () => {
    const { ui } = makeUi();
    const typed = ui.text("Folder", { validate: (s) => (s.trim() === "" ? "Give a folder" : undefined) });
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("> Give a folder");
    screen.type("out");
    screen.keypress("enter");
    await expect(typed).resolves.toEqual({ kind: "pick", value: "out" });
  });
});
