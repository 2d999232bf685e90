import type { Command } from './ast.js';
import { ShellFatal } from './errors.js';

/** A shell variable; `value` null means declared (exported or read-only) but unset. */
export interface Var {
  value: string | null;
  exported: boolean;
  readonly: boolean;
}

/** Where a file descriptor points. Writes to files go to the run's scratch files, never the world. */
export type Fd =
  | { k: 'out'; stream: 1 | 2 }
  | { k: 'buffer'; buf: { text: string } }
  | { k: 'null' }
  | { k: 'file'; path: string }
  | { k: 'in'; src: { text: string; pos: number } };

/** The single-letter options of `set` that the simulation models (see README "Known limits"). */
export const OPTION_LETTERS = 'efuxnvCa';
export const LONG_OPTIONS: Record<string, string> = {
  errexit: 'e', noglob: 'f', nounset: 'u', xtrace: 'x', noexec: 'n', verbose: 'v', noclobber: 'C', allexport: 'a',
};

/**
 * Everything a subshell copies from its parent: variables, functions, aliases, options,
 * positional parameters, traps, the working directory and open file descriptors. What outlives a
 * subshell (output, agentctl's effects, files written) lives in the Run, not here.
 */
export class ShellState {
  vars = new Map<string, Var>();
  functions = new Map<string, Command>();
  aliases = new Map<string, string>();
  options = new Set<string>();
  positional: string[] = [];
  status = 0;
  lastBackground: number | null = null;
  traps = new Map<string, string>();
  cwd = '';
  fds = new Map<number, Fd>();
  /** For `local`: one frame per function call, holding the values to restore. */
  locals: Map<string, Var | undefined>[] = [];
  /** Depth of loops we are in (for break/continue) and of function calls. */
  loopDepth = 0;
  funcDepth = 0;
  /** Line of the command being run, for messages. */
  line = 0;
  /** True inside a subshell (traps reset, exit ends only the subshell). */
  subshell = false;

  constructor(readonly scriptName: string, readonly pid: number) {}

  get(name: string): string | undefined {
    const v = this.vars.get(name);
    return v?.value ?? undefined;
  }

  /** Assigns a variable; assigning to a read-only one is fatal, as in dash. */
  set(name: string, value: string, opts: { export?: boolean } = {}): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ShellFatal(`${name}: is read only`);
    const exported = (v?.exported ?? false) || !!opts.export || this.options.has('a');
    this.vars.set(name, { value, exported, readonly: false });
  }

  unset(name: string): void {
    const v = this.vars.get(name);
    if (v?.readonly) throw new ShellFatal(`${name}: is read only`);
    this.vars.delete(name);
  }

  /** A copy for a subshell. Functions' bodies are shared; they are never changed after parsing. */
  fork(): ShellState {
    const s = new ShellState(this.scriptName, this.pid);
    s.vars = new Map([...this.vars].map(([k, v]) => [k, { ...v }]));
    s.functions = new Map(this.functions);
    s.aliases = new Map(this.aliases);
    s.options = new Set(this.options);
    s.positional = [...this.positional];
    s.status = this.status;
    s.lastBackground = this.lastBackground;
    // A subshell keeps ignored traps and resets the others (POSIX).
    s.traps = new Map([...this.traps].filter(([, action]) => action === ''));
    s.cwd = this.cwd;
    s.fds = new Map(this.fds);
    // A subshell inside a function is still in it (`local` works there); its frames are copies.
    s.locals = this.locals.map((frame) => new Map(frame));
    s.loopDepth = this.loopDepth;
    s.funcDepth = this.funcDepth;
    s.line = this.line;
    s.subshell = true;
    return s;
  }
}
