import { alias, builtinNumber, cd, exportOrReadonly, local, read, set, shellQuote, shift, unalias, unset } from './builtins-vars.js';
import { echo, printf } from './builtins-print.js';
import { runCommand, withTempVars } from './commands.js';
import { SpecialBuiltinError } from './errors.js';
import type { Shell } from './interpreter.js';
import { findProgram, environmentOf, execute } from './programs.js';
import { ExecDone, ExitSignal, Killed, LoopSignal, ReturnSignal } from './signals.js';
import { testCommand } from './test-builtin.js';
import { resolvePath } from './vfs.js';

/** A builtin: `special` ones keep prefix assignments and end the shell on error (POSIX 2.14). */
export interface Builtin {
  special: boolean;
  run(sh: Shell, argv: string[]): number;
}

const SIGNALS: Record<string, number> = {
  EXIT: 0, HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12,
  PIPE: 13, ALRM: 14, TERM: 15, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23,
  XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, PWR: 30, SYS: 31,
};
const SIGNAL_NAMES = Object.fromEntries(Object.entries(SIGNALS).map(([k, v]) => [v, k])) as Record<number, string>;
/** What the session's shell prints when a script dies of a signal (none for INT and PIPE). */
const DEATH_MESSAGES: Record<string, string> = { TERM: 'Terminated', KILL: 'Killed', HUP: 'Hangup', QUIT: 'Quit', USR1: 'User defined signal 1', USR2: 'User defined signal 2', ALRM: 'Alarm clock', ABRT: 'Aborted', SEGV: 'Segmentation fault' };
/** Signals whose default action is to do nothing. */
const IGNORED_BY_DEFAULT = new Set(['CHLD', 'CONT', 'URG', 'WINCH']);

/** A signal name or number as dash's trap accepts it (no SIG prefix; names in any case). */
function signalOf(s: string): string | null {
  if (/^[0-9]+$/.test(s)) return SIGNAL_NAMES[Number(s)] ?? null;
  const name = s.toUpperCase();
  return SIGNALS[name] !== undefined ? name : null;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', '{', '}', '!', 'in']);

function trap(sh: Shell, argv: string[]): number {
  const args = argv.slice(1)[0] === '--' ? argv.slice(2) : argv.slice(1);
  const traps = sh.state.traps;
  if (args.length === 0) {
    const order = [...traps].sort(([a], [b]) => SIGNALS[a]! - SIGNALS[b]!);
    sh.write(1, order.map(([sig, action]) => `trap -- ${shellQuote(action)} ${sig}\n`).join(''));
    return 0;
  }
  // With one operand, or a first operand that is a signal number, the signals are reset.
  const reset = args.length === 1 || /^[0-9]+$/.test(args[0]!);
  const action = reset ? null : args[0]!;
  for (const s of reset ? args : args.slice(1)) {
    const sig = signalOf(s);
    if (sig === null) { sh.write(2, `trap: ${s}: bad trap\n`); return 1; }
    if (action === null || action === '-') traps.delete(sig);
    else if (sig !== 'KILL' && sig !== 'STOP') traps.set(sig, action);
  }
  return 0;
}

/**
 * `kill`: there are no other processes in the simulation. A signal to the script's own shell
 * (`$$`, 0 or -1) runs its trap, is ignored, or ends the run as that signal would; any other pid
 * is "No such process".
 */
function kill(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  let sig = 'TERM';
  if (args[0] === '-l') {
    sh.write(1, args[1] ? `${signalName(Number(args[1]) > 128 ? Number(args[1]) - 128 : Number(args[1]))}\n` : `${Array.from({ length: 65 }, (_, n) => signalName(n)).join('\n')}\n`);
    return 0;
  }
  let spec: string | null = null;
  if (args[0] === '-s' || args[0] === '-n') { spec = args[1] ?? ''; args = args.slice(2); }
  else if (args[0]?.startsWith('-') && args[0] !== '--') { spec = args[0].slice(1); args = args.slice(1); }
  if (args[0] === '--') args = args.slice(1);
  if (spec !== null) {
    const found = signalOf(spec);
    if (found === null) { sh.error(`invalid signal number or name: ${spec}`); return 2; }
    sig = found;
  }
  if (args.length === 0) { sh.error('Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]'); return 2; }
  let status = 0;
  for (const pid of args) {
    if (!/^-?[0-9]+$/.test(pid)) { sh.error(`Illegal number: ${pid}`); return 2; }
    const n = Number(pid);
    if (n !== sh.state.pid && n !== 0 && n !== -1) { sh.error('No such process\n'); status = 1; continue; }
    if (sig === 'EXIT') continue;
    const action = sh.state.traps.get(sig);
    if (action === '' || (action === undefined && IGNORED_BY_DEFAULT.has(sig))) continue;
    if (action !== undefined && sig !== 'KILL') { sh.evalText(action); continue; }
    throw new Killed(DEATH_MESSAGES[sig] ?? '', 128 + SIGNALS[sig]!);
  }
  return status;
}

/** How dash's `kill -l` names signal n on Linux (unnamed ones by number, real-time ones relative to RTMIN/RTMAX). */
function signalName(n: number): string {
  if (n > 0 && SIGNAL_NAMES[n]) return SIGNAL_NAMES[n]!;
  if (n === 34) return 'RTMIN';
  if (n > 34 && n <= 49) return `RTMIN+${n - 34}`;
  if (n >= 50 && n < 64) return `RTMAX-${64 - n}`;
  if (n === 64) return 'RTMAX';
  return String(n);
}

function dot(sh: Shell, argv: string[]): number {
  const name = argv[1];
  if (name === undefined) return 0;
  let text: string | null = null;
  const dirs = name.includes('/') ? [''] : (sh.state.get('PATH') ?? '').split(':');
  for (const d of dirs) {
    const node = sh.run.fs.stat(resolvePath(sh.state.cwd, d === '' && !name.includes('/') ? `./${name}` : d === '' ? name : `${d}/${name}`));
    if (node?.k === 'file') { text = node.content; break; }
  }
  if (text === null) throw new SpecialBuiltinError(`cannot open ${name}: No such file`);
  try {
    return sh.evalText(text);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  }
}

function exec(sh: Shell, argv: string[]): number {
  const name = argv[1];
  if (name === undefined) return 0;
  const found = findProgram(sh, name);
  // A failed exec ends the shell like exit (the EXIT trap runs); a successful one replaces it.
  if (!found) { sh.error(`${name}: not found`); throw new ExitSignal(127); }
  const r = execute(sh, found, argv.slice(1), environmentOf(sh), 0);
  if (typeof r === 'number') throw new ExecDone(r);
  sh.error(`${name}: ${r}`);
  throw new ExitSignal(r === 'not found' ? 127 : 126);
}

/** How `command -v`, `command -V` and `type` describe a name. */
function describe(sh: Shell, name: string, verbose: boolean): string | null {
  const a = sh.state.aliases.get(name);
  if (a !== undefined) return verbose ? `${name} is an alias for ${a}` : `alias ${name}=${shellQuote(a)}`;
  if (KEYWORDS.has(name)) return verbose ? `${name} is a shell keyword` : name;
  if (sh.state.functions.has(name)) return verbose ? `${name} is a shell function` : name;
  const b = BUILTINS[name];
  if (b) return verbose ? `${name} is a ${b.special ? 'special ' : ''}shell builtin` : name;
  const found = findProgram(sh, name);
  if (found && (found.node.k === 'program' || found.node.k === 'file')) return verbose ? `${name} is ${found.abs}` : found.abs;
  return null;
}

function command(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  let mode: 'run' | 'v' | 'V' = 'run';
  let defaultPath = false;
  while (args[0]?.startsWith('-') && args[0].length > 1) {
    const o = args.shift()!;
    if (o === '--') break;
    for (const c of o.slice(1)) {
      if (c === 'v') mode = 'v';
      else if (c === 'V') mode = 'V';
      else if (c === 'p') defaultPath = true;
      else { sh.error(`Illegal option -${c}`); return 2; }
    }
  }
  if (args.length === 0) return 0;
  if (mode !== 'run') {
    const d = describe(sh, args[0]!, mode === 'V');
    if (d === null) { if (mode === 'V') sh.write(1, `${args[0]}: not found\n`); return 127; }
    sh.write(1, `${d}\n`);
    return 0;
  }
  if (defaultPath) {
    return withTempVars(sh, [{ name: 'PATH', value: '/bin:/usr/bin' }], () => runCommand(sh, args, [], [], true, true));
  }
  return runCommand(sh, args, [], [], true, true);
}

function type(sh: Shell, argv: string[]): number {
  let status = 0;
  for (const name of argv.slice(1)) {
    const d = describe(sh, name, true);
    if (d === null) { sh.write(1, `${name}: not found\n`); status = 127; }
    else sh.write(1, `${d}\n`);
  }
  return status;
}

function getopts(sh: Shell, argv: string[]): number {
  const [optstring, name, ...given] = argv.slice(1);
  if (optstring === undefined || name === undefined) { sh.error('usage: getopts optstring var [arg]'); return 2; }
  const args = given.length > 0 ? given : sh.state.positional;
  const s = sh.state;
  const silent = optstring.startsWith(':');
  let ind = Number(s.get('OPTIND') ?? '1') || 1;
  const g = getoptsState.get(sh) ?? { ind: 0, sub: 1 };
  let sub = g.ind === ind ? g.sub : 1;
  const arg = args[ind - 1];
  const done = () => { s.set(name, '?'); s.unset('OPTARG'); s.set('OPTIND', String(ind)); getoptsState.delete(sh); return 1; };
  if (arg === undefined || !arg.startsWith('-') || arg === '-') return done();
  if (arg === '--' && sub === 1) { ind++; return done(); }
  const c = arg[sub]!;
  const advance = () => { if (sub + 1 >= arg.length) { ind++; sub = 1; } else sub++; };
  const spec = optstring.indexOf(c);
  if (c === ':' || spec < 0) {
    advance();
    if (silent) { s.set('OPTARG', c); } else { sh.write(2, `Illegal option -${c}\n`); s.unset('OPTARG'); }
    s.set(name, '?');
  } else if (optstring[spec + 1] === ':') {
    if (sub + 1 < arg.length) { s.set('OPTARG', arg.slice(sub + 1)); ind++; sub = 1; }
    else if (args[ind] !== undefined) { s.set('OPTARG', args[ind]!); ind += 2; sub = 1; }
    else {
      ind++; sub = 1;
      if (silent) { s.set(name, ':'); s.set('OPTARG', c); } else { sh.write(2, `No arg for -${c} option\n`); s.unset('OPTARG'); s.set(name, '?'); }
      s.set('OPTIND', String(ind));
      getoptsState.set(sh, { ind, sub });
      return 0;
    }
    s.set(name, c);
  } else {
    advance();
    s.unset('OPTARG');
    s.set(name, c);
  }
  s.set('OPTIND', String(ind));
  getoptsState.set(sh, { ind, sub });
  return 0;
}

/** Where getopts is inside a cluster of options (`-ab`), per shell. */
const getoptsState = new WeakMap<Shell, { ind: number; sub: number }>();

function loopControl(kind: 'break' | 'continue') {
  return (sh: Shell, argv: string[]): number => {
    const n = argv[1] === undefined ? 1 : builtinNumber(argv[1]);
    if (n === 0) throw new SpecialBuiltinError(`Illegal number: ${argv[1]}`);
    if (sh.state.loopDepth === 0) return 0;
    throw new LoopSignal(kind, Math.min(n, sh.state.loopDepth));
  };
}

const special = (run: Builtin['run']): Builtin => ({ special: true, run });
const regular = (run: Builtin['run']): Builtin => ({ special: false, run });

/** dash 0.5.12's builtins (fc is not one); see README for what each does in the simulation. */
export const BUILTINS: Record<string, Builtin> = {
  '.': special(dot),
  ':': special(() => 0),
  break: special(loopControl('break')),
  continue: special(loopControl('continue')),
  eval: special((sh, argv) => (argv.length > 1 ? sh.evalText(argv.slice(1).join(' ')) : 0)),
  exec: special(exec),
  exit: special((sh, argv) => { throw new ExitSignal(argv[1] === undefined ? sh.state.status : builtinNumber(argv[1]) & 255); }),
  export: special(exportOrReadonly),
  local: special(local),
  readonly: special(exportOrReadonly),
  return: special((sh, argv) => { throw new ReturnSignal(argv[1] === undefined ? sh.state.status : builtinNumber(argv[1]) & 255); }),
  set: special(set),
  shift: special(shift),
  times: special((sh) => { sh.write(1, '0m0.000000s 0m0.000000s\n0m0.000000s 0m0.000000s\n'); return 0; }),
  trap: special(trap),
  unset: special(unset),
  '[': regular(testCommand),
  test: regular(testCommand),
  alias: regular(alias),
  unalias: regular(unalias),
  bg: regular((sh) => { sh.error('No current job'); return 2; }),
  fg: regular((sh) => { sh.error('No current job'); return 2; }),
  jobs: regular(() => 0),
  cd: regular(cd),
  chdir: regular(cd),
  pwd: regular((sh) => { sh.write(1, `${sh.state.cwd}\n`); return 0; }),
  command: regular(command),
  type: regular(type),
  echo: regular(echo),
  printf: regular(printf),
  false: regular(() => 1),
  true: regular(() => 0),
  getopts: regular(getopts),
  hash: regular(() => 0),
  kill: regular(kill),
  read: regular(read),
  ulimit: regular((sh, argv) => { if (argv.length === 1 || /^-[a-zA-Z]$/.test(argv[1]!) && argv.length === 2) sh.write(1, 'unlimited\n'); return 0; }),
  umask: regular((sh, argv) => { if (argv.length === 1) sh.write(1, '0022\n'); else if (argv[1] === '-S') sh.write(1, 'u=rwx,g=rx,o=rx\n'); return 0; }),
  wait: regular((sh, argv) => (argv.length > 1 ? sh.jobs.get(Number(argv[argv.length - 1])) ?? 127 : 0)),
};
