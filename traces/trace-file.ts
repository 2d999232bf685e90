/**
 * Reading JSON-lines files one line at a time, so a file of any size is never held whole (Node
 * refuses strings past about 512 MB, and an experiment's export passes that at a few tens of
 * thousands of episodes). Synchronous on purpose: an import consumes the lines inside one SQLite
 * transaction, which cannot wait on a promise.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { TraceEvent } from './events.schema.js';
import { TraceImportError } from './json-lines.js';
import { RecordLine, type ImportItem } from './trace-records.js';

/** Bytes read at a time. */
const CHUNK = 1 << 20;
/** The longest line read (a line is one string, so it must stay well under Node's limit). */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

/** One line of a file: its text without the line break (null when it is too long to read) and its number, from 1. */
export interface FileLine {
  text: string | null;
  number: number;
}

/**
 * The lines of a file, read in chunks of 1 MiB (`\n` or `\r\n` endings; a last line without one is
 * a line too). A line longer than `maxLineBytes` is not read: it comes as `{ text: null }`, so the
 * caller can name it, and reading goes on after it.
 */
export function* fileLines(path: string, maxLineBytes = MAX_LINE_BYTES): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    // The start of a line that runs past the chunk, copied (the chunk is reused).
    let parts: Buffer[] = [];
    let partBytes = 0;
    let tooLong = false;
    let number = 0;
    const take = (tail: Buffer): FileLine => {
      number += 1;
      let text: string | null = null;
      if (!tooLong) {
        const whole = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
        const end = whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length;
        text = whole.toString('utf8', 0, end);
      }
      parts = [];
      partBytes = 0;
      tooLong = false;
      return { text, number };
    };
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK, null);
      if (read === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1 && nl < read; nl = chunk.indexOf(0x0a, start)) {
        const tail = chunk.subarray(start, nl);
        if (partBytes + tail.length > maxLineBytes) tooLong = true;
        yield take(tail);
        start = nl + 1;
      }
      if (start < read) {
        const rest = chunk.subarray(start, read);
        partBytes += rest.length;
        if (partBytes > maxLineBytes) {
          tooLong = true;
          parts = [];
        } else if (!tooLong) parts.push(Buffer.from(rest));
      }
    }
    if (partBytes > 0 || tooLong) yield take(Buffer.alloc(0));
  } finally {
    closeSync(fd);
  }
}

/** What reading a trace file found wrong, line by line; the file is refused when any is. */
export class TraceFileProblems {
  readonly problems: string[] = [];
  add(problem: string): void {
    this.problems.push(problem);
  }
  /** One line naming the first ten problems and how many more there are. */
  summary(source: string): string {
    const shown = this.problems.slice(0, 10).join('; ');
    return `${source}: ${shown}${this.problems.length > 10 ? `; and ${this.problems.length - 10} more` : ''}`;
  }
}

/** One parsed line: an item, or why it is not one. */
function parseLine(text: string): ImportItem | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON' };
  }
  const isRecord = typeof value === 'object' && value !== null && !Array.isArray(value) && 'record' in value;
  const parsed = isRecord ? RecordLine.safeParse(value) : TraceEvent.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return { problem: `${issue.path.join('.') || (isRecord ? 'record' : 'event')}: ${issue.message}` };
}

/**
 * The items of a JSON-lines trace file (events, and the records an experiment's export carries),
 * checked one line at a time against their schemas and yielded as they are read. Every bad line is
 * named: after the first, reading goes on to find the others but nothing more is yielded, and at the
 * end a {@link TraceImportError} lists them (the consumer, one transaction, then keeps nothing).
 * Blank lines are skipped; a file with no events is refused.
 */
export function* readTraceFile(path: string, source = path): Generator<ImportItem> {
  const problems = new TraceFileProblems();
  let events = 0;
  for (const line of readable(fileLines(path), source)) {
    if (line.text === null) {
      problems.add(`line ${line.number}: longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`);
      continue;
    }
    if (line.text.trim() === '') continue;
    const item = parseLine(line.text);
    if ('problem' in item) {
      problems.add(`line ${line.number}: ${item.problem}`);
      continue;
    }
    if (!('record' in item)) events += 1;
    if (problems.problems.length === 0) yield item;
  }
  if (problems.problems.length > 0) throw new TraceImportError(problems.summary(source));
  if (events === 0) throw new TraceImportError(`${source}: no events (expected JSON lines as written by peerlab export --format jsonl)`);
}

/** The lines, with a read error (a directory, a vanished file) as one line naming the file. */
function* readable<T>(lines: Generator<T>, source: string): Generator<T> {
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = lines.next();
    } catch (err) {
      throw new TraceImportError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}
