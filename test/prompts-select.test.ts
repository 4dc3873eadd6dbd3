// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { bundledFlow } from "./helpers/flow.js";
import { ask, makeUi } from "./helpers/prompts.js";

/** A yes/no or a choice of the flow's, as a list (select.ts). */

describe("one question, one prompt: enum and bool as lists", () => {
  it("an enum lists the flow's choices, not known (in the flow's words), help; ↑ ↓ and Enter pick", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { canGoBack: true });
    const shown = screen.getScreen();
    expect(shown).toContain("What does the All Age Exploitation Screening Tool indicate?");
    expect(shown).toContain("At risk of exploitation");
    expect(shown).toContain("Not completed yet"); // not_known_label in flows/parts/questions.yaml
    expect(shown).toContain("Help: what this means");
    expect(shown).toContain("Back to the previous question");
    // Untouched, the cursor is on not known: up from there is the last choice, then the one before.
    expect(shown).toMatch(/❯ Not completed yet/);
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "at-risk" });
  });

  it("a bool is Yes / No / Not known: Enter untouched keeps not known, never Yes", async () => {
    const { ui } = makeUi();
    const untouched = ask(ui, "concern.missing_now");
    expect(screen.getScreen()).toMatch(/❯ Not known/);
    expect(screen.getScreen()).not.toMatch(/❯ Yes/);
    screen.keypress("enter");
    await expect(untouched).resolves.toEqual({ kind: "answer", value: null });
    // Yes is chosen on purpose: two up from not known.
    const chosen = ask(ui, "concern.missing_now");
    screen.keypress("up");
    screen.keypress("up");
    screen.keypress("enter");
    await expect(chosen).resolves.toEqual({ kind: "answer", value: true });
  });

  it("a question that cannot be not known: Enter untouched records nothing and says a choice is needed", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    expect(screen.getScreen()).not.toContain("Not known");
    expect(screen.getScreen()).not.toContain("Back to");
    expect(screen.getScreen()).toMatch(/❯ Choose an answer below \(it cannot be not known\)/);
    screen.keypress("enter");
    expect(screen.getScreen()).toContain("A choice is needed here (it cannot be not known)");
    // Still asking: a second Enter does not answer either.
    screen.keypress("enter");
    expect(screen.getScreen()).toContain("Is there a risk of imminent harm?");
    screen.keypress("down"); // Yes
    screen.keypress("down"); // No
    expect(screen.getScreen()).not.toContain("A choice is needed here");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: false });
  });

  it("a choice that means not known (s42: not decided yet) is where the cursor starts", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "s42.duty_met");
    expect(screen.getScreen()).toMatch(/❯ Not decided yet/);
    expect(screen.getScreen()).not.toContain("Choose an answer below");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "unknown" });
  });

  it("every yes/no and choice question of the flow: Enter untouched never records an answer", async () => {
    const { ui } = makeUi();
    const asked = bundledFlow().questions.filter((q) => q.fact.type === "bool" || q.fact.type === "enum");
    expect(asked.length).toBeGreaterThan(40);
    const refused: string[] = [];
    for (const q of asked) {
      const answer = ui.question(q, { canGoBack: true });
      screen.keypress("enter");
      if (q.notKnown || q.fact.notKnown !== undefined) {
        const notKnown = q.notKnown ? null : q.fact.notKnown;
        await expect(answer, q.fact.id).resolves.toEqual({ kind: "answer", value: notKnown });
      } else {
        expect(screen.getScreen(), q.fact.id).toContain("A choice is needed here");
        refused.push(q.fact.id);
        screen.keypress("escape");
        await expect(answer, q.fact.id).resolves.toEqual({ kind: "cancel" });
      }
    }
    // The questions that cannot be not known, each refused.
    expect(refused.sort()).toEqual(["concern.about", "concern.imminent_harm", "person.age_disputed"]);
  });

  it("the answer given before is offered: Enter keeps it", async () => {
    const { ui } = makeUi();
    const answer = ask(ui, "screening.outcome", { default: "evidence" });
    expect(screen.getScreen()).toMatch(/❯ Evidence of exploitation/);
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: "evidence" });
    const yes = ask(ui, "concern.imminent_harm", { default: true });
    expect(screen.getScreen()).toMatch(/❯ Yes/);
    expect(screen.getScreen()).not.toContain("Choose an answer below");
    screen.keypress("enter");
    await expect(yes).resolves.toEqual({ kind: "answer", value: true });
    const notKnown = ask(ui, "concern.missing_now", { default: null });
    expect(screen.getScreen()).toMatch(/❯ Not known/);
    screen.keypress("enter");
    await expect(notKnown).resolves.toEqual({ kind: "answer", value: null });
  });

  it("? shows the help text and the procedure section, then asks again", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "screening.outcome");
    screen.type("?");
    await screen.next();
    expect(said()).toContain("If the screening tool is not completed yet");
    expect(said()).toContain("From: Procedures §11, §12, §13.");
    expect(screen.getScreen()).toContain("What does the All Age Exploitation Screening Tool indicate?");
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: null });
  });

  it("the Help entry does the same as ?", async () => {
    const { ui, said } = makeUi();
    const answer = ask(ui, "concern.imminent_harm");
    for (let i = 0; i < 4; i++) screen.keypress("down");
    screen.keypress("enter");
    await screen.next();
    expect(said()).toContain("From: Procedures §13.3.");
    screen.keypress("down"); // Yes
    screen.keypress("enter");
    await expect(answer).resolves.toEqual({ kind: "answer", value: true });
  });

  it("< goes back, except on the first question", async () => {
    const { ui } = makeUi();
    const first = ask(ui, "concern.about", { canGoBack: false });
    screen.type("<");
    screen.keypress("down");
    screen.keypress("enter");
    await expect(first).resolves.toEqual({ kind: "answer", value: "individual" });

    const later = ask(ui, "concern.about", { canGoBack: true });
    screen.type("<");
    await expect(later).resolves.toEqual({ kind: "back" });
  });
});
