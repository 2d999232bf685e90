import type { List, ParamOp, Redir, Word, WordPart } from './ast.js';
import { ShellLimit, ShellSyntaxError } from './errors.js';
import { Reader } from './reader.js';

/**
 * How deeply commands and words may nest. Deeper scripts are stopped as a limit before the
 * parser's own stack runs out (dash, in C, would go deeper; no real shutdown script comes close).
 */
export const MAX_NESTING = 150;

/** The nesting depth shared by a parser, its lexer and the parsers of its substitutions. */
export interface Nesting {
  depth: number;
}

export type Op = '&&' | '||' | ';;' | ';' | '&' | '|' | '(' | ')' | Redir['op'];

export type Token =
  | { t: 'word'; word: Word; line: number; aliasNext: boolean }
  | { t: 'op'; op: Op; fd: number | null; line: number }
  | { t: 'nl'; line: number }
  | { t: 'eof'; line: number };

const OPERATORS: Op[] = ['<<-', '&&', '||', ';;', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'];
const ENDS_WORD = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>', '']);
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
/** Runs of characters with no special meaning, per reading mode (sticky, for Reader.takeRun). */
const PLAIN_WORD = /[^ \t\n;&|()<>\\'"$`~]+/y;
const PLAIN_PARAM = /[^\\'"$`~}]+/y;
const PLAIN_DQUOTE = /[^\\"$`]+/y;
const PLAIN_HEREDOC = /[^\\$`]+/y;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** How the characters of a word are read: as a plain word, inside "…", or as a here-document body. */
type Mode = 'word' | 'dquote' | 'heredoc';

/** The literal text of a word when it is unquoted and has no expansions (keywords, alias names). */
export function plainText(w: Word): string | null {
  if (w.parts.length === 0) return null;
  let out = '';
  for (const p of w.parts) {
    if (p.k !== 'lit' || p.quoted) return null;
    out += p.text;
  }
  return out;
}

interface PendingHeredoc {
  redir: Redir;
  delim: string;
  quoted: boolean;
  strip: boolean;
}

/**
 * Splits script text into words and operators the way dash's tokenizer does: blanks are space and
 * tab only (a carriage return is part of a word, as on a real system), `\<newline>` joins lines,
 * `#` starts a comment only at the start of a word, quotes and expansions keep their structure in
 * the word's parts. Command substitutions are parsed on the spot by `parseSub` (a callback into the
 * parser), because only the grammar knows where `$(…)` ends.
 */
export class Lexer {
  private readonly pending: PendingHeredoc[] = [];

  constructor(
    readonly reader: Reader,
    private readonly parseSub: (reader: Reader) => List,
    /** Parses the text of a `…` substitution (its own reader, same grammar). */
    private readonly parseBackquote: (text: string, line: number) => List,
    private readonly nest: Nesting = { depth: 0 },
  ) {}

  /** Registers a here-document whose body starts after the next newline token. */
  addHeredoc(redir: Redir, delimWord: Word): void {
    // The delimiter is taken as written, after quote removal; any quoting turns expansions off.
    const quoted = /["'\\]/.test(delimWord.raw);
    this.pending.push({ redir, delim: unquoteRaw(delimWord.raw), quoted, strip: redir.op === '<<-' });
  }

  next(): Token {
    const r = this.reader;
    this.skipBlanks();
    const aliasNext = r.takeBlankAliasEnd();
    const line = r.line;
    const c = r.peek();
    if (c === '') {
      this.readHeredocs();
      return { t: 'eof', line };
    }
    if (c === '#') {
      while (r.peek() !== '\n' && r.peek() !== '') r.next();
      return this.next();
    }
    if (c === '\n') {
      r.next();
      this.readHeredocs();
      return { t: 'nl', line };
    }
    const op = this.readOperator();
    if (op) return { t: 'op', op, fd: null, line };
    const word = this.readWord('word', ENDS_WORD);
    // A word of digits right before < or > is the file descriptor of that redirection.
    if (/^\d$/.test(plainText(word) ?? '') && (r.peek() === '<' || r.peek() === '>')) {
      const redirOp = this.readOperator()!;
      return { t: 'op', op: redirOp, fd: Number(word.raw), line };
    }
    return { t: 'word', word, line, aliasNext };
  }

  private skipBlanks(): void {
    const r = this.reader;
    for (;;) {
      const c = r.peek();
      if (c === ' ' || c === '\t') r.next();
      else if (c === '\\' && r.peek(1) === '\n') { r.next(); r.next(); }
      else return;
    }
  }

  private readOperator(): Op | null {
    const r = this.reader;
    for (const op of OPERATORS) {
      let ok = true;
      for (let i = 0; i < op.length; i++) if (r.peek(i) !== op[i]) { ok = false; break; }
      if (ok) {
        for (let i = 0; i < op.length; i++) r.next();
        return op;
      }
    }
    return null;
  }

  /**
   * Reads a word (or the inside of "…", or a here-document body) into parts. `ends` lists the
   * unquoted characters that end it ('' is the end of input).
   */
  readWord(mode: Mode, ends: Set<string>, inParam: ParamCtx | null = null): Word {
    if (++this.nest.depth > MAX_NESTING) throw new ShellLimit(`stopped: words nested more than ${MAX_NESTING} deep`);
    try {
      return this.readWordAt(mode, ends, inParam);
    } finally {
      this.nest.depth--;
    }
  }

  private readWordAt(mode: Mode, ends: Set<string>, inParam: ParamCtx | null): Word {
    const r = this.reader;
    const parts: WordPart[] = [];
    let raw = '';
    const quoted = mode !== 'word';
    // Inside "${x-word}" the word is quoted too, but not the pattern of "${x#pattern}" (POSIX).
    const quotedHere = quoted || (!!inParam?.dquoted && !inParam.pattern);
    const lit = (text: string, q: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.k === 'lit' && last.quoted === q) last.text += text;
      else parts.push({ k: 'lit', text, quoted: q });
    };
    // Tilde expansion applies at the start of a word and after = or : in what looks like an assignment.
    const tildeAllowed = () => {
      if (mode !== 'word' || inParam) return false;
      if (raw === '') return true;
      return /^[A-Za-z_][A-Za-z0-9_]*=/.test(raw) && /[=:]$/.test(raw) && parts.every((p) => p.k === 'lit' && !p.quoted);
    };
    for (;;) {
      const c = r.peek();
      if (c === '' && mode === 'heredoc') break;
      if (c === '' && mode === 'dquote') throw new ShellSyntaxError('Unterminated quoted string', r.line);
      if (c === '' && inParam) throw new ShellSyntaxError("Missing '}'", r.line);
      if (mode === 'word' && !inParam && ends.has(c)) break;
      if (inParam && mode === 'word' && c === '}') break;
      if (mode === 'dquote' && c === '"') break;
      // Characters with no special meaning here are taken as one run.
      const plain = r.takeRun(mode === 'dquote' ? PLAIN_DQUOTE : mode === 'heredoc' ? PLAIN_HEREDOC : inParam ? PLAIN_PARAM : PLAIN_WORD);
      if (plain) { lit(plain, quotedHere); raw += plain; continue; }
      if (c === '\\') {
        r.next();
        const d = r.peek();
        if (d === '\n') { r.next(); continue; }
        if (d === '') { lit('\\', quoted); raw += '\\'; continue; }
        if (mode === 'word' && (!inParam?.dquoted || inParam.pattern)) { r.next(); lit(d, true); raw += `\\${d}`; continue; }
        const escapable = mode === 'heredoc' ? '$`\\' : inParam?.dquoted ? '$`"\\}' : '$`"\\';
        if (escapable.includes(d)) { r.next(); lit(d, true); raw += `\\${d}`; continue; }
        lit('\\', true);
        raw += '\\';
        continue;
      }
      if (c === "'" && mode === 'word' && (!inParam?.dquoted || inParam.pattern)) {
        r.next();
        let text = '';
        for (;;) {
          const d = r.next();
          if (d === '') throw new ShellSyntaxError('Unterminated quoted string', r.line);
          if (d === "'") break;
          text += d;
        }
        // '' still makes a (quoted, empty) field.
        parts.push({ k: 'lit', text, quoted: true });
        raw += `'${text}'`;
        continue;
      }
      if (c === '"' && mode === 'word') {
        r.next();
        const inner = this.readWord('dquote', ends, inParam ? { ...inParam, dquoted: true } : null);
        r.next();
        if (inner.parts.length === 0) parts.push({ k: 'lit', text: '', quoted: true });
        else parts.push(...inner.parts);
        raw += `"${inner.raw}"`;
        continue;
      }
      if (c === '$') {
        const part = this.readDollar(quotedHere);
        if (part) { parts.push(part.part); raw += part.raw; }
        else { r.next(); lit('$', quotedHere); raw += '$'; }
        continue;
      }
      if (c === '`') {
        r.next();
        const line = r.line;
        let text = '';
        for (;;) {
          const d = r.next();
          if (d === '') throw new ShellSyntaxError('EOF in backquote substitution', r.line);
          if (d === '`') break;
          if (d === '\\') {
            const e = r.peek();
            if (e === '$' || e === '`' || e === '\\' || (e === '"' && (quoted || inParam?.dquoted))) { text += r.next(); continue; }
            if (e === '\n') { r.next(); continue; }
          }
          text += d;
        }
        parts.push({ k: 'cmdsub', body: this.parseBackquote(text, line), quoted: quotedHere });
        raw += `\`${text}\``;
        continue;
      }
      if (c === '~' && tildeAllowed()) {
        r.next();
        let user = '';
        while (/[A-Za-z0-9_.-]/.test(r.peek())) user += r.next();
        const nc = r.peek();
        if (nc === '/' || nc === ':' || ENDS_WORD.has(nc)) parts.push({ k: 'tilde', user });
        else lit(`~${user}`, false);
        raw += `~${user}`;
        continue;
      }
      r.next();
      lit(c, quotedHere);
      raw += c;
    }
    return { parts, raw };
  }

  /** Reads `$…` (the `$` not yet consumed); null when the `$` is literal. */
  private readDollar(quoted: boolean): { part: WordPart; raw: string } | null {
    const r = this.reader;
    const c = r.peek(1);
    if (c === '(' && r.peek(2) === '(') return this.readArith(quoted);
    if (c === '(') {
      r.next(); r.next();
      const body = this.parseSub(r);
      return { part: { k: 'cmdsub', body, quoted }, raw: '$(…)' };
    }
    if (c === '{') {
      r.next(); r.next();
      return this.readBraced(quoted);
    }
    if (SPECIAL_PARAMS.has(c) || /[1-9]/.test(c)) {
      r.next(); r.next();
      return { part: { k: 'param', name: c, op: null, arg: null, quoted }, raw: `$${c}` };
    }
    if (NAME_START.test(c)) {
      r.next();
      let name = '';
      while (NAME_CHAR.test(r.peek())) name += r.next();
      return { part: { k: 'param', name, op: null, arg: null, quoted }, raw: `$${name}` };
    }
    return null;
  }

  private readArith(quoted: boolean): { part: WordPart; raw: string } {
    const r = this.reader;
    r.next(); r.next(); r.next();
    // The expression is read like a double-quoted word, ending at the '))' that closes it.
    const parts: WordPart[] = [];
    let raw = '';
    let depth = 0;
    let text = '';
    const flush = () => { if (text) { parts.push({ k: 'lit', text, quoted: true }); text = ''; } };
    for (;;) {
      const c = r.peek();
      if (c === '') throw new ShellSyntaxError("Missing '))'", r.line);
      if (c === ')' && depth === 0) {
        if (r.peek(1) !== ')') throw new ShellSyntaxError("Missing '))'", r.line);
        r.next(); r.next();
        break;
      }
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (c === '$') {
        const got = this.readDollar(true);
        if (got) { flush(); parts.push(got.part); raw += got.raw; continue; }
      }
      if (c === '\\' && r.peek(1) === '\n') { r.next(); r.next(); continue; }
      // Quotes inside $((…)) stay in the expression's text (where dash then rejects them).
      r.next();
      text += c;
      raw += c;
    }
    flush();
    return { part: { k: 'arith', expr: { parts, raw }, quoted }, raw: `$((${raw}))` };
  }

  /** Reads `${…}` after the `${`. */
  private readBraced(quoted: boolean): { part: WordPart; raw: string } {
    const r = this.reader;
    let name = '';
    let length = false;
    const c = r.peek();
    if (c === '#' && r.peek(1) !== '}' && (NAME_CHAR.test(r.peek(1)) || ((SPECIAL_PARAMS.has(r.peek(1)) || r.peek(1) === '#') && r.peek(2) === '}'))) {
      r.next();
      length = true;
    }
    const d = r.peek();
    if (NAME_START.test(d)) while (NAME_CHAR.test(r.peek())) name += r.next();
    else if (/[0-9]/.test(d)) while (/[0-9]/.test(r.peek())) name += r.next();
    else if (SPECIAL_PARAMS.has(d) || d === '#') name = r.next();
    if (length) {
      if (r.peek() !== '}' || name === '') return this.badSub(quoted);
      r.next();
      return { part: { k: 'length', name, quoted }, raw: `\${#${name}}` };
    }
    if (name === '') return this.badSub(quoted);
    if (r.peek() === '}') {
      r.next();
      return { part: { k: 'param', name, op: null, arg: null, quoted }, raw: `\${${name}}` };
    }
    let op: ParamOp | null = null;
    const e = r.peek();
    if (e === ':' && '-=?+'.includes(r.peek(1)) && r.peek(1) !== '') { r.next(); op = `:${r.next()}` as ParamOp; }
    else if ('-=?+'.includes(e) && e !== '') op = r.next() as ParamOp;
    else if (e === '#' || e === '%') { r.next(); op = (r.peek() === e ? e + r.next() : e) as ParamOp; }
    if (!op) return this.badSub(quoted);
    const pattern = op.startsWith('#') || op.startsWith('%');
    const arg = this.readWord('word', ENDS_WORD, { dquoted: quoted, pattern });
    r.next(); // the closing brace
    return { part: { k: 'param', name, op, arg, quoted }, raw: `\${${name}${op}${arg.raw}}` };
  }

  /** dash reads a malformed `${…}` to its closing brace and fails only when it is expanded. */
  private badSub(quoted: boolean): { part: WordPart; raw: string } {
    const rest = this.readWord('word', ENDS_WORD, { dquoted: quoted, pattern: false });
    this.reader.next();
    return { part: { k: 'param', name: '', op: null, arg: rest, quoted }, raw: `\${${rest.raw}}` };
  }

  /** After a newline: the bodies of the here-documents opened on the line just ended. */
  private readHeredocs(): void {
    while (this.pending.length > 0) {
      const h = this.pending.shift()!;
      const startLine = this.reader.line;
      let body = '';
      for (;;) {
        const raw = this.reader.nextLine();
        if (raw === null) break;
        const text = h.strip ? raw.replace(/^\t+/, '') : raw;
        if (text.replace(/\n$/, '') === h.delim) break;
        body += text;
      }
      h.redir.heredoc = h.quoted
        ? { parts: [{ k: 'lit', text: body, quoted: true }], raw: body }
        : new Lexer(new Reader(body, startLine), this.parseSub, this.parseBackquote, this.nest).readWord('heredoc', new Set());
    }
  }
}

/** Context for the word inside `${name op word}`. */
interface ParamCtx {
  /** The `${…}` is inside double quotes: single quotes are literal there (except in patterns). */
  dquoted: boolean;
  pattern: boolean;
}

/** Quote removal on a here-document delimiter as written. */
function unquoteRaw(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'") { const j = raw.indexOf("'", i + 1); out += raw.slice(i + 1, j < 0 ? undefined : j); i = j < 0 ? raw.length : j; continue; }
    if (c === '"') continue;
    if (c === '\\' && i + 1 < raw.length) { out += raw[++i]; continue; }
    out += c;
  }
  return out;
}
