import { StoreWriteError, sqliteCode, writeFailure } from '../store-errors.js';

/** How long a write waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Every write to one database file goes through here: a failure of SQLite (disk full, lock held past
 * the busy timeout, read-only or damaged file) becomes one {@link StoreWriteError} line, and before
 * the first write the process records itself as writing the file (see sessions.ts). A process that
 * only reads never takes the write lock to say so: it cannot leave the file half-written.
 */
export class StoreWriter {
  private registered = false;

  constructor(readonly path: string, private readonly register: () => void) {}

  /** Whether this process has written (and so recorded its session). */
  get hasWritten(): boolean {
    return this.registered;
  }

  run<T>(work: () => T): T {
    try {
      if (!this.registered) {
        this.register();
        this.registered = true;
      }
      return work();
    } catch (err) {
      if (err instanceof StoreWriteError || sqliteCode(err) === undefined) throw err;
      throw writeFailure(err, this.path, BUSY_TIMEOUT_MS);
    }
  }
}
