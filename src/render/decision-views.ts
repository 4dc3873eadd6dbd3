import type { Branch, Decisions } from "./decisions.js";
import { escapeMermaid, mermaidId } from "./graph.js";
import { wrapLine } from "./wrap.js";
import { xmlText } from "./xml.js";

/**
 * A part's decisions drawn three ways: an outline for the terminal, Mermaid, and Graphviz
 * DOT (made into SVG and PNG by src/render/svg.ts). The pictures walk the same nodes.
 */

export interface PictureNode {
  id: string;
  kind: "start" | "question" | "step";
  text: string;
  /**
   * A question card: questions asked one after another, each but the last with the one
   * answer its paths need; the last question's answers are the exits its paths leave by.
   */
  stages?: { question: string; answers: string[] }[];
}

export interface Picture {
  nodes: PictureNode[];
  /** `answer` is the index of the question's answer the edge leaves by. */
  edges: { from: string; answer?: number; to: string }[];
}

/** Text broken to fit `width`, the lines after the first in line with the text after `first`. */
function wrap(text: string, width: number, first = "", rest = " ".repeat(first.length)): string[] {
  return wrapLine(text.replace(/\s+/g, " ").trim(), width, first, rest);
}

/** Said once at the start: the questions every path asks, with their one answer. */
function startText(d: Decisions): string[] {
  return [d.title, ...d.given.map((g) => `${g.question} → ${g.answer}`)];
}

/** The nodes and edges: start -> question -(answer)-> question | step; a step drawn once. */
export function picture(d: Decisions, prefix = ""): Picture {
  const nodes: PictureNode[] = [];
  const edges: Picture["edges"] = [];
  let n = 0;
  const start = `${prefix}start`;
  nodes.push({ id: start, kind: "start", text: startText(d).join("\n") });
  const stepIds = new Map<string, string>();
  const walk = (b: Branch, from: string, answer?: number) => {
    const edge = (to: string) => edges.push(answer === undefined ? { from, to } : { from, answer, to });
    for (const s of b.steps) {
      let id = stepIds.get(s);
      if (!id) {
        id = `${prefix}step_${mermaidId(s)}`;
        stepIds.set(s, id);
        // Each step with when it is due and where the procedures say so (issue 28).
        const a = d.steps.get(s);
        const when = d.when.get(s);
        nodes.push({
          id,
          kind: "step",
          text: a ? `${a.title}\n${when ? `When: ${when}\n` : ""}${a.cite}` : s,
        });
      }
      edge(id);
    }
    for (const first of b.questions) {
      const qid = `${prefix}q${++n}`;
      let q = first;
      const stages = [{ question: q.question, answers: q.answers.map((a) => a.answer) }];
      for (;;) {
        const next = q.answers.length === 1 ? q.answers[0]?.next : undefined;
        const only = next?.questions[0];
        if (!next || !only || next.steps.length > 0 || next.questions.length > 1) break;
        q = only;
        stages.push({ question: q.question, answers: q.answers.map((a) => a.answer) });
      }
      nodes.push({ id: qid, kind: "question", text: first.question, stages });
      edge(qid);
      q.answers.forEach((a, i) => {
        walk(a.next, qid, i);
      });
    }
  };
  walk(d.root, start);
  return { nodes, edges };
}

/** The outline for `--format text`: "?" a question, "-" an answer, ">" a step; wrapped at `width`. */
export function decisionsText(d: Decisions, width: number): string {
  const lines: string[] = [...wrap(d.title, width)];
  for (const g of d.given) lines.push(...wrap(`${g.question} ${g.answer}`, width, "  for: ", "       "));
  const walk = (b: Branch, depth: number) => {
    const pad = "  ".repeat(depth);
    for (const s of b.steps) {
      const a = d.steps.get(s);
      lines.push(...wrap(a ? `${a.title} (${a.id}; ${a.cite})` : s, width, `${pad}> `));
    }
    for (const q of b.questions) {
      lines.push(...wrap(q.question, width, `${pad}? `));
      for (const a of q.answers) {
        lines.push(...wrap(a.answer, width, `${pad}  - `));
        walk(a.next, depth + 2);
      }
    }
  };
  walk(d.root, 1);
  return `${lines.join("\n")}\n`;
}

/** Mermaid (`flowchart LR`) of a part's decisions: answers as rounded nodes between. */
export function decisionsMermaid(d: Decisions): string {
  const p = picture(d);
  const label = (text: string) =>
    text
      .split("\n")
      .flatMap((l) => wrap(l, 28))
      .map(escapeMermaid)
      .join("<br/>");
  const lines = [
    `%% ${escapeMermaid(d.title)}: questions {diamonds}, answers ([rounded]), steps [boxes]`,
    "flowchart LR",
  ];
  const ids: Record<string, string[]> = { question: [], answer: [], step: [] };
  for (const node of p.nodes) {
    if (node.kind === "start") lines.push(`  ${node.id}>"${label(node.text)}"]`);
    if (node.kind === "step") lines.push(`  ${node.id}["${label(node.text)}"]`);
    if (node.kind === "question") {
      // Mermaid has no ports: each stage is a diamond, each answer a rounded node.
      const stages = node.stages ?? [];
      stages.forEach((stage, k) => {
        const sid = k === 0 ? node.id : `${node.id}_s${k}`;
        lines.push(`  ${sid}{"${label(stage.question)}"}`);
        ids.question?.push(sid);
        stage.answers.forEach((a, i) => {
          const aid = k === stages.length - 1 ? `${node.id}_${i}` : `${node.id}_s${k}a`;
          lines.push(`  ${aid}(["${label(a)}"])`, `  ${sid} --> ${aid}`);
          if (k < stages.length - 1) lines.push(`  ${aid} --> ${node.id}_s${k + 1}`);
          ids.answer?.push(aid);
        });
      });
      continue;
    }
    ids[node.kind]?.push(node.id);
  }
  for (const e of p.edges)
    lines.push(`  ${e.answer === undefined ? e.from : `${e.from}_${e.answer}`} --> ${e.to}`);
  lines.push(
    "  classDef question fill:#fff4d6,stroke:#b08a2e,color:#3a2c00",
    "  classDef answer fill:#ffffff,stroke:#8a8a8a,color:#222222",
    "  classDef step fill:#e4eefc,stroke:#4a6fa5,color:#10233f",
  );
  for (const [kind, list] of Object.entries(ids))
    if (list.length > 0) lines.push(`  class ${list.join(",")} ${kind}`);
  return `${lines.join("\n")}\n`;
}

/** The font size every label is laid out and drawn at, in points. */
export const FONT_SIZE = 20;
export const FONT = "DejaVu Sans";

const lines = (text: string, width: number) =>
  text
    .split("\n")
    .flatMap((l) => wrap(l, width))
    .map(xmlText)
    .join("<BR/>");

/** One node as a DOT statement: a question is a card, its answers the ports edges leave by. */
function dotNode(node: PictureNode): string {
  if (node.kind === "start")
    return `  ${node.id} [shape=box style="filled" fillcolor="#1d2a44" fontcolor="#ffffff" color="#1d2a44" label=<${lines(node.text, 44)}>];`;
  if (node.kind === "step")
    return `  ${node.id} [shape=box style="filled" fillcolor="#e4eefc" color="#4a6fa5" penwidth=2 label=<${lines(node.text, 28)}>];`;
  const stages = node.stages ?? [];
  const rows = stages.flatMap((stage, k) => [
    `<TR><TD BGCOLOR="#fff4d6">${lines(stage.question, 26)}</TD></TR>`,
    ...stage.answers.map((a, i) => {
      const port = k === stages.length - 1 ? ` PORT="a${i}"` : "";
      return `<TR><TD${port} ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="#ffffff">${lines(`→ ${a}`, 26)}</TD></TR>`;
    }),
  ]);
  return `  ${node.id} [shape=plain label=<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5" COLOR="#b08a2e">${rows.join("")}</TABLE>>];`;
}

/** The nodes and edges of a picture as DOT statements (for one graph or a cluster). */
export function dotStatements(p: Picture, rankdir: "LR" | "TB"): string[] {
  const out = p.nodes.map(dotNode);
  // Left to right, a path leaves its answer's row by the right-hand edge.
  const side = rankdir === "LR" ? ":e" : "";
  for (const e of p.edges)
    out.push(`  ${e.answer === undefined ? e.from : `${e.from}:a${e.answer}${side}`} -> ${e.to};`);
  return out;
}

/** A graph's opening lines: layout direction, fonts, spacing. */
export function dotHeader(rankdir: "LR" | "TB"): string[] {
  return [
    "digraph decisions {",
    `  graph [rankdir=${rankdir} nodesep=0.15 ranksep=0.3 fontname="${FONT}" fontsize=${FONT_SIZE} bgcolor="white" pad=0.15];`,
    `  node [fontname="${FONT}" fontsize=${FONT_SIZE} margin="0.1,0.05"];`,
    `  edge [color="#5b6b84" arrowsize=0.8];`,
  ];
}

/** A part's decisions as a Graphviz graph. */
export function decisionsDot(d: Decisions, rankdir: "LR" | "TB" = "LR"): string {
  return [...dotHeader(rankdir), ...dotStatements(picture(d), rankdir), "}", ""].join("\n");
}

/** Every part's decisions in one graph, each part a box of its own: the whole map. */
export function flowDecisionsDot(parts: readonly Decisions[], rankdir: "LR" | "TB" = "LR"): string {
  const out = dotHeader(rankdir);
  parts.forEach((d, i) => {
    out.push(`  subgraph cluster_${i + 1} {`, `  color="#c8d0dc";`);
    out.push(...dotStatements(picture(d, `p${i + 1}_`), rankdir).map((l) => `  ${l}`));
    out.push("  }");
  });
  return [...out, "}", ""].join("\n");
}
