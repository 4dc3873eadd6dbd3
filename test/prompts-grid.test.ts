// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { PassThrough } from "node:stream";
import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { createUi } from "../src/prompts/ask.js";
import { bundledFlow } from "./helpers/flow.js";
import { question } from "./helpers/prompts.js";

/** A group's questions on one screen (grid.ts). */

describe("a group's screen (grid.ts): a row each", () => {
  const flow = bundledFlow();
  /** The screen, lines wrapped to the width read as the text they came from. */
  const shown = () => screen.getScreen().replace(/\s+/g, " ");
  /** A Ui that renders to the virtual screen, as the grid is our own prompt (not one the testing library mocks). */
  // The prompt ends the stream it writes to when it is done (on a terminal, stdout is never
  // ended): the screen's output is kept open for the answered lines after it.
  const makeUi = () => {
    const output = new (class extends PassThrough {
      override end() {
        return this;
      }
    })();
    output.pipe(screen.createOutput());
    return { ui: createUi({ input: screen.input, output, colour: false, today: () => "2026-11-23" }) };
  };
  const group = flow.groups.get("childrens-social-care");
  if (!group) throw new Error("no group");
  const rows = group.facts.map(question);
  /** As the engine's liveRows would say for these rows: not open at Level 4 leaves out the next two. */
  const live = (values: ReadonlyMap<string, unknown>) =>
    rows.map((_, i) => !(values.get("person.allocated_social_worker") === false && (i === 1 || i === 2)));

  it("every row starts not known; Enter alone answers each not known, never no", async () => {
    const { ui } = makeUi();
    const answer = ui.group(group, rows, { defaults: new Map(), canGoBack: false, live });
    expect(shown()).toContain(group.heading);
    for (const q of rows) expect(shown()).toContain(q.ask);
    expect(shown().match(/◉ Not known/g)).toHaveLength(4);
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? [...got.values.values()] : got).toEqual([null, null, null, null]);
  });

  it("← → and keys choose, ↓ skips rows not needed, ? shows the row's help, < goes back", async () => {
    const { ui } = makeUi();
    const answer = ui.group(group, rows, {
      defaults: new Map(),
      canGoBack: true,
      live,
      decides: () => ["A step"],
    });
    screen.keypress("right"); // Not known -> Yes
    expect(shown()).toMatch(/◉ Yes/);
    screen.keypress("n");
    expect(shown()).toContain("(not needed, given the answers above)");
    screen.keypress("down"); // to the siblings
    screen.keypress("1");
    screen.keypress("?");
    expect(shown()).toContain("In a case file this is person.has_siblings.");
    expect(shown()).toContain("Asked because it decides: A step.");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "person.allocated_social_worker": false,
      "person.child_protection_plan": null,
      "person.looked_after": null,
      "person.has_siblings": true,
    });
    const back = ui.group(group, rows, { defaults: new Map(), canGoBack: true, live });
    screen.type("<");
    await expect(back).resolves.toEqual({ kind: "back" });
  });

  it("a row whose not known is one of its choices (s42: not decided yet) starts on it", async () => {
    const { ui } = makeUi();
    const rows2 = [question("s42.duty_met"), question("concern.imminent_harm")];
    const answer = ui.group({ ...group, facts: rows2.map((q) => q.fact.id) }, rows2, {
      defaults: new Map(),
      canGoBack: false,
      live: () => [true, true],
    });
    expect(shown()).toContain("◉ Not decided yet");
    expect(shown()).toContain("(an answer is needed)");
    screen.keypress("down");
    screen.keypress("n");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "s42.duty_met": "unknown",
      "concern.imminent_harm": false,
    });
  });

  it("a row that cannot be not known must be chosen; the answer given before is offered", async () => {
    const now = flow.groups.get("right-now");
    if (!now) throw new Error("no group");
    const { ui } = makeUi();
    const answer = ui.group(now, now.facts.map(question), {
      defaults: new Map([["concern.missing_now", true]]),
      canGoBack: false,
      live: () => [true, true],
    });
    expect(shown()).toContain("(an answer is needed)");
    screen.keypress("enter");
    expect(shown()).toContain("Choose an answer for: Is there a risk of imminent harm?");
    screen.keypress("y");
    screen.keypress("enter");
    const got = await answer;
    expect(got.kind === "answer" ? Object.fromEntries(got.values) : got).toEqual({
      "concern.imminent_harm": true,
      "concern.missing_now": true,
    });
  });
});
