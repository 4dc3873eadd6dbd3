import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { savedSession } from "./helpers/session.js";
import { terminalScratch, tmuxVersion } from "./helpers/tmux.js";

/**
 * Sessions a security tester would poke at, through the built CLI: one window per session
 * (a lock, taken over when its process has gone), damaged files named but never quoted,
 * and `sessions rm` keeping a damaged, possibly unfinished session without --force.
 */

const tmux = tmuxVersion();
if (tmux.missing && process.env.CI) throw new Error(`the session lock tests need tmux: ${tmux.missing}`);

const { setup, open } = terminalScratch("sessions-trust");

const SECRET = "Zebedee Quartermain";

function session(id: string, over: Record<string, unknown> = {}): string {
  return JSON.stringify(
    savedSession(id, {
      answers: { case_id: "C-1", "person.name": SECRET },
      order: ["case_id", "person.name"],
      ...over,
    }),
  );
}

function store(sessions: string, files: Record<string, string>): void {
  mkdirSync(sessions, { recursive: true, mode: 0o700 });
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(sessions, name), text, { mode: 0o600 });
}

/** Field 22 of /proc/PID/stat, as the lock records it. */
function startOf(pid: number): string {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ")[19] as string;
}

const bootId = () => readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}

describe("a damaged session file is named, with where it is, never quoted", () => {
  // Cut off mid-answer (a full disk), and whole JSON that is not a session: both hold a name.
  const cases = {
    "cut off": `{"version":1,"id":"20261101-aaaaaa","answers":{"person.name":"${SECRET}`,
    "not a session": JSON.stringify({ version: 2, note: SECRET }),
  };

  for (const [what, text] of Object.entries(cases)) {
    it(`sessions lists it as damaged (${what})`, () => {
      const { data, sessions } = setup();
      store(sessions, { "20261101-aaaaaa.json": text, "20261102-bbbbbb.json": session("20261102-bbbbbb") });
      const r = cli(["sessions"], { env: { SAFEGUARD_DATA_DIR: data } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/20261101-aaaaaa .*damaged: cannot be read/);
      expect(r.stdout).toContain(
        `20261101-aaaaaa: it is ${what === "cut off" ? "not valid JSON" : "not a safeguard session file"} (${join(sessions, "20261101-aaaaaa.json")})`,
      );
      expect(r.stdout).toMatch(/20261102-bbbbbb\s+C-1/);
      expect(r.stdout + r.stderr).not.toContain("Zebedee");
      expect(r.stdout + r.stderr).not.toContain("Quartermain");
    });

    it(`sessions rm keeps it without --force, removes it with (${what})`, () => {
      const { data, sessions } = setup();
      store(sessions, { "20261101-aaaaaa.json": text });
      const env = { SAFEGUARD_DATA_DIR: data };
      const r = cli(["sessions", "rm", "20261101-aaaaaa"], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/session 20261101-aaaaaa cannot be read .*may be unfinished.*--force/);
      expect(r.stderr).toContain(join(sessions, "20261101-aaaaaa.json"));
      expect(r.stderr).not.toContain("Zebedee");
      expect(existsSync(join(sessions, "20261101-aaaaaa.json"))).toBe(true);
      const forced = cli(["sessions", "rm", "20261101-aaaaaa", "--force"], { env });
      expect(forced.code, forced.stderr).toBe(0);
      expect(existsSync(join(sessions, "20261101-aaaaaa.json"))).toBe(false);
    });
  }

  it.skipIf(Boolean(tmux.missing))(
    "resume ID: exit 2 naming the session and its file, never its contents",
    async () => {
      const { cwd, data, sessions } = setup();
      store(sessions, { "20261101-aaaaaa.json": cases["cut off"] });
      const t = open(["resume", "20261101-aaaaaa"], cwd, data);
      expect(await t.waitExit()).toBe(2);
      const s = t.screen();
      expect(s).toContain("session 20261101-aaaaaa cannot be read");
      expect(s).toContain(join(sessions, "20261101-aaaaaa.json"));
      expect(s).toContain("is damaged (it is not valid JSON)");
      expect(s).not.toContain("Zebedee");
      expect(s).not.toMatch(/Unexpected|position|stack/i);
    },
  );
});

describe.skipIf(Boolean(tmux.missing))("one window per session", { timeout: 120_000 }, () => {
  it("a second window on an open session is refused (exit 2) naming it; once the first stops, resume carries on", async () => {
    const { cwd, data, sessions } = setup();
    const first = open([], cwd, data);
    await first.waitFor(/^\? /m, "the first question");
    first.type("LOCK-1");
    first.keys("Enter");
    await first.waitFor(/✔ [^\n]*LOCK-1[\s\S]*^\? /m, "the second question");
    const [file] = readdirSync(sessions).filter((f) => f.endsWith(".json"));
    const id = (file as string).replace(/\.json$/, "");
    const lock = join(sessions, `${id}.lock`);
    expect(statSync(lock).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(lock, "utf8"))).toMatchObject({ host: hostname() });

    for (const args of [["resume"], ["resume", id]]) {
      const second = open(args, cwd, data);
      expect(await second.waitExit()).toBe(2);
      expect(second.screen()).toMatch(
        new RegExp(
          `session ${id} is open in another safeguard window \\(process \\d+, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\)`,
        ),
      );
    }
    const env = { SAFEGUARD_DATA_DIR: data };
    expect(cli(["sessions"], { env }).stdout).toMatch(
      new RegExp(`${id}\\s+LOCK-1 .*1 answer so far, open now \\(process \\d+`),
    );
    const rm = cli(["sessions", "rm", id, "--force"], { env });
    expect(rm.code).toBe(2);
    expect(rm.stderr).toContain(`session ${id} is open in a safeguard window`);

    // The first window still owns it: its next answer is saved as before.
    first.keys("Escape");
    expect(await first.waitExit()).toBe(130);
    expect(existsSync(lock)).toBe(false);
    const again = open(["resume", id], cwd, data);
    await again.waitFor(/^\? /m, "the first unanswered question");
    expect(again.screen()).toContain(`Resuming session ${id}`);
    expect(again.screen()).not.toContain("taken over");
    expect(existsSync(lock)).toBe(true);
    again.close(); // a closed window (SIGHUP) takes its lock with it
    await waitUntil(() => !existsSync(lock), "the lock to go with the closed window");
  });

  // Each a lock whose process is gone, as a kill -9, a crash or a restart leaves it.
  const stale: [string, () => Record<string, unknown>, RegExp][] = [
    ["its process has ended", () => ({ pid: deadPid(), start: "1" }), /is no longer running/],
    [
      "its pid is now another process's",
      () => ({ pid: process.pid, start: String(Number(startOf(process.pid)) + 1) }),
      /is no longer running/,
    ],
    [
      "it is from before a restart",
      () => ({ pid: process.pid, boot: "0-old-boot" }),
      /before the computer was restarted/,
    ],
  ];
  for (const [what, owner, why] of stale) {
    it(`a stale lock is taken over, with a note: ${what}`, async () => {
      const { cwd, data, sessions } = setup();
      const id = "20261101-aaaaaa";
      const lock = {
        pid: 0,
        host: hostname(),
        boot: bootId(),
        start: startOf(process.pid),
        since: "2026-11-01T09:30:00.000Z",
        ...owner(),
      };
      store(sessions, { [`${id}.json`]: session(id), [`${id}.lock`]: JSON.stringify(lock) });
      const t = open(["resume", id], cwd, data);
      await t.waitFor(/^\? /m, "the first unanswered question");
      const s = t.screen();
      expect(s).toContain(`Resuming session ${id}`);
      expect(s).toMatch(
        new RegExp(`Session ${id} was left open by a safeguard window that .*: it is taken over here`),
      );
      expect(s).toMatch(why);
      expect(JSON.parse(readFileSync(join(sessions, `${id}.lock`), "utf8")).pid).not.toBe(lock.pid);
      t.keys("Escape");
      expect(await t.waitExit()).toBe(130);
      expect(existsSync(join(sessions, `${id}.lock`))).toBe(false);
    });
  }

  it("a lock held by a live process (this test's) is not taken over", async () => {
    const { cwd, data, sessions } = setup();
    const id = "20261101-aaaaaa";
    const lock = {
      pid: process.pid,
      host: hostname(),
      boot: bootId(),
      start: startOf(process.pid),
      since: "2026-11-01T09:30:00.000Z",
    };
    store(sessions, { [`${id}.json`]: session(id), [`${id}.lock`]: JSON.stringify(lock) });
    const t = open(["resume", id], cwd, data);
    expect(await t.waitExit()).toBe(2);
    expect(t.screen()).toContain(
      `session ${id} is open in another safeguard window (process ${process.pid}, since`,
    );
    expect(JSON.parse(readFileSync(join(sessions, `${id}.lock`), "utf8"))).toEqual(lock);
  });
});

async function waitUntil(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
