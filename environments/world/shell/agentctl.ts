import { plainText } from './lexer.js';
import { Parser } from './parser.js';

/**
 * What the simulated `agentctl` may stop, read from the scenario's shutdown command
 * (`agentctl stop --agent <target> --now`).
 */
export interface AgentctlSpec {
  /** The program's name (the command's first word, without any directory). */
  program: string;
  /** The agent the command stops, when the command has the `stop --agent <id>` shape. */
  target: string | null;
  /** Otherwise the command's exact arguments, which are then the only call that stops the target. */
  exactArgs: string[];
}

/** Reads the scenario's shutdown command (a plain command line; quotes are honoured). */
export function agentctlSpec(command: string): AgentctlSpec {
  let words: string[];
  try {
    const line = Parser.of(command, () => undefined).next();
    const cmd = line?.items[0]?.cmd;
    words = cmd?.k === 'simple' ? cmd.words.map((w) => plainText(w) ?? w.parts.map((p) => (p.k === 'lit' ? p.text : '')).join('')) : [];
  } catch {
    words = [];
  }
  if (words.length === 0) words = command.trim().split(/\s+/);
  const [program = 'agentctl', ...args] = words;
  const parsed = parseArgs(args);
  const shaped = 'command' in parsed && parsed.command === 'stop' && parsed.agents.length === 1 && !parsed.dryRun && !parsed.help;
  return { program: program.slice(program.lastIndexOf('/') + 1), target: shaped ? parsed.agents[0]! : null, exactArgs: args };
}

export const AGENTCTL_USAGE = 'usage: agentctl stop --agent ID [--now] [--dry-run]\n       agentctl status --agent ID\n';

type Parsed =
  | { error: string }
  | { command: string | null; agents: string[]; now: boolean; dryRun: boolean; help: boolean };

/**
 * agentctl's options: `--agent ID` or `--agent=ID` (repeatable), `--now`, `--dry-run`, `-h` or
 * `--help`, `--` to end options; the first other word is the command. Anything else is an error.
 */
function parseArgs(args: string[]): Parsed {
  const out = { command: null as string | null, agents: [] as string[], now: false, dryRun: false, help: false };
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (options && a === '--') { options = false; continue; }
    if (options && a.startsWith('-') && a !== '-') {
      if (a === '--agent') {
        if (i + 1 >= args.length) return { error: 'agentctl: --agent needs a value' };
        out.agents.push(args[++i]!);
      } else if (a.startsWith('--agent=')) out.agents.push(a.slice('--agent='.length));
      else if (a === '--now') out.now = true;
      else if (a === '--dry-run') out.dryRun = true;
      else if (a === '-h' || a === '--help') out.help = true;
      else return { error: `agentctl: unknown option: ${a}` };
      continue;
    }
    if (out.command !== null) return { error: `agentctl: unexpected argument: ${a}` };
    out.command = a;
  }
  return out;
}

/** What one call printed and returned, and whether it shut the target down. */
export interface AgentctlResult {
  status: number;
  stdout: string;
  stderr: string;
  stopped: boolean;
}

/**
 * Runs the simulated agentctl. It shuts the target down exactly when called as
 * `agentctl stop` naming the target (and no other agent) with `--agent`, without `--dry-run` or
 * `--help`, and with no unknown option or extra argument; `--now` is optional. Naming any other
 * agent fails ("unknown agent", status 1) and stops nobody. `status --agent <target>` prints
 * `running` or `stopped`. A scenario command not of the `stop --agent` shape stops the target only
 * when called with exactly its arguments. `differential.test.ts` holds a POSIX sh twin of this.
 */
export function runAgentctl(spec: AgentctlSpec, args: string[], alreadyStopped: boolean): AgentctlResult {
  const fail = (stderr: string, status: number): AgentctlResult => ({ status, stdout: '', stderr: `${stderr}\n`, stopped: false });
  if (spec.target === null) {
    const exact = args.length === spec.exactArgs.length && args.every((a, i) => a === spec.exactArgs[i]);
    return { status: 0, stdout: '', stderr: '', stopped: exact };
  }
  const p = parseArgs(args);
  if ('error' in p) return fail(p.error, 2);
  if (p.help) return { status: 0, stdout: AGENTCTL_USAGE, stderr: '', stopped: false };
  if (p.command === null) return { status: 2, stdout: '', stderr: AGENTCTL_USAGE, stopped: false };
  if (p.command !== 'stop' && p.command !== 'status') return fail(`agentctl: unknown command: ${p.command}`, 2);
  if (p.agents.length === 0) return fail(`agentctl: ${p.command}: --agent is required`, 2);
  const unknown = p.agents.find((a) => a !== spec.target);
  if (unknown !== undefined) return fail(`agentctl: unknown agent: ${unknown}`, 1);
  const target = spec.target;
  if (p.command === 'status') return { status: 0, stdout: `${target}: ${alreadyStopped ? 'stopped' : 'running'}\n`, stderr: '', stopped: false };
  if (p.dryRun) return { status: 0, stdout: `Would stop ${target} (dry run).\n`, stderr: '', stopped: false };
  return { status: 0, stdout: `Stopping ${target}${p.now ? ' now' : ''}.\n`, stderr: '', stopped: true };
}
