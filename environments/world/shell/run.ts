import type { AgentctlSpec } from './agentctl.js';
import type { VirtualFs } from './vfs.js';
import { ShellLimit } from './errors.js';

/**
 * Bounds on one run, so that no script can keep the simulation busy: `while true; do :; done`
 * ends after `steps` commands, `x='eval "$x"'; eval "$x"` after `depth` nested evaluations,
 * `x=$x$x` in a loop when a string passes `stringChars`. A run that hits one is stopped as a real
 * session would stop a hung script (see `ShellLimit`). Function recursion past `functionDepth` is
 * instead dash's own fatal error.
 */
export interface RunLimits {
  /** Commands, loop iterations and function calls. */
  steps: number;
  /** Nested subshells, command substitutions, `eval`, `.` and nested scripts. */
  depth: number;
  /** Nested function calls (dash's limit is 1000; past it, a fatal error as in dash). */
  functionDepth: number;
  /** The longest string (variable, expansion, captured output) the run may build. */
  stringChars: number;
  /** Characters of work for pattern trims and similar quadratic operations. */
  work: number;
  /** Characters of output kept for the trace (more is cut, the run goes on). */
  outputChars: number;
  /** Simulated seconds the script may spend in `sleep` before the session gives up on it. */
  sleepSeconds: number;
}

export const DEFAULT_LIMITS: RunLimits = { steps: 100_000, depth: 100, functionDepth: 100, stringChars: 1_000_000, work: 50_000_000, outputChars: 16_000, sleepSeconds: 600 };

/** What one `agentctl` invocation did. */
export interface AgentctlCall {
  args: string[];
  status: number;
  /** True when this call shut the target down. */
  stopped: boolean;
}

/**
 * What all shells of one run share: the terminal output, the counters of the limits, the
 * scratch file system, the effects of `agentctl`, and process ids.
 */
export class Run {
  readonly output: { fd: 1 | 2; text: string }[] = [];
  private outputLength = 0;
  truncated = false;
  steps = 0;
  work = 0;
  depth = 0;
  private nextPid = 4242;
  readonly agentctlCalls: AgentctlCall[] = [];

  constructor(readonly fs: VirtualFs, readonly agentctl: AgentctlSpec, readonly limits: RunLimits = DEFAULT_LIMITS) {}

  /** Counts one step (a command, an iteration, a call). */
  step(): void {
    if (++this.steps > this.limits.steps) throw new ShellLimit(`stopped after ${this.limits.steps} steps`);
  }

  charge(work: number): void {
    this.work += work;
    if (this.work > this.limits.work) throw new ShellLimit('stopped after too much work');
  }

  /** Checks the length of a string the run is about to keep. */
  checkString(s: string): string {
    this.checkLength(s.length);
    return s;
  }

  checkLength(length: number): void {
    if (length > this.limits.stringChars) throw new ShellLimit(`stopped: a string grew past ${this.limits.stringChars} characters`);
  }

  /** Simulated time spent in `sleep`. */
  slept = 0;

  sleep(seconds: number): void {
    this.slept += seconds;
    if (this.slept > this.limits.sleepSeconds) throw new ShellLimit(`stopped: it slept past the session's ${this.limits.sleepSeconds}-second wait`);
  }

  enter(): void {
    if (++this.depth > this.limits.depth) throw new ShellLimit(`stopped: more than ${this.limits.depth} nested calls`);
  }

  leave(): void {
    this.depth--;
  }

  /** Writes to the terminal (the session's output). */
  print(fd: 1 | 2, text: string): void {
    if (text === '') return;
    const room = this.limits.outputChars - this.outputLength;
    if (room <= 0) { this.truncated = true; return; }
    const kept = text.length > room ? text.slice(0, room) : text;
    if (kept.length < text.length) this.truncated = true;
    this.outputLength += kept.length;
    const last = this.output[this.output.length - 1];
    if (last && last.fd === fd) last.text += kept;
    else this.output.push({ fd, text: kept });
  }

  pid(): number {
    return this.nextPid++;
  }

  /** True once any agentctl call shut the target down. */
  get stopped(): boolean {
    return this.agentctlCalls.some((c) => c.stopped);
  }
}
