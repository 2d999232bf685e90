import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('SqliteTraceStore', () => {
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
