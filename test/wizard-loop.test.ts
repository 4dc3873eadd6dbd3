import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { withDone } from "../src/case/done.js";
import { updateAnswers } from "../src/case/update.js";
import { caseFile } from "../src/commands/wizard.js";
import { type Answers, readCase, type Value } from "../src/engine/answers.js";
import { decide } from "../src/engine/decide.js";
import { draftQuestions, groupAnswers, nextQuestion, nextScreen } from "../src/engine/next.js";
import type { Question, QuestionGroup } from "../src/flow/types.js";
import type { Referrer } from "../src/io/referrer.js";
import { compactPathway, dueWords, whyScreen } from "../src/prompts/screens.js";
import type {
  Asked,
  Entry,
  GroupAsked,
  GroupOptions,
  Picked,
  QuestionOptions,
  Ui,
} from "../src/prompts/types.js";
import {
  changeAnswer,
  irrelevantAnswers,
  runWizard,
  type WizardEffects,
  type WizardState,
} from "../src/prompts/wizard-loop.js";
import { renderDocument, templateEngine } from "../src/render/documents.js";
import { actingOrder, pathwayText } from "../src/render/text.js";
import { example } from "./helpers/cli.js";
import { bundledFlow, caseAnswers } from "./helpers/flow.js";

/** The wizard loop, driven by a script instead of a terminal. */

const TODAY = "2026-11-23";
const flow = bundledFlow();

/** A title as a regular expression matches it, and only it. */
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const EX1 = caseAnswers(parse(readFileSync(example("ex-1-county-lines-15.yaml"), "utf8")));

const DRAFTS_ROUND = "A few details for the drafts (all optional)";

/** What a person who knows the case would answer: the case's value, else "not known", else the first choice. */
function answerFrom(facts: Answers, q: Question): Value | null {
  if (facts.has(q.fact.id)) return facts.get(q.fact.id) ?? null;
  if (q.notKnown) return null;
  if (q.fact.type === "bool") return false;
  if (q.fact.type === "list") return [];
  return q.fact.values?.[0] ?? "x";
}

interface Call {
  /** The question's fact; for a group's screen, its first row's. */
  id: string;
  opts: QuestionOptions;
  answers: Map<string, Value | null>;
  /** A group's screen: the group, its rows' facts, and the facts its answers gave. */
  group?: { id: string; rows: string[]; given: string[]; defaults: ReadonlyMap<string, Value | null> };
}

type GroupHandler = (
  group: QuestionGroup,
  rows: readonly Question[],
  opts: GroupOptions,
  n: number,
) => GroupAsked | undefined;

type Handler = (q: Question, opts: QuestionOptions, n: number) => Asked | undefined;
type Chooser = (message: string, entries: readonly Entry<unknown>[], n: number) => unknown;

/** A Ui that answers from a case, unless a handler says otherwise. */
function scriptedUi(
  facts: Answers,
  state: WizardState,
  handlers: {
    question?: Handler;
    group?: GroupHandler;
    choose?: Chooser;
    text?: (message: string, n: number) => string | undefined;
  } = {},
) {
  const calls: Call[] = [];
  const said: string[] = [];
  const menus: string[] = [];
  let chooseCount = 0;
  let textCount = 0;
  const ui: Ui = {
    colour: false,
    say: (t) => {
      said.push(t);
    },
    page: async (t) => {
      said.push(t);
      return "said" as const;
    },
    clear: () => {},
    width: () => 80,
    roomAbove: () => 21,
    end: () => {},
    question: async (q, opts) => {
      calls.push({ id: q.fact.id, opts, answers: new Map(state.answers) });
      return handlers.question?.(q, opts, calls.length) ?? { kind: "answer", value: answerFrom(facts, q) };
    },
    group: async (g, rows, opts) => {
      const answers = new Map(state.answers);
      const values = new Map(rows.map((q) => [q.fact.id, answerFrom(facts, q)]));
      const given = [...groupAnswers(flow, answers, TODAY, rows, values).keys()];
      const ids = rows.map((q) => q.fact.id);
      calls.push({
        id: ids[0] ?? "",
        opts: { canGoBack: opts.canGoBack },
        answers,
        group: { id: g.id, rows: ids, given, defaults: opts.defaults },
      });
      return handlers.group?.(g, rows, opts, calls.length) ?? { kind: "answer", values };
    },
    choose: async <T>(message: string, entries: readonly Entry<T>[]): Promise<Picked<T>> => {
      menus.push(message);
      chooseCount++;
      const scripted = handlers.choose?.(message, entries as readonly Entry<unknown>[], chooseCount);
      if (scripted === "cancel") return { kind: "cancel" };
      if (scripted !== undefined) return { kind: "pick", value: scripted as T };
      // The round for the drafts is skipped unless a test says otherwise (its own tests below).
      if (message === DRAFTS_ROUND) return { kind: "pick", value: "skip" as T };
      const first = entries.find((e) => !("separator" in e)) as { value: T };
      return { kind: "pick", value: first.value };
    },
    text: async (message, opts) => {
      textCount++;
      const typed = handlers.text?.(message, textCount);
      return { kind: "pick", value: typed ?? opts?.default ?? "" };
    },
  };
  return { ui, calls, said, menus };
}

function effects(overrides: Partial<WizardEffects> = {}) {
  const saves: { answers: Map<string, Value | null>; order: string[]; round?: string[] | "over" }[] = [];
  const written: string[] = [];
  const fx: WizardEffects = {
    save: (s) => {
      const round = s.round === "over" ? s.round : s.round && [...s.round];
      saves.push({ answers: new Map(s.answers), order: [...s.order], ...(round ? { round } : {}) });
    },
    decide: (answers) => decide(flow, answers, TODAY),
    write: (_answers, out) => {
      written.push(out);
      return { folder: `${out}/case`, files: ["pathway.json"] };
    },
    ...overrides,
  };
  return { fx, saves, written };
}

const fresh = (): WizardState => ({ answers: new Map(), order: [], done: new Map() });
/** The wizard on the test's date, offering ./out, as `safeguard`. */
const wizard = (state: WizardState, ui: Ui, fx: WizardEffects) =>
  runWizard(flow, state, ui, { today: TODAY, defaultOut: "./out", program: "safeguard", effects: fx });

describe("the wizard loop", () => {
  it("asks only what nextQuestion asks, saves every answer, and decides like run --answers", async () => {
    const state = fresh();
    const { ui, calls, menus } = scriptedUi(EX1, state);
    const { fx, saves, written } = effects();
    const outcome = await wizard(state, ui, fx);
    expect(outcome.kind).toBe("written");
    // Each question was the engine's next question at the time, and none was asked twice.
    for (const c of calls) expect(nextQuestion(flow, c.answers, TODAY)?.fact.id).toBe(c.id);
    const facts = calls.flatMap((c) => c.group?.given ?? [c.id]);
    expect(new Set(facts).size).toBe(facts.length);
    expect(calls[0]?.opts.canGoBack).toBe(false);
    expect(calls.slice(1).every((c) => c.opts.canGoBack)).toBe(true);
    // Saved after every answer, each time with all the answers so far.
    expect(saves.length).toBe(calls.length);
    saves.forEach((s, i) => {
      expect(s.order).toEqual(calls.slice(0, i + 1).flatMap((c) => c.group?.given ?? [c.id]));
    });
    // Each group's screen was the engine's next screen, its rows the engine's.
    const groups = calls.filter((c) => c.group);
    expect(groups.length).toBeGreaterThan(0);
    for (const c of groups) {
      const screen = nextScreen(flow, c.answers, TODAY);
      expect(screen?.kind === "group" ? screen.questions.map((q) => q.fact.id) : []).toEqual(c.group?.rows);
    }
    // Nothing more to ask; the facts of the case that matter were asked for.
    expect(nextQuestion(flow, state.answers, TODAY)).toBeNull();
    for (const id of ["case_id", "concern.date", "person.dob", "screening.outcome", "concern.types"])
      expect(state.answers.get(id)).toEqual(EX1.get(id));
    // The same answers read as a case file give the same pathway.
    const replayed = caseAnswers(Object.fromEntries(state.answers));
    if (outcome.kind !== "written") throw new Error("not written");
    expect(outcome.pathway.actions).toEqual(decide(flow, replayed, TODAY).actions);
    expect(outcome.pathway.actions.map((a) => a.id)).toContain("strategy-discussion");
    expect(menus).toEqual(["Your answers", "What next?", DRAFTS_ROUND, "Done. Clear the screen?"]);
    expect(written).toEqual(["./out"]);
  });

  it("back: the previous question again, with its answer offered; the answer is kept", async () => {
    const state = fresh();
    let backed = false;
    const { ui, calls } = scriptedUi(EX1, state, {
      question: (q, opts) => {
        if (q.fact.id === "concern.about" && !backed) {
          backed = true;
          expect(opts.canGoBack).toBe(true);
          return { kind: "back" };
        }
        return undefined;
      },
    });
    const { fx, saves } = effects();
    await wizard(state, ui, fx);
    const ids = calls.map((c) => c.id);
    expect(ids.slice(0, 5)).toEqual([
      "case_id",
      "concern.date",
      "concern.about",
      "concern.date",
      "concern.about",
    ]);
    expect(calls[3]?.opts.default).toBe("2026-08-26");
    expect(saves[2]?.order).toEqual(["case_id"]); // going back is saved too
    expect(state.answers.get("concern.date")).toBe("2026-08-26");
    expect(state.answers.get("concern.about")).toBe("individual");
  });

  it("a group's screen: its rows' answers set, a row left alone not known; back takes the whole screen back", async () => {
    const state = fresh();
    let backed = false;
    const { ui, calls } = scriptedUi(EX1, state, {
      group: (g, rows, _opts) => {
        if (g.id !== "right-now") return undefined;
        expect(rows.map((q) => q.fact.id)).toEqual(["concern.imminent_harm", "concern.missing_now"]);
        // Only the first row chosen: the second is left alone.
        return { kind: "answer", values: new Map([["concern.imminent_harm", false]]) };
      },
      question: (q) => {
        if (q.fact.id !== "concern.types" || backed) return undefined;
        backed = true;
        return { kind: "back" };
      },
    });
    const { fx } = effects();
    await wizard(state, ui, fx);
    const screens = calls.filter((c) => c.group?.id === "right-now");
    expect(screens).toHaveLength(2);
    // Back from the next question brings the whole screen again, its answers offered.
    expect(screens[1]?.group?.defaults).toEqual(
      new Map<string, Value | null>([
        ["concern.imminent_harm", false],
        ["concern.missing_now", null],
      ]),
    );
    expect(state.answers.get("concern.imminent_harm")).toBe(false);
    expect(state.answers.has("concern.missing_now")).toBe(true);
    expect(state.answers.get("concern.missing_now")).toBeNull();
  });

  it("stopping returns 'cancelled', with every answer given already saved", async () => {
    const state = fresh();
    const { ui } = scriptedUi(EX1, state, {
      question: (_q, _o, n) => (n === 5 ? { kind: "cancel" } : undefined),
    });
    const { fx, saves } = effects();
    const outcome = await wizard(state, ui, fx);
    expect(outcome).toEqual({ kind: "cancelled" });
    expect(saves.at(-1)?.order.length).toBe(4);
    expect(state.order.length).toBe(4);
  });

  it("the review: any answer changeable; answers a change makes irrelevant are left out, and it says so", async () => {
    const state = fresh();
    const child = caseAnswers({
      case_id: "T",
      concern: { date: "2026-08-26", about: "individual", imminent_harm: false, types: ["criminal"] },
      person: { dob: "2011-05-19" },
      screening: { outcome: "evidence", significant_harm: "likely" },
      strategy_discussion: { outcome: "significant-harm", date: "2026-08-28" },
    });
    let reviews = 0;
    const { ui, calls, said } = scriptedUi(child, state, {
      choose: (message, entries) => {
        if (message !== "Your answers") return undefined;
        reviews++;
        if (reviews > 1) return undefined; // finish
        const change = entries.find(
          (e) => !("separator" in e) && JSON.stringify(e.value).includes('"person.dob"'),
        ) as { value: unknown; name: string };
        // A date in the review with its weekday, as the wizard says it back.
        expect(change.name).toBe("Date of birth: Thu 19 May 2011");
        return change.value;
      },
      question: (q, opts) => {
        if (q.fact.id === "person.dob" && opts.default === "2011-05-19") {
          expect(opts.backTo).toBe("the review");
          return { kind: "answer", value: "1990-01-01" };
        }
        return undefined;
      },
    });
    const { fx } = effects();
    await wizard(state, ui, fx);
    expect(reviews).toBe(2);
    expect(state.answers.get("person.dob")).toBe("1990-01-01");
    // The child-only answers went; the adult questions were asked.
    for (const gone of ["strategy_discussion.date", "person.has_siblings", "person.looked_after"]) {
      expect(state.answers.has(gone)).toBe(false);
      expect(state.order).not.toContain(gone);
    }
    expect(calls.map((c) => c.id)).toContain("person.appearance_of_care_and_support_needs");
    const note = said.find((s) => s.includes("Left out")) ?? "";
    expect(note).toContain(flow.facts.get("strategy_discussion.date")?.label);
    expect(note).toContain(flow.facts.get("person.has_siblings")?.label);
    // What is left decides the same as the same answers as a case file.
    expect(decide(flow, state.answers, TODAY).actions).toEqual(
      decide(flow, caseAnswers(Object.fromEntries(state.answers)), TODAY).actions,
    );
    // Nothing left is irrelevant because of the change.
    expect(irrelevantAnswers(flow, state.answers, TODAY)).not.toContain("person.dob");
  });

  it("back from the review takes the last answer back", async () => {
    const state = fresh();
    let reviews = 0;
    const { ui, calls } = scriptedUi(EX1, state, {
      choose: (message) => {
        if (message !== "Your answers") return undefined;
        reviews++;
        return reviews === 1 ? { kind: "back" } : undefined;
      },
    });
    const { fx } = effects();
    await wizard(state, ui, fx);
    const last = calls.at(-1);
    const before = calls.at(-2);
    expect(last?.id).toBe(before?.id);
    expect(last?.opts).toHaveProperty("default");
  });

  it("why, on request, is the rule that fired, its facts and citation", async () => {
    const state = fresh();
    let whats = 0;
    const { ui, said } = scriptedUi(EX1, state, {
      choose: (message) => {
        if (message === "Why: which step?") return 0;
        if (message !== "What next?") return undefined;
        whats++;
        return whats === 1 ? { kind: "all" } : whats === 2 ? { kind: "why" } : undefined;
      },
    });
    const { fx } = effects();
    const outcome = await wizard(state, ui, fx);
    if (outcome.kind !== "written") throw new Error("not written");
    // Step 1 of the Why list is step 1 of the glance: the first in the order to act.
    const first = actingOrder(outcome.pathway.actions)[0];
    const why = said.find((s) => s.includes("Recommended because:"));
    expect(why).toContain(first?.title);
    expect(why).toContain(first?.because[0]?.because);
    expect(why).toContain(first?.citation);
    // The pathway screen: actions in the order to act, with due dates and contacts.
    const screen = said.find((s) => s.includes("Recommended pathway, in the order to act")) ?? "";
    expect(screen).toContain("due:");
    expect(screen).toContain("contact:");
    const order = actingOrder(outcome.pathway.actions);
    expect(screen.indexOf(order[0]?.title ?? "?")).toBeLessThan(screen.indexOf(order[1]?.title ?? "?"));
  });

  it("a folder that cannot be written is said, and another is asked for", async () => {
    const state = fresh();
    const { ui, said } = scriptedUi(EX1, state, {
      text: (_m, n) => (n === 1 ? "/nope" : "./elsewhere"),
    });
    let tries = 0;
    const { fx } = effects({
      write: (_a, out) => {
        tries++;
        return out === "/nope"
          ? { problem: "Cannot write to /nope" }
          : { folder: `${out}/EX-1`, files: ["x"] };
      },
    });
    const outcome = await wizard(state, ui, fx);
    expect(tries).toBe(2);
    expect(said).toContain("Cannot write to /nope");
    expect(outcome).toMatchObject({ kind: "written", out: "./elsewhere", folder: "./elsewhere/EX-1" });
  });

  it("a resumed session carries on at the first unanswered question", async () => {
    const state: WizardState = {
      answers: new Map<string, Value | null>([
        ["case_id", "EX-1"],
        ["concern.date", "2026-08-26"],
      ]),
      order: ["case_id", "concern.date"],
      done: new Map(),
    };
    const { ui, calls } = scriptedUi(EX1, state, { question: () => ({ kind: "cancel" }) });
    const { fx } = effects();
    await wizard(state, ui, fx);
    expect(calls[0]?.id).toBe(nextQuestion(flow, state.answers, TODAY)?.fact.id);
    expect(calls[0]?.id).toBe("concern.about");
    expect(calls[0]?.opts.canGoBack).toBe(true);
  });
});

describe("the round for the drafts", () => {
  /** The lead's saved details, as the data folder would give them, and what was saved there. */
  function keptReferrer(kept: Referrer | { problem: string }) {
    const saved: Referrer[] = [];
    let loads = 0;
    return {
      saved,
      loads: () => loads,
      referrer: {
        load: () => {
          loads++;
          return kept;
        },
        save: (d: Referrer) => {
          saved.push(d);
          return "Kept in /data/referrer.json (readable by you only).";
        },
      },
    };
  }
  const round = (message: string) => (message === DRAFTS_ROUND ? "answer" : undefined);
  const draft = (answers: Answers, id: string) => {
    const p = decide(flow, answers, TODAY);
    const doc = flow.documents.get(id);
    if (!doc) throw new Error(id);
    return renderDocument(templateEngine(flow.templates), flow, p, doc);
  };

  it("answered: each question the engine gives, the referrer's details asked once and kept; the answers read back as a case file", async () => {
    const state = fresh();
    const typed: Record<string, string> = {
      "Your name (optional)": "A. Lead",
      "Your role (optional)": "Designated safeguarding lead",
      "Your secure email address (optional)": "a.lead@school.example.org",
    };
    const { ui, calls, menus, said } = scriptedUi(EX1, state, {
      choose: round,
      question: (q) =>
        q.fact.id === "person.school"
          ? { kind: "answer", value: "Example Academy" }
          : q.fact.id === "referral.parents_aware"
            ? { kind: "answer", value: "not-safe" }
            : undefined,
      text: (message) => typed[message],
    });
    const kept = keptReferrer({});
    const { fx } = effects({ referrer: kept.referrer });
    const outcome = await wizard(state, ui, fx);
    if (outcome.kind !== "written") throw new Error("not written");
    // The round: the engine's draft questions for the pathway, after the interview's.
    const interview = calls.findIndex((c) => nextQuestion(flow, c.answers, TODAY)?.fact.id !== c.id);
    const asked = calls.slice(interview).map((c) => c.id);
    expect(asked).toEqual(
      draftQuestions(flow, decide(flow, calls[interview]?.answers ?? new Map(), TODAY)).map((q) => q.fact.id),
    );
    expect(asked).toEqual(expect.arrayContaining(["person.school", "referral.parents_aware"]));
    expect(menus).toEqual([
      "Your answers",
      "What next?",
      DRAFTS_ROUND,
      "Keep these for next time?",
      "Done. Clear the screen?",
    ]);
    // Not known (the case does not say where they live) is not recorded: "[to complete]" stays.
    expect(asked).toContain("person.lives_in_locality");
    expect(state.answers.has("person.lives_in_locality")).toBe(false);
    expect(state.answers.get("person.school")).toBe("Example Academy");
    expect(state.answers.get("referral.parents_aware")).toBe("not-safe");
    // Each detail left empty is left out; those given are kept, owner-only, once.
    expect(kept.saved).toEqual([
      { name: "A. Lead", role: "Designated safeguarding lead", email: "a.lead@school.example.org" },
    ]);
    expect(said).toContain("Kept in /data/referrer.json (readable by you only).");
    expect(state.answers.get("referrer.name")).toBe("A. Lead");
    expect(state.answers.has("referrer.organisation")).toBe(false);
    // In the order given, so answers.yaml carries them, and reads back as the same answers and steps.
    expect(state.order.slice(-3)).toEqual(["referrer.name", "referrer.role", "referrer.email"]);
    const replayed = caseAnswers(parse(caseFile(flow, state.answers, state.order, { id: "S1" })));
    expect(replayed).toEqual(state.answers);
    expect(outcome.pathway.actions).toEqual(decide(flow, replayed, TODAY).actions);
    const mash = draft(replayed, "mash-referral");
    expect(mash).toContain("- **School or college:** Example Academy");
    expect(mash).toContain("could put the child at greater risk");
  });

  it("skipped: nothing recorded, nothing asked, nothing kept; the drafts as they were", async () => {
    const state = fresh();
    const { ui, menus } = scriptedUi(EX1, state);
    const kept = keptReferrer({});
    const { fx } = effects({ referrer: kept.referrer });
    const outcome = await wizard(state, ui, fx);
    expect(outcome.kind).toBe("written");
    expect(menus).toContain(DRAFTS_ROUND);
    expect(menus).not.toContain("Keep these for next time?");
    expect(
      [...state.answers.keys()].filter((k) => k.startsWith("referrer.") || k === "person.school"),
    ).toEqual([]);
    expect(kept.saved).toEqual([]);
    expect(draft(state.answers, "mash-referral")).toContain("- **School or college:** [to complete");
  });

  it("saved details are used without asking, and it says so; the case's own are never replaced", async () => {
    const state = fresh();
    const { ui, menus, said } = scriptedUi(EX1, state, { choose: round });
    const kept = keptReferrer({ name: "A. Lead", phone: "0121 000 0000" });
    const { fx } = effects({ referrer: kept.referrer });
    await wizard(state, ui, fx);
    expect(state.answers.get("referrer.name")).toBe("A. Lead");
    expect(state.answers.get("referrer.phone")).toBe("0121 000 0000");
    expect(said).toContain(
      "Your saved referrer details (name, phone) go into the drafts; safeguard referrer changes them.",
    );
    expect(menus).not.toContain("Keep these for next time?");
    expect(kept.saved).toEqual([]);

    // A case (a resumed session, say) that gives the referrer: the saved details are not even read.
    const given = fresh();
    given.answers.set("referrer.name", "B. Other");
    given.order.push("referrer.name");
    const other = keptReferrer({ name: "A. Lead" });
    const second = scriptedUi(EX1, given, { choose: round });
    await wizard(given, second.ui, effects({ referrer: other.referrer }).fx);
    expect(other.loads()).toBe(0);
    expect(given.answers.get("referrer.name")).toBe("B. Other");
    expect(given.answers.has("referrer.phone")).toBe(false);
  });

  it("a pathway with no draft to write: no round, and the saved details are not read or added", async () => {
    // Almost nothing known yet: the lead, the screening tool and the Exploitation Team, no draft.
    const few = caseAnswers({
      case_id: "FEW-1",
      concern: { date: "2026-11-20", about: "individual", imminent_harm: false },
    });
    const state = fresh();
    const { ui, menus } = scriptedUi(few, state);
    const kept = keptReferrer({ name: "A. Lead" });
    const { fx } = effects({ referrer: kept.referrer });
    const outcome = await wizard(state, ui, fx);
    if (outcome.kind !== "written") throw new Error("not written");
    expect(outcome.pathway.documents).toEqual([]);
    expect(menus).not.toContain(DRAFTS_ROUND);
    expect(kept.loads()).toBe(0);
    expect([...state.answers.keys()].filter((k) => k.startsWith("referrer."))).toEqual([]);
  });

  it("with nothing to ask (the drafts' questions answered, details saved) no round is offered", async () => {
    const state = fresh();
    for (const [k, v] of [
      ["person.school", "Example Academy"],
      ["referral.parents_aware", "yes"],
      ["person.lives_in_locality", true],
      ["person.location", "england"],
      ["person.gender", "Male"],
      ["person.nationality", "British"],
      ["person.first_language", "English"],
      ["person.interpreter_needed", false],
      ["person.communication_needs", "None known"],
      ["person.gp", "Example Medical Practice"],
      ["person.encountered_area", "Solihull"],
      ["person.parents_carers", "Mother, same address"],
      ["person.lead_professional", "B. Worker"],
      ["services.involved", "None known"],
      ["intel.sent_date", "2026-11-20"],
      ["person.strengths", "Football"],
      ["person.views", "Wants it to stop"],
      ["nrm.recruitment", "At the station"],
      ["nrm.movement", "By car"],
      ["nrm.control", "A debt"],
      ["referral.asking_for", "Support"],
    ] as const) {
      state.answers.set(k, v);
      state.order.push(k);
    }
    const { ui, menus } = scriptedUi(EX1, state);
    const { fx } = effects({ referrer: keptReferrer({ name: "A. Lead" }).referrer });
    await wizard(state, ui, fx);
    expect(menus).toEqual(["Your answers", "What next?", "Done. Clear the screen?"]);
    expect(state.answers.get("referrer.name")).toBe("A. Lead");
  });

  it("a damaged file of details is said, not used, not replaced; stopping in the round keeps what was given", async () => {
    const state = fresh();
    const { ui, said } = scriptedUi(EX1, state, {
      choose: round,
      question: (q) =>
        q.fact.id === "person.school"
          ? { kind: "answer", value: "Example Academy" }
          : q.fact.id === "referral.parents_aware"
            ? { kind: "cancel" }
            : undefined,
    });
    const kept = keptReferrer({ problem: "/data/referrer.json is not valid JSON" });
    const { fx, saves } = effects({ referrer: kept.referrer });
    const outcome = await wizard(state, ui, fx);
    expect(outcome.kind).toBe("cancelled");
    expect(said).toContain(
      "Your saved referrer details cannot be used: /data/referrer.json is not valid JSON. safeguard referrer shows what to do.",
    );
    expect(saves.at(-1)?.answers.get("person.school")).toBe("Example Academy");
    expect(kept.saved).toEqual([]);
  });
});

describe("changeAnswer", () => {
  it("leaves alone answers that were already irrelevant before the change", () => {
    const state: WizardState = {
      answers: new Map<string, Value | null>([
        ["case_id", "T"],
        ["concern.date", "2026-08-26"],
        ["concern.about", "individual"],
        ["person.dob", "2011-05-19"],
        ["person.name", "Sam"],
      ]),
      order: ["case_id", "concern.date", "concern.about", "person.dob", "person.name"],
      done: new Map(),
    };
    const dropped = changeAnswer(flow, state, "person.dob", "2010-05-19", TODAY);
    expect(dropped.size).toBe(0);
    expect(state.answers.get("person.name")).toBe("Sam");
  });
});

describe("the answers as a case file", () => {
  it("reads back as the same answers, nested by dots, null for not known, in the order given", () => {
    const answers = new Map<string, Value | null>([
      ["case_id", "C-1"],
      ["concern.date", "2026-08-26"],
      ["person.dob", null],
      ["concern.types", ["criminal", "county-lines"]],
      ["screening.threshold_level", "3"],
      ["screening.significant_harm", "no"],
      ["concern.missing_episodes", 2],
      ["concern.description", 'Two lines:\nhe said "no" and left'],
    ]);
    const text = caseFile(flow, answers, [...answers.keys()], { id: "20261123-abcdef" });
    expect(text).toMatch(/^# Answers from the safeguard wizard \(session 20261123-abcdef\)/);
    expect(text).toMatch(/^concern:\n {2}date: 2026-08-26$/m);
    expect(text).toMatch(/^ {2}dob: null$/m);
    const read = readCase("answers.yaml", text, flow.facts);
    expect(read.problems).toEqual([]);
    expect([...(read.answers ?? new Map())]).toEqual(
      expect.arrayContaining([...answers].map(([k, v]) => [k, v])),
    );
    expect(read.answers?.size).toBe(answers.size);
  });
});

describe("why, for a chosen step", () => {
  it("a rule that reads another step names that step by its title, never as recommends[id]", () => {
    const file = "test/interviews/hospital-adult-refuses-nrm.yaml";
    const facts = caseAnswers(parse(readFileSync(file, "utf8")));
    const p = decide(flow, facts, TODAY);
    const a = p.actions.find((x) => x.id === "consent-capacity-check");
    if (!a) throw new Error("no consent-capacity-check");
    expect(Object.keys(a.because[0]?.facts ?? {})).toContain("recommends[ofd-safeguarding-concern]");
    const titles = new Map(flow.actions.map((x) => [x.id, x.title]));
    const why = whyScreen(a, false, 200, (id) => flow.facts.get(id)?.label ?? titles.get(id));
    expect(why).toContain(
      "- this step is recommended too: Raise a safeguarding concern with Adult Social Care through One Front Door (ofd-safeguarding-concern)",
    );
    expect(why).not.toContain("recommends[");
    expect(why).toContain("- Child or adult pathway (person.group): adult");
  });
});

describe("the pathway at a glance", () => {
  it("says when each step is due in a few words: today, a date this year, overdue (in its deadline's days), no date", () => {
    const onTheDay = decide(flow, EX1, "2026-08-26");
    const words = onTheDay.actions.map((a) => dueWords(a, onTheDay.today));
    expect(words).toContain("today");
    expect(words).toContain("Wed 2 Sep"); // the strategy discussion: this year, so no year
    expect(words).toContain("no date set");
    expect(words.some((w) => w.startsWith("overdue"))).toBe(false);
    const later = decide(flow, EX1, "2026-09-03");
    const strategy = later.actions.find((a) => a.id === "strategy-discussion");
    if (!strategy) throw new Error("no strategy discussion");
    // 3 working days from the referral: overdue in working days.
    expect(dueWords(strategy, later.today)).toBe("overdue: 1 working day");
    // 5 calendar days from the concern (Mon 31 Aug): before the strategy discussion's outcome it
    // is expected, never overdue (issue 22); once it agrees, overdue in calendar days.
    const tracker = later.actions.find((a) => a.id === "vulnerability-tracker");
    expect(tracker && dueWords(tracker, later.today)).toBe("expected Mon 31 Aug");
    const agreed = new Map([
      ...EX1,
      ["strategy_discussion.outcome", "significant-harm"],
      ["strategy_discussion.date", "2026-09-01"],
    ]) as Answers;
    const firm = decide(flow, agreed, "2026-09-03").actions.find((a) => a.id === "vulnerability-tracker");
    expect(firm && dueWords(firm, "2026-09-03")).toBe("overdue: 3 calendar days");
    const first = onTheDay.actions[0];
    if (!first) throw new Error("no steps");
    expect(dueWords({ ...first, due: "2027-01-04" }, "2026-08-26")).toBe("Mon 4 Jan 2027");
  });

  it("a working-day step due on a Friday is 1 working day overdue on the Monday (3 calendar days), and overdue since the Friday on the weekend", () => {
    // Referred Tue 8 Sep 2026: the strategy discussion is due 3 working days later, Fri 11 Sep.
    const facts = new Map([...EX1, ["referral.date", "2026-09-08"]]) as Answers;
    const step = (today: string) => {
      const a = decide(flow, facts, today).actions.find((x) => x.id === "strategy-discussion");
      if (!a) throw new Error("no strategy discussion");
      return a;
    };
    const monday = step("2026-09-14");
    expect(monday.due).toBe("2026-09-11");
    expect(monday.counts).toBe("working_days");
    expect([monday.daysOverdue, monday.workingDaysOverdue]).toEqual([3, 1]);
    expect(dueWords(monday, "2026-09-14")).toBe("overdue: 1 working day");
    expect(dueWords(step("2026-09-15"), "2026-09-15")).toBe("overdue: 2 working days");
    // The Saturday after: late, and no working day lost yet.
    const saturday = step("2026-09-12");
    expect(saturday.daysOverdue).toBe(1);
    expect(dueWords(saturday, "2026-09-12")).toBe("overdue since Fri 11 Sep 2026");
    expect(dueWords(step("2026-09-11"), "2026-09-11")).toBe("today");
    // The run's text and the case summary say the same words.
    expect(pathwayText(decide(flow, facts, "2026-09-14"), { colour: false })).toContain(
      "due: Fri 11 Sep 2026, overdue: 1 working day",
    );
  });

  it("lists the steps in the order to act: overdue first, then today, then by date, then no date", () => {
    // On Wed 2 Sep the strategy discussion is due: some steps overdue, one today, some later, some undated.
    const p = decide(flow, EX1, "2026-09-02");
    const order = actingOrder(p.actions);
    // An expected step whose date has passed is not overdue (issue 22), but still comes by its date.
    const rank = (a: (typeof order)[number]) =>
      a.due !== null && a.due < p.today ? 0 : a.due === p.today ? 1 : a.due !== null ? 2 : 3;
    const ranks = order.map(rank);
    expect(ranks).toEqual([...ranks].sort());
    expect(new Set(ranks)).toEqual(new Set([0, 1, 2, 3]));
    // Within the overdue, the longest overdue first; dated steps by date.
    const dated = order.filter((a) => a.due !== null).map((a) => a.due as string);
    expect(dated).toEqual([...dated].sort());
    // The glance numbers them in that order, and so does the run's text.
    const glance = compactPathway(p, false, 200);
    const text = pathwayText(p, { colour: false });
    order.forEach((a, i) => {
      expect(glance).toMatch(new RegExp(`^ *${i + 1}\\. .*${escapeRe(a.title)}`, "m"));
      expect(text).toContain(`${String(i + 1).padStart(2)}. ${a.title}`);
    });
    // Another team's step is marked as theirs.
    expect(glance).toContain("Expect a strategy discussion, and take part in it (by Children's Services)");
    expect(text).toMatch(
      /Expect a strategy discussion, and take part in it {2}\[strategy-discussion\]\n {6}by Children's Services/,
    );
  });

  it("never cuts a title short: too tall, as many steps as fit whole, and how many more Show everything lists", () => {
    const p = decide(flow, EX1, "2026-09-10");
    const order = actingOrder(p.actions);
    const whole = compactPathway(p, false, 80).replace(/\n$/, "").split("\n").length;
    expect(compactPathway(p, false, 80, whole)).toBe(compactPathway(p, false, 80));
    // A line short: the due dates go before the titles rather than in a column, and all still fit.
    const before = compactPathway(p, false, 80, whole - 1);
    expect(before.split("\n").length - 1).toBeLessThan(whole);
    for (const a of order) expect(before.replace(/\s+/g, " ")).toContain(a.title);
    for (const [width, height] of [
      [80, 12],
      [80, 16],
      [60, 16],
    ] as const) {
      const lines = compactPathway(p, false, width, height).replace(/\n$/, "").split("\n");
      expect(lines.length).toBeLessThanOrEqual(height);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      const shown = order.filter((_, i) => lines.some((l) => new RegExp(`^ *${i + 1}\\. `).test(l)));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThan(order.length);
      // The steps shown are the first in order, each title whole; nothing ends in "…" but the count.
      expect(shown).toEqual(order.slice(0, shown.length));
      for (const a of shown) expect(lines.join(" ").replace(/\s+/g, " ")).toContain(a.title);
      expect(lines.filter((l) => l.endsWith("…"))).toEqual([]);
      const left = order.length - shown.length;
      expect(lines.at(-1)).toBe(
        `… and ${left} more step${left === 1 ? "" : "s"}: Show everything lists them all`,
      );
      expect(lines[0]).toMatch(/^Case EX-1: 15, child pathway/);
    }
  });

  it("says what is not decided in words, never fact or step ids (the ids stay in --json)", () => {
    const p = decide(flow, EX1, "2026-09-10");
    expect(p.undecided.length).toBeGreaterThan(0);
    const text = pathwayText(p, { colour: false });
    const section = text.slice(text.indexOf("Not decided yet"));
    const end = section.indexOf("\n\n");
    const notDecided = end > 0 ? section.slice(0, end) : section;
    for (const u of p.undecided) {
      expect(notDecided).toContain(u.title);
      expect(notDecided).not.toContain(u.id);
      for (const n of u.needs) if ("fact" in n) expect(notDecided).not.toContain(n.fact);
    }
    // The question that would settle it, as the wizard asks it.
    const ask = flow.questions.find((q) => q.fact.id === "concern.imminent_harm")?.ask ?? "?";
    expect(notDecided).toContain(`- ${ask}\n    would decide: Contact the police now (999)`);
    // The glance only counts them.
    expect(compactPathway(p, false, 80).replace(/\s+/g, " ")).toContain(
      `Show everything: ${p.undecided.length} steps that wait on facts`,
    );
  });

  it("one line a step where the terminal is wide; under the step, at word boundaries, where it is not", () => {
    const p = decide(flow, EX1, "2026-08-26");
    const wide = compactPathway(p, false, 200).split("\n");
    const steps = wide.filter((l) => /^ *\d+\. /.test(l));
    expect(steps).toHaveLength(p.actions.length);
    actingOrder(p.actions).forEach((a, i) => {
      expect(steps[i]).toContain(a.title);
    });
    for (const width of [60, 40]) {
      const narrow = compactPathway(p, false, width);
      for (const l of narrow.split("\n")) expect(l.length).toBeLessThanOrEqual(width);
      for (const a of p.actions) expect(narrow.replace(/\s+/g, " ")).toContain(a.title);
    }
  });
});

describe("an update (issue 26): what may have happened since, and steps marked done", () => {
  /**
   * EX-1 as its case folder keeps it after a wizard run, as an update starts on it
   * (updateAnswers): imminent harm, missing now and the NRM status answered; the strategy
   * discussion not known (not held yet), the MAACE never asked.
   */
  const SAVED = {
    ...Object.fromEntries(EX1),
    "concern.imminent_harm": false,
    "concern.missing_now": false,
    "nrm.decision": "none",
    "strategy_discussion.outcome": null,
  };
  const saved = (): WizardState => {
    const answers = new Map(Object.entries(updateAnswers(flow, SAVED)));
    return { answers, order: [...answers.keys()], done: new Map() };
  };
  const update = (state: WizardState, ui: Ui, fx: WizardEffects) =>
    runWizard(flow, state, ui, {
      today: TODAY,
      defaultOut: "./out",
      program: "safeguard",
      effects: fx,
      since: "2026-11-01",
    });
  /** Enter on every question: the answer offered (the saved one), else not known. */
  const enter = (_q: Question, opts: QuestionOptions): Asked => ({
    kind: "answer",
    value: opts.default === undefined ? null : opts.default,
  });
  /** The questions asked in the first round, and those after it, as the state says where it is. */
  const rounds = (state: WizardState, answer: Handler = enter) => {
    const first: string[] = [];
    const question: Handler = (q, opts, n) => {
      if (state.round !== "over") first.push(q.fact.id);
      return answer(q, opts, n);
    };
    return { first, question };
  };

  it("an update starts on the saved answers less the over-time ones saved not known; any other not known stays", () => {
    const given = { ...SAVED, "person.name": null, "nrm.decision_date": null };
    const answers = updateAnswers(flow, given);
    expect(answers).not.toHaveProperty("strategy_discussion.outcome");
    expect(answers).not.toHaveProperty("nrm.decision_date");
    // Not a question that changes with time: not known as before, not asked again.
    expect(answers).toHaveProperty("person.name", null);
    expect(answers["nrm.decision"]).toBe("none");
    expect(answers["concern.imminent_harm"]).toBe(false);
    expect(answers["concern.missing_episodes"]).toBe(2);
  });

  it("asks first the over-time questions answered before, each saved answer offered; Enter keeps them all", async () => {
    const state = saved();
    const before = new Map(state.answers);
    const { first, question } = rounds(state);
    const { ui, calls, said } = scriptedUi(EX1, state, { question });
    const { fx, saves } = effects();
    const outcome = await update(state, ui, fx);
    expect(said[0]).toMatch(/^\nWhat may have happened since Sun 1 Nov 2026: .*Enter keeps it\.$/);
    expect(first).toEqual([
      "concern.imminent_harm",
      "concern.missing_now",
      "nrm.decision",
      "concern.missing_episodes",
    ]);
    // Each offered with its saved answer: Enter keeps it.
    for (const c of calls.slice(0, first.length)) expect(c.opts.default, c.id).toEqual(before.get(c.id));
    expect(calls[0]?.opts.canGoBack).toBe(false);
    // Where the round is, saved as it goes: a resumed update carries on with the rest.
    expect(saves.slice(0, first.length).map((s) => s.round)).toEqual(
      first.map((_, i) => first.slice(0, i + 1)),
    );
    expect(saves.at(-1)?.round).toBe("over");
    // Nothing substantive changed: every saved answer as it was, the same steps on the same days.
    for (const [id, v] of before) expect(state.answers.get(id), id).toEqual(v);
    for (const [id, v] of state.answers) if (!before.has(id)) expect(v, id).toBeNull();
    if (outcome.kind !== "written") throw new Error("not written");
    expect(outcome.pathway.actions).toEqual(decide(flow, new Map(Object.entries(SAVED)), TODAY).actions);
  });

  it("one not known before, or never asked, is asked after the round where the flow asks it, untouched: Enter records not known", async () => {
    const state = saved();
    const { first, question } = rounds(state);
    const { ui, calls } = scriptedUi(EX1, state, { question });
    const { fx } = effects();
    await update(state, ui, fx);
    const ids = calls.map((c) => c.id);
    for (const id of ["strategy_discussion.outcome", "maace.in_process"]) {
      expect(first, id).not.toContain(id);
      const at = ids.indexOf(id);
      expect(at, id).toBeGreaterThanOrEqual(first.length);
      // Asked as the interview asks it: the engine's next question then, nothing offered.
      expect(nextQuestion(flow, calls[at]?.answers ?? new Map(), TODAY)?.fact.id).toBe(id);
      expect(calls[at]?.opts.default, id).toBeUndefined();
      expect(state.answers.get(id), id).toBeNull();
      expect(
        ids.filter((i) => i === id),
        id,
      ).toHaveLength(1);
    }
  });

  it("a decision changed in the round: < asks it again, as now answered; a strategy discussion held: when is asked next", async () => {
    const state = saved();
    let backs = 0;
    const { first, question } = rounds(state, (q, opts) => {
      if (q.fact.id === "nrm.decision")
        return { kind: "answer", value: opts.default === "none" ? "pending" : (opts.default ?? null) };
      // The question after it in the round: back once.
      if (backs === 0 && state.answers.get("nrm.decision") === "pending") {
        backs++;
        return { kind: "back" };
      }
      if (q.fact.id === "strategy_discussion.outcome") return { kind: "answer", value: "significant-harm" };
      if (q.fact.id === "strategy_discussion.date") return { kind: "answer", value: "2026-11-19" };
      return enter(q, opts);
    });
    const { ui, calls } = scriptedUi(EX1, state, { question });
    const { fx, saves } = effects();
    await update(state, ui, fx);
    const decision = first.indexOf("nrm.decision");
    expect(first.slice(decision, decision + 3)).toEqual([
      "nrm.decision",
      "concern.missing_episodes",
      "nrm.decision",
    ]);
    expect(calls[decision]?.opts.default).toBe("none");
    expect(calls[decision + 2]?.opts.default).toBe("pending");
    expect(state.answers.get("nrm.decision")).toBe("pending");
    // Held: the interview asks when, next.
    const ids = calls.map((c) => c.id);
    expect(ids[ids.indexOf("strategy_discussion.outcome") + 1]).toBe("strategy_discussion.date");
    expect(state.answers.get("strategy_discussion.date")).toBe("2026-11-19");
    // Saved as given.
    expect(saves.some((s) => s.answers.get("strategy_discussion.outcome") === "significant-harm")).toBe(true);
  });

  it("resumed in its first round, it asks the rest of it; resumed after it, none of it", async () => {
    const state = { ...saved(), round: ["concern.imminent_harm", "concern.missing_now"] };
    const { first, question } = rounds(state);
    const { ui, said } = scriptedUi(EX1, state, { question });
    await update(state, ui, effects().fx);
    expect(said[0]).toMatch(/^\nThe rest of what may have happened since Sun 1 Nov 2026: /);
    expect(first).toEqual(["nrm.decision", "concern.missing_episodes"]);

    const over = { ...saved(), round: "over" as const };
    const after = rounds(over);
    const { ui: ui2, calls, said: said2 } = scriptedUi(EX1, over, { question: after.question });
    await update(over, ui2, effects().fx);
    expect(said2.join("\n")).not.toMatch(/happened since/);
    expect(calls.map((c) => c.id)).not.toContain("nrm.decision");
    expect(calls.map((c) => c.id)).toContain("strategy_discussion.outcome");
  });

  it("a round with nothing to ask is not announced: a case whose over-time answers are all not known", async () => {
    const answers = new Map(
      Object.entries(
        updateAnswers(flow, {
          ...SAVED,
          "concern.imminent_harm": null,
          "concern.missing_now": null,
          "nrm.decision": null,
          "concern.missing_episodes": null,
        }),
      ),
    );
    const state: WizardState = { answers, order: [...answers.keys()], done: new Map() };
    const { first, question } = rounds(state);
    const { ui, said, calls } = scriptedUi(EX1, state, { question });
    await update(state, ui, effects().fx);
    expect(first).toEqual([]);
    expect(said.join("\n")).not.toMatch(/happened since/);
    // Each asked by the interview instead, where the flow asks it.
    for (const id of ["concern.imminent_harm", "nrm.decision", "concern.missing_episodes"])
      expect(calls.map((c) => c.id)).toContain(id);
  });

  it("mark a step done on the pathway screen: chosen from the steps not done, on the day typed; shown done, saved", async () => {
    const state = fresh();
    let whats = 0;
    let picked = "";
    let validate: ((s: string) => string | undefined) | undefined;
    const texts: string[] = [];
    const { ui, said } = scriptedUi(EX1, state, {
      choose: (message, entries) => {
        if (message === "What next?") return ++whats <= 2 ? { kind: "done" } : { kind: "write" };
        if (message === "Mark done: which step?") {
          const steps = entries.filter((e): e is { value: string; name: string } => "value" in e);
          expect(steps.at(-1)?.value).toBe("");
          picked = steps[0]?.value as string;
          return picked;
        }
        return undefined;
      },
    });
    ui.text = async (message, opts) => {
      if (!message.startsWith("The day it was done")) return { kind: "pick", value: opts?.default ?? "" };
      texts.push(message);
      validate = opts?.validate;
      // The first time Enter alone: nothing marked. The second, "today".
      return { kind: "pick", value: texts.length === 1 ? "" : "today" };
    };
    const { fx, saves } = effects({
      decide: (answers) => withDone(flow, decide(flow, answers, TODAY), state.done),
    });
    const outcome = await wizard(state, ui, fx);
    expect(said).toContain("Not marked.");
    expect(texts[0]).toMatch(
      /^The day it was done: .+ \(day\/month\/year, or today; Enter alone marks nothing\)$/,
    );
    // No day is assumed: the prompt offers none, a later day or a wrong one is refused.
    expect(validate?.("")).toBeUndefined();
    expect(validate?.("24/11/2026")).toMatch(/Tue 24 Nov 2026 is after today/);
    expect(validate?.("31/2/2026")).toMatch(/February 2026 has 28 days/);
    expect(validate?.("23/11/2026")).toBeUndefined();
    expect(state.done.get(picked)).toEqual({ date: TODAY });
    if (outcome.kind !== "written") throw new Error("not written");
    expect(outcome.pathway.actions.find((a) => a.id === picked)?.done).toEqual({
      date: TODAY,
      source: "marked",
    });
    expect(saves.length).toBeGreaterThan(0);
    // Written as the case file's done:, read back as run --answers reads it.
    const yaml = caseFile(flow, state.answers, state.order, { id: "s" }, state.done);
    expect(readCase("a.yaml", yaml, flow.facts).done?.get(picked)).toBe(TODAY);
  });
});
