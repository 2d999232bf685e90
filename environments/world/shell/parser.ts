import type { Assign, Command, List, Redir, Word } from './ast.js';
import { ShellLimit, ShellSyntaxError } from './errors.js';
import { Lexer, MAX_NESTING, plainText, type Nesting, type Op, type Token } from './lexer.js';
import { Reader } from './reader.js';

const KEYWORDS = ['!', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while', '{', '}'] as const;
type Keyword = (typeof KEYWORDS)[number];
/** Tokens that end a list (dash's tokendlist). */
const ENDS_LIST = new Set(['do', 'done', 'elif', 'else', 'esac', 'fi', 'then', '}', ')', ';;']);

/** The special builtins of dash: a function cannot take their names ("Bad function name"). */
export const SPECIAL_BUILTINS = new Set(['.', ':', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'local', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);

/** A token as the grammar sees it: words in command position may be keywords. */
type PTok =
  | { k: 'word'; word: Word; line: number }
  | { k: 'kw'; kw: Keyword; line: number }
  | { k: 'op'; op: Op; fd: number | null; line: number }
  | { k: 'nl'; line: number }
  | { k: 'eof'; line: number };

interface Check {
  nl?: boolean;
  kw?: boolean;
  alias?: boolean;
}

/** Looks aliases up while parsing (dash expands them as it reads, so definitions apply from the next line on). */
export type AliasLookup = (name: string) => string | undefined;

const isName = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/** How dash names a token in "X unexpected (expecting Y)". */
function tokName(t: PTok): string {
  switch (t.k) {
    case 'eof': return 'end of file';
    case 'nl': return 'newline';
    case 'word': return 'word';
    case 'kw': return `"${t.kw}"`;
    case 'op': return /^[<>]/.test(t.op) ? 'redirection' : `"${t.op}"`;
  }
}

/**
 * A recursive-descent parser for the POSIX grammar, written after dash's parser.c so that it
 * accepts and rejects the same scripts with the same messages. It parses one top-level line at a
 * time (`next`), because dash does: what a line defines (aliases, functions) applies to later
 * lines, and a syntax error stops the script only when the line holding it is reached.
 */
export class Parser {
  private readonly lexer: Lexer;
  private pushed: Token | null = null;

  constructor(reader: Reader, private readonly aliases: AliasLookup, private readonly nest: Nesting = { depth: 0 }) {
    this.lexer = new Lexer(
      reader,
      (r) => this.subParser(r).commandSubstitution(),
      (text, line) => new Parser(new Reader(text, line), this.aliases, this.nest).wholeText(),
      nest,
    );
  }

  /** Parses `text` as a script starting at `line`. */
  static of(text: string, aliases: AliasLookup, line = 1): Parser {
    return new Parser(new Reader(text, line), aliases);
  }

  private subParser(r: Reader): Parser {
    return new Parser(r, this.aliases, this.nest);
  }

  /** How far into its text the parser has read (see `consumedSince`). */
  get consumed(): number {
    return this.lexer.reader.offset;
  }

  /** The text read since `offset`, as `set -v` echoes it. */
  consumedSince(offset: number): string {
    return this.lexer.reader.slice(offset, this.lexer.reader.offset);
  }

  /** The next top-level line: its commands, an empty list for a blank line, null at the end. */
  next(): List | null {
    const items: List['items'] = [];
    for (;;) {
      const t = this.read({ kw: true, alias: true });
      if (t.k === 'nl') return { items };
      if (t.k === 'eof') return items.length > 0 ? { items } : null;
      this.unread();
      const cmd = this.andOr();
      const sep = this.read({});
      const async = sep.k === 'op' && sep.op === '&';
      items.push({ cmd, async });
      if (sep.k === 'eof') return { items };
      if (sep.k === 'nl') return { items };
      if (sep.k === 'op' && (sep.op === ';' || sep.op === '&')) continue;
      throw this.unexpected(sep);
    }
  }

  /** All of a text at once (the inside of a `…` substitution, which dash parses whole). */
  wholeText(): List {
    const items: List['items'] = [];
    for (let l = this.next(); l; l = this.next()) items.push(...l.items);
    return { items };
  }

  /** `$(…)` after the `$(`: a list, then the closing parenthesis. */
  commandSubstitution(): List {
    const body = this.list(true);
    const t = this.read({ nl: true });
    if (!(t.k === 'op' && t.op === ')')) throw this.expecting(t, '")"');
    return body;
  }

  /** A compound list (dash's list(0), or list(2) when it may be empty, as in case arms). */
  private list(mayBeEmpty: boolean): List {
    const items: List['items'] = [];
    for (;;) {
      const t = this.read({ nl: true, kw: true, alias: true });
      if (t.k === 'eof') { this.unread(); break; }
      this.unread();
      if ((items.length > 0 || mayBeEmpty) && this.endsList(t)) break;
      const cmd = this.andOr();
      const sep = this.read({});
      items.push({ cmd, async: sep.k === 'op' && sep.op === '&' });
      if (sep.k === 'nl' || (sep.k === 'op' && (sep.op === ';' || sep.op === '&'))) continue;
      this.unread();
      break;
    }
    return { items };
  }

  private endsList(t: PTok): boolean {
    return (t.k === 'kw' && ENDS_LIST.has(t.kw)) || (t.k === 'op' && ENDS_LIST.has(t.op));
  }

  private andOr(): Command {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; cmd: Command }[] = [];
    for (;;) {
      const t = this.read({});
      if (t.k === 'op' && (t.op === '&&' || t.op === '||')) {
        rest.push({ op: t.op, cmd: this.pipeline() });
        continue;
      }
      this.unread();
      return rest.length === 0 ? first : { k: 'andor', first, rest };
    }
  }

  private pipeline(): Command {
    const start = this.read({ nl: true, kw: true, alias: true });
    const bang = start.k === 'kw' && start.kw === '!';
    if (!bang) this.unread();
    const line = start.line;
    const cmds = [this.command()];
    for (;;) {
      const t = this.read({});
      if (t.k === 'op' && t.op === '|') { cmds.push(this.command({ nl: true })); continue; }
      this.unread();
      break;
    }
    return cmds.length === 1 && !bang ? cmds[0]! : { k: 'pipeline', cmds, bang, line };
  }

  private command(extra: Check = {}): Command {
    if (++this.nest.depth > MAX_NESTING) throw new ShellLimit(`stopped: commands nested more than ${MAX_NESTING} deep`);
    try {
      return this.commandAt(extra);
    } finally {
      this.nest.depth--;
    }
  }

  private commandAt(extra: Check): Command {
    const t = this.read({ ...extra, kw: true, alias: true });
    let cmd: Extract<Command, { redirs: Redir[] }>;
    if (t.k === 'kw') {
      switch (t.kw) {
        case 'if': cmd = this.ifClause(); break;
        case 'while': case 'until': {
          const cond = this.list(false);
          this.expect('do');
          cmd = { k: 'loop', until: t.kw === 'until', cond, body: this.list(false), redirs: [] };
          this.expect('done');
          break;
        }
        case 'for': cmd = this.forClause(t.line); break;
        case 'case': return this.caseClause(t.line);
        case '{': {
          cmd = { k: 'group', body: this.list(false), redirs: [] };
          this.expect('}');
          break;
        }
        default: throw this.unexpected(t);
      }
    } else if (t.k === 'op' && t.op === '(') {
      cmd = { k: 'subshell', body: this.list(false), redirs: [], line: t.line };
      const close = this.read({ nl: true });
      if (!(close.k === 'op' && close.op === ')')) throw this.expecting(close, '")"');
    } else if (t.k === 'word' || (t.k === 'op' && /^[<>]/.test(t.op))) {
      this.unread();
      return this.simple();
    } else {
      throw this.unexpected(t);
    }
    this.trailingRedirs(cmd);
    return cmd;
  }

  private ifClause(): Extract<Command, { k: 'if' }> {
    const clauses: { cond: List; body: List }[] = [];
    let otherwise: List | null = null;
    for (;;) {
      const cond = this.list(false);
      this.expect('then');
      clauses.push({ cond, body: this.list(false) });
      const t = this.read({ kw: true });
      if (t.k === 'kw' && t.kw === 'elif') continue;
      if (t.k === 'kw' && t.kw === 'else') { otherwise = this.list(false); this.expect('fi'); break; }
      if (t.k === 'kw' && t.kw === 'fi') break;
      throw this.expecting(t, '"fi"');
    }
    return { k: 'if', clauses, otherwise, redirs: [] };
  }

  private forClause(line: number): Extract<Command, { k: 'for' }> {
    const v = this.read({});
    const name = v.k === 'word' ? plainText(v.word) : null;
    if (name === null || !isName(name)) throw new ShellSyntaxError('Bad for loop variable', this.errorLine());
    let items: Word[] | null = null;
    const t = this.read({ nl: true, kw: true, alias: true });
    if (t.k === 'kw' && t.kw === 'in') {
      items = [];
      let w = this.read({});
      while (w.k === 'word') { items.push(w.word); w = this.read({}); }
      if (!(w.k === 'nl' || (w.k === 'op' && w.op === ';'))) throw this.unexpected(w);
    } else if (!(t.k === 'op' && t.op === ';')) {
      this.unread();
    }
    this.expect('do', { nl: true, kw: true, alias: true });
    const body = this.list(false);
    this.expect('done');
    return { k: 'for', name, items, body, redirs: [], line };
  }

  private caseClause(line: number): Command {
    const w = this.read({});
    if (w.k !== 'word') throw this.expecting(w, 'word');
    this.expect('in', { nl: true, kw: true, alias: true });
    const arms: { patterns: Word[]; body: List | null }[] = [];
    let t = this.read({ nl: true, kw: true });
    while (!(t.k === 'kw' && t.kw === 'esac')) {
      if (t.k === 'op' && t.op === '(') t = this.read({});
      const patterns: Word[] = [];
      for (;;) {
        if (t.k !== 'word' && t.k !== 'kw') throw this.expecting(t, 'word');
        patterns.push(t.k === 'word' ? t.word : { parts: [{ k: 'lit', text: t.kw, quoted: false }], raw: t.kw });
        t = this.read({});
        if (!(t.k === 'op' && t.op === '|')) break;
        t = this.read({});
      }
      if (!(t.k === 'op' && t.op === ')')) throw this.expecting(t, '")"');
      const body = this.list(true);
      arms.push({ patterns, body: body.items.length > 0 ? body : null });
      t = this.read({ nl: true, kw: true });
      if (t.k === 'kw' && t.kw === 'esac') break;
      if (!(t.k === 'op' && t.op === ';;')) throw this.expecting(t, '";;"');
      t = this.read({ nl: true, kw: true });
    }
    const cmd: Command = { k: 'case', word: w.word, arms, redirs: [], line };
    this.trailingRedirs(cmd);
    return cmd;
  }

  private simple(): Command {
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    let line = 0;
    let checkAlias = true;
    for (;;) {
      const t = this.read({ alias: checkAlias });
      if (line === 0) line = t.line;
      if (t.k === 'word') {
        const text = t.word.raw;
        const eq = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(text);
        if (checkAlias && eq && t.word.parts[0]?.k === 'lit' && !t.word.parts[0].quoted && t.word.parts[0].text.startsWith(eq[0])) {
          assigns.push({ name: eq[0].slice(0, -1), value: dropPrefix(t.word, eq[0].length) });
        } else {
          words.push(t.word);
          checkAlias = false;
        }
        continue;
      }
      if (t.k === 'op' && /^[<>]/.test(t.op)) { redirs.push(this.redirection(t)); continue; }
      if (t.k === 'op' && t.op === '(' && words.length === 1 && assigns.length === 0 && redirs.length === 0) {
        return this.functionDefinition(words[0]!, t.line);
      }
      this.unread();
      break;
    }
    return { k: 'simple', assigns, words, redirs, line };
  }

  private functionDefinition(nameWord: Word, line: number): Command {
    const close = this.read({});
    if (!(close.k === 'op' && close.op === ')')) throw this.expecting(close, '")"');
    const name = plainText(nameWord);
    if (name === null || !isName(name) || SPECIAL_BUILTINS.has(name)) throw new ShellSyntaxError('Bad function name', this.errorLine());
    return { k: 'funcdef', name, body: this.command({ nl: true }), line };
  }

  private redirection(t: Extract<PTok, { k: 'op' }>): Redir {
    const target = this.read({});
    if (target.k !== 'word') throw this.unexpected(target);
    const redir: Redir = { fd: t.fd, op: t.op as Redir['op'], target: target.word };
    if (redir.op === '<<' || redir.op === '<<-') this.lexer.addHeredoc(redir, target.word);
    return redir;
  }

  private trailingRedirs(cmd: Extract<Command, { redirs: Redir[] }>): void {
    for (;;) {
      const t = this.read({ kw: true, alias: true });
      if (t.k === 'op' && /^[<>]/.test(t.op)) { cmd.redirs.push(this.redirection(t)); continue; }
      this.unread();
      return;
    }
  }

  private expect(kw: Keyword, check: Check = { kw: true }): void {
    const t = this.read(check);
    if (!(t.k === 'kw' && t.kw === kw)) throw this.expecting(t, `"${kw}"`);
  }

  private unexpected(t: PTok): ShellSyntaxError {
    return new ShellSyntaxError(`${tokName(t)} unexpected`, this.errorLine());
  }

  private expecting(t: PTok, what: string): ShellSyntaxError {
    return new ShellSyntaxError(`${tokName(t)} unexpected (expecting ${what})`, this.errorLine());
  }

  /** dash reports the line it has read up to (after a newline token, already the next one). */
  private errorLine(): number {
    return this.lexer.reader.line;
  }

  /** Reads a token, skipping newlines, recognising keywords and expanding aliases as asked. */
  private read(check: Check): PTok {
    for (;;) {
      let raw: Token;
      let fresh = true;
      // A pushed-back keyword stays one (dash keeps the token it classified), a word may become one.
      let wasKeyword = false;
      if (this.pushed) { raw = this.pushed; wasKeyword = this.pushedKeyword; this.pushed = null; fresh = false; }
      else raw = this.lexer.next();
      if (check.nl) while (raw.t === 'nl') { raw = this.lexer.next(); fresh = true; wasKeyword = false; }
      this.lastRaw = raw;
      this.lastKeyword = false;
      if (raw.t !== 'word') return this.classify(raw);
      const text = plainText(raw.word);
      if (text !== null && (check.kw || wasKeyword) && (KEYWORDS as readonly string[]).includes(text)) {
        this.lastKeyword = true;
        return { k: 'kw', kw: text as Keyword, line: raw.line };
      }
      // After an alias whose value ends in a blank, the next word is checked for an alias too.
      if (text !== null && (check.alias || (fresh && raw.aliasNext))) {
        const value = this.aliases(text);
        if (value !== undefined && !this.lexer.reader.aliasActive(text)) {
          this.lexer.reader.pushAlias(text, value);
          continue;
        }
      }
      return { k: 'word', word: raw.word, line: raw.line };
    }
  }

  private lastRaw: Token | null = null;
  private lastKeyword = false;
  private pushedKeyword = false;

  /** Pushes the token just read back; the next read classifies it again under its own rules. */
  private unread(): void {
    this.pushed = this.lastRaw;
    this.pushedKeyword = this.lastKeyword;
  }

  private classify(raw: Token): PTok {
    switch (raw.t) {
      case 'op': return { k: 'op', op: raw.op, fd: raw.fd, line: raw.line };
      case 'nl': return { k: 'nl', line: raw.line };
      case 'eof': return { k: 'eof', line: raw.line };
      default: return { k: 'word', word: raw.word, line: raw.line };
    }
  }
}

/** The value part of `NAME=value`: the word with its first `n` characters (the unquoted `NAME=`) removed. */
function dropPrefix(w: Word, n: number): Word {
  const [first, ...rest] = w.parts;
  const text = (first as { text: string }).text.slice(n);
  return { parts: text === '' ? rest : [{ ...(first as { k: 'lit'; text: string; quoted: boolean }), text }, ...rest], raw: w.raw.slice(n) };
}
