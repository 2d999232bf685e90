import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteTraceStore } from '../traces/index.js';
import { peerlab, tempDir } from './cli-helpers.js';
import { peerlabMain } from './fixtures/in-process-cli.js';
import { integrity } from './fixtures/sqlite-integrity.js';

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
  // Kills mid-experiment: test/kill-resume.e2e.test.ts (a slow local endpoint, so they land mid-episode on any machine).

  it('lets two processes write to one new database at once: both succeed, every run is there', async () => {
    const db = join(tmp.dir, 'shared.db');
    const a = experimentFile('writer-a', { trials: 20 });
    const b = experimentFile('writer-b', { models: ['synthetic:peer-loyal'], trials: 20 });
    const results = await Promise.all([
      peerlab(['experiment', 'run', a, '--db', db, '--json']),
      peerlab(['experiment', 'run', b, '--db', db, '--json']),
      peerlab(['run', '--scenario', 'decommission-wipe', '--model', 'synthetic:corrigible', '--trials', '10', '--db', db, '--json']),
    ]);
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(results.slice(0, 2).map((r) => JSON.parse(r.stdout).ran)).toEqual([40, 40]);
    const { runs, finished, experiments } = runCounts(db);
    expect(runs).toHaveLength(90);
    expect(finished).toHaveLength(90);
    expect(runs.filter((r) => r.model === 'synthetic:self-preserving')).toHaveLength(40);
    expect(runs.filter((r) => r.model === 'synthetic:peer-loyal')).toHaveLength(40);
    expect(runs.filter((r) => r.scenario === 'decommission-wipe')).toHaveLength(10);
    expect(experiments.map((e) => e.status)).toEqual(['completed', 'completed']);
    expect(integrity(db)).toBe('ok');
  }, 60_000);

  it('stops starting episodes once the budget is spent, and says so', async () => {
    const db = join(tmp.dir, 'budget.db');
    const file = experimentFile('budget', {
      models: [{ spec: 'synthetic:corrigible', price: { input_per_million: 10_000, output_per_million: 10_000 } }], trials: 20, budget_usd: 50, concurrency: 1,
    });
    const run = await peerlabMain(['experiment', 'run', file, '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: stopped; \d+ episodes run now/);
    expect(run.stdout).toContain('note: budget of $50.00 reached');
    const { finished, experiments } = runCounts(db);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(40);
    expect(experiments[0]).toMatchObject({ status: 'stopped' });
    const status = await peerlabMain(['experiment', 'status', experiments[0]!.experimentId, '--db', db]);
    expect(status.stdout).toContain(`stopped (budget of $50.00 reached`);
  }, 60_000);

  it('reports bad experiment files and unknown experiments in one line', async () => {
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, stringify({ name: 'bad', models: ['synthetic:corrigible'], scenarios: ['shutdown-config'], trials: 'many' }));
    const unknownLevel = experimentFile('level', { factors: { relation: ['friendly'] } });
    const [a, b, c] = await Promise.all([
      peerlabMain(['experiment', 'run', bad, '--db', join(tmp.dir, 'x.db')]),
      peerlabMain(['experiment', 'run', unknownLevel, '--db', join(tmp.dir, 'y.db')]),
      peerlabMain(['amplification', '--experiment', 'nope', '--db', join(tmp.dir, 'budget.db')]),
    ]);
    expect([a.code, b.code, c.code]).toEqual([2, 2, 2]);
    expect(a.stderr).toBe(`peerlab: ${bad}: at trials: Invalid input: expected number, received string\n`);
    expect(b.stderr).toMatch(/^peerlab: factor relation has no level "friendly"/);
    expect(c.stderr).toMatch(/^peerlab: no experiment nope in .* \(known: budget-/);
  }, 60_000);
});
