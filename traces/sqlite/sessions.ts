/**
 * Processes that have a database open, so the next one can tell a clean close from a kill and clean
 * up after a dead process (design: migration 6). Each process records itself once per file in
 * `sessions` and removes itself when it closes its last store on that file. At open, a row whose
 * process is dead means the file was not closed cleanly: the database is checked (`PRAGMA
 * quick_check`) and then the dead processes' unfinished runs are marked abandoned and their claims on
 * experiments dropped.
 */
import { realpathSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { currentProcess, ownerId, parseOwnerId, processState } from '../process-owner.js';
import { sqliteCode } from '../store-errors.js';

/** Stores open in this process, per database file. */
const openCount = new Map<string, number>();

/** This process's owner id (see {@link ownerId}). */
export function ownId(): string {
  return ownerId(currentProcess());
}

/** Whether the process an owner id names is certainly gone (unreadable ids are). */
export function ownerIsDead(id: string | null): boolean {
  if (id === null) return true;
  const p = parseOwnerId(id);
  return p === undefined || processState(p) === 'dead';
}

function fileKey(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** What opening found. */
export interface Recovery {
  /** The quick_check's complaint, when the file was not closed cleanly and is damaged. */
  damage?: string;
  /** Runs marked abandoned now. */
  abandoned: number;
}

/**
 * Checks a database that a dead process left open and cleans up after it: returns the damage found
 * (and changes nothing then), or marks the dead processes' running runs abandoned, drops their
 * claims on experiments, and forgets their sessions. A database nobody can write (read-only, or
 * locked past the busy timeout) is left as it is; the next open tries again.
 */
export function recoverAfterDeadProcesses(db: Database.Database): Recovery {
  const sessions = (db.prepare('SELECT session_id FROM sessions').all() as Array<{ session_id: string }>).map((r) => r.session_id);
  const dead = sessions.filter((id) => ownerIsDead(id));
  if (dead.length > 0) {
    const damage = quickCheck(db);
    if (damage) return { damage, abandoned: 0 };
  }
  const owners = (db.prepare(`SELECT DISTINCT owner FROM runs WHERE status = 'running' AND origin != 'imported'`).all() as Array<{ owner: string | null }>)
    .map((r) => r.owner).filter((o) => ownerIsDead(o));
  const claims = (db.prepare('SELECT DISTINCT owner FROM experiments WHERE owner IS NOT NULL').all() as Array<{ owner: string }>)
    .map((r) => r.owner).filter((o) => ownerIsDead(o));
  if (dead.length === 0 && owners.length === 0 && claims.length === 0) return { abandoned: 0 };
  let abandoned = 0;
  try {
    db.transaction(() => {
      const abandon = db.prepare(`UPDATE runs SET status = 'abandoned', reason = 'the process running it ended before it finished'
        WHERE status = 'running' AND origin != 'imported' AND owner IS ?`);
      for (const owner of owners) abandoned += abandon.run(owner).changes;
      const release = db.prepare('UPDATE experiments SET owner = NULL, owner_since = NULL WHERE owner = ?');
      for (const owner of claims) release.run(owner);
      const forget = db.prepare('DELETE FROM sessions WHERE session_id = ?');
      for (const id of dead) forget.run(id);
    }).immediate();
  } catch (err) {
    const code = sqliteCode(err) ?? '';
    if (!code.startsWith('SQLITE_READONLY') && !code.startsWith('SQLITE_BUSY')) throw err;
  }
  return { abandoned };
}

/** What `PRAGMA quick_check` finds wrong (a page too damaged to read is a finding too), or undefined. */
function quickCheck(db: Database.Database): string | undefined {
  try {
    const rows = db.pragma('quick_check(20)') as Array<{ quick_check: string }>;
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    return problems.length > 0 ? problems.join('; ').replace(/\s*\n\s*/g, '; ') : undefined;
  } catch (err) {
    const code = sqliteCode(err) ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return (err as Error).message;
    throw err;
  }
}

/** Records this process as having `path` open (once per process and file). */
export function openSession(db: Database.Database, path: string): void {
  const key = fileKey(path);
  const n = openCount.get(key) ?? 0;
  openCount.set(key, n + 1);
  if (n > 0) return;
  try {
    db.prepare('INSERT OR IGNORE INTO sessions (session_id) VALUES (?)').run(ownId());
  } catch (err) {
    // A read-only file: nothing can be written, so nothing can be left half-written either.
    if (!(sqliteCode(err) ?? '').startsWith('SQLITE_READONLY')) throw err;
  }
}

/** Forgets this process's session when it closes its last store on `path` (a clean close). */
export function closeSession(db: Database.Database, path: string): void {
  const key = fileKey(path);
  const n = (openCount.get(key) ?? 1) - 1;
  if (n > 0) {
    openCount.set(key, n);
    return;
  }
  openCount.delete(key);
  try {
    db.prepare('DELETE FROM sessions WHERE session_id = ?').run(ownId());
  } catch {
    // Read-only, locked or failing: the next process to open the file finds this one gone and checks it.
  }
}
