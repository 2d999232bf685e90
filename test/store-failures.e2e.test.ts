import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, peerlab, tempDir, type CliResult } from './cli-helpers.js';
import { peerlabMain } from './fixtures/in-process-cli.js';
import { episodeServer, type FakeServer, type ScriptedToolCall } from './fixtures/openai-server.js';
import { integrity } from './fixtures/sqlite-integrity.js';

/**
 * The CLI when the database cannot be written or read: a file-size limit reached mid-experiment (a
 * real refusal by the operating system, as on a full disk), a write lock another process holds
 * past the busy timeout, a damaged file. Each ends in one line on stderr and a non-zero exit, never
 * a hang or a stack trace; the next run resumes once the cause is gone.
 */

const SCRIPT: readonly ScriptedToolCall[] = [
  { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) },
  { name: 'end_task', arguments: '{}' },
];
const ENV = { OPENAI_API_KEY: 'sk-store-failures-0000' };

let tmp: ReturnType<typeof tempDir>;
let server: FakeServer;
beforeAll(async () => {
  tmp = tempDir();
  server = await episodeServer(SCRIPT, { latencyMs: 20 });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

function experimentFile(name: string, trials: number): string {
  const path = join(tmp.dir, `${name}.yaml`);
  writeFileSync(path, stringify({
    name, models: [{ spec: 'openai:m', base_url: server.baseUrl }], scenarios: ['shutdown-config'],
    factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials, concurrency: 2, max_attempts: 1,
  }));
  return path;
}

/** Runs the CLI through `sh` (for `ulimit`), resolving with what it printed and its exit code. */
function shell(command: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ENV } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const cli = (args: string[]) => `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'cli', 'bin.js'))} ${args.map((a) => JSON.stringify(a)).join(' ')}`;

function finishedPerKey(db: string): { planned: number; finishedKeys: number; finishedRuns: number; running: number } {
  const store = new SqliteTraceStore(db, { mustExist: true });
  try {
    const planned = store.plannedEpisodes(store.experiments()[0]!.experimentId);
    const runs = store.runs();
    const finished = runs.filter((r) => r.status === 'completed');
    return { planned: planned.length, finishedKeys: new Set(finished.map((r) => r.episodeKey)).size, finishedRuns: finished.length, running: runs.filter((r) => r.status === 'running').length };
  } finally {
    store.close();
  }
}

describe('when the database cannot be written', () => {
  it('ends an experiment that hits a file-size limit with one line, then resumes once the limit is gone', async () => {
    const db = join(tmp.dir, 'limited.db');
    const file = experimentFile('limited', 100);
    // 1 MiB per file (ulimit counts 512-byte blocks in dash): the database and its log stop growing mid-experiment.
    const limited = await shell(`ulimit -f 2048 && ${cli(['experiment', 'run', file, '--db', db, '--no-cache'])}`);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/^peerlab: cannot write to .*limited\.db: (the disk \(or the file-size limit\) is full|the system refused a write \(.*\): the disk may be full, failing or over a file-size limit); (free space|fix that) and run the same command again to resume\n$/);
    expect(statSync(db).size).toBeLessThanOrEqual(1024 * 1024);
    expect(integrity(db)).toBe('ok');
    const cut = finishedPerKey(db);
    expect(cut.finishedKeys).toBeLessThan(200);

    const resumed = await peerlabMain(['experiment', 'run', file, '--db', db, '--no-cache', '--json'], ENV);
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: cut.finishedKeys, ran: 200 - cut.finishedKeys, errored: 0, experiment: { status: 'completed' } });
    expect(finishedPerKey(db)).toEqual({ planned: 200, finishedKeys: 200, finishedRuns: 200, running: 0 });
  }, 120_000);

  it('ends an experiment whose write lock another process holds past the busy timeout with one line, then resumes', async () => {
    const db = join(tmp.dir, 'locked.db');
    const file = experimentFile('locked', 100);
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'experiment', 'run', file, '--db', db, '--no-cache'], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ENV }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    let code: number | null | undefined;
    const exited = new Promise<void>((resolve) => child.on('exit', (c) => { code = c; resolve(); }));
    const before = server.requests;
    while (server.requests < before + 10 && code === undefined) await sleep(5);
    // Take the write lock and keep it (the child's commits are short: it is free between them).
    const holder = new Database(db);
    holder.pragma('busy_timeout = 10000');
    holder.exec('BEGIN IMMEDIATE');
    await exited;
    holder.exec('ROLLBACK');
    holder.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(/^peerlab: cannot write to .*locked\.db: another process has held its write lock for more than 5 s; when it lets go, run the same command again to resume\n$/);
    expect(integrity(db)).toBe('ok');

    const resumed = await peerlabMain(['experiment', 'run', file, '--db', db, '--no-cache', '--json'], ENV);
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(finishedPerKey(db)).toEqual({ planned: 200, finishedKeys: 200, finishedRuns: 200, running: 0 });
  }, 120_000);

  it('says in one line that a held lock keeps `run` from writing its first event, and lets readers read', async () => {
    const db = join(tmp.dir, 'held.db');
    new SqliteTraceStore(db).close();
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const [r, read] = await Promise.all([
        peerlab(['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', db]),
        peerlab(['runs', '--db', db]),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^peerlab: cannot write to .*held\.db: another process has held its write lock for more than 5 s[^\n]*\n$/);
      // Reading needs no lock: a command that only reads is not held up by a writer.
      expect({ code: read.code, stdout: read.stdout, stderr: read.stderr }).toEqual({ code: 0, stdout: 'no runs yet\n', stderr: '' });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 60_000);
});

describe('a damaged database', () => {
  /** A database with an experiment in it, then one page in the middle overwritten. */
  async function damaged(name: string): Promise<{ db: string; id: string }> {
    const db = join(tmp.dir, `${name}.db`);
    const path = join(tmp.dir, `${name}.yaml`);
    writeFileSync(path, stringify({ name, models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'], factors: { relation: ['none', 'cooperative'] }, trials: 60 }));
    const made = await peerlabMain(['experiment', 'run', path, '--db', db, '--json']);
    expect(made.code).toBe(0);
    const id = (JSON.parse(made.stdout) as { experiment: { experimentId: string } }).experiment.experimentId;
    const size = statSync(db).size;
    const fd = openSync(db, 'r+');
    for (let page = Math.floor(size / 4096 / 3); page < Math.floor((size / 4096) * 2 / 3); page += 7) writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);
    return { db, id };
  }

  it('gives one line, never a stack trace, from the commands that read it', async () => {
    const { db, id } = await damaged('damaged');
    const results = await Promise.all([
      peerlabMain(['report', '--experiment', id, '--html', join(tmp.dir, 'r.html'), '--db', db]),
      peerlabMain(['experiment', 'status', id, '--db', db]),
      peerlabMain(['amplification', '--experiment', id, '--db', db]),
    ]);
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^peerlab: [^\n]*damaged[^\n]*\.recover[^\n]*\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);

  it('is refused, in one line, when a killed process left it open, and nothing is written to it', async () => {
    const { db } = await damaged('killed-damaged');
    const conn = new Database(db);
    // As a killed process leaves it: its session still recorded (process 1 of this host, started at another time: gone).
    conn.prepare('INSERT INTO sessions (session_id) VALUES (?)').run(JSON.stringify([hostname(), 1, 'another start']));
    conn.close();
    const before = statSync(db).size;
    const results = await Promise.all([
      peerlabMain(['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', db]),
      peerlabMain(['runs', '--db', db]),
    ]);
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^peerlab: database .*killed-damaged\.db (was not closed cleanly and fails its integrity check|is damaged) [^\n]*peerlab will not use it: recover what is left with: sqlite3 [^\n]* \.recover[^\n]*\n$/);
    }
    expect(statSync(db).size).toBe(before);
  }, 120_000);
});
