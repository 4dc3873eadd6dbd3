// @inquirer/testing/vitest must be imported before anything that imports the prompts.

import { render } from "@inquirer/testing";
import { screen } from "@inquirer/testing/vitest";
import { describe, expect, it } from "vitest";
import { pager } from "../src/prompts/pager.js";
import { wrapText } from "../src/render/wrap.js";
import { makeUi } from "./helpers/prompts.js";

/** A screen of text: as it is where it fits, else a page at a time (pager.ts). */

describe("a screen longer than the terminal: a page at a time", () => {
  const text = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the detail`).join("\n");

  it("fits: printed as it is, and no keys to learn", async () => {
    const { ui, said } = makeUi({ rows: 24 });
    await expect(ui.page("one\ntwo\nthree", 4)).resolves.toBe("said");
    expect(said()).toContain("one\ntwo\nthree");
  });

  /** The pager alone, on a virtual screen of `rows` x `columns`. */
  const renderPager = (rows: number, columns: number) =>
    render(pager, {
      text,
      width: () => columns,
      height: () => rows,
      colour: false,
      at: { line: 0 },
      footer: (keys: [string, string][]) =>
        wrapText(keys.map(([k, what]) => `${k} ${what}`).join(" • "), columns),
    });

  it("space and b move a page, q goes back; the line under the text says where it is", async () => {
    const { answer, events, getScreen } = await renderPager(12, 120);
    let shown = getScreen();
    // 12 rows: 9 lines of text, where it is, the keys, one spare.
    expect(shown).toMatch(/^line 1 of the detail$/m);
    expect(shown).toMatch(/^line 9 of the detail$/m);
    expect(shown).not.toMatch(/^line 10 of/m);
    expect(shown).toContain("Lines 1-9 of 40 (more below)");
    expect(shown).toContain("space next page • b previous • ↑↓ line • q back to the menu");
    events.keypress("space");
    shown = getScreen();
    expect(shown).toContain("Lines 10-18 of 40 (more below)");
    expect(shown).toMatch(/^line 10 of the detail$/m);
    expect(shown).not.toMatch(/^line 9 of/m);
    events.keypress("down");
    expect(getScreen()).toContain("Lines 11-19 of 40");
    events.keypress("b");
    expect(getScreen()).toContain("Lines 2-10 of 40");
    events.keypress("end");
    expect(getScreen()).toContain("Lines 32-40 of 40 (the end)");
    events.keypress("home");
    expect(getScreen()).toContain("Lines 1-9 of 40");
    events.keypress("q");
    await expect(answer).resolves.toBeUndefined();
  });

  it("Enter reads on a page, and on the last page is done with it", async () => {
    const { answer, events, getScreen } = await renderPager(12, 120);
    for (const at of ["10-18", "19-27", "28-36", "32-40"]) {
      events.keypress("enter");
      expect(getScreen()).toContain(`Lines ${at} of 40`);
    }
    events.keypress("enter");
    await expect(answer).resolves.toBeUndefined();
  });

  it("Esc goes back from the pager, and does not stop the wizard; Ctrl-C does", async () => {
    const first = makeUi({ rows: 12 }).ui.page(text);
    screen.keypress("escape");
    await expect(first).resolves.toBe("paged");
    const second = makeUi({ rows: 12 }).ui.page(text);
    screen.keypress({ name: "c", ctrl: true });
    await expect(second).resolves.toBe("cancel");
  });

  it("narrow: the keys wrap to the width, and the page is shorter for it", async () => {
    const { answer, events, getScreen } = await renderPager(12, 30);
    const shown = getScreen();
    const lines = shown.split("\n");
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(30);
    // The keys take two lines at 30 columns: 12 rows less those, the line saying where, one spare.
    const at = lines.findIndex((l) => l.startsWith("Lines "));
    expect(lines.length - at - 1).toBe(2);
    expect(shown).toContain("Lines 1-8 of 40 (more below)");
    expect(shown).not.toMatch(/^line 9 of/m);
    events.keypress("escape");
    await expect(answer).resolves.toBeUndefined();
  });
});
