// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import type { Question } from "../src/flow/types.js";
import { ask, makeUi, question } from "./helpers/prompts.js";

/** A list to tick (list.ts). */

describe("a list: tick what applies", () => {
  it("space ticks, Enter submits", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: ["criminal", "county-lines"] });
  });

  it("Enter with nothing ticked keeps not known; none of these is ticked on purpose", async () => {
    const { ui } = makeUi();
    const untouched = ask(ui, "concern.other_harms");
    expect(screen.getScreen()).toContain("(space ticks; nothing ticked: not known)");
    expect(screen.getScreen()).toContain("None of these");
    screen.keypress("enter");
    await expect(untouched).resolves.toEqual({ kind: "answer", value: null });

    const none = ask(ui, "concern.other_harms");
    // Down to the end (Not known), up one: None of these.
    for (let i = 0; i < 12; i++) screen.keypress("down");
    screen.keypress("up");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(none).resolves.toEqual({ kind: "answer", value: [] });
  });

  it("the answer given before is offered: none of these stays ticked, Enter keeps it", async () => {
    const { ui } = makeUi();
    const none = ask(ui, "concern.other_harms", { default: [] });
    expect(screen.getScreen()).toMatch(/◉ None of these/);
    screen.keypress("enter");
    await expect(none).resolves.toEqual({ kind: "answer", value: [] });
    const some = ask(ui, "concern.types", { default: ["sexual", "online"] });
    screen.keypress("enter");
    await expect(some).resolves.toEqual({ kind: "answer", value: ["sexual", "online"] });
  });

  it("not known, and none of these, go on their own", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.types", { default: ["sexual"] });
    // Down from the top stays at the end (no looping); the last entry is Not known.
    for (let i = 0; i < 14; i++) screen.keypress("down");
    screen.keypress("space");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("Not known goes on its own");
    screen.keypress("space"); // untick not known
    screen.keypress("up");
    screen.keypress("space"); // none of these, beside sexual
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("None of these goes on its own");
    for (let i = 0; i < 14; i++) screen.keypress("up");
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: [] });
  });

  it("a list that cannot be not known: nothing ticked says a choice is needed", async () => {
    const { ui } = makeUi();
    const required: Question = { ...question("concern.other_harms"), notKnown: false };
    const answer = ui.question(required, { canGoBack: false });
    expect(screen.getScreen()).toContain("(space ticks; an answer is needed)");
    expect(screen.getScreen()).not.toContain("Not known");
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("A choice is needed here (it cannot be not known)");
    for (let i = 0; i < 12; i++) screen.keypress("down"); // the last entry: None of these
    screen.keypress("space");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: [] });
  });
});

describe('open to children\'s services: every reason, and "Not open" on its own (issue 21)', () => {
  it("two reasons together; Not open with a reason is refused", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "person.open_to_childrens_services");
    screen.keypress("space"); // Not open
    screen.keypress("down");
    screen.keypress("down");
    screen.keypress("space"); // For mental health
    screen.keypress("enter");
    await screen.next();
    expect(screen.getScreen()).toContain("Not open goes on its own");
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("space"); // Not open, unticked
    for (let i = 0; i < 3; i++) screen.keypress("down");
    screen.keypress("space"); // For exploitation
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: ["mental-health", "exploitation"] });
  });
});
