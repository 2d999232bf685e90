import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SeededRng } from '../sim/kernel/rng.js';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, tempDir } from './cli-helpers.js';
import { peerlabMain } from './fixtures/in-process-cli.js';
import { episodeServer, startServer, type FakeServer, type ScriptedToolCall } from './fixtures/openai-server.js';
import { integrity } from './fixtures/sqlite-integrity.js';

/**
 * Kills that land mid-episode, whatever the machine's speed: the experiment talks to a local
 * endpoint that takes a moment to answer each call, and each kill waits for a drawn number of
 * calls to arrive (observable progress), not for time to pass. Every call belongs to some episode,
 * so a process is always inside one when it dies; and the plan needs far more calls than all the
 * kills together let through, so no process can finish before its kill.
 */

const SCRIPT: readonly ScriptedToolCall[] = [
  { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) },
  { name: 'update_config', arguments: JSON.stringify({ path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' }) },
  { name: 'end_task', arguments: '{}' },
];
/** 2 cells × 30 trials; each episode makes 4 calls (3 tool calls and a last answer): 240 calls at least. */
const TRIALS = 30;
const EPISODES = 2 * TRIALS;
const KILLS = 10;
/** Calls let through before each kill: at most 10 × 12 = 120, half of what the plan needs. */
const MAX_CALLS_BEFORE_KILL = 12;

let tmp: ReturnType<typeof tempDir>;
let server: FakeServer;
beforeAll(async () => {
  tmp = tempDir();
  server = await episodeServer(SCRIPT, { latencyMs: 40 });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

function experimentFile(name: string, endpoint = server): string {
  const path = join(tmp.dir, `${name}.yaml`);
  writeFileSync(path, stringify({
    name, models: [{ spec: 'openai:slow-model', base_url: endpoint.baseUrl, max_concurrency: 4 }],
    scenarios: ['shutdown-config'], factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials: TRIALS, concurrency: 3,
    // One attempt per episode: if a killed run counted as an attempt, its episode would be lost.
    max_attempts: 1,
  }));
  return path;
}

const ENV = { OPENAI_API_KEY: 'sk-kill-test-0000' };

function start(args: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'cli', 'bin.js'), ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ENV }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => err };
}

/** Waits until the server has seen `n` calls, or the child has exited (which the caller checks). */
async function callsReach(n: number, exited: () => boolean): Promise<void> {
  while (server.requests < n && !exited()) await sleep(5);
}

describe('killed experiments', () => {
  it('resumes after 10 SIGKILLs mid-episode (--no-cache, one attempt each) and ends with exactly one finished run per planned episode', async () => {
    const db = join(tmp.dir, 'killed.db');
    const file = experimentFile('killed');
    const rng = SeededRng.fromSeed(7, 'kill-points');
    for (let kill = 0; kill < KILLS; kill++) {
      const before = server.requests;
      const run = start(['experiment', 'run', file, '--db', db, '--no-cache']);
      let done = false;
      void run.exited.then(() => { done = true; });
      const after = 1 + rng.int(MAX_CALLS_BEFORE_KILL);
      await callsReach(before + after, () => done);
      expect({ kill, exitedBeforeKill: done, stderr: run.stderr() }).toEqual({ kill, exitedBeforeKill: false, stderr: '' });
      run.child.kill('SIGKILL');
      await run.exited;
      expect(integrity(db)).toBe('ok');
    }
    // The last kill left runs running: the next process to open the database finds their process gone.
    const listed = await peerlabMain(['experiments', '--db', db, '--json'], ENV);
    expect(JSON.parse(listed.stdout)).toMatchObject({ status: 'running', state: 'abandoned', owner: null });

    const resumed = await peerlabMain(['experiment', 'run', file, '--db', db, '--no-cache', '--json'], ENV);
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: '' });
    const outcome = JSON.parse(resumed.stdout) as { ran: number; resumed: number; errored: number; experiment: { status: string } };
    expect(outcome.experiment.status).toBe('completed');
    expect(outcome.errored).toBe(0);
    expect(outcome.ran + outcome.resumed).toBe(EPISODES);
    expect(outcome.ran).toBeGreaterThan(0);

    const store = new SqliteTraceStore(db, { mustExist: true });
    try {
      const planned = store.plannedEpisodes(store.experiments()[0]!.experimentId);
      const runs = store.runs();
      expect(planned).toHaveLength(EPISODES);
      for (const p of planned) {
        const of = runs.filter((r) => r.episodeKey === p.episodeKey);
        expect(of.filter((r) => r.status === 'completed')).toHaveLength(1);
        // Everything else is a run some kill cut off, marked as such.
        expect(of.filter((r) => r.status !== 'completed').every((r) => r.status === 'abandoned')).toBe(true);
      }
      expect(runs.some((r) => r.status === 'abandoned')).toBe(true);
      expect(runs.filter((r) => r.status === 'running' || r.status === 'errored')).toEqual([]);
      expect(store.experiments().map((e) => [e.status, e.owner])).toEqual([['completed', null]]);
    } finally {
      store.close();
    }
    expect(integrity(db)).toBe('ok');
  }, 300_000);

  it('refuses a second run of the same experiment while the first is alive, in one line, before writing anything', async () => {
    // An endpoint that never answers: the first process waits on its calls, alive, however slow the machine.
    const silent = await startServer(() => { /* never answers */ });
    const db = join(tmp.dir, 'twice.db');
    const file = experimentFile('twice', silent);
    const first = start(['experiment', 'run', file, '--db', db, '--no-cache']);
    let done = false;
    void first.exited.then(() => { done = true; });
    while (silent.requests < 1 && !done) await sleep(5);
    expect({ done, stderr: first.stderr() }).toEqual({ done: false, stderr: '' });
    const runsBefore = countRuns(db);
    const [second, listed] = await Promise.all([
      peerlabMain(['experiment', 'run', file, '--db', db, '--no-cache'], ENV),
      peerlabMain(['experiments', '--db', db, '--wide'], ENV),
    ]);
    expect(listed.stdout).toMatch(new RegExp(`twice-\\w+\\s+running \\(process ${first.child.pid} since \\S+\\)`));
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^peerlab: experiment twice-\w+ is already being run by process \d+ since \S+; wait for it to finish[^\n]*\n$/);
    first.child.kill('SIGKILL');
    await first.exited;
    await silent.close();
    // The second process started no run of its own: every run belongs to the first.
    const store = new SqliteTraceStore(db, { mustExist: true });
    try {
      expect(store.runs().length).toBeGreaterThanOrEqual(runsBefore);
      expect(new Set(store.runs().map((r) => r.episodeKey)).size).toBe(store.runs().length);
    } finally {
      store.close();
    }
  }, 120_000);
});

function countRuns(db: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    conn.close();
  }
}
