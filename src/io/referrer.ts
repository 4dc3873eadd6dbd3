import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { say } from "../words/problems.js";
import { dataDir, writePrivate } from "./sessions.js";

/**
 * The referrer's own details (issue 21): asked once, kept owner-only in the lead's data
 * folder, and filled into the referrer section of every draft the wizard writes (as the
 * case's `referrer.*` facts, so its answers.yaml gives the same drafts again). They are the
 * lead's personal data: shown and changed only with `safeguard referrer`, never logged.
 */
export const REFERRER_FIELDS = ["name", "role", "organisation", "phone", "email"] as const;
export type ReferrerField = (typeof REFERRER_FIELDS)[number];
export type Referrer = Partial<Record<ReferrerField, string>>;

/** How each field is named to a person, and what it must look like. */
export const REFERRER_WORDS: Record<ReferrerField, string> = {
  name: "Your name",
  role: "Your role",
  organisation: "Your organisation",
  phone: "Your phone number",
  email: "Your secure email address",
};

const MAX = 200;

/** Why a value cannot be kept, or undefined when it can (trimmed first). */
export function referrerProblem(field: ReferrerField, value: string): string | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (v.length > MAX) return say.referrerTooLong(REFERRER_WORDS[field], MAX);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(v)) return say.referrerControl(REFERRER_WORDS[field]);
  if (field === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return say.notAnEmail(v);
  if (field === "phone" && !/^\+?[0-9 ()-]{6,}$/.test(v)) return say.notAPhone(v);
  return undefined;
}

export function referrerFile(env: Record<string, string | undefined>): string {
  return join(dataDir(env), "referrer.json");
}

/**
 * The saved details: {} when none are saved. A file that cannot be read as details is said
 * in general words (never its contents, which are a person's).
 */
export function loadReferrer(file: string): Referrer | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    return { problem: say.referrerFile(file, "unreadable") };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problem: say.referrerFile(file, "not JSON") };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return { problem: say.referrerFile(file, "not details") };
  const out: Referrer = {};
  for (const field of REFERRER_FIELDS) {
    const v = (data as Record<string, unknown>)[field];
    if (v === undefined) continue;
    if (typeof v !== "string" || referrerProblem(field, v) !== undefined)
      return { problem: say.referrerFieldUnusable(file, field) };
    if (v.trim() !== "") out[field] = v.trim();
  }
  return out;
}

/** Save the details owner-only (the data folder 0700, the file 0600); nothing saved removes the file. */
export function saveReferrer(file: string, referrer: Referrer): void {
  const dir = join(file, "..");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const kept = Object.fromEntries(REFERRER_FIELDS.flatMap((f) => (referrer[f] ? [[f, referrer[f]]] : [])));
  if (Object.keys(kept).length === 0) rmSync(file, { force: true });
  else writePrivate(file, `${JSON.stringify(kept, null, 2)}\n`);
}

/** The details as the case's facts: `referrer.name`, … (only those saved). */
export function referrerFacts(referrer: Referrer): [string, string][] {
  return REFERRER_FIELDS.flatMap((f) => (referrer[f] ? [[`referrer.${f}`, referrer[f] as string]] : []));
}
