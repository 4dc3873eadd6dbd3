import type { Session } from "../../src/io/sessions.js";

/**
 * A saved wizard session as the data folder holds one: case C-1 with only its reference,
 * unfinished, started and last saved on 1 Nov 2026. `over` replaces any field: a test's own
 * answers, or a field a trust test plants on purpose (kept as given, typed or not).
 */
export function savedSession(id: string, over: Record<string, unknown> = {}): Session {
  return {
    version: 1,
    id,
    flow: "all-age",
    flowVersion: "x",
    flowSha256: "0".repeat(64),
    started: "2026-11-01T09:00:00.000Z",
    updated: "2026-11-01T09:30:00.000Z",
    answers: { case_id: "C-1" },
    order: ["case_id"],
    finished: false,
    ...over,
  } as Session;
}
