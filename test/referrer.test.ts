import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadReferrer, referrerFacts, referrerProblem, saveReferrer } from "../src/io/referrer.js";
import { cli } from "./helpers/cli.js";

// `safeguard referrer`: the lead's own details, kept owner-only in the data folder (issue 21).
function dataFolder() {
  const dir = mkdtempSync(join(tmpdir(), "referrer-"));
  return { dir, env: { SAFEGUARD_DATA_DIR: join(dir, "data") }, file: join(dir, "data", "referrer.json") };
}

describe("safeguard referrer", () => {
  it("none saved: says so and how to set them; nothing is written", () => {
    const { env, file } = dataFolder();
    const r = cli(["referrer"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No referrer details are saved");
    expect(() => statSync(file)).toThrow();
  });

  it("sets, shows and changes them, owner-only (folder 0700, file 0600); an empty value removes one", () => {
    const { env, file } = dataFolder();
    const set = cli(
      ["referrer", "--name", "A. Lead", "--role", "Designated safeguarding lead", "--phone", "0121 704 6000"],
      { env },
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("A. Lead");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, "..")).mode & 0o777).toBe(0o700);
    expect(cli(["referrer", "--phone", "", "--email", "a.lead@school.example.org"], { env }).code).toBe(0);
    const shown = JSON.parse(cli(["referrer", "--json"], { env }).stdout);
    expect(shown.referrer).toEqual({
      name: "A. Lead",
      role: "Designated safeguarding lead",
      email: "a.lead@school.example.org",
    });
  });

  it("a bad value is refused with why (exit 2), and nothing is changed", () => {
    const { env, file } = dataFolder();
    cli(["referrer", "--name", "A. Lead"], { env });
    const r = cli(["referrer", "--email", "not an address", "--role", "DSL"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--email");
    expect(r.stderr).not.toContain("at ");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ name: "A. Lead" });
  });

  it("--clear removes them all", () => {
    const { env, file } = dataFolder();
    cli(["referrer", "--name", "A. Lead"], { env });
    const r = cli(["referrer", "--clear"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No referrer details are saved");
    expect(() => statSync(file)).toThrow();
  });

  it("a damaged file is named, never quoted (exit 2); --clear mends it", () => {
    const { env, file } = dataFolder();
    cli(["referrer", "--name", "A. Lead"], { env });
    writeFileSync(file, '{"name": "Secret Person", "phone": 7}');
    const r = cli(["referrer"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).not.toContain("Secret Person");
    expect(cli(["referrer", "--clear"], { env }).code).toBe(0);
  });
});

describe("the referrer store", () => {
  it("keeps only good, non-empty details, and gives them as the case's referrer facts", () => {
    const { file } = dataFolder();
    saveReferrer(file, { name: " A. Lead ".trim(), organisation: "Castle School", phone: "" });
    const back = loadReferrer(file);
    expect(back).toEqual({ name: "A. Lead", organisation: "Castle School" });
    expect(referrerFacts(back as object)).toEqual([
      ["referrer.name", "A. Lead"],
      ["referrer.organisation", "Castle School"],
    ]);
  });

  it("checks an email, a phone number and control characters; both sides", () => {
    expect(referrerProblem("email", "a.lead@school.example.org")).toBeUndefined();
    expect(referrerProblem("email", "a.lead at school")).toMatch(/not an email/);
    expect(referrerProblem("phone", "+44 (0)121 704-6000")).toBeUndefined();
    expect(referrerProblem("phone", "call reception")).toMatch(/not a phone/);
    expect(referrerProblem("name", "A\u001b[2JLead")).toMatch(/control character/);
    expect(referrerProblem("name", "")).toBeUndefined();
  });
});
