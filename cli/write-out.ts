import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { Io } from './program.js';

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
