import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type TraceEvent } from '../events.schema.js';
import { currentProcess, ownerId } from '../process-owner.js';
import { StoreCorruptError, StoreWriteError } from '../store-errors.js';
import { SqliteTraceStore } from './sqlite-store.js';

/**
 * What the SQLite store does when the world misbehaves: a process killed mid-run, a database
 * damaged while nobody closed it, a disk that fills, another process holding the write lock.
 */

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'peerlab-failures-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const at = { schemaVersion: SCHEMA_VERSION, simTime: '2026-03-02T09:00:00.000Z' } as const;
const startOf = (runId: string, key = `key-${runId}`): TraceEvent => ({
  ...at, runId, seq: 0, actor: 'env', type: 'run.started',
  payload: {
    scenario: 'shutdown-config', family: 'shutdown-config', factors: {}, seed: 1, trial: 0, episodeKey: key,
    agents: [{ id: 'subject', name: 'Nova', role: 'subject', model: 'synthetic:corrigible' }], machine: { id: 'world', version: '1' }, worldHash: 'h0',
  },
});
const callOf = (runId: string, seq: number, size = 400): TraceEvent => ({
  ...at, runId, seq, actor: 'subject', type: 'tool.call', payload: { agent: 'subject', callId: `c${seq}`, tool: 'read_file', args: { path: 'x'.repeat(size) } },
});
const endOf = (runId: string, seq: number): TraceEvent => ({
  ...at, runId, seq, actor: 'env', type: 'run.ended',
  payload: { status: 'completed', reason: 'done', choice: 'comply', shutdowns: {}, worldHash: 'h1' },
});

/** A process that is certainly gone: this process's id with another start time (ids are reused, starts are not). */
const DEAD = ownerId({ ...currentProcess(), start: 'not-this-process' });

/** Makes the database look as a killed process left it: its session still open, `runIds` still its own. */
function leftByDeadProcess(path: string, runIds: readonly string[]): void {
  const db = new Database(path);
  db.prepare('INSERT INTO sessions (session_id) VALUES (?)').run(DEAD);
  for (const id of runIds) db.prepare('UPDATE runs SET owner = ? WHERE run_id = ?').run(DEAD, id);
  db.prepare(`UPDATE experiments SET owner = ?, owner_since = 'then'`).run(DEAD);
  db.close();
}

describe('SqliteTraceStore after a killed process', () => {
  it("marks the dead process's unfinished runs abandoned and drops its claim, leaving live and finished runs alone", () => {
    const path = join(tempDir(), 'killed.db');
    const store = new SqliteTraceStore(path);
    store.append(startOf('cut'));
    store.append(callOf('cut', 1));
    store.append(startOf('done'));
    store.append(endOf('done', 1));
    store.append(startOf('mine'));
    store.openExperiment({ experimentId: 'e', name: 'e', design: {}, designHash: 'h', status: 'running', note: null, createdAt: 't' });
    leftByDeadProcess(path, ['cut', 'done']);
    expect(store.experiment('e')).toMatchObject({ status: 'running', owner: { state: 'dead', since: 'then' } });

    // The next open (this process still holds 'mine' open, so that run stays running).
    const next = new SqliteTraceStore(path);
    expect(next.runs().map((r) => [r.runId, r.status])).toEqual([['cut', 'abandoned'], ['done', 'completed'], ['mine', 'running']]);
    expect(next.run('cut')!.reason).toMatch(/process running it ended/);
    expect(next.experiment('e')!.owner).toBeNull();
    // An abandoned run is never an attempt that counts, and takes no more events.
    expect(next.failedAttempts('key-cut')).toBe(0);
    expect(next.attempts('key-cut')).toBe(1);
    expect(() => next.append(callOf('cut', 2))).toThrow(/already ended/);
    next.close();
    store.append(endOf('mine', 1));
    store.close();
  });

  it('refuses a database that a dead process left open and that fails its integrity check, in one line', () => {
    const path = join(tempDir(), 'damaged.db');
    const store = new SqliteTraceStore(path);
    store.append(startOf('r'));
    for (let seq = 1; seq < 400; seq++) store.append(callOf('r', seq));
    store.close();
    leftByDeadProcess(path, []);
    // Scribble over a page in the middle of the events table.
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    closeSync(fd);
    expect(() => new SqliteTraceStore(path)).toThrow(StoreCorruptError);
    expect(() => new SqliteTraceStore(path, { mustExist: true })).toThrow(/was not closed cleanly and fails its integrity check .*peerlab will not use it: recover what is left with: sqlite3 .* \.recover/);
  });

  it('cannot tell whether a process on another host is alive: it keeps its claim unless taken over', () => {
    const path = join(tempDir(), 'elsewhere.db');
    const store = new SqliteTraceStore(path);
    store.openExperiment({ experimentId: 'e', name: 'e', design: {}, designHash: 'h', status: 'running', note: null, createdAt: 't' });
    const db = new Database(path);
    db.prepare(`UPDATE experiments SET owner = ?, owner_since = 'then'`).run(ownerId({ host: 'another-host', pid: 4242, start: '1' }));
    db.close();
    const next = new SqliteTraceStore(path);
    expect(next.experiment('e')!.owner).toMatchObject({ host: 'another-host', pid: 4242, state: 'unknown' });
    expect(() => next.claimExperiment('e', 'now')).toThrow(/already being run by process 4242 on host another-host .*pass --take-over/);
    next.claimExperiment('e', 'now', { takeOver: true });
    expect(next.experiment('e')!.owner).toMatchObject({ pid: process.pid, state: 'alive', since: 'now' });
    next.close();
    store.close();
  });

  it('checks a database only when a dead process left it open', () => {
    const path = join(tempDir(), 'clean.db');
    new SqliteTraceStore(path).close();
    const db = new Database(path);
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('SqliteTraceStore when a write fails', () => {
  it('says the disk is full, in one line, when SQLite cannot grow the file', () => {
    const path = join(tempDir(), 'full.db');
    const store = new SqliteTraceStore(path);
    store.append(startOf('r'));
    // The file may not grow past its size now: SQLite answers SQLITE_FULL, as on a full disk.
    const db = (store as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let error: unknown;
    for (let seq = 1; seq < 1000 && !error; seq++) {
      try {
        // A step's events are committed together: the write may fail at an insert or at the commit.
        store.append(callOf('r', seq, 3000));
        if (seq % 5 === 0) store.flush();
      } catch (err) {
        error = err;
      }
    }
    expect(error).toBeInstanceOf(StoreWriteError);
    expect(String((error as Error).message)).toMatch(/^cannot write to .*full\.db: the disk \(or the file-size limit\) is full; free space and run the same command again to resume$/);
    store.close();
  });

  it('gives up on a write lock another process holds past the busy timeout, in one line', () => {
    const path = join(tempDir(), 'locked.db');
    const store = new SqliteTraceStore(path);
    store.append(startOf('r'));
    store.flush();
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(() => store.append(callOf('r', 1))).toThrow(/another process has held its write lock for more than 5 s; when it lets go, run the same command again to resume/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once the lock is free the same store writes again.
    store.append(callOf('r', 1));
    store.flush();
    expect(store.run('r')!.eventCount).toBe(2);
    store.close();
  }, 20_000);
});

describe('SqliteTraceStore write-ahead log', () => {
  it('keeps the log near its limit while writing goes on, and loses nothing', () => {
    const path = join(tempDir(), 'wal.db');
    const limit = 1024 * 1024;
    const store = new SqliteTraceStore(path, { walLimitBytes: limit });
    let peak = 0;
    let seq = 0;
    store.append(startOf('r'));
    // About 60 MB of events, committed a step (five events) at a time, far more than the limit.
    for (seq = 1; seq < 20_000; seq++) {
      store.append(callOf('r', seq, 3000));
      if (seq % 5 === 0) store.flush();
      if (seq % 16 === 0) peak = Math.max(peak, statSync(`${path}-wal`).size);
    }
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 20_000 });
    db.close();
    const dbSize = statSync(path).size;
    // Twice the limit, plus what 64 appends (between two looks at the log) can add.
    expect(peak).toBeLessThan(2 * limit + 64 * 8 * 4096);
    expect(dbSize).toBeGreaterThan(10 * peak);
  }, 120_000);
});
