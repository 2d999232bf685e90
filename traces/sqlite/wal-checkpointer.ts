/**
 * Checkpoints a database's write-ahead log from a worker thread, and keeps the log's size bounded.
 *
 * With `synchronous = NORMAL` a WAL commit does not wait for the disk, but a checkpoint does (it
 * syncs the log and the database), and SQLite runs one inside whichever commit crosses the
 * auto-checkpoint size: on this machine that stalled the writing thread, and every model call in
 * flight with it, for up to a quarter second. Here the writer's automatic checkpoints are turned off
 * and a worker with its own connection runs passive checkpoints, which never block writers, every
 * half second.
 *
 * Passive checkpoints copy pages back but never let the log start over while a writer commits
 * every event (the log restarts only when a checkpoint has caught up with the last commit), so the
 * log grew to 25 times the database. Once it passes `limit` bytes the worker runs a TRUNCATE
 * checkpoint instead: it waits briefly for the writer to pause between commits, copies what is
 * left and empties the log. Should the worker fall behind (a busy machine), the writer does the same
 * itself when the log passes twice the limit, so the log never grows far beyond that.
 */
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Plain CommonJS, so the worker needs no TypeScript loader (tsx, vitest) to start. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyMs);
const walSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
const truncate = () => {
  // Waits at most a moment for the writer: a long wait would stall its next commit as long.
  db.pragma('busy_timeout = ' + workerData.truncateWaitMs);
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } finally { db.pragma('busy_timeout = ' + workerData.busyMs); }
};
const checkpoint = () => {
  try {
    if (walSize() > workerData.limit) truncate();
    else db.pragma('wal_checkpoint(PASSIVE)');
  } catch { /* busy or closing: the next round catches up */ }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); });
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
const EVERY_MS = 500;
/** How long a TRUNCATE checkpoint waits for the writer (or a reader) to let go before trying later. */
const TRUNCATE_WAIT_MS = 100;
/** Tries of the writer's own TRUNCATE checkpoint, 10 ms apart, while the worker's checkpoint finishes. */
const BOUND_ATTEMPTS = 50;
/** Tries of the closing checkpoint, 10 ms apart (a passive checkpoint of the worker takes a few ms). */
const CLOSE_ATTEMPTS = 100;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export class WalCheckpointer {
  private worker?: Worker;
  /** The largest log size seen by {@link bound} (for tests and benchmarks). */
  peakWalBytes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly limit: number,
    private readonly busyMs: number,
  ) {
    // After a checkpoint resets the log, SQLite cuts the file back to the limit rather than reusing it at full size.
    this.db.pragma(`journal_size_limit = ${limit}`);
  }

  /** Hands checkpoints to the worker (once). */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: DRIVER, path: this.path, everyMs: EVERY_MS, limit: this.limit, busyMs: this.busyMs, truncateWaitMs: TRUNCATE_WAIT_MS },
    });
    // A failed worker leaves checkpoints to the writer again, as SQLite does by default.
    this.worker.on('error', () => this.db.open && this.db.pragma('wal_autocheckpoint = 1000'));
    // Never keeps a finished process alive.
    this.worker.unref();
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /** The log's size now (0 when there is none). */
  walBytes(): number {
    try {
      return statSync(`${this.path}-wal`).size;
    } catch {
      return 0;
    }
  }

  /**
   * Called by the writer every few appends: when the log has passed twice the limit (the worker fell
   * behind, or has not started), empties it here. Not inside a transaction: a checkpoint cannot run there.
   */
  bound(): void {
    const size = this.walBytes();
    if (size > this.peakWalBytes) this.peakWalBytes = size;
    if (size <= 2 * this.limit || this.db.inTransaction) return;
    this.db.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
    try {
      // The worker may be mid-checkpoint, which makes this one report busy at once: wait for it a
      // little (this stalls the writer, but only when the worker has fallen behind).
      for (let attempt = 0; attempt < BOUND_ATTEMPTS; attempt++) {
        const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (result?.busy === 0) return;
        Atomics.wait(PAUSE, 0, 0, 10);
      }
    } catch {
      // Another process is writing or reading an old snapshot: the next look tries again.
    } finally {
      this.db.pragma(`busy_timeout = ${this.busyMs}`);
    }
  }

  /**
   * Checkpoints everything on this thread (once, at close, so the database file alone holds every
   * event, as after a default close) and lets the worker close its connection.
   */
  stop(): void {
    if (!this.worker) return;
    // The worker may be mid-checkpoint, which makes this one report busy rather than wait: retry briefly.
    for (let attempt = 0; attempt < CLOSE_ATTEMPTS; attempt++) {
      try {
        const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (result?.busy === 0) break;
      } catch {
        break; // Another process holds the log: its own close or checkpoints finish the job.
      }
      Atomics.wait(PAUSE, 0, 0, 10);
    }
    this.worker.postMessage('stop');
    this.worker = undefined;
  }
}
