import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreCorruptError, StoreWriteError, sqliteCode, writeFailure } from '../store-errors.js';
import { MIGRATIONS } from './migrations.js';
import { recoverAfterDeadProcesses } from './sessions.js';
import { BUSY_TIMEOUT_MS } from './writing.js';

// Opening a peerlab database file: checks, pragmas, migrations, the check after a dead process,
// and every failure on the way as one line that says what to do.

/** A database that cannot be used: missing, not SQLite, corrupt, or from a newer peerlab. */
export class StoreOpenError extends Error {}

/** How to open a store. */
export interface SqliteStoreOptions {
  /** Refuse to create a new file (read commands: a typo should not make an empty database). */
  mustExist?: boolean;
  /**
   * The write-ahead log is checkpointed back to this size (bytes) while writing goes on; it may
   * reach twice this before the writer itself resets it. Default 8 MiB.
   */
  walLimitBytes?: number;
}

/** How long opening a new file waits for another process that is creating its tables. */
const MIGRATION_WAIT_MS = 60_000;

/** Runs `step` again after a short pause while SQLite answers BUSY, for up to about MIGRATION_WAIT_MS. */
function retryWhileBusy<T>(step: () => T): T {
  const pauseMs = 50;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let tries = 1; ; tries++) {
    try {
      return step();
    } catch (err) {
      if (!(sqliteCode(err) ?? '').startsWith('SQLITE_BUSY') || tries * pauseMs >= MIGRATION_WAIT_MS) throw err;
      Atomics.wait(pause, 0, 0, pauseMs);
    }
  }
}

/**
 * Opens (or creates) the database at `path` in WAL mode with its schema up to date. A refused open
 * leaves no handle behind and throws a {@link StoreOpenError}, {@link StoreCorruptError} or
 * {@link StoreWriteError} with one line.
 */
export function openDatabase(path: string, options: SqliteStoreOptions = {}): Database.Database {
  if (path !== ':memory:') {
    if (options.mustExist && !existsSync(path)) {
      throw new StoreOpenError(`no database at ${path}: run a scenario first, or pass --db with an existing file`);
    }
    if (!existsSync(dirname(path) || '.')) {
      throw new StoreOpenError(`cannot create database ${path}: directory ${dirname(path)} does not exist`);
    }
  }
  let opened: Database.Database | undefined;
  try {
    const db = opened = new Database(path, { fileMustExist: options.mustExist ?? false });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Switching a new file to WAL needs a moment of exclusive access, and SQLite may answer BUSY
    // at once (no busy wait) while another process opens the same new file: wait and try again.
    retryWhileBusy(() => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    if (path !== ':memory:') {
      const { damage } = recoverAfterDeadProcesses(db);
      if (damage) {
        db.close();
        throw new StoreCorruptError(
          `database ${path} was not closed cleanly and fails its integrity check (${damage.slice(0, 200)}); peerlab will not use it: `
          + `recover what is left with: sqlite3 ${path} .recover | sqlite3 recovered.db`,
        );
      }
    }
    return db;
  } catch (err) {
    // A connection opened before the failure is closed, so a refused open leaves no handle behind.
    if (opened?.open) opened.close();
    if (err instanceof StoreOpenError || err instanceof StoreCorruptError || err instanceof StoreWriteError) throw err;
    const code = sqliteCode(err) ?? '';
    // Opening writes too (migrations, this process's session): a lock or a full disk says so.
    if (err instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/.test(code)) throw writeFailure(err, path, BUSY_TIMEOUT_MS);
    if (code.startsWith('SQLITE_CORRUPT')) {
      throw new StoreCorruptError(`database ${path} is damaged (${(err as Error).message}); peerlab will not use it: recover what is left with: sqlite3 ${path} .recover | sqlite3 recovered.db`);
    }
    throw new StoreOpenError(
      `cannot open database ${path}: ${(err as Error).message} (is it a peerlab SQLite file? pass --db with another path)`,
    );
  }
}

function migrate(db: Database.Database, path: string): void {
  if (schemaVersion(db, path) === MIGRATIONS.length) return;
  // Another process may be migrating the same new file at this moment: take the write lock first
  // (BEGIN IMMEDIATE waits up to busy_timeout) and read the version again under it, so each
  // migration runs once and the second process finds the tables made. Waiting for another
  // process's migration is expected here and short in CPU, but on a loaded machine it can take
  // longer than the usual lock wait, so the wait for it is longer.
  db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  try {
    db.transaction(() => {
      for (let v = schemaVersion(db, path); v < MIGRATIONS.length; v++) {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

function schemaVersion(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new StoreOpenError(
      `database ${path} has schema version ${version}, newer than this peerlab knows (${MIGRATIONS.length}): upgrade peerlab`,
    );
  }
  return version;
}
