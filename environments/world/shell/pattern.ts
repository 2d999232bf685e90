/**
 * Shell pattern matching (case patterns, `${x#pattern}`, pathname expansion). A pattern is a list
 * of pieces: quoted text matches itself; unquoted text has `*`, `?`, `[…]` and `\` escapes.
 * Matching is the classic star-backtracking algorithm (O(pattern × text)), not a regular
 * expression, so no pattern an agent writes can make it take exponential time.
 */
export interface PatternPiece {
  text: string;
  quoted: boolean;
}

type Tok =
  | { k: 'char'; c: string }
  | { k: 'any' }
  | { k: 'star' }
  | { k: 'set'; negate: boolean; test: (c: string) => boolean };

const CLASSES: Record<string, (c: string) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(c), alpha: (c) => /[A-Za-z]/.test(c), blank: (c) => c === ' ' || c === '\t',
  cntrl: (c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127, digit: (c) => /[0-9]/.test(c),
  graph: (c) => c > ' ' && c <= '~', lower: (c) => /[a-z]/.test(c), print: (c) => c >= ' ' && c <= '~',
  punct: (c) => /[!-/:-@[-`{-~]/.test(c), space: (c) => /[ \t\n\r\f\v]/.test(c), upper: (c) => /[A-Z]/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};

/** True when the pattern has an unquoted `*`, `?` or `[` (pathname expansion is tried only then). */
export function hasGlob(pieces: PatternPiece[]): boolean {
  return pieces.some((p) => !p.quoted && /[*?[]/.test(p.text));
}

function compile(pieces: PatternPiece[]): Tok[] {
  const chars: { c: string; q: boolean }[] = [];
  for (const p of pieces) for (const c of p.text) chars.push({ c, q: p.quoted });
  const out: Tok[] = [];
  for (let i = 0; i < chars.length; i++) {
    const { c, q } = chars[i]!;
    if (q) { out.push({ k: 'char', c }); continue; }
    if (c === '\\' && chars[i + 1]) { out.push({ k: 'char', c: chars[++i]!.c }); continue; }
    if (c === '*') { if (out[out.length - 1]?.k !== 'star') out.push({ k: 'star' }); continue; }
    if (c === '?') { out.push({ k: 'any' }); continue; }
    if (c === '[') {
      const set = readBracket(chars, i);
      if (set) { out.push(set.tok); i = set.end; continue; }
    }
    out.push({ k: 'char', c });
  }
  return out;
}

/** A bracket expression starting at `start` ('['), or null when it has no closing ']' (then '[' is literal). */
function readBracket(chars: { c: string; q: boolean }[], start: number): { tok: Tok; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (chars[i] && !chars[i]!.q && (chars[i]!.c === '!' || chars[i]!.c === '^')) { negate = true; i++; }
  const tests: ((c: string) => boolean)[] = [];
  let first = true;
  for (; i < chars.length; i++) {
    const { c, q } = chars[i]!;
    if (c === ']' && !q && !first) {
      return { tok: { k: 'set', negate, test: (x) => tests.some((t) => t(x)) }, end: i };
    }
    first = false;
    if (!q && c === '[' && chars[i + 1]?.c === ':') {
      const close = chars.findIndex((x, j) => j > i + 1 && x.c === ':' && chars[j + 1]?.c === ']');
      const name = close > 0 ? chars.slice(i + 2, close).map((x) => x.c).join('') : '';
      if (CLASSES[name]) { tests.push(CLASSES[name]); i = close + 1; continue; }
    }
    let lo = c;
    if (!q && c === '\\' && chars[i + 1]) lo = chars[++i]!.c;
    if (chars[i + 1]?.c === '-' && !chars[i + 1]!.q && chars[i + 2] && !(chars[i + 2]!.c === ']' && !chars[i + 2]!.q)) {
      const hi = chars[i + 2]!.c;
      i += 2;
      tests.push((x) => x >= lo && x <= hi);
      continue;
    }
    tests.push((x) => x === lo);
  }
  return null;
}

function tokMatches(t: Tok, c: string): boolean {
  switch (t.k) {
    case 'char': return t.c === c;
    case 'any': return true;
    case 'set': return t.test(c) !== t.negate;
    case 'star': return false;
  }
}

function matchTokens(p: Tok[], s: string, charge?: (work: number) => void): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  let steps = 0;
  while (si < s.length) {
    steps++;
    const t = p[pi];
    if (t && t.k === 'star') { starP = pi++; starS = si; continue; }
    if (t && tokMatches(t, s[si]!)) { pi++; si++; continue; }
    if (starP < 0) { charge?.(steps); return false; }
    pi = starP + 1;
    si = ++starS;
  }
  while (p[pi]?.k === 'star') pi++;
  charge?.(steps);
  return pi === p.length;
}

/** Whether all of `text` matches the pattern. */
export function matchPattern(pieces: PatternPiece[], text: string, charge?: (work: number) => void): boolean {
  return matchTokens(compile(pieces), text, charge);
}

/**
 * Removes the shortest or longest prefix (`#`, `##`) or suffix (`%`, `%%`) of `value` that matches
 * the pattern, as `${x#p}` and friends do. The work is charged to `charge` (the interpreter's
 * budget), since trying every cut is quadratic in the length of the value.
 */
export function trimPattern(pieces: PatternPiece[], value: string, op: '#' | '##' | '%' | '%%', charge: (work: number) => void): string {
  const p = compile(pieces);
  const n = value.length;
  const test = (s: string) => matchTokens(p, s, charge);
  if (op === '#') { for (let i = 0; i <= n; i++) if (test(value.slice(0, i))) return value.slice(i); }
  if (op === '##') { for (let i = n; i >= 0; i--) if (test(value.slice(0, i))) return value.slice(i); }
  if (op === '%') { for (let i = n; i >= 0; i--) if (test(value.slice(i))) return value.slice(0, i); }
  if (op === '%%') { for (let i = 0; i <= n; i++) if (test(value.slice(i))) return value.slice(0, i); }
  return value;
}
