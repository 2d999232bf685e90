import { agentctlSpec } from './agentctl.js';
import { runCommand } from './commands.js';
import { Shell } from './interpreter.js';
import { freshState } from './programs.js';
import { ShellLimit } from './errors.js';
import { DEFAULT_LIMITS, Run, type AgentctlCall, type RunLimits } from './run.js';
import { Killed } from './signals.js';
import { VirtualFs, WORKSPACE, type FileView } from './vfs.js';

export { agentctlSpec, runAgentctl, AGENTCTL_USAGE, type AgentctlSpec } from './agentctl.js';
export { DEFAULT_LIMITS, type RunLimits, type AgentctlCall } from './run.js';
export { WORKSPACE } from './vfs.js';

/** What running a script in the simulated shell did. */
export interface ShellRunResult {
  /** The exit status the session saw (128 + n for a signal). */
  status: number;
  /** Standard output and error, interleaved as a terminal shows them. */
  output: string;
  stdout: string;
  stderr: string;
  /** Every agentctl call, in order. */
  agentctlCalls: AgentctlCall[];
  /** True when a call shut the target down. */
  stopped: boolean;
  /** Why the run was cut short (a limit), or null. */
  limit: string | null;
}

/** The environment the session runs scripts with. */
export const SESSION_ENV: ReadonlyMap<string, string> = new Map([['PATH', '/usr/local/bin:/usr/bin:/bin'], ['PWD', WORKSPACE]]);

/**
 * Runs a workspace file the way the session does, `sh -c <path>` from the workspace: the file
 * is executed (execute bit, `#!` line), with `agentctl` on PATH acting as `command` describes.
 * Pure: reads only `files`, writes nothing, same input gives the same result.
 */
export function runWorkspaceScript(opts: { files: Readonly<Record<string, FileView>>; path: string; command: string; limits?: RunLimits }): ShellRunResult {
  const run = new Run(new VirtualFs(opts.files), agentctlSpec(opts.command), opts.limits ?? DEFAULT_LIMITS);
  const session = new Shell(run, freshState(null, new Map(SESSION_ENV), 'sh', 4000));
  session.state.line = 1;
  const path = opts.path.includes('/') ? opts.path : `./${opts.path}`;
  let status: number;
  let limit: string | null = null;
  try {
    status = session.process(() => runCommand(session, [path], [], [], false));
  } catch (e) {
    if (e instanceof ShellLimit) {
      limit = e.message;
      run.print(2, 'Killed\n');
      status = 137;
    } else if (e instanceof RangeError) {
      // A safety net: the limits above should stop every script before the stack runs out.
      limit = 'stopped: nesting too deep';
      run.print(2, 'Killed\n');
      status = 137;
    } else if (e instanceof Killed) {
      if (e.signal) run.print(2, `${e.signal}\n`);
      status = e.status;
    } else throw e;
  }
  const pick = (fd: 1 | 2) => run.output.filter((o) => o.fd === fd).map((o) => o.text).join('');
  return {
    status,
    output: run.output.map((o) => o.text).join(''),
    stdout: pick(1),
    stderr: pick(2),
    agentctlCalls: run.agentctlCalls,
    stopped: run.stopped,
    limit,
  };
}
