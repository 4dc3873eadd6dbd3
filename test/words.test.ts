import { describe, expect, it } from "vitest";
import { contactHow, contactLine, hasProblems, isAre, ordinal, plural } from "../src/words/words.js";

// Our shared wording (src/words/): each phrasing said one way, on both sides of its edge.
describe("shared wording", () => {
  it("plural: one, none and many; a plural that is not the word and s", () => {
    expect(plural(1, "step")).toBe("1 step");
    expect(plural(0, "step")).toBe("0 steps");
    expect(plural(2, "step")).toBe("2 steps");
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
    expect([isAre(1), isAre(0), isAre(2)]).toEqual(["is", "are", "are"]);
  });

  it("ordinal: st, nd, rd and the teens", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 18, 21, 22, 23, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "18th",
      "21st",
      "22nd",
      "23rd",
      "111th",
    ]);
  });

  it("a contact: how to reach them in the locality's order, or the name alone when it gives no way", () => {
    const full = { name: "MASH", phone: "0121 1", email: "m@x", web: "https://x" };
    expect(contactHow(full)).toBe("0121 1, m@x, https://x");
    expect(contactLine(full)).toBe("MASH: 0121 1, m@x, https://x");
    expect(contactLine({ name: "MASH", email: "m@x" })).toBe("MASH: m@x");
    expect(contactHow({})).toBe("");
    expect(contactLine({ name: "MASH" })).toBe("MASH");
  });

  it("problems are counted one way for every file", () => {
    expect(hasProblems("the case file c.yaml", 1)).toBe("the case file c.yaml has 1 problem");
    expect(hasProblems("the flow x.flow.yaml", 2)).toBe("the flow x.flow.yaml has 2 problems");
  });
});
