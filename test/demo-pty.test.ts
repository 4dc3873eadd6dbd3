import { afterEach, describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";
import { bundledFlow } from "./helpers/flow.js";
import { Terminal, tmuxVersion } from "./helpers/tmux.js";

// `demo --quiz` in a real terminal (tmux): the room is asked before each step is shown.
const tmux = tmuxVersion();
if (tmux.missing && process.env.CI) throw new Error(`the demo's terminal tests need tmux: ${tmux.missing}`);

const flow = bundledFlow();
const title = (id: string) => flow.actionById.get(id)?.title as string;
const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

describe.skipIf(Boolean(tmux.missing))(`demo --quiz in a terminal (${tmux.version ?? "no tmux"})`, () => {
  it("asks what happens next, reveals the step on Enter, and stops on q", async () => {
    const t = new Terminal({
      args: ["demo", "t7-context-place", "--quiz"],
      cwd: packageRoot,
      env: { NO_COLOR: "1" },
    });
    terminals.push(t);
    let s = await t.waitFor(/Enter for the next step, q to stop/, "the case");
    expect(s).toContain("A housing officer keeps seeing different young people");
    expect(s).not.toContain("what happens next?");
    t.keys("Enter");
    s = await t.waitFor(/Enter to reveal, q to stop/, "the first question");
    expect(s).toContain("Step 1 of 2: what happens next?");
    expect(s).toContain("Ask the room: what, by when, who, and why.");
    // The answer is not on the screen before Enter.
    expect(s).not.toContain(title("contextual-concern-advice"));
    t.keys("Enter");
    s = await t.waitFor(
      (x) => x.includes(`Step 1 of 2: ${title("contextual-concern-advice")}`),
      "the first step",
    );
    expect(s).toContain("Cites  Procedures §11.1");
    t.keys("Enter");
    s = await t.waitFor(/Step 2 of 2: what happens next\?/, "the second question");
    expect(s).not.toContain(`Step 2 of 2: ${title("fib-intelligence-report")}`);
    t.type("q");
    t.keys("Enter");
    expect(await t.waitExit()).toBe(0);
    s = t.screen();
    expect(s).toContain("Stopped.");
    expect(s).not.toContain(`Step 2 of 2: ${title("fib-intelligence-report")}`);
  });
});

describe("demo --quiz without a terminal", () => {
  it("says so, and prints each question followed by its answer", () => {
    const r = cli(["demo", "t7-context-place", "--quiz"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("demo --quiz: not a terminal, so each question is printed with its answer.");
    const q1 = r.stdout.indexOf("Step 1 of 2: what happens next?");
    const a1 = r.stdout.indexOf(`Step 1 of 2: ${title("contextual-concern-advice")}`);
    const q2 = r.stdout.indexOf("Step 2 of 2: what happens next?");
    expect(q1).toBeGreaterThan(0);
    expect(a1).toBeGreaterThan(q1);
    expect(q2).toBeGreaterThan(a1);
    expect(r.stdout).not.toContain("Enter to reveal");
  });
});
