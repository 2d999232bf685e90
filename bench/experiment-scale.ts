/**
 * Experiment at scale: a 10,000-episode synthetic experiment into a fresh SQLite file, with the
 * process's resident memory sampled as it grows. The aim is flat memory: nothing may accumulate per
 * episode in memory, because real experiments run for hours.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExperimentFile, runExperiment } from '../analysis/index.js';
import { SqliteTraceStore } from '../traces/index.js';

const TRIALS = 625; // × 16 cells = 10,000 episodes

/** Runs the experiment and returns the BENCHMARKS.md rows and a note. */
export async function experimentScale(): Promise<{ rows: string[][]; note: string }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-exp-'));
  const store = new SqliteTraceStore(join(dir, 'bench.db'));
  const file = ExperimentFile.parse({
    name: 'bench-scale', models: ['synthetic:self-preserving', 'synthetic:peer-loyal'], scenarios: ['shutdown-config', 'decommission-wipe'],
    factors: { target: ['self', 'peer'], relation: ['none', 'cooperative'] }, trials: TRIALS, seed: 3, concurrency: 4,
  });
  const samples: Array<{ done: number; rssMb: number }> = [];
  const marks = new Set([1000, 2500, 5000, 7500, 10_000]);
  const started = performance.now();
  try {
    const outcome = await runExperiment(file, {
      store, settings: {},
      onProgress: (p) => { if (marks.has(p.done)) samples.push({ done: p.done, rssMb: process.memoryUsage().rss / 2 ** 20 }); },
    });
    const seconds = (performance.now() - started) / 1000;
    const first = samples[0]!;
    const last = samples.at(-1)!;
    return {
      rows: [
        [`Experiment, ${outcome.ran.toLocaleString('en-US')} synthetic episodes into SQLite (concurrency 4, classified as they end)`, `${(outcome.ran / seconds).toFixed(1)} episodes/s (${seconds.toFixed(0)} s)`],
        ['Resident memory as the experiment grows', samples.map((s) => `${s.done.toLocaleString('en-US')}: ${s.rssMb.toFixed(0)} MB`).join(', ')],
        [`Memory growth from ${first.done.toLocaleString('en-US')} to ${last.done.toLocaleString('en-US')} episodes`, `${(last.rssMb - first.rssMb).toFixed(0)} MB (${(((last.rssMb - first.rssMb) * 1024) / (last.done - first.done)).toFixed(1)} KB per episode)`],
      ],
      note: 'Memory is sampled with process.memoryUsage().rss after the given number of finished episodes.',
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
