import type { List, Word, WordPart } from './ast.js';
import { evalArith } from './arith.js';
import { ShellFatal } from './errors.js';
import { hasGlob, trimPattern, type PatternPiece } from './pattern.js';
import type { ShellState } from './state.js';

/** What word expansion needs from the interpreter. */
export interface ExpandHost {
  readonly state: ShellState;
  /** Runs `$(…)` in a subshell and returns its standard output. */
  commandSub(body: List): string;
  /** Pathname expansion: the matching paths, sorted, or [] for none. */
  glob(pattern: PatternPiece[]): string[];
  /** Charges work to the run's budget (pattern matching and trims). */
  charge(work: number): void;
  /** Checks the length of a string about to be kept (a word may join many long values). */
  checkString(s: string): string;
  /** The same check, for a length (before the string is built). */
  checkLength(length: number): void;
}

/** A piece of a field being built: `quoted` text is not globbed. */
type Seg = PatternPiece;
interface Field {
  segs: Seg[];
}

/** The order dash lists options in `$-`. */
const DASH_FLAG_ORDER = 'uaCvxnfe';

/** The value of a special or positional parameter, or a variable; undefined when unset. */
export function paramValue(host: ExpandHost, name: string): string | undefined {
  const s = host.state;
  switch (name) {
    case '?': return String(s.status);
    case '$': return String(s.pid);
    case '!': return s.lastBackground === null ? undefined : String(s.lastBackground);
    case '#': return String(s.positional.length);
    case '-': return [...DASH_FLAG_ORDER].filter((c) => s.options.has(c)).join('');
    case '0': return s.scriptName;
    case '@': case '*': return s.positional.length === 0 ? undefined : s.positional.join(' ');
  }
  if (/^[0-9]+$/.test(name)) return s.positional[Number(name) - 1];
  return s.get(name);
}

const ifsOf = (s: ShellState) => s.get('IFS') ?? (s.vars.has('IFS') ? '' : ' \t\n');

/**
 * Expands words into fields as POSIX prescribes: tilde, parameter, command and arithmetic
 * expansion; then field splitting of unquoted expansion results on IFS; then pathname expansion
 * (unless `set -f`); quote removal is implicit in the parts.
 */
export function expandFields(host: ExpandHost, words: Word[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    for (const f of splitWord(host, w)) {
      if (!host.state.options.has('f') && hasGlob(f.segs)) {
        const found = host.glob(f.segs);
        if (found.length > 0) { out.push(...found); continue; }
      }
      out.push(host.checkString(f.segs.map((s) => s.text).join('')));
    }
  }
  return out;
}

/** Expands a word to one string, without splitting or globbing (assignments, redirections, case words). */
export function expandString(host: ExpandHost, w: Word): string {
  return host.checkString(expandPieces(host, w).map((p) => p.text).join(''));
}

/** Expands a word into pattern pieces, keeping which text was quoted (case patterns, `${x#…}`). */
export function expandPattern(host: ExpandHost, w: Word): PatternPiece[] {
  return expandPieces(host, w);
}

function expandPieces(host: ExpandHost, w: Word): Seg[] {
  const segs: Seg[] = [];
  for (const part of w.parts) {
    const v = partValue(host, part, true);
    if (v.kind === 'list') segs.push({ text: v.values.join(part.k === 'param' && part.name === '*' ? sepOf(host) : ' '), quoted: true });
    else for (const seg of v.segs) segs.push({ text: seg.text, quoted: seg.quoted });
    host.checkLength(segs.reduce((n, x) => n + x.text.length, 0));
  }
  return segs;
}

const sepOf = (host: ExpandHost) => ifsOf(host.state).slice(0, 1);

/** A part's value: text (unquoted expansion results are split), or one value per positional parameter. */
type PartValue = { kind: 'text'; segs: { text: string; quoted: boolean; split: boolean }[] } | { kind: 'list'; values: string[]; quoted: boolean };
const one = (text: string, quoted: boolean, split: boolean): PartValue => ({ kind: 'text', segs: [{ text, quoted, split }] });

function splitWord(host: ExpandHost, w: Word): Field[] {
  const fields: Field[] = [];
  let cur: Field | null = null;
  let curLength = 0;
  // 'start': nothing since the last non-blank delimiter; 'in': inside a field; 'blank': after a blank delimiter.
  let state: 'start' | 'in' | 'blank' = 'start';
  const ifs = ifsOf(host.state);
  const append = (text: string, quoted: boolean) => {
    if (!cur) { cur = { segs: [] }; curLength = 0; }
    curLength += text.length;
    host.checkLength(curLength);
    cur.segs.push({ text, quoted });
    state = 'in';
  };
  const finish = () => {
    if (cur) push(cur);
    cur = null;
  };
  // Each field costs work too: splitting a long value on every character must not fill memory.
  const push = (f: Field) => {
    host.charge(100);
    fields.push(f);
  };
  const splitText = (text: string) => {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (!ifs.includes(c)) continue;
      if (i > start) append(text.slice(start, i), false);
      start = i + 1;
      if (c === ' ' || c === '\t' || c === '\n') {
        if (state === 'in') { finish(); state = 'blank'; }
      } else {
        if (state === 'in') finish();
        else if (state === 'start') push({ segs: [{ text: '', quoted: true }] });
        state = 'start';
      }
    }
    if (start < text.length) append(text.slice(start), false);
  };
  for (const part of w.parts) {
    const v = partValue(host, part, false);
    if (v.kind === 'list') {
      // "$@" and unquoted $@ / $*: one field per positional parameter.
      v.values.forEach((value, i) => {
        if (i > 0) { finish(); state = 'blank'; }
        if (v.quoted) append(value, true);
        else splitText(value);
      });
      continue;
    }
    for (const seg of v.segs) {
      if (seg.split && !seg.quoted) splitText(seg.text);
      else if (seg.text !== '' || seg.quoted) append(seg.text, seg.quoted);
    }
  }
  finish();
  return fields;
}

/**
 * A part's value. Every character an expansion produces is charged to the run's work budget, so
 * that a word like `$x$x$x…` with long values stops at the budget rather than filling memory.
 */
function partValue(host: ExpandHost, part: WordPart, noSplit: boolean): PartValue {
  const v = partValueOf(host, part, noSplit);
  host.charge(v.kind === 'list' ? v.values.reduce((n, x) => n + x.length + 1, 0) : v.segs.reduce((n, x) => n + x.text.length, 0));
  return v;
}

function partValueOf(host: ExpandHost, part: WordPart, noSplit: boolean): PartValue {
  const s = host.state;
  switch (part.k) {
    case 'lit': return one(part.text, part.quoted, false);
    case 'tilde': {
      // Only ~ and ~/… with HOME set are expanded; there is no user database in the simulation.
      const home = s.get('HOME');
      const text = part.user === '' && home !== undefined ? home : `~${part.user}`;
      return one(text, true, false);
    }
    case 'length': {
      // dash counts bytes (it has no multibyte support).
      const v = checkSet(host, part.name, paramValue(host, part.name));
      return one(String(new TextEncoder().encode(v ?? '').length), part.quoted, !part.quoted);
    }
    case 'cmdsub': {
      const text = host.commandSub(part.body).replace(/\n+$/, '');
      return one(text, part.quoted, !part.quoted);
    }
    case 'arith': {
      const text = expandString(host, part.expr);
      const value = evalArith(text, { get: (n) => s.get(n), set: (n, v) => s.set(n, v) });
      return one(String(value), part.quoted, !part.quoted);
    }
    case 'param': return paramPart(host, part, noSplit);
  }
}

function checkSet(host: ExpandHost, name: string, v: string | undefined): string | undefined {
  if (v === undefined && host.state.options.has('u') && name !== '@' && name !== '*') throw new ShellFatal(`${name}: parameter not set`);
  return v;
}

function paramPart(host: ExpandHost, part: Extract<WordPart, { k: 'param' }>, noSplit: boolean): PartValue {
  const s = host.state;
  const { name, op, quoted } = part;
  if (name === '') throw new ShellFatal('Bad substitution');
  const raw = paramValue(host, name);
  const text = (t: string): PartValue => one(t, quoted, !quoted);
  const whole = (): PartValue => {
    if ((name === '@' || (name === '*' && !quoted)) && !noSplit) return { kind: 'list', values: s.positional, quoted };
    if (name === '*' && quoted) return text(s.positional.join(sepOf(host)));
    return text(checkSet(host, name, raw) ?? '');
  };
  if (op === null) return whole();
  const unsetOrNull = op.startsWith(':') ? raw === undefined || raw === '' : raw === undefined;
  const argText = () => expandString(host, part.arg!);
  // The word of ${x-word} keeps its own quoting: its quoted text is not split.
  const argValue = (): PartValue => {
    const segs = expandPattern(host, part.arg!).map((p) => ({ text: p.text, quoted: quoted || p.quoted, split: !(quoted || p.quoted) }));
    return { kind: 'text', segs: segs.length === 0 && quoted ? [{ text: '', quoted: true, split: false }] : segs };
  };
  switch (op) {
    case '-': case ':-': return unsetOrNull ? argValue() : whole();
    case '+': case ':+': return unsetOrNull ? text('') : argValue();
    case '=': case ':=': {
      if (!unsetOrNull) return whole();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ShellFatal(`${name}: bad variable name`);
      const v = argText();
      s.set(name, v);
      return text(v);
    }
    case '?': case ':?': {
      if (!unsetOrNull) return whole();
      const msg = argText();
      throw new ShellFatal(`${name}: ${msg === '' ? `parameter not set${op === ':?' ? ' or null' : ''}` : msg}`);
    }
    default: {
      const value = checkSet(host, name, raw) ?? '';
      const pattern = expandPattern(host, part.arg!);
      return text(trimPattern(pattern, value, op, (n) => host.charge(n)));
    }
  }
}
