import { StoreWriteError, sqliteCode, writeFailure } from '../store-errors.js';

/** How long a write waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs a write to the database at `path`, turning a failure of SQLite (disk full, lock held past
 * the busy timeout, read-only or damaged file) into one {@link StoreWriteError} line.
 */
export function writing<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof StoreWriteError || sqliteCode(err) === undefined) throw err;
    throw writeFailure(err, path, BUSY_TIMEOUT_MS);
  }
}
