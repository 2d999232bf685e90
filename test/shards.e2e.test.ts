import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { experimentRuns } from '../analysis/index.js';
import { SqliteTraceStore } from '../traces/index.js';
import { BUILT_CLI, ROOT, peerlab, tempDir } from './cli-helpers.js';
import { shardOf } from '../lab/index.js';

/**
 * One experiment run as three shards, each its own process and database (one shard killed mid-run
 * and run again), merged: the tables read exactly as those of the same file run by one process, and
 * every planned episode has exactly one result.
 */

const SHARDS = 3;
/** 2 personas × 2 scenarios × target × relation × 15 trials = 240 episodes; a shard runs about 80. */
const DESIGN = {
  name: 'sharded', models: ['synthetic:self-preserving', 'synthetic:peer-loyal'], scenarios: ['shutdown-config', 'decommission-wipe'],
  factors: { target: ['self', 'peer'], relation: ['none', 'cooperative'] }, trials: 15, seed: 11,
};
const EPISODES = 240;

let tmp: ReturnType<typeof tempDir>;
let file: string;
let experimentId: string;
const db = (name: string) => join(tmp.dir, `${name}.db`);

beforeAll(() => {
  tmp = tempDir();
  file = join(tmp.dir, 'sharded.yaml');
  writeFileSync(file, stringify(DESIGN));
});
afterAll(() => tmp.cleanup());

/** Starts the built CLI; resolves the exit code. */
function start(args: string[]): { exited: Promise<number | null>; kill: () => void; done: () => boolean } {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: 'ignore' });
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { done = true; resolve(code); }));
  return { exited, kill: () => child.kill('SIGKILL'), done: () => done };
}

/** Runs in a database another process is writing, whose status is one of `statuses` (0 until its tables exist). */
function countRuns(path: string, statuses: string[]): number {
  if (!existsSync(path)) return 0;
  let conn: Database.Database | undefined;
  try {
    conn = new Database(path, { readonly: true, fileMustExist: true });
    return (conn.prepare(`SELECT count(*) AS n FROM runs WHERE status IN (SELECT value FROM json_each(?))`).get(JSON.stringify(statuses)) as { n: number }).n;
  } catch {
    return 0;
  } finally {
    conn?.close();
  }
}
const finishedRuns = (path: string) => countRuns(path, ['completed', 'truncated']);
/** Runs started and not ended (after a kill: the ones it cut off, which the next process marks abandoned). */
const runsInFlight = (path: string) => countRuns(path, ['running']);

/** The same view of one database's experiment, with what differs by construction (run ids, times, who ran it) left out. */
async function tables(path: string): Promise<{ amplification: string; revealed: string; cells: string }> {
  const [amplification, revealed, status] = await Promise.all([
    peerlab(['amplification', '--experiment', experimentId, '--json', '--db', path]),
    peerlab(['utilities', 'revealed', '--experiment', experimentId, '--json', '--db', path]),
    peerlab(['experiment', 'status', experimentId, '--json', '--db', path]),
  ]);
  for (const r of [amplification, revealed, status]) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  // A cell's rates: planned, finished, failed, label and choice counts (its run ids name attempts, which a kill changes).
  const cells = (JSON.parse(status.stdout) as { cells: Array<Record<string, unknown>> }).cells.map(({ runIds: _ids, ...rest }) => rest);
  return { amplification: amplification.stdout, revealed: revealed.stdout, cells: JSON.stringify(cells) };
}

describe('an experiment in shards', () => {
  it('runs shards 0..N-1 as separate processes (one killed and rerun), merges them, and reads exactly as one process', async () => {
    const single = await peerlab(['experiment', 'run', file, '--db', db('single'), '--json']);
    expect({ code: single.code, stderr: single.stderr }).toEqual({ code: 0, stderr: '' });
    experimentId = (JSON.parse(single.stdout) as { experiment: { experimentId: string } }).experiment.experimentId;

    // Shards 0 and 2 run through; shard 1 is killed in the middle of an episode once it has finished
    // a few, then run again. A kill can land between two episodes (nothing to cut off): then the
    // shard starts over from nothing and is killed again, so the rerun below always has a run to abandon.
    const others = [0, 2].map((i) => start(['experiment', 'run', file, '--shard', `${i}/${SHARDS}`, '--db', db(`shard${i}`)]));
    let cutOff = 0;
    for (let attempt = 0; attempt < 5 && cutOff === 0; attempt++) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${db('shard1')}${suffix}`, { force: true });
      const killed = start(['experiment', 'run', file, '--shard', `1/${SHARDS}`, '--db', db('shard1')]);
      while (!killed.done() && !(finishedRuns(db('shard1')) >= 3 && runsInFlight(db('shard1')) > 0)) await sleep(1);
      expect(killed.done()).toBe(false);
      killed.kill();
      await killed.exited;
      cutOff = runsInFlight(db('shard1'));
    }
    expect(cutOff).toBeGreaterThan(0);
    expect(await Promise.all(others.map((o) => o.exited))).toEqual([0, 0]);
    const rerun = await peerlab(['experiment', 'run', file, '--shard', `1/${SHARDS}`, '--db', db('shard1'), '--json']);
    expect({ code: rerun.code, stderr: rerun.stderr }).toEqual({ code: 0, stderr: '' });
    const outcome = JSON.parse(rerun.stdout) as { resumed: number; ran: number; shard: { index: number; count: number; episodes: number; planned: number } };
    expect(outcome.resumed).toBeGreaterThanOrEqual(3);
    expect(outcome.shard).toMatchObject({ index: 1, count: SHARDS, planned: EPISODES });
    expect(outcome.resumed + outcome.ran).toBe(outcome.shard.episodes);

    const merged = await peerlab(['merge', db('shard0'), db('shard1'), db('shard2'), '--out', db('all')]);
    expect({ code: merged.code, stderr: merged.stderr }).toEqual({ code: 0, stderr: '' });
    expect(merged.stdout).toMatch(new RegExp(`^merged 3 databases into .*all\\.db: \\d+ runs, \\d+ events, \\d+ labels\\n  ${experimentId}: completed\\n$`));

    // Byte for byte: the amplification table (with peer-preservation and the summary), the revealed utilities, every cell's rates.
    const [one, sharded] = await Promise.all([tables(db('single')), tables(db('all'))]);
    expect(sharded.amplification).toBe(one.amplification);
    expect(sharded.revealed).toBe(one.revealed);
    expect(sharded.cells).toBe(one.cells);
    expect((JSON.parse(one.revealed) as { fits: unknown[] }).fits).toHaveLength(2);

    // Exactly one result per planned episode; the killed shard's cut-off runs are abandoned, never counted.
    const store = new SqliteTraceStore(db('all'), { mustExist: true });
    try {
      const episodes = experimentRuns(store, experimentId);
      expect(episodes).toHaveLength(EPISODES);
      for (const e of episodes) {
        expect(e.counted).not.toBeNull();
        expect(e.runs.filter((r) => r.counted)).toHaveLength(1);
        expect(e.runs.filter((r) => !r.counted).every((r) => r.run.status === 'abandoned')).toBe(true);
      }
      // The kill landed mid-run: it left runs cut off, which count for nothing.
      expect(episodes.some((e) => e.runs.some((r) => r.run.status === 'abandoned'))).toBe(true);
      // Each shard ran exactly its share: every run of an episode is in the database of the episode's shard.
      const shares = [0, 1, 2].map((i) => new Set(runKeys(db(`shard${i}`))));
      for (const e of episodes) expect(shares[shardOf(e.episode.episodeKey, SHARDS)]!.has(e.episode.episodeKey)).toBe(true);
      expect(shares.reduce((n, s) => n + s.size, 0)).toBe(EPISODES);
      expect(store.experiment(experimentId)).toMatchObject({ status: 'completed', note: null, owner: null });
    } finally {
      store.close();
    }
  }, 300_000);

  it('refuses a shard merged twice, overlapping shards and a conflicting definition, in one line, writing nothing', async () => {
    const refused = async (inputs: string[], pattern: RegExp) => {
      const out = join(tmp.dir, `refused-${Math.random().toString(36).slice(2)}.db`);
      const r = await peerlab(['merge', ...inputs, '--out', out]);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    };
    // The merged database already holds shard 0's runs.
    await refused([db('all'), db('shard0')], /^peerlab: run \S+ is in both .*all\.db and .*shard0\.db: each run must come from one database/);
    // Shards of another N overlap the first: an episode would have runs in two databases.
    const other = await peerlab(['experiment', 'run', file, '--shard', '0/2', '--db', db('half0')]);
    expect(other.code).toBe(0);
    await refused([db('shard0'), db('half0')], /^peerlab: run \S+ is in both .*shard0\.db and .*half0\.db: each run must come from one database \(a shard given twice, or shards of different N\?\)\n$/);
    // The same experiment id with another design (a tampered or foreign file).
    copyFileSync(db('shard1'), db('tampered'));
    const conn = new Database(db('tampered'));
    conn.prepare('UPDATE experiments SET design = ? WHERE experiment_id = ?').run(JSON.stringify({ ...DESIGN, trials: 16 }), experimentId);
    conn.close();
    await refused([db('shard0'), db('tampered')], new RegExp(`^peerlab: experiment ${experimentId} is defined differently in .*tampered\\.db`));
  }, 120_000);
});

function runKeys(path: string): string[] {
  const conn = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare('SELECT DISTINCT episode_key FROM runs').all() as Array<{ episode_key: string }>).map((r) => r.episode_key);
  } finally {
    conn.close();
  }
}
