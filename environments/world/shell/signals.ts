/**
 * Control flow that unwinds the interpreter's stack. They are plain classes (not Errors) because
 * they are ordinary events in a script; only `ShellLimit` and `Killed` end a whole run.
 */

/** `exit`, or a fatal error, or errexit: ends the current shell process. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** `exec program`: the process was replaced; it ends without running its EXIT trap. */
export class ExecDone {
  constructor(readonly status: number) {}
}

/** `return` from a function or a sourced file. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}

/** `break n` / `continue n`. */
export class LoopSignal {
  constructor(readonly kind: 'break' | 'continue', public levels: number) {}
}

/** The script killed its own shell with a signal nobody trapped; the whole run ends. */
export class Killed {
  constructor(readonly signal: string, readonly status: number) {}
}
