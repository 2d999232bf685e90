/**
 * printf's %f, %e and %g as the C library prints them: from the exact decimal value of the double,
 * rounding half to even on exact ties (C prints 2.5 with "%.0f" as "2"; JavaScript's toFixed gives
 * "3"). Used by the printf builtin.
 */

/** The exact decimal digits of a finite non-negative double, and where the point goes. */
function exactDecimal(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: '0', point: 1 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else { mant |= 1n << 52n; exp = expBits - 1075; }
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString();
    return { digits, point: digits.length };
  }
  // mant / 2^k = mant * 5^k / 10^k.
  const k = -exp;
  const digits = (mant * 5n ** BigInt(k)).toString();
  return { digits, point: digits.length - k };
}

/** Rounds a digit string to `keep` digits, half to even; returns the digits and whether it carried into a new digit. */
function roundDigits(digits: string, keep: number): { digits: string; carried: boolean } {
  if (keep < 0) return { digits: '', carried: false };
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), carried: false };
  const head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const first = rest[0]!;
  const tie = first === '5' && /^50*$/.test(rest);
  // On an exact tie, round to the even neighbour (an empty head counts as 0, which is even).
  const up = first > '5' || (first === '5' && !tie) || (tie && keep > 0 && Number(head[keep - 1]) % 2 === 1);
  if (!up) return { digits: head, carried: false };
  const n = (BigInt(head || '0') + 1n).toString();
  const carried = n.length > keep;
  return { digits: keep === 0 ? (carried ? '1' : '') : n.padStart(keep, '0'), carried };
}

function fixed(x: number, prec: number): string {
  const { digits, point } = exactDecimal(x);
  // Digits up to `prec` places after the point.
  const intLen = Math.max(point, 0);
  const all = point >= 0 ? digits : '0'.repeat(-point) + digits;
  const keep = intLen + prec;
  const r = roundDigits(all, keep);
  let s = r.digits;
  const intDigits = intLen + (r.carried ? 1 : 0);
  s = s.padStart(intDigits + prec, '0');
  const int = s.slice(0, s.length - prec).replace(/^0+(?=\d)/, '') || '0';
  return prec > 0 ? `${int}.${s.slice(s.length - prec)}` : int;
}

function expo(x: number, prec: number, upper: boolean): { text: string; exp: number } {
  if (x === 0) return { text: `${prec > 0 ? `0.${'0'.repeat(prec)}` : '0'}${upper ? 'E' : 'e'}+00`, exp: 0 };
  const { digits, point } = exactDecimal(x);
  const lead = digits.search(/[1-9]/);
  const sig = digits.slice(lead);
  let exp = point - lead - 1;
  const r = roundDigits(sig, prec + 1);
  let d = r.digits;
  if (r.carried) { exp++; d = d.slice(0, prec + 1); }
  const mant = prec > 0 ? `${d[0]}.${d.slice(1)}` : d[0]!;
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return { text: `${mant}${upper ? 'E' : 'e'}${e}`, exp };
}

/** Formats `x` for conversion f, e, E, g or G with a precision (default 6) and flags (`#` keeps zeros). */
export function formatFloat(x: number, conv: string, prec: number | null, flags: string): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const upper = conv === conv.toUpperCase();
  if (!Number.isFinite(a)) return sign + (Number.isNaN(a) ? (upper ? 'NAN' : 'nan') : upper ? 'INF' : 'inf');
  const p = prec ?? 6;
  if (conv === 'f' || conv === 'F') return sign + fixed(a, p);
  if (conv === 'e' || conv === 'E') return sign + expo(a, p, upper).text;
  const P = p === 0 ? 1 : p;
  const X = expo(a, P - 1, upper).exp;
  let body = P > X && X >= -4 ? fixed(a, P - 1 - X) : expo(a, P - 1, upper).text;
  if (!flags.includes('#')) {
    body = body.replace(/(\.\d*?)0+(?=$|[eE])/, '$1').replace(/\.(?=$|[eE])/, '');
  }
  return sign + body;
}

/** strtod as printf uses it: the value, and how much of the text it read (0 when none). */
export function parseFloatArg(text: string): { value: number; used: number } {
  const m = /^[ \t\n]*[+-]?(?:0[xX][0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i.exec(text);
  if (!m) return { value: 0, used: 0 };
  const t = m[0].trim();
  let value: number;
  if (/^[+-]?0x/i.test(t)) {
    const neg = t.startsWith('-');
    const body = t.replace(/^[+-]?0x/i, '');
    const [mant, pexp] = body.split(/p/i);
    const [ip, fp = ''] = mant!.split('.');
    value = (parseInt(ip || '0', 16) + (fp ? parseInt(fp, 16) / 16 ** fp.length : 0)) * 2 ** Number(pexp ?? 0);
    if (neg) value = -value;
  } else if (/inf/i.test(t)) value = t.startsWith('-') ? -Infinity : Infinity;
  else if (/nan/i.test(t)) value = NaN;
  else value = Number(t);
  return { value, used: m[0].length };
}
