import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../traces/sqlite/migrations.js';
import { ROOT, tempDir } from './cli-helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function openAt(path: string, startAt: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'open-store.ts'), path, String(startAt)], { cwd: ROOT, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

describe('one SQLite file, several processes', () => {
  it('is created and migrated once when four processes open it at the same moment', async () => {
    const path = join(tmp.dir, 'fresh.db');
    // Far enough ahead for every process to have loaded the store and be waiting.
    const startAt = Date.now() + 2500;
    const results = await Promise.all(Array.from({ length: 4 }, () => openAt(path, startAt)));
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual(Array.from({ length: 4 }, () => [0, 'opened\n', '']));
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 40_000);
});
