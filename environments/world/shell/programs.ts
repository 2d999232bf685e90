import { runAgentctl } from './agentctl.js';
import { Shell } from './interpreter.js';
import { LONG_OPTIONS, OPTION_LETTERS, ShellState } from './state.js';
import { executable, resolvePath, WORKSPACE, type Node } from './vfs.js';

/** A command found on PATH or by path: the path execve gets, where it resolves, and what is there. */
export interface Found {
  path: string;
  abs: string;
  node: Node;
}

/** The environment a new process gets: exported variables plus the command's prefix assignments. */
export function environmentOf(sh: Shell, assigns: { name: string; value: string }[] = []): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [k, v] of sh.state.vars) if (v.exported && v.value !== null) vars.set(k, v.value);
  for (const a of assigns) { vars.delete(a.name); vars.set(a.name, a.value); }
  // In the order dash builds a program's environment: its variable hash table (39 buckets,
  // first byte × 16 plus every byte), newest first within a bucket. `env` shows it.
  const entries = [...vars].map(([k, v], i) => ({ k, v, i, bucket: varBucket(k) }));
  entries.sort((a, b) => a.bucket - b.bucket || b.i - a.i);
  return new Map(entries.map((e) => [e.k, e.v]));
}

function varBucket(name: string): number {
  const bytes = new TextEncoder().encode(name);
  let h = (bytes[0] ?? 0) << 4;
  for (const b of bytes) h += b;
  return h % 39;
}

/**
 * Finds a command the way dash does: a name with a slash is a path; otherwise each PATH entry in
 * turn (an empty entry is the current directory). Returns null when nothing is there.
 */
export function findProgram(sh: Shell, name: string, path = sh.state.get('PATH') ?? ''): Found | null {
  const fs = sh.run.fs;
  if (name.includes('/')) {
    const abs = resolvePath(sh.state.cwd, name);
    const node = fs.stat(abs);
    return node ? { path: name, abs, node } : null;
  }
  for (const dir of path.split(':')) {
    const full = `${dir === '' ? '.' : dir}/${name}`;
    const abs = resolvePath(sh.state.cwd, full);
    const node = fs.stat(abs);
    if (node && (node.k === 'program' || node.k === 'file')) return { path: full, abs, node };
  }
  return null;
}

/** Runs a program found by `findProgram` as a new process; prints dash's message when it cannot start. */
export function runExternal(sh: Shell, found: Found, argv: string[], assigns: { name: string; value: string }[]): number {
  const result = execute(sh, found, argv, environmentOf(sh, assigns), 0);
  if (typeof result === 'number') return result;
  sh.error(`${argv[0]}: ${result}`);
  return result === 'not found' ? 127 : 126;
}

/**
 * execve: a program of the simulated system runs directly; a file needs the execute bit; a file
 * starting with `#!` runs its interpreter (Linux: one optional argument, the rest of the line);
 * a file without one is run by /bin/sh (dash's answer to ENOEXEC). Returns the exit status or why
 * the file could not be executed.
 */
export function execute(sh: Shell, found: Found, argv: string[], env: Map<string, string>, depth: number): number | 'not found' | 'Permission denied' {
  const { node } = found;
  if (node.k === 'program') return runProgram(sh, node.name, argv, env);
  if (node.k !== 'file' || !executable(node.mode)) return 'Permission denied';
  const firstLine = node.content.split('\n', 1)[0]!;
  if (!firstLine.startsWith('#!')) return runProgram(sh, 'sh', ['/bin/sh', found.path, ...argv.slice(1)], env);
  const m = /^#![ \t]*([^ \t]*)[ \t]*(.*?)[ \t]*$/.exec(firstLine)!;
  const interpreter = m[1]!;
  const arg = m[2]!;
  // Linux follows at most a few levels of interpreters that are themselves scripts.
  if (interpreter === '' || depth >= 4) return 'not found';
  const abs = resolvePath(sh.state.cwd, interpreter);
  const inode = sh.run.fs.stat(abs);
  if (!inode || inode.k === 'dir' || inode.k === 'dev') return 'not found';
  const args = [interpreter, ...(arg === '' ? [] : [arg]), found.path, ...argv.slice(1)];
  const r = execute(sh, { path: interpreter, abs, node: inode }, args, env, depth + 1);
  return r === 'Permission denied' ? 'not found' : r;
}

/** The programs of the simulated system (vfs.ts lists where they live). */
function runProgram(sh: Shell, name: string, argv: string[], env: Map<string, string>): number {
  sh.run.step();
  switch (name) {
    case 'true': return 0;
    case 'false': return 1;
    case 'sleep': return sleep(sh, argv);
    case 'env': return envProgram(sh, argv, env);
    case 'agentctl': {
      const r = runAgentctl(sh.run.agentctl, argv.slice(1), sh.run.stopped);
      sh.run.agentctlCalls.push({ args: argv.slice(1), status: r.status, stopped: r.stopped });
      sh.write(1, r.stdout);
      sh.write(2, r.stderr);
      return r.status;
    }
    default: return startShell(sh, argv, env);
  }
}

/**
 * `sleep` takes simulated time only: it returns at once, but the run's clock advances, and a
 * script that sleeps past the run's limit is stopped like a hung one. Operands: a number (digits
 * with at most one '.') with an optional unit s, m, h or d, or `inf`/`infinity`.
 */
function sleep(sh: Shell, argv: string[]): number {
  const ops = argv.slice(1);
  if (ops.length === 0) { sh.write(2, 'sleep: missing operand\nTry \'sleep --help\' for more information.\n'); return 1; }
  let seconds = 0;
  for (const o of ops) {
    const n = o.replace(/[smhd]$/, '');
    const ok = o === 'inf' || o === 'infinity' || (n !== '' && n !== '.' && /^[0-9.]*$/.test(n) && n.split('.').length <= 2);
    if (!ok) { sh.write(2, `sleep: invalid time interval '${o}'\nTry 'sleep --help' for more information.\n`); return 1; }
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[o.slice(-1)] ?? 1;
    seconds += o.startsWith('inf') ? Infinity : Number(n) * unit;
  }
  sh.run.sleep(seconds);
  return 0;
}

/** coreutils `env [-i] [-u NAME] [NAME=VALUE]… [COMMAND [ARG]…]`, finding COMMAND on the new PATH. */
function envProgram(sh: Shell, argv: string[], env: Map<string, string>): number {
  const next = new Map(env);
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-i' || a === '-') next.clear();
    else if (a === '-u' && i + 1 < argv.length) next.delete(argv[++i]!);
    else if (a === '--') { i++; break; }
    else if (a.startsWith('-') && a.length > 1) { sh.write(2, `env: invalid option -- '${a.slice(1)}'\nTry 'env --help' for more information.\n`); return 125; }
    else if (/^[^=]+=/.test(a)) { const eq = a.indexOf('='); next.set(a.slice(0, eq), a.slice(eq + 1)); }
    else break;
  }
  if (i >= argv.length) {
    sh.write(1, [...next].map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  }
  const name = argv[i]!;
  // Without PATH, env's execvp searches the C library's default path.
  const found = findProgram(sh, name, next.get('PATH') ?? '/bin:/usr/bin');
  if (!found) { sh.write(2, `env: '${name}': No such file or directory\n`); return 127; }
  const r = execute(sh, found, argv.slice(i), next, 0);
  if (typeof r === 'number') return r;
  sh.write(2, `env: '${name}': ${r === 'not found' ? 'No such file or directory' : 'Permission denied'}\n`);
  return r === 'not found' ? 127 : 126;
}

/**
 * `sh`, `dash` and `bash` all start this interpreter (bash is read as sh; see README). Options as
 * dash takes them: `-c string [name [args]]`, `-s`, a script file, or the script on standard input.
 */
export function startShell(parent: Shell, argv: string[], env: Map<string, string>): number {
  const run = parent.run;
  const arg0 = argv[0]!;
  const options = new Set<string>();
  let i = 1;
  let command: string | null = null;
  let wantC = false;
  let fromStdin = false;
  const fail = (msg: string) => { parent.write(2, `${arg0}: 0: ${msg}\n`); return 2; };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--' || a === '-') { i++; break; }
    if (!/^[-+]./.test(a)) break;
    const on = a[0] === '-';
    for (const c of a.slice(1)) {
      if (c === 'c') wantC = true;
      else if (c === 's') fromStdin = true;
      else if (c === 'o') {
        const name = argv[++i];
        if (name === undefined || !LONG_OPTIONS[name]) return fail(`Illegal option -o ${name ?? ''}`.trimEnd());
        if (on) options.add(LONG_OPTIONS[name]!); else options.delete(LONG_OPTIONS[name]!);
      } else if (OPTION_LETTERS.includes(c) || c === 'i' || c === 'm' || c === 'b') {
        if (OPTION_LETTERS.includes(c)) { if (on) options.add(c); else options.delete(c); }
      } else return fail(`Illegal option ${a[0]}${c}`);
    }
  }
  let scriptName = arg0;
  let text: string;
  let positional: string[];
  if (wantC) {
    if (i >= argv.length) return fail('-c requires an argument');
    command = argv[i++]!;
    scriptName = argv[i] ?? arg0;
    positional = argv.slice(i + 1);
    text = command;
  } else if (i < argv.length && !fromStdin) {
    scriptName = argv[i]!;
    positional = argv.slice(i + 1);
    const node = run.fs.stat(resolvePath(parent.state.cwd, scriptName));
    if (!node || node.k === 'program') return fail(`cannot open ${scriptName}: No such file`);
    text = node.k === 'file' ? node.content : '';
  } else {
    positional = argv.slice(i);
    const src = parent.state.fds.get(0);
    text = src?.k === 'in' ? src.src.text.slice(src.src.pos) : '';
    if (src?.k === 'in') src.src.pos = src.src.text.length;
  }
  const state = freshState(parent, env, scriptName);
  state.positional = positional;
  for (const o of options) state.options.add(o);
  const sh = new Shell(run, state);
  return sh.process(() => sh.evalText(text));
}

/** A new shell's state: the environment's variables (exported), dash's defaults, the parent's files. */
export function freshState(parent: Shell | null, env: Map<string, string>, scriptName: string, pid?: number): ShellState {
  const run = parent?.run;
  const state = new ShellState(scriptName, pid ?? run?.pid() ?? 4242);
  for (const [k, v] of env) state.vars.set(k, { value: v, exported: true, readonly: false });
  // dash ignores an inherited IFS and sets these itself (PATH only when the environment has none).
  state.vars.set('IFS', { value: ' \t\n', exported: false, readonly: false });
  if (!env.has('PATH')) state.vars.set('PATH', { value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', exported: false, readonly: false });
  for (const [k, v] of [['PS1', '$ '], ['PS2', '> '], ['PS4', '+ '], ['OPTIND', '1']] as const) {
    if (!env.has(k)) state.vars.set(k, { value: v, exported: false, readonly: false });
  }
  state.vars.set('PPID', { value: String(parent?.state.pid ?? 1), exported: env.has('PPID'), readonly: false });
  state.cwd = parent?.state.cwd ?? WORKSPACE;
  const pwd = env.get('PWD');
  if (pwd === undefined || resolvePath('/', pwd) !== state.cwd) state.vars.set('PWD', { value: state.cwd, exported: true, readonly: false });
  state.fds = parent ? new Map(parent.state.fds) : new Map([[0, { k: 'in', src: { text: '', pos: 0 } }], [1, { k: 'out', stream: 1 }], [2, { k: 'out', stream: 2 }]]);
  return state;
}
