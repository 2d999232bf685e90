import { ShellFatal } from './errors.js';

/** How arithmetic reads and writes shell variables. */
export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);
const wrap = (n: bigint) => BigInt.asIntN(64, n);

/**
 * Parses an integer as dash does for variables used in arithmetic (strtoimax with base 0:
 * decimal, 0-octal, 0x-hex, optional sign and surrounding blanks); null when it is not one.
 */
export function parseArithNumber(text: string): bigint | null {
  const m = /^[ \t\n]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[ \t\n]*$/.exec(text);
  if (!m) return null;
  const digits = m[2]!;
  let n = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (m[1] === '-') n = -n;
  return n > MAX ? MAX : n < MIN ? MIN : n;
}

const BINARY: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const ASSIGN = ['<<=', '>>=', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '='];

/**
 * Evaluates the text of `$((…))` after its expansions, with dash's operators (no `++`, `--` or `,`)
 * on 64-bit integers, and dash's error messages. Errors are fatal to the script (status 2).
 */
export function evalArith(text: string, vars: ArithVars): bigint {
  const toks = tokenize(text);
  let pos = 0;
  const fail = (why: string): never => { throw new ShellFatal(`arithmetic expression: ${why}: "${text}"`); };
  const peek = () => toks[pos];
  const value = (name: string): bigint => {
    const v = vars.get(name);
    if (v === undefined || v === '') return 0n;
    const n = parseArithNumber(v);
    if (n === null) throw new ShellFatal(`Illegal number: ${v}`);
    return n;
  };

  // `skip` evaluates without side effects or errors (the untaken side of && || ?:).
  const ternary = (skip: boolean): bigint => {
    const cond = binary(1, skip);
    if (peek() !== '?') return cond;
    pos++;
    const a = assignment(skip || cond === 0n);
    if (peek() !== ':') fail('expecting \':\'');
    pos++;
    const b = assignment(skip || cond !== 0n);
    return cond !== 0n ? a : b;
  };
  const assignment = (skip: boolean): bigint => {
    const t = peek();
    const op = toks[pos + 1];
    if (t && /^[A-Za-z_]/.test(t) && op && ASSIGN.includes(op)) {
      pos += 2;
      const rhs = assignment(skip);
      if (skip) return 0n;
      const v = op === '=' ? rhs : apply(op.slice(0, -1), value(t), rhs, fail);
      vars.set(t, String(v));
      return v;
    }
    return ternary(skip);
  };
  const binary = (minPrec: number, skip: boolean): bigint => {
    let left = unary(skip);
    for (;;) {
      const op = peek();
      const prec = op ? BINARY[op] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      pos++;
      if (op === '&&' || op === '||') {
        const shortCut = op === '&&' ? left === 0n : left !== 0n;
        const right = binary(prec + 1, skip || shortCut);
        left = shortCut ? (op === '||' ? 1n : 0n) : right !== 0n ? 1n : 0n;
        continue;
      }
      const right = binary(prec + 1, skip);
      left = skip ? 0n : apply(op!, left, right, fail);
    }
  };
  const unary = (skip: boolean): bigint => {
    const t = peek();
    if (t === '-' || t === '+' || t === '!' || t === '~') {
      pos++;
      const v = unary(skip);
      return t === '-' ? wrap(-v) : t === '+' ? v : t === '!' ? (v === 0n ? 1n : 0n) : wrap(~v);
    }
    return primary(skip);
  };
  const primary = (skip: boolean): bigint => {
    const t = peek();
    if (t === '(') {
      pos++;
      const v = assignment(skip);
      if (peek() !== ')') fail('expecting \')\'');
      pos++;
      return v;
    }
    if (t && /^[0-9]/.test(t)) {
      pos++;
      const n = parseArithNumber(t);
      if (n === null) return fail('expecting EOF');
      return n;
    }
    if (t && /^[A-Za-z_]/.test(t)) { pos++; return skip ? 0n : value(t); }
    return fail('expecting primary');
  };

  const result = assignment(false);
  if (pos < toks.length) fail('expecting EOF');
  return result;
}

function apply(op: string, a: bigint, b: bigint, fail: (why: string) => never): bigint {
  switch (op) {
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/': case '%':
      if (b === 0n) fail('division by zero');
      if (a === MIN && b === -1n) return op === '/' ? MAX : 0n;
      return op === '/' ? a / b : a % b;
    case '<<': return wrap(a << (b & 63n));
    case '>>': return a >> (b & 63n);
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '&': return a & b;
    case '^': return a ^ b;
    case '|': return a | b;
    default: return fail('expecting primary');
  }
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  const ops = ['<<=', '>>=', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=',
    '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '^', '|', '(', ')', '?', ':'];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') { i++; continue; }
    const word = /^(?:[0-9][0-9A-Za-z]*|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (word) { out.push(word[0]); i += word[0].length; continue; }
    const op = ops.find((o) => text.startsWith(o, i));
    if (op) { out.push(op); i += op.length; continue; }
    // Anything else (`,`, `++` is read as two `+`, stray characters) leaves the parse at that point.
    out.push(c);
    i++;
  }
  return out;
}
