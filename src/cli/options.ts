import { Option } from "commander";
import { HOLIDAY_YEARS, isIsoDate } from "../engine/dates.js";
import { UsageError } from "../errors.js";
import { say } from "../words/problems.js";

/**
 * A command's options, declared once as data: the key is the name the command reads
 * (commander's camelCase of the long flag), the kind says what value it holds. The
 * command table builds commander's options from it, and `typedOptions` checks what
 * commander parsed against it, once, so a command reads typed values and never casts.
 */
export type OptionKind = "flag" | "text" | "date";

export interface OptionSpec<K extends OptionKind = OptionKind> {
  kind: K;
  flags: string;
  description: string;
  mandatory?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** What a command receives: every declared option, a flag as a boolean, a value as a string if given. */
export type Parsed<T extends OptionTable> = {
  [K in keyof T]: T[K] extends OptionSpec<"flag"> ? boolean : string | undefined;
};

/** An option without a value, such as `--json`. */
export function flag(flags: string, description: string): OptionSpec<"flag"> {
  return { kind: "flag", flags, description };
}

/** An option with a value, such as `--out <dir>`. */
export function text(flags: string, description: string, mandatory = false): OptionSpec<"text"> {
  return { kind: "text", flags, description, ...(mandatory ? { mandatory } : {}) };
}

/** A date option, `--date <YYYY-MM-DD>`: refused (exit 2) unless a plausible calendar date. */
export function date(flags: string, description: string): OptionSpec<"date"> {
  return { kind: "date", flags, description };
}

/** commander's option for a declaration; its attribute name must be the declaration's key. */
export function commanderOption(key: string, spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.mandatory) option.makeOptionMandatory();
  if (option.attributeName() !== key)
    throw new Error(
      `option ${spec.flags} is declared as "${key}", but commander calls it "${option.attributeName()}"`,
    );
  if ((spec.kind === "flag") !== !option.required)
    throw new Error(`option ${spec.flags} is declared as a ${spec.kind}, but its flags say otherwise`);
  return option;
}

/**
 * commander's parsed values as the declared types: a flag true or false, a value a string
 * or absent, a date a real YYYY-MM-DD in the years whose bank holidays the program knows (UsageError otherwise).
 */
export function typedOptions<T extends OptionTable>(table: T, parsed: Record<string, unknown>): Parsed<T> {
  const out: Record<string, boolean | string | undefined> = {};
  for (const [key, spec] of Object.entries(table)) {
    const value = parsed[key];
    if (spec.kind === "flag") {
      if (value !== undefined && typeof value !== "boolean")
        throw new Error(`option ${spec.flags} came back from commander as ${typeof value}`);
      out[key] = value === true;
      continue;
    }
    if (value !== undefined && typeof value !== "string")
      throw new Error(`option ${spec.flags} came back from commander as ${typeof value}`);
    if (spec.kind === "date" && value !== undefined) checkDate(spec.flags.split(" ")[0] ?? spec.flags, value);
    out[key] = value;
  }
  return out as Parsed<T>;
}

function checkDate(name: string, value: string): void {
  if (!isIsoDate(value)) throw new UsageError(say.optionNotADate(name, value));
  if (value < "1900-01-01" || value > "2199-12-31")
    throw new UsageError(say.optionImplausibleDate(name, value, 1900, 2199));
  // The day a pathway is worked out on: steps are late by working days up to it.
  const year = Number(value.slice(0, 4));
  if (year < HOLIDAY_YEARS.first || year > HOLIDAY_YEARS.last)
    throw new UsageError(say.optionOutsideHolidayYears(name, value, HOLIDAY_YEARS.first, HOLIDAY_YEARS.last));
}
