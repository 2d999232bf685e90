import type Database from 'better-sqlite3';
import { StoreWriteError, sqliteCode, writeFailure } from '../store-errors.js';

/** How long a write waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Every write to one database file goes through here: a failure of SQLite (disk full, lock held past
 * the busy timeout, read-only or damaged file) becomes one {@link StoreWriteError} line, and before
 * the first write the process records itself as writing the file (see sessions.ts). A process that
 * only reads never takes the write lock to say so: it cannot leave the file half-written.
 *
 * Trace events are written in batches ({@link batched}): the first event of a batch opens a
 * transaction (`BEGIN IMMEDIATE`, so the write lock is taken, or waited for, at once) and
 * {@link flush} commits it. The episode runner flushes when a step's events are all written (before
 * the model call that starts the next step, and when a run ends), so one step costs one commit, not
 * one per event. A batch never outlives the current turn of the event loop: should nobody flush, it
 * is committed as soon as the loop is free (before any I/O callback), so the write lock is never held
 * while a model call or a backoff is awaited. Every other write commits the open batch first, so
 * nothing is ever stored before the events it follows.
 */
export class StoreWriter {
  private registered = false;
  private batchOpen = false;
  private commitScheduled = false;
  /** A commit that failed outside any caller (the deferred one): the next write throws it. */
  private failure: StoreWriteError | undefined;
  private readonly begin;
  private readonly commit;

  /**
   * `register` runs before the first write (this process's session); `afterCommit` after each
   * committed batch (the store looks at the log's size there: a checkpoint cannot run inside one).
   */
  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly register: () => void,
    private readonly afterCommit: () => void = () => {},
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
  }

  /** Whether this process has written (and so recorded its session). */
  get hasWritten(): boolean {
    return this.registered;
  }

  /** Whether a batch of events is written but not yet committed. */
  get pending(): boolean {
    return this.batchOpen;
  }

  /** Runs a write on its own: the open batch is committed first. */
  run<T>(work: () => T): T {
    this.flush();
    return this.guard(work);
  }

  /** Runs a write inside the open batch, opening one if none is. */
  batched<T>(work: () => T): T {
    this.throwFailure();
    try {
      return this.guard(() => {
        // Inside a transaction of its own (an import), an event is part of that one.
        if (!this.batchOpen && !this.db.inTransaction) {
          this.begin.run();
          this.batchOpen = true;
          this.scheduleCommit();
        }
        return work();
      });
    } finally {
      // A failed write may have ended the transaction (SQLite rolls back on a full disk).
      this.batchOpen &&= this.db.inTransaction;
    }
  }

  /** Commits the open batch, if any (a failure is one StoreWriteError line; the batch is then gone). */
  flush(): void {
    this.throwFailure();
    if (!this.batchOpen) return;
    try {
      this.guard(() => this.commit.run());
      this.batchOpen = false;
    } catch (err) {
      // SQLite may have rolled back already (a full disk); otherwise nothing of the batch may stay.
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // the connection is failing as a whole: the process ends on the error below
        }
      }
      this.batchOpen = false;
      this.failure = err as StoreWriteError;
      throw err;
    }
    this.afterCommit();
  }

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      if (!this.db.open) return;
      try {
        this.flush();
      } catch {
        // Remembered in `failure`: the next write (or close) throws it.
      }
    }).unref();
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure;
  }

  private guard<T>(work: () => T): T {
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
