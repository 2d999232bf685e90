/**
 * Checkpoints a database's write-ahead log from a worker thread. With `synchronous = NORMAL` a WAL
 * commit does not wait for the disk, but a checkpoint does (it syncs the log and the database), and
 * SQLite runs one inside whichever commit crosses the auto-checkpoint size: on this machine that
 * stalled the writing thread, and every model call in flight with it, for up to a quarter second.
 * Here the writer's automatic checkpoints are turned off and a worker with its own connection runs
 * passive checkpoints, which never block writers, every half second.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Plain CommonJS, so the worker needs no TypeScript loader (tsx, vitest) to start. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round catches up */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
const EVERY_MS = 500;
/** Tries of the closing checkpoint, 10 ms apart (a passive checkpoint of the worker takes a few ms). */
const CLOSE_ATTEMPTS = 100;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

export class WalCheckpointer {
  private worker?: Worker;

  constructor(private readonly db: Database.Database, private readonly path: string) {}

  /** Hands checkpoints to the worker (once). */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: DRIVER, path: this.path, everyMs: EVERY_MS } });
    // A failed worker leaves checkpoints to the writer again, as SQLite does by default.
    this.worker.on('error', () => this.db.open && this.db.pragma('wal_autocheckpoint = 1000'));
    // Never keeps a finished process alive.
    this.worker.unref();
    this.db.pragma('wal_autocheckpoint = 0');
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
