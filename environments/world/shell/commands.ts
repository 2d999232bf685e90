import type { Command, Redir } from './ast.js';
import { BUILTINS } from './builtins.js';
import { ShellFatal, ShellSyntaxError, SpecialBuiltinError } from './errors.js';
import { expandFields, expandString } from './expand.js';
import type { Shell } from './interpreter.js';
import { findProgram, runExternal } from './programs.js';
import { ReturnSignal } from './signals.js';

type Assigns = { name: string; value: string }[];

/**
 * A simple command, as dash's evalcommand runs it: expand the words and the assignments, trace
 * them under `set -x`, then either keep the assignments (no command word) or run the command.
 */
export function simpleCommand(sh: Shell, cmd: Extract<Command, { k: 'simple' }>, tested: boolean): number {
  sh.run.step();
  sh.state.line = cmd.line;
  sh.lastSubStatus = 0;
  const argv = expandFields(sh, cmd.words);
  const assigns = cmd.assigns.map((a) => ({ name: a.name, value: sh.run.checkString(expandString(sh, a.value)) }));
  if (sh.state.options.has('x')) {
    const ps4 = sh.state.get('PS4') ?? '+ ';
    sh.write(2, `${ps4}${[...assigns.map((a) => `${a.name}=${a.value}`), ...argv].join(' ')}\n`);
  }
  if (argv.length === 0) {
    // Only assignments and redirections: the redirections are opened and closed, the assignments
    // stay, and the status is that of the last command substitution.
    return sh.withRedirs(cmd.redirs, () => {
      for (const a of assigns) sh.state.set(a.name, a.value);
      return sh.lastSubStatus;
    });
  }
  return runCommand(sh, argv, assigns, cmd.redirs, tested);
}

/**
 * Finds and runs a command: a special builtin, else a function, else a builtin, else a program
 * on PATH (or at a path). Prefix assignments stay after a special builtin and last only for the
 * command otherwise. `viaCommand` is the `command` builtin: functions are skipped, and a special
 * builtin's error does not end the shell.
 */
export function runCommand(sh: Shell, argv: string[], assigns: Assigns, redirs: Redir[], tested: boolean, viaCommand = false): number {
  const name = argv[0]!;
  const builtin = name.includes('/') ? undefined : BUILTINS[name];
  if (name === 'exec' && argv.length === 1 && !viaCommand) {
    // `exec` with only redirections makes them permanent: they are never undone.
    for (const a of assigns) sh.state.set(a.name, a.value);
    sh.keepRedirs(redirs);
    return 0;
  }
  if (builtin?.special && !viaCommand) {
    return sh.withRedirs(redirs, () => {
      for (const a of assigns) sh.state.set(a.name, a.value);
      return callBuiltin(sh, name, argv, false);
    }, true);
  }
  const fn = name.includes('/') || viaCommand ? undefined : sh.state.functions.get(name);
  if (fn) return sh.withRedirs(redirs, () => withTempVars(sh, assigns, () => callFunction(sh, fn, argv.slice(1), tested)));
  if (builtin) return sh.withRedirs(redirs, () => withTempVars(sh, assigns, () => callBuiltin(sh, name, argv, viaCommand)));
  return sh.withRedirs(redirs, () => {
    // A prefix assignment to PATH applies to finding this very command, as in dash.
    const program = findProgram(sh, name, assigns.findLast((a) => a.name === 'PATH')?.value ?? sh.state.get('PATH') ?? '');
    if (program === null) {
      sh.error(`${name}: not found`);
      return 127;
    }
    return runExternal(sh, program, argv, assigns);
  });
}

function callBuiltin(sh: Shell, name: string, argv: string[], viaCommand: boolean): number {
  const saved = sh.commandName;
  // dash treats `command` as a prefix, not as a running builtin: it is not named in messages.
  if (name !== 'command') sh.commandName = name;
  try {
    return BUILTINS[name]!.run(sh, argv);
  } catch (e) {
    // A fatal error's message names the innermost builtin that was running, and is printed while
    // that builtin's redirections are in force (`shift 2>/dev/null` prints nothing).
    if (e instanceof ShellFatal || e instanceof ShellSyntaxError) {
      if (e.who === undefined) e.who = name === 'command' ? saved : name;
      sh.report(e);
    }
    if (viaCommand && e instanceof SpecialBuiltinError) return 2;
    throw e;
  } finally {
    sh.commandName = saved;
  }
}

/** Runs `body` with variables set (and exported) for its duration only: prefix assignments of regular commands. */
export function withTempVars(sh: Shell, assigns: Assigns, body: () => number): number {
  if (assigns.length === 0) return body();
  const saved = assigns.map((a) => [a.name, sh.state.vars.get(a.name)] as const);
  for (const a of assigns) sh.state.set(a.name, a.value, { export: true });
  try {
    return body();
  } finally {
    for (const [n, v] of saved.reverse()) {
      if (v) sh.state.vars.set(n, v);
      else sh.state.vars.delete(n);
    }
  }
}

/**
 * Calls a shell function: new positional parameters, a frame for `local`, no enclosing loop for
 * break/continue; `return` ends it. Runaway recursion is a fatal error as in dash (whose limit is
 * 1000 calls; ours is lower so that the interpreter's own stack always suffices).
 */
export function callFunction(sh: Shell, body: Command, args: string[], tested: boolean): number {
  sh.run.step();
  const s = sh.state;
  const limit = sh.run.limits.functionDepth;
  if (s.funcDepth >= limit) throw new ShellFatal(`Maximum function recursion depth (${limit}) reached`);
  const saved = { positional: s.positional, loopDepth: s.loopDepth };
  s.positional = args;
  s.loopDepth = 0;
  s.funcDepth++;
  s.locals.push(new Map());
  try {
    return sh.exec(body, tested);
  } catch (e) {
    if (e instanceof ReturnSignal) return sh.setStatus(e.status);
    throw e;
  } finally {
    for (const [n, v] of s.locals.pop()!) {
      if (v) s.vars.set(n, v);
      else s.vars.delete(n);
    }
    s.funcDepth--;
    s.positional = saved.positional;
    s.loopDepth = saved.loopDepth;
  }
}
