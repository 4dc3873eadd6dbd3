// Errors every layer may throw and the shell (src/cli/main.ts) turns into exit codes.
// They live below the shell so that io/, language/ and commands/ need not import cli/.

/**
 * How every error the program reports begins, whoever found it (the runner, commander's
 * usage errors, the single executable's start, a closed output): one prefix to grep for.
 */
export const ERROR_PREFIX = "safeguard: error: ";

/** A problem a person can fix: bad usage or bad input. Exit code 2, no stack trace. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** Bad command-line usage (unknown option, missing argument). Exit code 2. */
export class UsageError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The wizard was interrupted; answers are saved. Exit code 130. */
export class Interrupted extends Error {
  readonly exitCode = 130;
  constructor(message: string) {
    super(message);
    this.name = "Interrupted";
  }
}
