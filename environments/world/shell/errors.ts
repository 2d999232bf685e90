/** Raised when a run passes one of its limits; never caught by the script, only by the run. */
export class ShellLimit extends Error {}

/**
 * A syntax error, worded as dash words it (`Syntax error: "fi" unexpected`), with the line it was
 * found on. dash stops a non-interactive shell at the first one, with status 2.
 */
export class ShellSyntaxError extends Error {
  /** The builtin that was running (eval, .), named in the message as dash does. */
  who: string | null | undefined;
  /** dash prints the message where the error happens (with the redirections then in force). */
  printed = false;
  constructor(readonly detail: string, readonly line: number) {
    super(`Syntax error: ${detail}`);
  }
}

/**
 * An error that makes a non-interactive dash exit with status 2 (a special builtin's error, a
 * `${x?}` on an unset variable, a bad arithmetic expression, assigning to a read-only variable …).
 * `message` is printed after the `script: line: ` prefix.
 */
export class ShellFatal extends Error {
  /** The builtin that was running when it happened, named in the message as dash does. */
  who: string | null | undefined;
  /** dash prints the message where the error happens (with the redirections then in force). */
  printed = false;
}

/** A redirection that could not be opened; its message is dash's ("cannot open x: No such file"). */
export class RedirError extends Error {}

/** An error of a special builtin: fatal to the shell, except when run through `command`. */
export class SpecialBuiltinError extends ShellFatal {}
