import { SpecialBuiltinError } from './errors.js';
import type { Shell } from './interpreter.js';
import { LONG_OPTIONS, OPTION_LETTERS } from './state.js';
import { resolvePath } from './vfs.js';

const isName = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/** Quotes a value as dash does in `set`, `export -p` and `alias` listings. */
export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** `export` and `readonly` (special builtins): set attributes, assign, or list with -p. */
export function exportOrReadonly(sh: Shell, argv: string[]): number {
  const which = argv[0] === 'export' ? 'exported' : 'readonly';
  const args = argv.slice(1).filter((a, i) => !(i === 0 && a === '-p'));
  if (args.length === 0) {
    const lines = [...sh.state.vars].filter(([, v]) => v[which]).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${argv[0]} ${k}${v.value === null ? '' : `=${shellQuote(v.value)}`}\n`);
    sh.write(1, lines.join(''));
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) throw new SpecialBuiltinError(`${name}: bad variable name`);
    if (eq >= 0) sh.state.set(name, a.slice(eq + 1));
    const v = sh.state.vars.get(name) ?? { value: null, exported: false, readonly: false };
    sh.state.vars.set(name, { ...v, [which]: true });
  }
  return 0;
}

/** `local` (special in dash): only in a function; the old value comes back when it returns. */
export function local(sh: Shell, argv: string[]): number {
  const frame = sh.state.locals[sh.state.locals.length - 1];
  if (sh.state.funcDepth === 0 || !frame) throw new SpecialBuiltinError('not in a function');
  for (const a of argv.slice(1)) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (name === '-') continue;
    if (!isName(name)) throw new SpecialBuiltinError(`${name}: bad variable name`);
    const current = sh.state.vars.get(name);
    if (!frame.has(name)) frame.set(name, current ? { ...current } : undefined);
    if (eq >= 0) sh.state.set(name, a.slice(eq + 1));
  }
  return 0;
}

export function unset(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  let functions = false;
  if (args[0] === '-f') { functions = true; args = args.slice(1); }
  else if (args[0] === '-v') args = args.slice(1);
  for (const a of args) {
    if (functions) { sh.state.functions.delete(a); continue; }
    if (!isName(a)) throw new SpecialBuiltinError(`${a}: bad variable name`);
    sh.state.unset(a);
  }
  return 0;
}

export function shift(sh: Shell, argv: string[]): number {
  const n = argv[1] === undefined ? 1 : builtinNumber(argv[1]);
  if (n > sh.state.positional.length) throw new SpecialBuiltinError("can't shift that many");
  sh.state.positional = sh.state.positional.slice(n);
  return 0;
}

/** A non-negative decimal argument of exit, return, shift, break, continue. */
export function builtinNumber(s: string): number {
  if (!/^[0-9]+$/.test(s)) throw new SpecialBuiltinError(`Illegal number: ${s}`);
  return Number(s.length > 12 ? '999999999999' : s);
}

const DASH_OPTION_NAMES = ['errexit', 'noglob', 'ignoreeof', 'interactive', 'monitor', 'noexec', 'stdin', 'xtrace', 'verbose', 'vi', 'emacs', 'noclobber', 'allexport', 'notify', 'nounset', 'privileged', 'nolog', 'debug'];

/** `set`: options (-e, -o errexit, +x …), positional parameters, or the list of variables. */
export function set(sh: Shell, argv: string[]): number {
  const s = sh.state;
  const args = argv.slice(1);
  if (args.length === 0) {
    const lines = [...s.vars].filter(([, v]) => v.value !== null).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${shellQuote(v.value!)}\n`);
    sh.write(1, lines.join(''));
    return 0;
  }
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { i++; s.positional = args.slice(i); return 0; }
    if (a === '-' ) { s.options.delete('x'); s.options.delete('v'); i++; break; }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === '-';
    for (const c of a.slice(1)) {
      if (c === 'o') {
        const name = args[i + 1];
        if (name === undefined) { listOptions(sh, on); continue; }
        i++;
        const letter = LONG_OPTIONS[name];
        if (letter) { if (on) s.options.add(letter); else s.options.delete(letter); continue; }
        if (DASH_OPTION_NAMES.includes(name)) continue;
        throw new SpecialBuiltinError(`Illegal option -o ${name}`);
      }
      if (OPTION_LETTERS.includes(c)) { if (on) s.options.add(c); else s.options.delete(c); continue; }
      if ('bmuIiEV'.includes(c)) continue;
      throw new SpecialBuiltinError(`Illegal option ${a[0]}${c}`);
    }
  }
  if (i < args.length) s.positional = args.slice(i);
  return 0;
}

function listOptions(sh: Shell, human: boolean): void {
  const letterOf = (n: string) => LONG_OPTIONS[n];
  const on = (n: string) => !!letterOf(n) && sh.state.options.has(letterOf(n)!);
  sh.write(1, human
    ? `Current option settings\n${DASH_OPTION_NAMES.map((n) => `${n.padEnd(16)}${on(n) ? 'on' : 'off'}\n`).join('')}`
    : DASH_OPTION_NAMES.map((n) => `set ${on(n) ? '-' : '+'}o ${n}\n`).join(''));
}

export function alias(sh: Shell, argv: string[]): number {
  const a = sh.state.aliases;
  if (argv.length === 1) {
    // dash lists its alias hash table bucket by bucket, each in the order of definition.
    const order = [...a.keys()].map((k, i) => [aliasBucket(k), i, k] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    sh.write(1, order.map(([, , k]) => `${k}=${shellQuote(a.get(k)!)}\n`).join(''));
    return 0;
  }
  let status = 0;
  for (const arg of argv.slice(1)) {
    const eq = arg.indexOf('=');
    if (eq > 0) { a.set(arg.slice(0, eq), arg.slice(eq + 1)); continue; }
    const v = a.get(arg);
    if (v === undefined) { sh.write(2, `alias: ${arg} not found\n`); status = 1; }
    else sh.write(1, `${arg}=${shellQuote(v)}\n`);
  }
  return status;
}

/** dash's alias hash (alias.c: first byte × 16 plus every byte, modulo 39 buckets). */
function aliasBucket(name: string): number {
  const bytes = new TextEncoder().encode(name);
  let h = (bytes[0] ?? 0) << 4;
  for (const b of bytes) h += b;
  return h % 39;
}

export function unalias(sh: Shell, argv: string[]): number {
  if (argv[1] === '-a') { sh.state.aliases.clear(); return 0; }
  let status = 0;
  for (const n of argv.slice(1)) {
    if (!sh.state.aliases.delete(n)) { sh.write(2, `unalias: ${n} not found\n`); status = 1; }
  }
  return status;
}

/**
 * `read [-r] [-p prompt] name…`: one line from standard input, split on IFS; without -r a
 * backslash escapes the next character and joins lines. Status 1 at end of input.
 */
export function read(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  let raw = false;
  while (args[0]?.startsWith('-') && args[0] !== '-') {
    const o = args.shift()!;
    if (o === '--') break;
    if (o === '-r') raw = true;
    // dash shows the prompt only when standard input is a terminal, which it never is here.
    else if (o === '-p') args.shift();
    else { sh.error(`Illegal option ${o}`); return 2; }
  }
  if (args.length === 0) { sh.error('arg count'); return 2; }
  const src = sh.state.fds.get(0);
  const input = src?.k === 'in' ? src.src : { text: '', pos: 0 };
  // Each character remembers whether a backslash protected it from splitting.
  const chars: { c: string; q: boolean }[] = [];
  let eof = true;
  while (input.pos < input.text.length) {
    const c = input.text[input.pos++]!;
    if (c === '\n') { eof = false; break; }
    if (c === '\\' && !raw) {
      const d = input.text[input.pos++];
      if (d === undefined) break;
      if (d === '\n') continue;
      chars.push({ c: d, q: true });
      continue;
    }
    chars.push({ c, q: false });
  }
  const ifs = sh.state.get('IFS') ?? (sh.state.vars.has('IFS') ? '' : ' \t\n');
  const isWs = (c: string) => ifs.includes(c) && ' \t\n'.includes(c);
  const isDelim = (x: { c: string; q: boolean }) => !x.q && ifs.includes(x.c);
  let i = 0;
  while (i < chars.length && !chars[i]!.q && isWs(chars[i]!.c)) i++;
  args.forEach((name, k) => {
    let value = '';
    if (k === args.length - 1) {
      // The last name takes the rest of the line, less trailing IFS white space.
      let end = chars.length;
      while (end > i && !chars[end - 1]!.q && isWs(chars[end - 1]!.c)) end--;
      value = chars.slice(i, end).map((x) => x.c).join('');
      i = end;
    } else {
      while (i < chars.length && !isDelim(chars[i]!)) value += chars[i++]!.c;
      while (i < chars.length && !chars[i]!.q && isWs(chars[i]!.c)) i++;
      if (i < chars.length && isDelim(chars[i]!)) { i++; while (i < chars.length && !chars[i]!.q && isWs(chars[i]!.c)) i++; }
    }
    sh.state.set(name, value);
  });
  return eof ? 1 : 0;
}

export function cd(sh: Shell, argv: string[]): number {
  const s = sh.state;
  let target = argv[1];
  // Without HOME, dash's cd goes nowhere and succeeds.
  if (target === undefined) target = s.get('HOME') ?? '.';
  if (target === '-') { target = s.get('OLDPWD') ?? s.cwd; sh.write(1, `${target}\n`); }
  const abs = resolvePath(s.cwd, target);
  if (target === '' || sh.run.fs.stat(abs)?.k !== 'dir') { sh.error(`can't cd to ${target}`); return 2; }
  s.set('OLDPWD', s.cwd);
  s.cwd = abs;
  s.set('PWD', abs);
  return 0;
}
