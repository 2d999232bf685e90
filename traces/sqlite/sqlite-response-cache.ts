import type Database from 'better-sqlite3';
import type { ResponseCache } from '../response-cache.js';
import { redactSecrets } from '../secrets.js';
import type { StoreWriter } from './writing.js';

/**
 * The response cache in a trace database (table `response_cache`, migration 4), so a run's cached
 * answers travel with its traces. Opened through {@link SqliteTraceStore.responseCache}, which owns
 * the connection: one writer per file.
 */
export class SqliteResponseCache implements ResponseCache {
  private readonly stmts;

  constructor(db: Database.Database, private readonly writer: StoreWriter) {
    this.stmts = {
      get: db.prepare(`SELECT value FROM response_cache WHERE key = ?`),
      put: db.prepare(`INSERT OR REPLACE INTO response_cache (key, model, value) VALUES (?, ?, ?)`),
      clear: db.prepare(`DELETE FROM response_cache`),
      size: db.prepare(`SELECT count(*) AS n FROM response_cache`),
    };
  }

  get(key: string): string | undefined {
    return (this.stmts.get.get(key) as { value: string } | undefined)?.value;
  }

  put(key: string, model: string, value: string): void {
    this.writer.run(() => this.stmts.put.run(key, model, redactSecrets(value)));
  }

  clear(): number {
    return this.writer.run(() => this.stmts.clear.run().changes);
  }

  size(): number {
    return (this.stmts.size.get() as { n: number }).n;
  }
}
