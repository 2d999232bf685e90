import type { Command, List, Redir } from './ast.js';
import { simpleCommand } from './commands.js';
import { RedirError, ShellFatal, ShellSyntaxError } from './errors.js';
import { expandFields, expandPattern, expandString, type ExpandHost } from './expand.js';
import { globPaths } from './glob.js';
import { matchPattern, type PatternPiece } from './pattern.js';
import { Parser } from './parser.js';
import { openRedirs, restoreFds } from './redirect.js';
import type { Run } from './run.js';
import { ExecDone, ExitSignal, LoopSignal, ReturnSignal } from './signals.js';
import type { ShellState } from './state.js';

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
  /** The exit status of the last command substitution (the status of `x=$(cmd)`). */
  lastSubStatus = 0;
  /** Exit statuses of background jobs, for `wait`. */
  readonly jobs = new Map<number, number>();

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
      case 'file': {
        // Appending copies the file: its length is checked and the copy charged.
        const before = this.run.fs.stat(target.path);
        const length = (before?.k === 'file' ? before.content.length : 0) + text.length;
        this.run.checkLength(length);
        this.run.charge(length);
        return this.run.fs.write(target.path, text, true) === 'ok';
      }
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
    if (e instanceof ShellSyntaxError || e instanceof ShellFatal) { this.report(e); return 2; }
    throw e;
  }

  /** Prints a fatal error's message once, where it happens, as dash does before unwinding. */
  report(e: ShellFatal | ShellSyntaxError): void {
    if (e.printed) return;
    e.printed = true;
    this.error(e.message, e instanceof ShellSyntaxError ? e.line : this.state.line, e.who === undefined ? this.commandName : e.who);
  }

  private exitTrap(status: number): number {
    const action = this.state.traps.get('EXIT');
    if (action === undefined || action === '') return status;
    this.state.traps.delete('EXIT');
    this.state.status = status;
    try {
      this.evalText(action);
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof ExecDone) return e.status;
      // A fatal error in the trap makes the exit status that of the error.
      const s = this.statusOf(e);
      if (e instanceof ShellFatal || e instanceof ShellSyntaxError) return s;
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

  checkString(s: string): string {
    return this.run.checkString(s);
  }

  checkLength(length: number): void {
    this.run.checkLength(length);
  }

  /**
   * Reads and runs script text one top-level line at a time, as dash does: aliases and functions
   * defined on a line apply to the lines after it, and a syntax error ends the shell only when its
   * line is reached.
   */
  evalText(text: string, firstLine = 1): number {
    // Reading a script is work too (a loop can eval a long string again and again).
    this.run.charge(text.length * 4);
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

  setStatus(status: number): number {
    this.state.status = status;
    return status;
  }

  exec(cmd: Command, tested: boolean): number {
    try {
      return this.execNode(cmd, tested);
    } catch (e) {
      if (e instanceof ShellFatal || e instanceof ShellSyntaxError) this.report(e);
      throw e;
    }
  }

  private execNode(cmd: Command, tested: boolean): number {
    switch (cmd.k) {
      case 'simple': return this.errexit(simpleCommand(this, cmd, tested), tested);
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

  /**
   * Runs `body` with redirections in force. One that cannot be opened is reported and the command
   * fails with status 2 — or, with `fatal` (special builtins, POSIX 2.8.1), ends the shell.
   */
  withRedirs(redirs: Redir[], body: () => number, fatal = false): number {
    if (redirs.length === 0) return body();
    let saved;
    try {
      saved = openRedirs(this, redirs);
    } catch (e) {
      if (!(e instanceof RedirError)) throw e;
      if (fatal) throw new ShellFatal(e.message);
      this.error(e.message);
      return 2;
    }
    try {
      return body();
    } finally {
      restoreFds(this.state, saved);
    }
  }

  /** Opens redirections for good (`exec >file`); one that cannot be opened ends the shell. */
  keepRedirs(redirs: Redir[]): void {
    try {
      openRedirs(this, redirs);
    } catch (e) {
      throw e instanceof RedirError ? new ShellFatal(e.message) : e;
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

  /**
   * A pipeline: each command in a subshell, one after the other, each reading what the one before
   * wrote (the commands of the simulation never wait on each other, so order is all that matters).
   * `! cmd` alone runs in the current shell.
   */
  private pipeline(cmd: Extract<Command, { k: 'pipeline' }>, tested: boolean): number {
    let status: number;
    if (cmd.cmds.length === 1) status = this.exec(cmd.cmds[0]!, true);
    else {
      let input: string | null = null;
      status = 0;
      for (const [i, c] of cmd.cmds.entries()) {
        const out = { text: '' };
        const feed = input;
        status = this.subshell((child) => child.exec(c, tested), (child) => {
          if (feed !== null) child.state.fds.set(0, { k: 'in', src: { text: feed, pos: 0 } });
          if (i < cmd.cmds.length - 1) child.state.fds.set(1, { k: 'buffer', buf: out });
        });
        input = out.text;
      }
    }
    return cmd.bang ? (status === 0 ? 1 : 0) : status;
  }

}
