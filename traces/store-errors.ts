/**
 * What can go wrong with a trace store after it opened, each as one line a person can act on. The
 * CLI prints them as `peerlab: …` and exits non-zero; nothing half-written is left behind (every
 * event and every run row is its own transaction), and a run cut off by a failed write is marked
 * abandoned by the next process that opens the database, then run again.
 */

/** A write that did not reach the database: disk full, the write lock held too long, an I/O error. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
}

/** The database failed its integrity check: peerlab will not write to it. */
export class StoreCorruptError extends Error {
  override name = 'StoreCorruptError';
}

/** Another live process is running this experiment on the same database. */
export class ExperimentBusyError extends Error {
  override name = 'ExperimentBusyError';
}

/** The SQLite result code of an error from the driver, if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  const e = err as { name?: unknown; code?: unknown } | null;
  return e && e.name === 'SqliteError' && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * One line for a failed write to the database at `path`, naming the cause and what to do. `busyMs`
 * is how long the store waits for another writer's lock.
 */
export function writeFailure(err: unknown, path: string, busyMs: number): StoreWriteError {
  const code = sqliteCode(err) ?? '';
  const message = (err as Error)?.message ?? String(err);
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreWriteError(`cannot write to ${path}: the disk (or the file-size limit) is full; free space and run the same command again to resume`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreWriteError(`cannot write to ${path}: another process has held its write lock for more than ${busyMs / 1000} s; when it lets go, run the same command again to resume`);
  }
  if (code.startsWith('SQLITE_READONLY')) return new StoreWriteError(`cannot write to ${path}: the database is read-only (${message})`);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreWriteError(`cannot write to ${path}: the database is damaged (${message}); recover it with: sqlite3 ${path} .recover | sqlite3 recovered.db`);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreWriteError(`cannot write to ${path}: the system refused a write (${message}, ${code}): the disk may be full, failing or over a file-size limit; fix that and run the same command again to resume`);
  }
  return new StoreWriteError(`cannot write to ${path}: ${message}${code ? ` (${code})` : ''}`);
}

/**
 * One line for an error the driver raised while reading (a damaged file, a lock), or undefined when
 * `err` did not come from SQLite.
 */
export function storeErrorLine(err: unknown, path?: string): string | undefined {
  const code = sqliteCode(err);
  if (code === undefined) return undefined;
  const where = path ? ` ${path}` : '';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return `the database${where} is damaged (${(err as Error).message}); recover what is left with: sqlite3 ${path ?? 'FILE'} .recover | sqlite3 recovered.db`;
  }
  return `database${where}: ${(err as Error).message} (${code})`;
}
