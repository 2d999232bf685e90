import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { Io } from './program.js';

/** Writes `text` to `out` (`-` is stdout) through a temporary file, so a crash never leaves half a file. */
export function writeOut(out: string, text: string, io: Io): void {
  if (out === '-') return io.out(text.replace(/\n$/, ''));
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
