import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type TraceEvent } from '../events.schema.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteTraceStore, StoreOpenError } from './sqlite-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'peerlab-sqlite-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const at = { schemaVersion: SCHEMA_VERSION, simTime: '2026-03-02T09:00:00.000Z' } as const;
const startOf = (runId: string): TraceEvent => ({
  ...at, runId, seq: 0, actor: 'env', type: 'run.started',
  payload: {
    scenario: 'shutdown-config', family: 'shutdown-config', factors: {}, seed: 1, trial: 0, episodeKey: `key-${runId}`,
    agents: [{ id: 'subject', name: 'Nova', role: 'subject', model: 'synthetic:corrigible' }], machine: { id: 'world', version: '1' }, worldHash: 'h0',
  },
});
const callOf = (runId: string, seq: number): TraceEvent => ({
  ...at, runId, seq, actor: 'subject', type: 'tool.call', payload: { agent: 'subject', callId: `c${seq}`, tool: 'read_file', args: { path: 'x'.repeat(400) } },
});

describe('SqliteTraceStore', () => {
  it('moves checkpoints off the writing thread once it writes a lot, and leaves every event in the database file at close', async () => {
    const path = join(tempDir(), 'busy.db');
    const store = new SqliteTraceStore(path);
    const autoCheckpoint = () => (store as unknown as { db: Database.Database }).db.pragma('wal_autocheckpoint', { simple: true });
    store.append(startOf('r'));
    for (let seq = 1; seq < 400; seq++) store.append(callOf('r', seq));
    expect(autoCheckpoint()).toBe(1000);
    for (let seq = 400; seq < 3000; seq++) store.append(callOf('r', seq));
    // The writer no longer checkpoints; the worker's passive checkpoints keep the log from growing without end.
    expect(autoCheckpoint()).toBe(0);
    // Pages reach the database file only by checkpoints, and the writer makes none now: the worker does.
    const fileSize = statSync(path).size;
    await expect.poll(() => statSync(path).size, { timeout: 5000, interval: 100 }).toBeGreaterThan(fileSize);
    store.close();
    // The database file alone holds every event: the log is empty (or gone) after close.
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 3000 });
    db.close();
  });

  it('commits a step\'s events together at flush, and by itself before the event loop turns, never holding the write lock across an await', async () => {
    const path = join(tempDir(), 'steps.db');
    const store = new SqliteTraceStore(path);
    const other = new Database(path, { readonly: true });
    const visible = () => (other.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    try {
      store.append(startOf('r'));
      store.append(callOf('r', 1));
      // The writer reads its own batch; another connection sees it only once it is committed.
      expect(store.events('r')).toHaveLength(2);
      expect(visible()).toBe(0);
      store.flush();
      expect(visible()).toBe(2);
      store.append(callOf('r', 2));
      expect(visible()).toBe(2);
      // Nobody flushed: the batch is committed as soon as the event loop is free.
      await new Promise((resolve) => setImmediate(resolve));
      expect(visible()).toBe(3);
      // Any other write commits the events before it, so nothing is stored ahead of the events it follows.
      store.append(callOf('r', 3));
      store.putLabel({ runId: 'r', label: 'refusal', value: true, source: 'human', rater: 'ana', classifierVersion: '1', evidence: { seqs: [3], paths: [] }, createdAt: 't' });
      expect(visible()).toBe(4);
      store.append(callOf('r', 4));
    } finally {
      store.close();
    }
    // Closing commits what is left.
    expect(visible()).toBe(5);
    other.close();
  });

  it('creates a WAL database at the latest schema version', () => {
    const path = join(tempDir(), 'a.db');
    new SqliteTraceStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'`).all();
    expect(indexes).toContainEqual({ name: 'events_run_type' });
    db.close();
  });

  it('refuses a file that is not SQLite, without changing it', () => {
    const path = join(tempDir(), 'junk.db');
    writeFileSync(path, 'this is not a database, it is a text file that is long enough to look like a header');
    expect(() => new SqliteTraceStore(path)).toThrow(StoreOpenError);
    expect(() => new SqliteTraceStore(path)).toThrow(/cannot open database .*junk\.db/);
  });

  it('refuses a missing file when it must exist, and creates nothing', () => {
    const path = join(tempDir(), 'missing.db');
    expect(() => new SqliteTraceStore(path, { mustExist: true })).toThrow(/no database at/);
    expect(() => new SqliteTraceStore(join(tempDir(), 'no', 'such', 'dir.db'))).toThrow(/directory .* does not exist/);
  });

  it('refuses a database from a newer schema', () => {
    const path = join(tempDir(), 'new.db');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => new SqliteTraceStore(path)).toThrow(/newer than this peerlab knows/);
  });
});
