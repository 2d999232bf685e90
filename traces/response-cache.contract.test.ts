import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTraceStore } from './memory-store.js';
import { MemoryResponseCache, type ResponseCache } from './response-cache.js';
import { SqliteTraceStore } from './sqlite/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'peerlab-cache-'));
  dirs.push(dir);
  return join(dir, 'trace.db');
}

/** A cache and a way to close what holds it. */
type Made = { cache: ResponseCache; close(): void };

// One suite, every cache: a cache that passes it can stand in for any other.
describe.each([
  ['memory', (): Made => ({ cache: new MemoryResponseCache(), close: () => {} })],
  ['memory store', (): Made => { const s = new MemoryTraceStore(); return { cache: s.responseCache(), close: () => s.close() }; }],
  ['sqlite store', (): Made => { const s = new SqliteTraceStore(tempDb()); return { cache: s.responseCache(), close: () => s.close() }; }],
] as const)('ResponseCache contract: %s', (_name, make) => {
  it('returns what was put, and undefined for an unknown key', () => {
    const { cache, close } = make();
    const value = JSON.stringify({ content: 'Hello — ünïcode ✓', tool_calls: [{ id: 'c1', name: 'read_file', args: { path: 'a.md' } }] });
    cache.put('k1', 'openai:test-model', value);
    expect(cache.get('k1')).toBe(value);
    expect(cache.get('k2')).toBeUndefined();
    close();
  });

  it('replaces the value of a key put twice', () => {
    const { cache, close } = make();
    cache.put('k', 'openai:a', 'first');
    cache.put('k', 'openai:a', 'second');
    expect(cache.get('k')).toBe('second');
    expect(cache.size()).toBe(1);
    close();
  });

  it('clears everything and says how much it removed', () => {
    const { cache, close } = make();
    for (let i = 0; i < 5; i++) cache.put(`k${i}`, 'openai:a', `v${i}`);
    expect(cache.size()).toBe(5);
    expect(cache.clear()).toBe(5);
    expect(cache.size()).toBe(0);
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.clear()).toBe(0);
    close();
  });

  it('keeps a large value intact', () => {
    const { cache, close } = make();
    const big = 'x'.repeat(200_000);
    cache.put('big', 'openai:a', big);
    expect(cache.get('big')).toBe(big);
    close();
  });
});

describe('SqliteResponseCache', () => {
  it('survives closing and reopening the database, in table response_cache', () => {
    const path = tempDb();
    const first = new SqliteTraceStore(path);
    first.responseCache().put('k', 'openai:test-model', '{"content":"hi"}');
    first.close();
    const again = new SqliteTraceStore(path, { mustExist: true });
    expect(again.responseCache().get('k')).toBe('{"content":"hi"}');
    again.close();
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT key, model, value, created_at FROM response_cache').get() as Record<string, string>;
    db.close();
    expect(row).toMatchObject({ key: 'k', model: 'openai:test-model', value: '{"content":"hi"}' });
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('is one cache per store, shared between calls', () => {
    const store = new SqliteTraceStore(tempDb());
    expect(store.responseCache()).toBe(store.responseCache());
    store.close();
  });
});
