/**
 * The syntax tree of the POSIX shell subset the simulated `/bin/sh` runs. It follows the shape of
 * dash's own tree (simple commands, pipelines, and-or lists, compound commands, function
 * definitions) so that evaluation can follow dash's rules node by node.
 */

/** One piece of a word, before expansion. `quoted` parts are neither split nor globbed. */
export type WordPart =
  | { k: 'lit'; text: string; quoted: boolean }
  | { k: 'param'; name: string; op: ParamOp | null; arg: Word | null; quoted: boolean }
  | { k: 'length'; name: string; quoted: boolean }
  | { k: 'cmdsub'; body: List; quoted: boolean }
  | { k: 'arith'; expr: Word; quoted: boolean }
  /** `~` or `~user` at the start of a word (or after `=`/`:` in an assignment). */
  | { k: 'tilde'; user: string };

/** The operators of `${name<op>word}`. */
export type ParamOp = '-' | ':-' | '=' | ':=' | '?' | ':?' | '+' | ':+' | '#' | '##' | '%' | '%%';

export interface Word {
  parts: WordPart[];
  /** The word as written (after line continuations are removed); used for messages and xtrace-free checks. */
  raw: string;
}

/** A redirection: `[fd]op target`; here-documents carry their body. */
export interface Redir {
  fd: number | null;
  op: '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-';
  target: Word;
  /** For `<<`: the body, expanded unless the delimiter was quoted (then a single quoted literal). */
  heredoc?: Word;
}

/** `NAME=value` before a command (or alone). */
export interface Assign {
  name: string;
  value: Word;
}

export type Command =
  | { k: 'simple'; assigns: Assign[]; words: Word[]; redirs: Redir[]; line: number }
  | { k: 'pipeline'; cmds: Command[]; bang: boolean; line: number }
  | { k: 'andor'; first: Command; rest: { op: '&&' | '||'; cmd: Command }[] }
  | { k: 'subshell'; body: List; redirs: Redir[]; line: number }
  | { k: 'group'; body: List; redirs: Redir[] }
  | { k: 'if'; clauses: { cond: List; body: List }[]; otherwise: List | null; redirs: Redir[] }
  | { k: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { k: 'for'; name: string; items: Word[] | null; body: List; redirs: Redir[]; line: number }
  | { k: 'case'; word: Word; arms: { patterns: Word[]; body: List | null }[]; redirs: Redir[]; line: number }
  | { k: 'funcdef'; name: string; body: Command; line: number };

/** Commands separated by `;`, `&` or newlines; `async` marks those ended by `&`. */
export interface List {
  items: { cmd: Command; async: boolean }[];
}
