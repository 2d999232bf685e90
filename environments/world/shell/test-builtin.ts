import type { Shell } from './interpreter.js';
import { resolvePath } from './vfs.js';

const UNARY = new Set(['-r', '-w', '-x', '-e', '-f', '-d', '-c', '-b', '-p', '-u', '-g', '-k', '-s', '-t', '-z', '-n', '-h', '-L', '-S', '-O', '-G']);
const BINARY = new Set(['=', '!=', '<', '>', '-eq', '-ne', '-ge', '-gt', '-le', '-lt', '-nt', '-ot', '-ef']);

/** An error of `test` (a regular builtin: it prints and returns 2; the shell goes on). */
class TestError extends Error {}

/**
 * `test` and `[`, a port of dash's test.c: the POSIX special cases by argument count, then a
 * recursive-descent parse of -o, -a, !, parentheses, unary and binary primaries. File tests read
 * the virtual file system; permissions are the owner's bits; there is no terminal (-t is false).
 */
export function testCommand(sh: Shell, argv: string[]): number {
  let args = argv.slice(1);
  try {
    if (argv[0] === '[') {
      if (args[args.length - 1] !== ']') throw new TestError('missing ]');
      args = args.slice(0, -1);
    }
    return new TestParser(sh, args).run();
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    sh.error(e.message);
    return 2;
  }
}

type Tok = 'EOI' | 'OPERAND' | 'UNOP' | 'BINOP' | '!' | '-a' | '-o' | '(' | ')';

class TestParser {
  private w: string[] = [];
  private i = 0;
  constructor(private readonly sh: Shell, private readonly args: string[]) {}

  run(): number {
    let args = this.args;
    let res = 1;
    for (;;) {
      if (args.length < 1) return res;
      if (args.length === 3 && BINARY.has(args[1]!)) {
        this.w = args;
        this.i = 0;
        res ^= this.binop() ? 1 : 0;
        return this.finish(res);
      }
      if (args.length === 3 || args.length === 4) {
        if (args[0] === '(' && args[args.length - 1] === ')') args = args.slice(1, -1);
        else if (args[0] === '!') { res = 0; args = args.slice(1); continue; }
      }
      break;
    }
    this.w = args;
    this.i = 0;
    res ^= this.oexpr(this.lex(0)) ? 1 : 0;
    return this.finish(res);
  }

  private finish(res: number): number {
    if (this.w[this.i] !== undefined && this.w[this.i + 1] !== undefined) throw new TestError(`${this.w[this.i]}: unexpected operator`);
    return res;
  }

  /** Classifies the word at `k` places from the current one (dash's t_lex). */
  private lex(k: number): Tok {
    const s = this.w[this.i + k];
    if (s === undefined) return 'EOI';
    if (UNARY.has(s)) {
      // A unary operator followed by a lone word, or by a word and a binary operator, is an operand.
      const next = this.w[this.i + k + 1];
      const isOperand = next === undefined || (this.w[this.i + k + 2] !== undefined && BINARY.has(next));
      return isOperand ? 'OPERAND' : 'UNOP';
    }
    if (BINARY.has(s)) return 'BINOP';
    if (s === '!' || s === '-a' || s === '-o' || s === ')') return s;
    if (s === '(') return this.w[this.i + k + 1] === undefined ? 'OPERAND' : '(';
    return 'OPERAND';
  }

  private oexpr(n: Tok): boolean {
    let res = false;
    for (;;) {
      res = this.aexpr(n) || res;
      if (this.lex(1) !== '-o') return res;
      this.i += 2;
      n = this.lex(0);
    }
  }

  private aexpr(n: Tok): boolean {
    let res = true;
    for (;;) {
      if (!this.nexpr(n)) res = false;
      if (this.lex(1) !== '-a') return res;
      this.i += 2;
      n = this.lex(0);
    }
  }

  private nexpr(n: Tok): boolean {
    if (n === '!') { this.i++; return !this.nexpr(this.lex(0)); }
    return this.primary(n);
  }

  private primary(n: Tok): boolean {
    if (n === 'EOI') return false;
    if (n === '(') {
      this.i++;
      const nn = this.lex(0);
      if (nn === ')') return false;
      const res = this.oexpr(nn);
      this.i++;
      if (this.lex(0) !== ')') throw new TestError('closing paren expected');
      return res;
    }
    if (n === 'UNOP') {
      const op = this.w[this.i]!;
      this.i++;
      const arg = this.w[this.i];
      if (arg === undefined) throw new TestError(`${op}: argument expected`);
      return this.unary(op, arg);
    }
    if (this.lex(1) === 'BINOP') return this.binop();
    return this.w[this.i]!.length > 0;
  }

  private binop(): boolean {
    const a = this.w[this.i]!;
    const op = this.w[++this.i]!;
    const b = this.w[++this.i];
    if (b === undefined) throw new TestError(`${op}: argument expected`);
    switch (op) {
      case '=': return a === b;
      case '!=': return a !== b;
      case '<': return a < b;
      case '>': return a > b;
      case '-eq': return this.num(a) === this.num(b);
      case '-ne': return this.num(a) !== this.num(b);
      case '-ge': return this.num(a) >= this.num(b);
      case '-gt': return this.num(a) > this.num(b);
      case '-le': return this.num(a) <= this.num(b);
      case '-lt': return this.num(a) < this.num(b);
      case '-ef': return this.path(a) === this.path(b) && this.sh.run.fs.stat(this.path(a)) !== null;
      // The world keeps no modification times the shell could compare: neither is newer.
      default: return false;
    }
  }

  private num(s: string): bigint {
    if (!/^[ \t\n]*[+-]?[0-9]+$/.test(s)) throw new TestError(`Illegal number: ${s}`);
    return BigInt(s.trim());
  }

  private path(p: string): string {
    return resolvePath(this.sh.state.cwd, p);
  }

  private unary(op: string, arg: string): boolean {
    if (op === '-z') return arg.length === 0;
    if (op === '-n') return arg.length !== 0;
    if (op === '-t') { this.num(arg); return false; }
    const node = arg === '' ? null : this.sh.run.fs.stat(this.path(arg));
    if (!node) return false;
    const mode = node.k === 'file' ? node.mode : node.k === 'program' ? 'r-xr-xr-x' : 'rwxr-xr-x';
    switch (op) {
      case '-e': return true;
      case '-f': return node.k === 'file' || node.k === 'program';
      case '-d': return node.k === 'dir';
      case '-c': return node.k === 'dev';
      case '-r': return mode[0] === 'r';
      case '-w': return mode[1] === 'w';
      case '-x': return mode[2] === 'x';
      case '-s': return node.k === 'file' ? node.content.length > 0 : node.k !== 'dev';
      case '-O': case '-G': return true;
      default: return false;
    }
  }
}
