/**
 * Characters of a script, with the text of aliases pushed in front of them (dash expands an alias
 * by pushing its value back into the input, so its value is read as if it had been written there)
 * and line counting for messages. Only characters of the script itself count lines.
 */
export class Reader {
  private readonly frames: { text: string; pos: number; alias: string | null }[];
  /** The line the next character of the script is on (1-based). */
  line: number;

  constructor(text: string, firstLine = 1) {
    this.frames = [{ text, pos: 0, alias: null }];
    this.line = firstLine;
  }

  /** The character `k` places ahead, or '' past the end. */
  peek(k = 0): string {
    if (this.frames.length === 1) {
      // The common case (no alias being read): straight into the script's text.
      const f = this.frames[0]!;
      return f.text[f.pos + k] ?? '';
    }
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      const left = f.text.length - f.pos;
      if (k < left) return f.text[f.pos + k]!;
      k -= left;
    }
    return '';
  }

  next(): string {
    this.settle();
    const f = this.frames[this.frames.length - 1]!;
    if (f.pos >= f.text.length) return '';
    const c = f.text[f.pos++]!;
    if (c === '\n' && this.frames.length === 1) this.line++;
    return c;
  }

  /** How far into the script text (not alias values) reading has got. */
  get offset(): number {
    return this.frames[0]!.pos;
  }

  /** The script text between two offsets (for `set -v`). */
  slice(from: number, to: number): string {
    return this.frames[0]!.text.slice(from, to);
  }

  get atEnd(): boolean {
    return this.peek() === '';
  }

  /**
   * Reads at once the run of characters that the sticky pattern `re` matches, when no alias is
   * being read (a fast path for long plain words; returns '' otherwise).
   */
  takeRun(re: RegExp): string {
    if (this.frames.length !== 1) return '';
    const f = this.frames[0]!;
    re.lastIndex = f.pos;
    const m = re.exec(f.text);
    if (!m) return '';
    f.pos += m[0].length;
    for (let i = m[0].indexOf('\n'); i >= 0; i = m[0].indexOf('\n', i + 1)) this.line++;
    return m[0];
  }

  /** Reads the base text up to and including the next newline (for here-document bodies). */
  nextLine(): string | null {
    if (this.atEnd) return null;
    let out = '';
    for (;;) {
      const c = this.next();
      if (c === '') return out;
      out += c;
      if (c === '\n') return out;
    }
  }

  /** Reads an alias's value next; the alias cannot expand again until its value is consumed. */
  pushAlias(name: string, value: string): void {
    this.frames.push({ text: value, pos: 0, alias: name });
  }

  /** Aliases whose values are still being read (dash does not expand those again, to stop loops). */
  aliasActive(name: string): boolean {
    return this.frames.some((f) => f.alias === name);
  }

  /**
   * True once, after the value of an alias ending in a blank has been read: POSIX then checks the
   * next word for an alias too (`alias sudo='sudo '`).
   */
  takeBlankAliasEnd(): boolean {
    const was = this.blankAliasEnded;
    this.blankAliasEnded = false;
    return was;
  }

  private blankAliasEnded = false;

  /**
   * Drops alias values read to the end. This happens only when reading goes on (at the next
   * character or token), so an alias stays "in use" while the word it produced is checked for
   * aliases: with `alias a=b b=a`, `a` runs a command named `a`, as in dash.
   */
  settle(): void {
    for (;;) {
      const top = this.frames[this.frames.length - 1]!;
      if (this.frames.length === 1 || top.pos < top.text.length) return;
      this.frames.pop();
      if (/[ \t]$/.test(top.text)) this.blankAliasEnded = true;
    }
  }
}
