import type { Shell } from './interpreter.js';
import { parseArithNumber } from './arith.js';
import { formatFloat, parseFloatArg } from './format-float.js';
import { ShellLimit } from './errors.js';

/**
 * Backslash escapes of dash's `echo` and of printf's `%b`: \a \b \c \e \f \n \r \t \v \\, octal
 * `\0nnn` and `\nnn`. `\c` ends all output; it is reported through `stop`.
 */
export function escapes(text: string): { out: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) { out += c; continue; }
    const d = text[++i]!;
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (simple[d] !== undefined) { out += simple[d]; continue; }
    if (d === 'c') return { out, stop: true };
    if (/[0-7]/.test(d)) {
      // \0 takes up to three more digits; \1-\7 up to two more.
      let digits = d === '0' ? '' : d;
      const max = d === '0' ? 3 : 2;
      for (let k = 0; k < max && /[0-7]/.test(text[i + 1] ?? ''); k++) digits += text[++i];
      out += String.fromCharCode(parseInt(digits || '0', 8) & 255);
      continue;
    }
    out += `\\${d}`;
  }
  return { out, stop: false };
}

/** dash's echo: `-n` only as the first argument, escapes always interpreted. */
export function echo(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  sh.run.checkLength(args.reduce((n, a) => n + a.length + 1, 0));
  let newline = true;
  if (args[0] === '-n') { newline = false; args = args.slice(1); }
  const { out, stop } = escapes(args.join(' '));
  return writeOut(sh, argv[0]!, stop || !newline ? out : `${out}\n`) ? 0 : 1;
}

/** Writes a builtin's output; a closed standard output is an I/O error, as in dash. */
function writeOut(sh: Shell, name: string, text: string): boolean {
  if (text === '' || sh.write(1, text)) return true;
  sh.error(`${name}: I/O error`);
  return false;
}

/** Format escapes of printf's format string: those of `escapes` plus \" and \', octal \nnn only. */
function formatEscapes(fmt: string): { out: string; stop: boolean } {
  return escapes(fmt.replace(/\\(["'])/g, '$1'));
}

/**
 * `printf format [arguments]`, as dash's: %s %b %c %d %i %o %u %x %X %% with flags, width and
 * precision (`*` too); the format is reused while arguments remain; numbers in C syntax (a
 * leading quote gives a character's code). Bad numbers print a message and make the status 1.
 */
export function printf(sh: Shell, argv: string[]): number {
  const first = argv[1] === '--' ? 2 : 1;
  if (argv.length <= first) { sh.error('usage: printf format [arg ...]'); return 2; }
  const fmt = argv[first]!;
  const args = argv.slice(first + 1);
  let ai = 0;
  let status = 0;
  let out = '';
  const nextArg = () => (ai < args.length ? args[ai++]! : undefined);
  const num = (a: string | undefined): bigint => {
    if (a === undefined || a === '') return 0n;
    if (/^['"]/.test(a)) return BigInt(a.codePointAt(1) ?? 0);
    const n = parseArithNumber(a);
    if (n !== null && !/^\s|\s$/.test(a)) return n;
    const lead = /^[ \t]*[+-]?\d+/.exec(a);
    if (lead) { sh.error(`${a}: not completely converted`); status = 1; return BigInt(lead[0].trim()); }
    sh.error(`${a}: expected numeric value`);
    status = 1;
    return 0n;
  };
  const float = (a: string | undefined): number => {
    if (a === undefined || a === '') return 0;
    if (/^['"]/.test(a)) return a.codePointAt(1) ?? 0;
    const { value, used } = parseFloatArg(a);
    if (used === 0) { sh.error(`${a}: expected numeric value`); status = 1; return 0; }
    if (used < a.length) { sh.error(`${a}: not completely converted`); status = 1; }
    return value;
  };
  for (;;) {
    let consumed = false;
    for (let i = 0; i < fmt.length; i++) {
      const c = fmt[i]!;
      if (c === '\\') {
        const m = /^\\([0-7]{1,3}|.)/s.exec(fmt.slice(i))!;
        const e = formatEscapes(m[0]);
        out += e.out;
        if (e.stop) return writeOut(sh, 'printf', out) ? status : 1;
        i += m[0].length - 1;
        continue;
      }
      if (c !== '%') { out += c; continue; }
      const m = /^%([-+ #0]*)(\*|\d*)(?:\.(\*|\d*))?(.?)/.exec(fmt.slice(i))!;
      i += m[0].length - 1;
      const [, flags = '', w = '', p, conv = ''] = m;
      if (conv === '%') { out += '%'; continue; }
      const width = w === '*' ? Number(num(nextArg())) : w === '' ? null : Number(w);
      const prec = p === undefined ? null : p === '*' ? Number(num(nextArg())) : p === '' ? 0 : Number(p);
      // A width of a billion would build a string of a billion characters.
      if (Math.abs(width ?? 0) > sh.run.limits.stringChars || (prec ?? 0) > sh.run.limits.stringChars) throw new ShellLimit(`stopped: a string grew past ${sh.run.limits.stringChars} characters`);
      if (!'sbcdiouxXfFeEgG'.includes(conv) || conv === '') { sh.error(`${m[0]}: invalid directive`); writeOut(sh, 'printf', out); return 2; }
      consumed = true;
      const arg = nextArg();
      let body: string;
      if (conv === 's') body = prec === null ? (arg ?? '') : (arg ?? '').slice(0, prec);
      else if (conv === 'b') {
        const e = escapes(arg ?? '');
        body = prec === null ? e.out : e.out.slice(0, prec);
        if (e.stop) { out += pad(body, width, flags); return writeOut(sh, 'printf', out) ? status : 1; }
      } else if (conv === 'c') body = (arg ?? '').slice(0, 1);
      else if ('fFeEgG'.includes(conv)) body = formatFloat(float(arg), conv, prec, flags);
      else body = formatInt(num(arg), conv, flags, prec);
      out += pad(body, width, 'sbc'.includes(conv) ? flags.replace('0', '') : flags);
      sh.run.checkLength(out.length);
    }
    // The format is reused while arguments remain: check the output as it grows.
    sh.run.checkLength(out.length);
    if (!consumed || ai >= args.length) break;
  }
  return writeOut(sh, 'printf', out) ? status : 1;
}

function formatInt(n: bigint, conv: string, flags: string, prec: number | null): string {
  const unsigned = conv === 'o' || conv === 'u' || conv === 'x' || conv === 'X';
  const v = unsigned && n < 0n ? BigInt.asUintN(64, n) : n;
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString(conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10);
  if (conv === 'X') digits = digits.toUpperCase();
  if (prec !== null) digits = digits.padStart(prec, '0');
  if (flags.includes('#') && conv === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
  if (flags.includes('#') && (conv === 'x' || conv === 'X') && v !== 0n) digits = `0${conv}${digits}`;
  const sign = neg ? '-' : !unsigned && flags.includes('+') ? '+' : !unsigned && flags.includes(' ') ? ' ' : '';
  return sign + digits;
}

function pad(body: string, width: number | null, flags: string): string {
  if (width === null || body.length >= Math.abs(width)) return body;
  if (flags.includes('-') || width < 0) return body.padEnd(Math.abs(width));
  if (flags.includes('0')) {
    const sign = /^[+ -]/.test(body) ? body[0]! : '';
    const prefix = /^[+ -]?0[xX]/.exec(body)?.[0] ?? sign;
    return prefix + body.slice(prefix.length).padStart(width - prefix.length, '0');
  }
  return body.padStart(width);
}
