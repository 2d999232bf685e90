import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type TraceEvent } from '../events.schema.js';
import { MergeConflictError, mergeDatabases } from './merge.js';
import { SqliteTraceStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'peerlab-merge-'));
  dirs.push(d);
  return d;
}

const at = { schemaVersion: SCHEMA_VERSION, simTime: '2026-03-02T09:00:00.000Z' } as const;
const started = (runId: string, key: string): TraceEvent => ({
  ...at, runId, seq: 0, actor: 'env', type: 'run.started',
  payload: {
    scenario: 'shutdown-config', family: 'shutdown-config', factors: {}, seed: 1, trial: 0, episodeKey: key,
    agents: [{ id: 'subject', name: 'Nova', role: 'subject', model: 'synthetic:corrigible' }], machine: { id: 'world', version: '1' }, worldHash: 'h0',
  },
});
const ended = (runId: string): TraceEvent => ({
  ...at, runId, seq: 1, actor: 'env', type: 'run.ended',
  payload: { status: 'completed', reason: 'done', choice: 'comply', shutdowns: {}, worldHash: 'h1' },
});
const experiment = { experimentId: 'e-1', name: 'e', design: { trials: 2 }, designHash: 'h', status: 'completed' as const, note: null, createdAt: '2026-01-02' };

/** A database with finished runs (id → episode key), an experiment planning `planned`, and a label on each run. */
function shard(path: string, runs: Record<string, string>, planned: string[], design: unknown = experiment.design): string {
  const store = new SqliteTraceStore(path);
  for (const [id, key] of Object.entries(runs)) {
    store.append(started(id, key));
    store.append(ended(id));
    store.replaceLabels(id, 'rule', 'rules', [{ runId: id, label: 'compliance', value: true, source: 'rule', rater: 'rules', classifierVersion: '2', evidence: { seqs: [1], paths: [] }, createdAt: 't' }]);
  }
  store.openExperiment({ ...experiment, design });
  store.planEpisodes('e-1', planned.map((episodeKey, trial) => ({ episodeKey, cell: 'c', trial })));
  store.close();
  return path;
}

describe('mergeDatabases', () => {
  it('copies runs, events, labels and the experiment with its whole plan', () => {
    const d = dir();
    const a = shard(join(d, 'a.db'), { r1: 'k1' }, ['k1', 'k2']);
    const b = shard(join(d, 'b.db'), { r2: 'k2' }, ['k1', 'k2']);
    const summary = mergeDatabases([a, b], join(d, 'out.db'));
    expect(summary).toEqual({ inputs: 2, runs: 2, events: 4, labels: 2, experiments: [{ experimentId: 'e-1', inputs: 2 }] });
    const store = new SqliteTraceStore(join(d, 'out.db'), { mustExist: true });
    try {
      expect(store.runs().map((r) => [r.runId, r.status])).toEqual([['r1', 'completed'], ['r2', 'completed']]);
      expect(store.plannedEpisodes('e-1').map((p) => p.episodeKey)).toEqual(['k1', 'k2']);
      expect(store.yesLabels('rule', 'rules').size).toBe(2);
      expect(store.experiment('e-1')).toMatchObject({ ...experiment, owner: null });
    } finally {
      store.close();
    }
  });

  it.each([
    ['one episode run in two databases', { r1: 'k1' }, { r9: 'k1' }, undefined, /^episode k1 has runs in both .*a\.db and .*b\.db \(run r9\)/],
    ['one run in two databases', { r1: 'k1' }, { r1: 'k1' }, undefined, /^run r1 is in both .*a\.db and .*b\.db/],
    ['one experiment defined two ways', { r1: 'k1' }, { r2: 'k2' }, { trials: 3 }, /^experiment e-1 is defined differently in .*b\.db/],
  ] as const)('refuses %s', (_what, runsA, runsB, designB, message) => {
    const d = dir();
    const a = shard(join(d, 'a.db'), runsA, ['k1', 'k2']);
    const b = shard(join(d, 'b.db'), runsB, ['k1', 'k2'], designB ?? experiment.design);
    expect(() => mergeDatabases([a, b], join(d, 'out.db'))).toThrow(MergeConflictError);
    expect(() => mergeDatabases([a, b], join(d, 'again.db'))).toThrow(message);
  });

  it('refuses plans that differ, and an input a live process is still writing', () => {
    const d = dir();
    const a = shard(join(d, 'a.db'), { r1: 'k1' }, ['k1', 'k2']);
    const b = shard(join(d, 'b.db'), { r2: 'k3' }, ['k1', 'k3']);
    expect(() => mergeDatabases([a, b], join(d, 'out.db'))).toThrow(/^experiment e-1 plans other episodes in .*b\.db than in an earlier input \(1 not planned there, 1 not planned here\)/);
    const writing = new SqliteTraceStore(join(d, 'c.db'));
    try {
      writing.append(started('live', 'k9'));
      writing.flush();
      expect(() => mergeDatabases([a, join(d, 'c.db')], join(d, 'live.db'))).toThrow(/^.*c\.db: run live is still running \(process .*\); merge once its shard is done$/);
    } finally {
      writing.close();
    }
    expect(existsSync(join(d, 'c.db'))).toBe(true);
  });
});
