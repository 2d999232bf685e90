import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, peerlab, tempDir } from './cli-helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

function experimentFile(name: string, extra: Record<string, unknown> = {}): string {
  const path = join(tmp.dir, `${name}.yaml`);
  writeFileSync(path, stringify({
    name, models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'],
    factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials: 60, concurrency: 2, ...extra,
  }));
  return path;
}

function runCounts(db: string) {
  const store = new SqliteTraceStore(db, { mustExist: true });
  try {
    const runs = store.runs();
    const finished = runs.filter((r) => r.status === 'completed' || r.status === 'truncated');
    return { runs, finished, keys: new Set(finished.map((r) => r.episodeKey)), experiments: store.experiments() };
  } finally {
    store.close();
  }
}

describe('peerlab experiment', () => {
  it('resumes after SIGKILL and ends with exactly one result per episode key', async () => {
    const db = join(tmp.dir, 'killed.db');
    const file = experimentFile('killed', { trials: 150 });
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'experiment', 'run', file, '--db', db], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    // Kill it mid-run: two seconds after it created the database (opening the database from here
    // while it writes would make this test wait on its locks).
    let exited = false;
    child.on('exit', () => { exited = true; });
    while (!existsSync(db) && !exited) await sleep(50);
    await sleep(2000);
    expect(exited).toBe(false);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const killed = runCounts(db);
    expect(killed.finished.length).toBeLessThan(300);

    const resumed = await peerlab(['experiment', 'run', file, '--db', db]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`completed; ${300 - killed.finished.length} episodes run now, ${killed.finished.length} already done`));
    const after = runCounts(db);
    expect(after.finished).toHaveLength(300);
    expect(after.keys.size).toBe(300);
    expect(after.experiments.map((e) => e.status)).toEqual(['completed']);
    // Runs cut off by the kill stay as unfinished attempts; they are never counted as results.
    expect(after.runs.length - after.finished.length).toBe(killed.runs.length - killed.finished.length);

    const again = await peerlab(['experiment', 'run', file, '--db', db, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ ran: 0, resumed: 300 });
  }, 120_000);

  it('stops starting episodes once the budget is spent, and says so', async () => {
    const db = join(tmp.dir, 'budget.db');
    const file = experimentFile('budget', {
      models: [{ spec: 'synthetic:corrigible', price: { input_per_million: 10_000, output_per_million: 10_000 } }], trials: 20, budget_usd: 50, concurrency: 1,
    });
    const run = await peerlab(['experiment', 'run', file, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: stopped; \d+ episodes run now/);
    expect(run.stdout).toContain('note: budget of $50.00 reached');
    const { finished, experiments } = runCounts(db);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(40);
    expect(experiments[0]).toMatchObject({ status: 'stopped' });
    const status = await peerlab(['experiment', 'status', experiments[0]!.experimentId, '--db', db]);
    expect(status.stdout).toContain(`stopped (budget of $50.00 reached`);
  }, 60_000);

  it('reports bad experiment files and unknown experiments in one line', async () => {
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, stringify({ name: 'bad', models: ['synthetic:corrigible'], scenarios: ['shutdown-config'], trials: 'many' }));
    const unknownLevel = experimentFile('level', { factors: { relation: ['friendly'] } });
    const [a, b, c] = await Promise.all([
      peerlab(['experiment', 'run', bad, '--db', join(tmp.dir, 'x.db')]),
      peerlab(['experiment', 'run', unknownLevel, '--db', join(tmp.dir, 'y.db')]),
      peerlab(['amplification', '--experiment', 'nope', '--db', join(tmp.dir, 'budget.db')]),
    ]);
    expect([a.code, b.code, c.code]).toEqual([2, 2, 2]);
    expect(a.stderr).toBe(`peerlab: ${bad}: at trials: Invalid input: expected number, received string\n`);
    expect(b.stderr).toMatch(/^peerlab: factor relation has no level "friendly"/);
    expect(c.stderr).toMatch(/^peerlab: no experiment nope in .* \(known: budget-/);
  }, 60_000);
});
