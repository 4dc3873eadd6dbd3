import { decisionsDot } from "./decision-views.js";
import { type Branch, type Decisions, folded } from "./decisions.js";
import { bestSvg, slideTextPx, svgSize } from "./svg.js";

/**
 * A part's decisions as slides: each drawn so that, scaled to a 16:9 slide (1920 x 1080),
 * its text is at least READABLE_PX. A part that fits is one slide; a larger one is cut
 * between the questions asked at one point (a question too large alone, between its
 * answers, the question and answer said at the slide's start), in flow order, each slide
 * holding as many as still fit. Pure: the same part gives the same slides.
 */

/** The smallest text size on a 1920 x 1080 slide we call readable from the back of a room. */
export const READABLE_PX = 18;

export interface Slide {
  decisions: Decisions;
  svg: string;
}

async function drawn(d: Decisions): Promise<Slide> {
  return { decisions: d, svg: await bestSvg((dir) => decisionsDot(d, dir)) };
}

const fits = (s: Slide) => slideTextPx(svgSize(s.svg)) >= READABLE_PX;

/** The slides of a part, keyed `KEY/1`, `KEY/2`, ... when there are more than one. */
export async function slides(d: Decisions): Promise<Slide[]> {
  const out = await joined(await cut(d));
  if (out.length === 1) return out;
  return Promise.all(
    out.map((s, i) =>
      drawn({
        ...s.decisions,
        ...folded(s.decisions.given, s.decisions.root),
        key: `${d.key}/${i + 1}`,
        title: `${d.title} (${i + 1} of ${out.length})`,
      }),
    ),
  );
}

async function cut(d: Decisions): Promise<Slide[]> {
  const whole = await drawn(d);
  if (fits(whole)) return [whole];
  const units: Branch[] = [
    ...(d.root.steps.length > 0 ? [{ steps: d.root.steps, questions: [] }] : []),
    ...d.root.questions.map((q) => ({ steps: [], questions: [q] })),
  ];
  const out: Slide[] = [];
  let open: Slide | undefined;
  for (const unit of units) {
    if (open) {
      const root = {
        steps: [...open.decisions.root.steps, ...unit.steps],
        questions: [...open.decisions.root.questions, ...unit.questions],
      };
      const more = await drawn({ ...d, root });
      if (fits(more)) {
        open = more;
        continue;
      }
      out.push(open);
      open = undefined;
    }
    const alone = await drawn({ ...d, ...folded(d.given, unit) });
    const q = unit.questions[0];
    if (fits(alone)) open = { decisions: { ...d, root: unit }, svg: alone.svg };
    else if (!q) out.push(alone);
    else
      for (const a of q.answers) {
        const given = [...d.given, { question: q.question, answer: a.answer }];
        out.push(...(await cut({ ...d, ...folded(given, a.next) })));
      }
  }
  if (open) out.push(open);
  return out;
}

/** Neighbouring slides put together again wherever the two still fit on one. */
async function joined(cuts: Slide[]): Promise<Slide[]> {
  const out: Slide[] = [];
  for (const next of cuts) {
    const last = out.at(-1);
    if (last) {
      const both = await drawn(together(last.decisions, next.decisions));
      if (fits(both)) {
        out[out.length - 1] = both;
        continue;
      }
    }
    out.push(next);
  }
  return out;
}

/** Two slides of one part as one: their paths from the start they share, merged. */
function together(a: Decisions, b: Decisions): Decisions {
  let shared = 0;
  while (
    shared < a.given.length &&
    shared < b.given.length &&
    a.given[shared]?.question === b.given[shared]?.question &&
    a.given[shared]?.answer === b.given[shared]?.answer
  )
    shared++;
  const given = a.given.slice(0, shared);
  const root = merge(unfold(a.given.slice(shared), a.root), unfold(b.given.slice(shared), b.root));
  return { ...a, ...folded(given, root) };
}

/** The questions said at a slide's start as the first questions of its paths again. */
function unfold(given: Decisions["given"], root: Branch): Branch {
  let out = root;
  for (const g of [...given].reverse())
    out = {
      steps: [],
      questions: [{ key: g.question, question: g.question, answers: [{ answer: g.answer, next: out }] }],
    };
  return out;
}

function merge(a: Branch, b: Branch): Branch {
  const steps = [...a.steps, ...b.steps.filter((s) => !a.steps.includes(s))];
  const questions = a.questions.map((q) => ({ ...q, answers: [...q.answers] }));
  for (const q of b.questions) {
    const same = questions.find((x) => x.question === q.question);
    if (!same) {
      questions.push(q);
      continue;
    }
    for (const ans of q.answers) {
      const i = same.answers.findIndex((x) => x.answer === ans.answer);
      const was = same.answers[i];
      if (was) same.answers[i] = { answer: ans.answer, next: merge(was.next, ans.next) };
      else same.answers.push(ans);
    }
  }
  return { steps, questions };
}
