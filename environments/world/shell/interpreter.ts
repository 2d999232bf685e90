import type { Command, List, Redir, Word } from './ast.js';
import { BUILTINS } from './builtins.js';
import { RedirError, ShellFatal, ShellSyntaxError, SpecialBuiltinError } from './errors.js';
import { expandFields, expandPattern, expandString, type ExpandHost } from './expand.js';
import { matchPattern, type PatternPiece } from './pattern.js';
import { Parser } from './parser.js';
import { findProgram, runExternal } from './programs.js';
import { openRedirs, restoreFds } from './redirect.js';
import type { Run } from './run.js';
import { ExecDone, ExitSignal, LoopSignal, ReturnSignal } from './signals.js';
import type { ShellState } from './state.js';
import { globPaths } from './glob.js';

/**
 * One shell process: it evaluates the syntax tree node by node as dash's eval.c does (errexit only
 * after simple commands, pipelines and subshells outside a tested context; special builtins
 * before functions before builtins before PATH). Subshells, pipelines and command substitutions
 * are forks with a copied state, run to completion one after the other; what they do to the
 * world (output, agentctl, files written) is shared through the Run.
 */
export class Shell implements ExpandHost {
  /** The builtin running now; dash puts its name in error messages ("eval: foo: not found"). */
  commandName: string | null = null;
  private lastSubStatus = 0;

  constructor(readonly run: Run, public state: ShellState) {}

  // ---- output and messages ----

  /** Writes to a file descriptor; false when it is closed or not writable. */
  write(fd: number, text: string): boolean {
    const target = this.state.fds.get(fd);
    if (!target) return false;
    switch (target.k) {
      case 'out': this.run.print(target.stream, text); return true;
      case 'buffer': target.buf.text = this.run.checkString(target.buf.text + text); return true;
      case 'null': return true;
      case 'file': return this.run.fs.write(target.path, text, true) === 'ok';
      case 'in': return false;
    }
  }

  /** Prints a message as dash does: `script: line: [builtin: ]message`. */
  error(message: string, line = this.state.line, builtin = this.commandName): void {
    const who = builtin ? `${builtin}: ` : '';
    this.write(2, `${this.state.scriptName}: ${line}: ${who}${message}\n`);
  }

  // ---- processes ----

  /**
   * Runs `body` as a whole shell process: exit, fatal errors and syntax errors end it here, and its
   * EXIT trap runs on the way out (not after exec). Returns the exit status.
   */
  process(body: () => number): number {
    let status: number;
    try {
      status = body();
    } catch (e) {
      if (e instanceof ExecDone) return e.status;
      status = this.statusOf(e);
    }
    return this.exitTrap(status);
  }

  private statusOf(e: unknown): number {
    if (e instanceof ExitSignal || e instanceof ReturnSignal) return e.status;
    if (e instanceof LoopSignal) return 0;
    if (e instanceof ShellSyntaxError) { this.error(e.message, e.line, e.who === undefined ? this.commandName : e.who); return 2; }
    if (e instanceof ShellFatal) { this.error(e.message, this.state.line, e.who === undefined ? this.commandName : e.who); return 2; }
    throw e;
  }

  private exitTrap(status: number): number {
    const action = this.state.traps.get('EXIT');
    if (action === undefined || action === '') return status;
    this.state.traps.delete('EXIT');
    this.state.status = status;
    try {
      this.evalText(action);
    } catch (e) {
      if (e instanceof ExitSignal) return e.status;
      if (e instanceof ExecDone) return e.status;
      this.statusOf(e);
    }
    return status;
  }

  /** A fork of this shell (subshell, pipeline element, command substitution, background job). */
  fork(setup?: (child: Shell) => void): Shell {
    const child = new Shell(this.run, this.state.fork());
    child.commandName = this.commandName;
    setup?.(child);
    return child;
  }

  /** Runs `body` in a subshell and returns its exit status. */
  subshell(body: (child: Shell) => number, setup?: (child: Shell) => void): number {
    this.run.enter();
    try {
      const child = this.fork(setup);
      return child.process(() => body(child));
    } finally {
      this.run.leave();
    }
  }

  /** `$(…)`: the subshell's standard output. */
  commandSub(body: List): string {
    const buf = { text: '' };
    this.lastSubStatus = this.subshell((c) => c.execList(body, false), (c) => c.state.fds.set(1, { k: 'buffer', buf }));
    return buf.text;
  }

  glob(pattern: PatternPiece[]): string[] {
    return globPaths(this.run.fs, this.state.cwd, pattern, (n) => this.run.charge(n));
  }

  charge(work: number): void {
    this.run.charge(work);
  }

  /**
   * Reads and runs script text one top-level line at a time, as dash does: aliases and functions
   * defined on a line apply to the lines after it, and a syntax error ends the shell only when its
   * line is reached.
   */
  evalText(text: string, firstLine = 1): number {
    const parser = Parser.of(text, (name) => this.state.aliases.get(name), firstLine);
    let status = 0;
    this.run.enter();
    try {
      for (;;) {
        const before = parser.consumed;
        const list = parser.next();
        if (this.state.options.has('v')) this.write(2, parser.consumedSince(before));
        if (list === null) return status;
        if (this.state.options.has('n')) continue;
        status = this.execList(list, false);
      }
    } finally {
      this.run.leave();
    }
  }

  // ---- evaluation ----

  execList(list: List, tested: boolean): number {
    let status = this.state.status;
    for (const { cmd, async } of list.items) {
      if (async) status = this.background(cmd);
      else status = this.exec(cmd, tested);
    }
    return status;
  }

  private background(cmd: Command): number {
    const pid = this.run.pid();
    const status = this.subshell((c) => c.exec(cmd, false), (c) => {
      // A background job reads nothing from the terminal (POSIX: stdin from /dev/null).
      if (c.state.fds.get(0)?.k === 'in') c.state.fds.set(0, { k: 'null' });
    });
    this.state.lastBackground = pid;
    this.jobs.set(pid, status);
    return this.setStatus(0);
  }

  /** Exit statuses of background jobs, for `wait`. */
  readonly jobs = new Map<number, number>();

  setStatus(status: number): number {
    this.state.status = status;
    return status;
  }

  exec(cmd: Command, tested: boolean): number {
    switch (cmd.k) {
      case 'simple': return this.errexit(this.simple(cmd, tested), tested);
      case 'pipeline': return this.errexit(this.pipeline(cmd, tested), tested, cmd.bang);
      case 'subshell': return this.errexit(this.withRedirs(cmd.redirs, () => this.subshell((c) => c.execList(cmd.body, tested))), tested);
      case 'andor': {
        let status = this.exec(cmd.first, true);
        for (const [i, { op, cmd: next }] of cmd.rest.entries()) {
          if ((op === '&&') !== (status === 0)) continue;
          status = this.exec(next, i < cmd.rest.length - 1 ? true : tested);
        }
        return this.setStatus(status);
      }
      case 'group': return this.setStatus(this.withRedirs(cmd.redirs, () => this.execList(cmd.body, tested)));
      case 'if': return this.setStatus(this.withRedirs(cmd.redirs, () => {
        for (const c of cmd.clauses) if (this.execList(c.cond, true) === 0) return this.execList(c.body, tested);
        return cmd.otherwise ? this.execList(cmd.otherwise, tested) : 0;
      }));
      case 'loop': return this.setStatus(this.withRedirs(cmd.redirs, () => this.loop(cmd, tested)));
      case 'for': return this.setStatus(this.withRedirs(cmd.redirs, () => this.forLoop(cmd, tested)));
      case 'case': return this.setStatus(this.withRedirs(cmd.redirs, () => this.caseCommand(cmd, tested)));
      case 'funcdef':
        this.state.functions.set(cmd.name, cmd.body);
        return this.setStatus(0);
    }
  }

  /** `set -e`: a failing simple command, pipeline or subshell outside a tested context ends the shell. */
  private errexit(status: number, tested: boolean, negated = false): number {
    this.setStatus(status);
    if (status !== 0 && !tested && !negated && this.state.options.has('e')) throw new ExitSignal(status);
    return status;
  }

  private withRedirs(redirs: Redir[], body: () => number): number {
    if (redirs.length === 0) return body();
    let saved;
    try {
      saved = openRedirs(this, redirs);
    } catch (e) {
      if (e instanceof RedirError) { this.error(e.message); return 2; }
      throw e;
    }
    try {
      return body();
    } finally {
      restoreFds(this.state, saved);
    }
  }

  private loop(cmd: Extract<Command, { k: 'loop' }>, tested: boolean): number {
    let status = 0;
    this.state.loopDepth++;
    try {
      for (;;) {
        this.run.step();
        const c = this.execList(cmd.cond, true);
        if (cmd.until ? c === 0 : c !== 0) break;
        const signal = this.loopBody(() => { status = this.execList(cmd.body, tested); });
        if (signal === 'break') break;
      }
    } finally {
      this.state.loopDepth--;
    }
    return status;
  }

  private forLoop(cmd: Extract<Command, { k: 'for' }>, tested: boolean): number {
    const items = cmd.items === null ? [...this.state.positional] : expandFields(this, cmd.items);
    let status = 0;
    this.state.loopDepth++;
    try {
      for (const item of items) {
        this.run.step();
        this.state.set(cmd.name, item);
        const signal = this.loopBody(() => { status = this.execList(cmd.body, tested); });
        if (signal === 'break') break;
      }
    } finally {
      this.state.loopDepth--;
    }
    return status;
  }

  /** Runs a loop body; a `break n`/`continue n` for an outer loop is passed on with n − 1. */
  private loopBody(body: () => void): 'break' | 'continue' | null {
    try {
      body();
      return null;
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) { e.levels--; throw e; }
      return e.kind;
    }
  }

  private caseCommand(cmd: Extract<Command, { k: 'case' }>, tested: boolean): number {
    const word = expandString(this, cmd.word);
    for (const arm of cmd.arms) {
      for (const p of arm.patterns) {
        this.run.step();
        if (matchPattern(expandPattern(this, p), word, (n) => this.run.charge(n))) return arm.body ? this.execList(arm.body, tested) : 0;
      }
    }
    return 0;
  }

  private pipeline(cmd: Extract<Command, { k: 'pipeline' }>, tested: boolean): number {
    let input: { text: string } | null = null;
    let status = 0;
    cmd.cmds.forEach((c, i) => {
      const last = i === cmd.cmds.length - 1;
      const out = { text: '' };
      const feed = input;
      const run = (child: Shell) => child.exec(c, tested);
      if (cmd.cmds.length === 1) {
        // `! cmd` alone runs in the current shell.
        status = this.exec(c, true);
        return;
      }
      status = this.subshell(run, (child) => {
        if (feed) child.state.fds.set(0, { k: 'in', src: { text: feed.text, pos: 0 } });
        if (!last) child.state.fds.set(1, { k: 'buffer', buf: out });
      });
      input = out;
    });
    return cmd.bang ? (status === 0 ? 1 : 0) : status;
  }

  // ---- simple commands ----

  private simple(cmd: Extract<Command, { k: 'simple' }>, tested: boolean): number {
    this.run.step();
    this.state.line = cmd.line;
    this.lastSubStatus = 0;
    const argv = expandFields(this, cmd.words);
    const assigns = cmd.assigns.map((a) => ({ name: a.name, value: this.run.checkString(expandString(this, a.value)) }));
    if (this.state.options.has('x')) {
      const ps4 = this.state.get('PS4') ?? '+ ';
      this.write(2, `${ps4}${[...assigns.map((a) => `${a.name}=${a.value}`), ...argv].join(' ')}\n`);
    }
    if (argv.length === 0) {
      // Only assignments and redirections: redirections are opened and closed, assignments stay.
      const status = this.withRedirs(cmd.redirs, () => {
        for (const a of assigns) this.state.set(a.name, a.value);
        return this.lastSubStatus;
      });
      return status;
    }
    return this.runCommand(argv, assigns, cmd.redirs, tested);
  }

  /**
   * Finds and runs a command: special builtin, function, builtin, then a program on PATH (or at a
   * path). Prefix assignments stay after a special builtin and are temporary otherwise.
   */
  runCommand(argv: string[], assigns: { name: string; value: string }[], redirs: Redir[], tested: boolean, viaCommand = false): number {
    const name = argv[0]!;
    if (name === 'exec' && argv.length === 1 && !viaCommand) {
      // `exec` with only redirections makes them permanent.
      for (const a of assigns) this.state.set(a.name, a.value);
      try {
        openRedirs(this, redirs);
      } catch (e) {
        if (e instanceof RedirError) throw new ShellFatal(e.message);
        throw e;
      }
      return 0;
    }
    const builtin = name.includes('/') ? undefined : BUILTINS[name];
    if (builtin?.special && !viaCommand) {
      return this.withRedirsFatal(redirs, true, () => {
        for (const a of assigns) this.state.set(a.name, a.value);
        return this.callBuiltin(name, argv, viaCommand);
      });
    }
    const fn = name.includes('/') || viaCommand ? undefined : this.state.functions.get(name);
    if (fn) return this.withRedirs(redirs, () => this.withTempVars(assigns, () => this.callFunction(fn, argv.slice(1), tested)));
    if (builtin) return this.withRedirsFatal(redirs, false, () => this.withTempVars(assigns, () => this.callBuiltin(name, argv, viaCommand)));
    return this.withRedirs(redirs, () => {
      // A prefix assignment to PATH applies to finding this very command, as in dash.
      const program = findProgram(this, name, assigns.findLast((a) => a.name === 'PATH')?.value ?? this.state.get('PATH') ?? '');
      if (program === null) {
        this.error(`${name}: not found`);
        return 127;
      }
      return runExternal(this, program, argv, assigns);
    });
  }

  /** Redirection errors before a special builtin are fatal (POSIX 2.8.1). */
  private withRedirsFatal(redirs: Redir[], special: boolean, body: () => number): number {
    if (!special) return this.withRedirs(redirs, body);
    let saved;
    try {
      saved = openRedirs(this, redirs);
    } catch (e) {
      if (e instanceof RedirError) throw new ShellFatal(e.message);
      throw e;
    }
    try {
      return body();
    } finally {
      restoreFds(this.state, saved);
    }
  }

  private callBuiltin(name: string, argv: string[], viaCommand: boolean): number {
    const saved = this.commandName;
    // dash treats `command` as a prefix, not a running builtin: it is not named in messages.
    if (name !== 'command') this.commandName = name;
    try {
      return BUILTINS[name]!.run(this, argv);
    } catch (e) {
      // The message of a fatal error names the innermost builtin that was running.
      if ((e instanceof ShellFatal || e instanceof ShellSyntaxError) && e.who === undefined) e.who = name;
      // Through `command`, a special builtin's error does not end the shell.
      if (viaCommand && e instanceof SpecialBuiltinError) { this.error(e.message); return 2; }
      throw e;
    } finally {
      this.commandName = saved;
    }
  }

  /** Runs `body` with variables set for its duration only (prefix assignments of regular commands). */
  withTempVars(assigns: { name: string; value: string }[], body: () => number): number {
    if (assigns.length === 0) return body();
    const saved = assigns.map((a) => [a.name, this.state.vars.get(a.name)] as const);
    for (const a of assigns) this.state.set(a.name, a.value, { export: true });
    try {
      return body();
    } finally {
      for (const [n, v] of saved.reverse()) {
        if (v) this.state.vars.set(n, v);
        else this.state.vars.delete(n);
      }
    }
  }

  callFunction(body: Command, args: string[], tested: boolean): number {
    this.run.step();
    const s = this.state;
    // dash stops runaway recursion with a fatal error (its limit is 1000 calls; ours is lower, so
    // that the interpreter's own stack always suffices). The EXIT trap still runs, as in dash.
    if (s.funcDepth >= this.run.limits.functionDepth) throw new ShellFatal(`Maximum function recursion depth (${this.run.limits.functionDepth}) reached`);
    const saved = { positional: s.positional, loopDepth: s.loopDepth };
    s.positional = args;
    s.loopDepth = 0;
    s.funcDepth++;
    s.locals.push(new Map());
    try {
      return this.exec(body, tested);
    } catch (e) {
      if (e instanceof ReturnSignal) return this.setStatus(e.status);
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

  /** Expands words as arguments (for builtins that take words, e.g. `trap`). */
  fields(words: Word[]): string[] {
    return expandFields(this, words);
  }
}
