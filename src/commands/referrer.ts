import { InputError } from "../errors.js";
import {
  loadReferrer,
  REFERRER_FIELDS,
  REFERRER_WORDS,
  type Referrer,
  type ReferrerField,
  referrerFile,
  referrerProblem,
  saveReferrer,
} from "../io/referrer.js";
import type { World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { say } from "../words/problems.js";

export type ReferrerOptions = Record<ReferrerField, string | undefined> & { json: boolean; clear: boolean };

/**
 * `safeguard referrer`: the referrer's details the wizard fills into every draft, shown;
 * with --name, --role, … changed (an empty value removes one); with --clear, all removed.
 * They are kept owner-only in the data folder and go nowhere else.
 */
export async function run(world: World, _args: string[], opts: ReferrerOptions): Promise<number> {
  const file = referrerFile(world.env);
  const loaded = loadReferrer(file);
  const given = REFERRER_FIELDS.filter((f) => opts[f] !== undefined);
  if (opts.clear && given.length > 0) throw new InputError(say.clearAlone());
  const problems = given.flatMap((f) => {
    const why = referrerProblem(f, opts[f] as string);
    return why ? [`--${f}: ${terminalSafe(why)}`] : [];
  });
  if (problems.length > 0) throw new InputError(say.referrerNotChanged(), problems);
  // A damaged file is replaced only by a deliberate change; showing it says what is wrong.
  if ("problem" in loaded && !opts.clear && given.length === 0)
    throw new InputError(say.referrerDamaged(loaded.problem));
  let details: Referrer = "problem" in loaded ? {} : loaded;
  if (opts.clear) details = {};
  for (const f of given) {
    const v = (opts[f] as string).trim();
    details = { ...details };
    if (v === "") delete details[f];
    else details[f] = v;
  }
  if (opts.clear || given.length > 0) saveReferrer(file, details);
  if (opts.json) {
    world.stdout.write(`${JSON.stringify({ file, referrer: details }, null, 2)}\n`);
    return 0;
  }
  const shown = REFERRER_FIELDS.filter((f) => details[f]);
  const changed = opts.clear ? "Removed. " : given.length > 0 ? "Saved. " : "";
  if (shown.length === 0) {
    world.stdout.write(
      `${changed}No referrer details are saved (${file}).\n` +
        "The wizard asks for them once, for the drafts; or: safeguard referrer --name NAME --role ROLE " +
        "--organisation ORG --phone PHONE --email EMAIL\n",
    );
    return 0;
  }
  const width = Math.max(...shown.map((f) => REFERRER_WORDS[f].length));
  world.stdout.write(`${changed}Your details, filled into the referrer section of the wizard's drafts:\n`);
  for (const f of shown)
    world.stdout.write(`  ${REFERRER_WORDS[f].padEnd(width)}  ${terminalSafe(details[f] as string)}\n`);
  world.stdout.write(
    `In ${file} (readable by you only). Change one with --${shown[0]} TEXT, remove one with --${shown[0]} "", all with --clear.\n`,
  );
  return 0;
}
