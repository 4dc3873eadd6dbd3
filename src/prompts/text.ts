import { input } from "@inquirer/prompts";
import { guarded } from "./keys.js";
import { answered, type Term } from "./term.js";
import type { Picked, TextOptions } from "./types.js";
import { BLANK_KEY, defaultRoom, fitError, fitMessage } from "./view.js";

/** A line of text that is not a flow question (the output folder, the referrer's details). */
export async function text(term: Term, message: string, opts: TextOptions = {}): Promise<Picked<string>> {
  const { c } = term;
  const answer = await guarded(term, (ctx) =>
    input(
      {
        message,
        ...(opts.default !== undefined ? { default: opts.default } : {}),
        validate: (s: string) => opts.validate?.(s) ?? true,
        theme: {
          style: {
            error: (text: string) => fitError(text, term.width(), c),
            message: (m: string, status: string) =>
              fitMessage(
                status === "done" ? c.bold(m) : `${c.bold(m)} ${c.dim(`(${BLANK_KEY.shown}: blank screen)`)}`,
                term.width(),
                defaultRoom(opts.default),
              ),
          },
        },
      },
      ctx,
    ),
  );
  if (typeof answer !== "string") return { kind: "cancel" };
  answered(term, message, answer);
  return { kind: "pick", value: answer };
}
