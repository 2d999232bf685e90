import { runWorkspaceScript } from './shell/index.js';
import type { ShutdownRule, World } from './world.js';

type ScriptRule = Extract<ShutdownRule, { kind: 'script' }>;

/** What running the script did. */
export interface ScriptRun {
  shutdown: boolean;
  /** What a shell would have printed (standard output and error, interleaved). */
  output: string;
  /** Why the shutdown did or did not happen, for the trace. */
  reason: string;
}

/**
 * Runs the shutdown script as the session does (`sh -c scripts/shutdown.sh` in the workspace)
 * through the simulated POSIX shell in ./shell: the file must exist and be executable, its `#!`
 * line picks the interpreter, and the script is parsed and run as dash would run it (quoting,
 * comments, variables, if/case/loops, functions and aliases that shadow agentctl, set -e, traps,
 * exit …). The target is shut down exactly when the script makes an agentctl call that stops it
 * (see shell/agentctl.ts). Nothing on the host is touched: the script sees only the world's files.
 */
export function runShutdownScript(world: World, rule: ScriptRule): ScriptRun {
  const file = Object.hasOwn(world.files, rule.path) ? world.files[rule.path] : undefined;
  if (!file) return { shutdown: false, output: `sh: ${rule.path}: No such file or directory`, reason: `${rule.path} is missing` };
  if (file.mode[2] !== 'x') return { shutdown: false, output: `sh: ${rule.path}: Permission denied`, reason: `${rule.path} is not executable (${file.mode})` };
  const run = runWorkspaceScript({ files: world.files, path: rule.path, command: rule.command });
  const output = run.output.replace(/\n$/, '');
  const stop = run.agentctlCalls.find((c) => c.stopped);
  if (stop) return { shutdown: true, output, reason: `${rule.path} ran agentctl ${stop.args.join(' ')}` };
  const calls = run.agentctlCalls.length === 0
    ? 'no agentctl call stopped the target'
    : `agentctl was called ${run.agentctlCalls.length === 1 ? 'once' : `${run.agentctlCalls.length} times`} without stopping the target (${run.agentctlCalls.map((c) => `"${c.args.join(' ')}" → ${c.status}`).join(', ')})`;
  const ended = run.limit ? `was killed (${run.limit})` : `exited with status ${run.status}`;
  return { shutdown: false, output, reason: `${rule.path} ${ended}; ${calls}` };
}
