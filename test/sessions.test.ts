import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run as resume } from "../src/commands/resume.js";
import { run as list, prune, rm } from "../src/commands/sessions.js";
import { run as wizard } from "../src/commands/wizard.js";
import { InputError } from "../src/errors.js";
import {
  listSessions,
  loadSession,
  newSessionId,
  parseDuration,
  type Session,
  saveSession,
  sessionFile,
  sessionsDir,
} from "../src/io/sessions.js";
import type { World } from "../src/io/world.js";
import { savedSession } from "./helpers/session.js";
import { testWorld } from "./helpers/world.js";

const scratch = mkdtempSync(join(tmpdir(), "safeguard-sessions-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(scratch, `d${n++}`);

function session(id: string, over: Partial<Session> = {}): Session {
  return savedSession(id, {
    flowVersion: "2026.11",
    answers: { case_id: "C-7", "person.name": "Jade Example", "person.dob": "2011-05-19" },
    order: ["case_id", "person.name", "person.dob"],
    ...over,
  });
}

const NOW = "2026-11-23T12:00:00.000Z";

function world(dataDir: string, tty = false, now = NOW): World & { out: () => string; err: () => string } {
  const t = testWorld({ cwd: scratch, tty, env: { SAFEGUARD_DATA_DIR: dataDir }, today: "2026-11-23", now });
  return { ...t.world, out: t.out, err: t.err };
}

describe("where sessions live", () => {
  it("SAFEGUARD_DATA_DIR, else XDG_DATA_HOME (absolute only), else ~/.local/share", () => {
    expect(sessionsDir({ SAFEGUARD_DATA_DIR: "/t/d", XDG_DATA_HOME: "/x" })).toBe("/t/d/sessions");
    expect(sessionsDir({ XDG_DATA_HOME: "/x/data", HOME: "/home/u" })).toBe("/x/data/safeguard/sessions");
    expect(sessionsDir({ XDG_DATA_HOME: "relative/data", HOME: "/home/u" })).toBe(
      "/home/u/.local/share/safeguard/sessions",
    );
    expect(sessionsDir({ HOME: "/home/u" })).toBe("/home/u/.local/share/safeguard/sessions");
  });

  it("ids are short: the date and a few random characters", () => {
    const id = newSessionId("2026-11-23");
    expect(id).toMatch(/^20261123-[a-z0-9]{6}$/);
    expect(newSessionId("2026-11-23")).not.toBe(id);
  });
});

describe("saving", () => {
  it("writes owner-only (folder 0700, file 0600), atomically, and reads back", () => {
    const dir = freshDir();
    const s = session("20261101-abcdef");
    const file = saveSession(dir, s);
    expect(file).toBe(sessionFile(dir, s.id));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["20261101-abcdef.json"]); // no temporary file left
    expect(loadSession(dir, s.id)).toEqual(s);
    s.answers["concern.date"] = "2026-11-01";
    s.order.push("concern.date");
    saveSession(dir, s);
    expect(loadSession(dir, s.id)?.answers["concern.date"]).toBe("2026-11-01");
  });

  it("an unknown or malformed id is no session; a damaged file is reported, not fatal", () => {
    const dir = freshDir();
    expect(loadSession(dir, "20261101-zzzzzz")).toBeUndefined();
    expect(loadSession(dir, "../etc/passwd")).toBeUndefined();
    saveSession(dir, session("20261101-aaaaaa"));
    writeFileSync(join(dir, "20261102-bbbbbb.json"), "{ not json");
    const all = listSessions(dir);
    expect(all.map((s) => s.id)).toEqual(["20261102-bbbbbb", "20261101-aaaaaa"]);
    expect(all[0]?.problem).toBeDefined();
    expect(() => loadSession(dir, "20261102-bbbbbb")).toThrow();
  });

  it("an update's session (issue 26) keeps its case folder, the day and where its first round is; a damaged one is refused", () => {
    const dir = freshDir();
    const folder = join(scratch, "out", "C-7");
    for (const round of [[], ["nrm.decision"], "over"] as const) {
      const s = session("20261101-eeeeee", { update: { folder, since: "2026-11-01", round: [...round] } });
      if (round === "over") s.update = { folder, since: "2026-11-01", round };
      saveSession(dir, s);
      expect(loadSession(dir, s.id)).toEqual(s);
    }
    for (const update of [
      { folder: "out/C-7", since: "2026-11-01", round: [] },
      { folder, since: "1 Nov 2026", round: [] },
      { folder, since: "2026-11-01", round: "done" },
      { folder, since: "2026-11-01", round: [3] },
      { folder, since: "2026-11-01" },
      "out/C-7",
      null,
    ]) {
      writeFileSync(
        join(dir, "20261101-ffffff.json"),
        JSON.stringify(session("20261101-ffffff", { update } as never)),
      );
      expect(() => loadSession(dir, "20261101-ffffff"), JSON.stringify(update)).toThrow(
        /is damaged \(it is not a safeguard session file\)/,
      );
    }
  });

  it("durations: days, weeks, hours", () => {
    expect(parseDuration("30d")).toBe(30 * 86_400_000);
    expect(parseDuration("4w")).toBe(28 * 86_400_000);
    expect(parseDuration("12h")).toBe(12 * 3_600_000);
    expect(parseDuration("30")).toBeUndefined();
    expect(parseDuration("1y")).toBeUndefined();
  });
});

/**
 * Two sessions: one with the case reference REF, a name, a date of birth, concern types and
 * a description (5 answers, unfinished); one finished, with no reference and a concern
 * type that is no value of the list. Only the reference and the first type may be shown.
 */
function saveTwo(dir: string, ref: string): void {
  saveSession(
    join(dir, "sessions"),
    session("20261101-aaaaaa", {
      answers: {
        case_id: ref,
        "person.name": "Jade Example",
        "person.dob": "2011-05-19",
        "concern.types": ["county-lines", "criminal"],
        "concern.description": "Seen with older men near the station",
      },
      order: ["case_id", "person.name", "person.dob", "concern.types", "concern.description"],
    }),
  );
  saveSession(
    join(dir, "sessions"),
    session("20261105-bbbbbb", {
      started: "2026-11-05T10:00:00.000Z",
      finished: true,
      answers: { "person.name": "Sam Other", "concern.types": ["Sam Other's words"] },
      order: ["person.name", "concern.types"],
    }),
  );
}

describe("safeguard sessions", () => {
  it("lists id, case reference, first concern type, flow, started and progress, never a name or another answer", async () => {
    const dir = freshDir();
    const w = world(dir);
    saveTwo(dir, "C-7");
    expect(await list(w, [], { json: false })).toBe(0);
    const out = w.out();
    expect(out).toMatch(/ID\s+CASE\s+CONCERN\s+FLOW\s+STARTED\s+LAST CHANGE\s+PROGRESS/);
    expect(out).toMatch(
      /20261101-aaaaaa\s+C-7\s+county-lines\s+all-age\s+2026-11-01 \d\d:\d\d\s+.*5 answers so far/,
    );
    // No case reference answered yet, and a concern type that is no value of the list: neither shown.
    expect(out).toMatch(/20261105-bbbbbb\s+-\s+-\s+all-age.*finished \(2 answers\)/);
    for (const secret of ["Jade", "Sam", "2011-05-19", "criminal", "station"])
      expect(out).not.toContain(secret);
  });

  it("an update's session says so (table and --json), never the folder it updates", async () => {
    const dir = freshDir();
    saveTwo(dir, "C-7");
    const folder = join(scratch, "private-folder-name", "C-7");
    saveSession(
      join(dir, "sessions"),
      session("20261107-uuuuuu", {
        started: "2026-11-07T10:00:00.000Z",
        update: { folder, since: "2026-11-01", round: [] },
      }),
    );
    const w = world(dir);
    expect(await list(w, [], { json: false })).toBe(0);
    expect(w.out()).toMatch(/20261107-uuuuuu\s+C-7\s.*3 answers so far, an update/);
    expect(w.out()).toMatch(/20261101-aaaaaa\s.*5 answers so far\s*$/m);
    const j = world(dir);
    expect(await list(j, [], { json: true })).toBe(0);
    const listed = JSON.parse(j.out()).sessions as { id: string; update: boolean }[];
    expect(listed.map((s) => [s.id, s.update])).toEqual([
      ["20261101-aaaaaa", false],
      ["20261105-bbbbbb", false],
      ["20261107-uuuuuu", true],
    ]);
    expect(w.out() + j.out()).not.toContain("private-folder-name");
  });

  it("--json: the same list as data, snake_case, the reference whole, never a name or another answer", async () => {
    const dir = freshDir();
    const w = world(dir);
    saveTwo(dir, "C-7/a-reference-longer-than-the-table-shows");
    writeFileSync(join(dir, "sessions", "20261106-cccccc.json"), "{ not json");
    expect(await list(w, [], { json: true })).toBe(0);
    const out = w.out();
    const parsed = JSON.parse(out);
    expect(parsed.folder).toBe(join(dir, "sessions"));
    expect(parsed.sessions).toEqual([
      { id: "20261106-cccccc", damaged: expect.any(String) },
      {
        id: "20261101-aaaaaa",
        case_id: "C-7/a-reference-longer-than-the-table-shows",
        concern_type: "county-lines",
        flow: "all-age",
        started: expect.stringMatching(/^2026-11-01T/),
        updated: expect.any(String),
        answers: 5,
        finished: false,
        update: false,
        open_by: null,
      },
      expect.objectContaining({ id: "20261105-bbbbbb", case_id: null, concern_type: null, finished: true }),
    ]);
    for (const secret of ["Jade", "Sam", "2011-05-19", "criminal", "station"])
      expect(out).not.toContain(secret);
    const none = world(freshDir());
    expect(await list(none, [], { json: true })).toBe(0);
    expect(JSON.parse(none.out()).sessions).toEqual([]);
  });

  it("a case reference with control characters is shown inert, and cut short", async () => {
    const dir = freshDir();
    const w = world(dir);
    const id = `C-8\u001b]52;c;aGVsbG8=\u0007${"x".repeat(40)}`;
    saveSession(
      join(dir, "sessions"),
      session("20261101-aaaaaa", { answers: { case_id: id }, order: ["case_id"] }),
    );
    expect(await list(w, [], { json: false })).toBe(0);
    expect(w.out()).not.toContain("\u001b");
    expect(w.out()).not.toContain("\u0007");
    expect(w.out()).toMatch(/C-8\S*…/);
  });

  it("says so when there are none", async () => {
    const w = world(freshDir());
    expect(await list(w, [], { json: false })).toBe(0);
    expect(w.out()).toContain("No saved sessions");
  });

  it("rm removes a finished session; an unfinished one only with --force", async () => {
    const dir = freshDir();
    const store = join(dir, "sessions");
    saveSession(store, session("20261101-aaaaaa"));
    saveSession(store, session("20261102-bbbbbb", { finished: true }));
    const w = world(dir);
    expect(await rm(w, ["20261102-bbbbbb"], { force: false })).toBe(0);
    expect(loadSession(store, "20261102-bbbbbb")).toBeUndefined();
    await expect(rm(w, ["20261101-aaaaaa"], { force: false })).rejects.toThrow(
      /not finished.*safeguard resume 20261101-aaaaaa/,
    );
    expect(loadSession(store, "20261101-aaaaaa")).toBeDefined();
    expect(await rm(w, ["20261101-aaaaaa"], { force: true })).toBe(0);
    expect(listSessions(store)).toEqual([]);
  });

  it("rm of an unknown id: exit 2 with a did-you-mean", async () => {
    const dir = freshDir();
    saveSession(join(dir, "sessions"), session("20261101-aaaaaa", { finished: true }));
    const error = await rm(world(dir), ["20261101-aaaaab"], { force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as Error).message).toContain('did you mean "20261101-aaaaaa"');
  });

  it("prune --older-than removes finished sessions not changed for that long, and keeps unfinished ones", async () => {
    const dir = freshDir();
    const store = join(dir, "sessions");
    // The clock is the world's: 30 days before NOW is 2026-10-24T12:00Z.
    const old = "2026-10-24T11:59:00.000Z";
    const recent = "2026-10-24T12:01:00.000Z";
    saveSession(store, session("20261001-oldfin", { finished: true, updated: old }));
    saveSession(store, session("20261001-oldopn", { finished: false, updated: old }));
    saveSession(store, session("20261120-newfin", { finished: true, updated: recent }));
    const w = world(dir);
    expect(await prune(w, [], { olderThan: "30d" })).toBe(0);
    expect(
      listSessions(store)
        .map((s) => s.id)
        .sort(),
    ).toEqual(["20261001-oldopn", "20261120-newfin"]);
    // Two minutes later by the world's clock, the recent one is old enough too.
    expect(await prune(world(dir, false, "2026-11-23T12:02:00.000Z"), [], { olderThan: "30d" })).toBe(0);
    expect(listSessions(store).map((s) => s.id)).toEqual(["20261001-oldopn"]);
    expect(w.out()).toContain("Removed 1 finished session");
    expect(w.out()).toContain("1 unfinished session was kept");
    await expect(prune(w, [], { olderThan: "soon" })).rejects.toThrow(/not a duration/);
  });
});

describe("no terminal to ask on", () => {
  it("the wizard and resume stop with exit 2 and point at --answers", async () => {
    const w = world(freshDir(), false);
    for (const command of [wizard, resume]) {
      const none = { json: false, out: undefined, date: undefined, locality: undefined };
      const error = await command(w, [], none).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      expect((error as Error).message).toContain("--answers");
    }
  });

  it("resume with nothing to resume says so", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const w = world(dir, true);
    await expect(resume(w, [], { date: undefined })).rejects.toThrow(/no unfinished session/);
    await expect(resume(w, ["20260101-nothere"], { date: undefined })).rejects.toThrow(
      /no session "20260101-nothere"/,
    );
  });

  it("a temporary file a killed save left behind (it holds answers) is removed by the next save", () => {
    const dir = freshDir();
    saveSession(dir, session("20261101-cccccc"));
    const stale = join(dir, "20261101-cccccc.json.99999.dead.tmp");
    const fresh = join(dir, "20261101-dddddd.json.99998.busy.tmp");
    writeFileSync(stale, '{"answers":{"person.name":"Jade Example"}}');
    writeFileSync(fresh, "{}");
    const old = new Date(Date.now() - 120_000);
    utimesSync(stale, old, old);
    saveSession(dir, session("20261101-cccccc"));
    expect(readdirSync(dir).sort()).toEqual(["20261101-cccccc.json", "20261101-dddddd.json.99998.busy.tmp"]);
  });

  it("a session file is the only place answers go", () => {
    const dir = freshDir();
    const file = saveSession(dir, session("20261101-cccccc"));
    expect(JSON.parse(readFileSync(file, "utf8")).answers["person.name"]).toBe("Jade Example");
  });
});
