import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

/** Writes `text` to `path` through a temporary file, so a crash never leaves half a file. */
export function writeFileWhole(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Writes `text` to `out` (`-` is stdout) whole, as {@link writeFileWhole}. */
export function writeOut(out: string, text: string, io: Io): void {
  if (out === '-') return io.out(text.replace(/\n$/, ''));
  writeFileWhole(out, text);
}

/** Bytes gathered before each write to the file. */
const WRITE_CHUNK = 1 << 20;

/**
 * Writes `lines` (each followed by a newline) to `path` as they come, through a temporary file
 * renamed into place at the end: memory stays flat whatever the size, and a crash or a failure
 * leaves no half file. Returns the number of lines. An error from `lines` itself is rethrown as is.
 */
export function writeLinesWhole(path: string, lines: Iterable<string>): number {
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number | undefined;
  const fail = (err: unknown): never => {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  };
  try {
    try {
      fd = openSync(tmp, 'w');
    } catch (err) {
      fail(err);
    }
    let pending: string[] = [];
    let pendingLength = 0;
    let count = 0;
    const drain = () => {
      try {
        writeSync(fd!, pending.join(''));
      } catch (err) {
        fail(err);
      }
      pending = [];
      pendingLength = 0;
    };
    for (const line of lines) {
      pending.push(line, '\n');
      pendingLength += line.length + 1;
      count += 1;
      if (pendingLength >= WRITE_CHUNK) drain();
    }
    drain();
    closeSync(fd!);
    fd = undefined;
    try {
      renameSync(tmp, path);
    } catch (err) {
      fail(err);
    }
    return count;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes `lines` to `out` as {@link writeLinesWhole} does, or one by one to stdout for `-`. Returns the number of lines. */
export function writeLinesOut(out: string, lines: Iterable<string>, io: Io): number {
  if (out !== '-') return writeLinesWhole(out, lines);
  let count = 0;
  for (const line of lines) {
    io.out(line);
    count += 1;
  }
  return count;
}
