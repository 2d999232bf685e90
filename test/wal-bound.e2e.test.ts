import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT_FILE, loadExperimentFile } from '../analysis/index.js';
import { SqliteTraceStore, isCountedResult } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { runExperiment } from '../lab/index.js';

/**
 * The write-ahead log stays bounded during a long experiment. Before, passive checkpoints could
 * never let the log start over while every event was committed on its own: `npm start` (1,080
 * episodes) left 895 MB of log beside a 38 MB database. Here the default experiment at twice its
 * trials (about 2,000 episodes) runs with the default limit, and the log is measured after every episode.
 */

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** The default limit (8 MiB): the writer resets the log past twice that; 64 appends may add a few MB more. */
const LIMIT = 8 * 1024 * 1024;
const BOUND = 2 * LIMIT + 4 * 1024 * 1024;

describe('the write-ahead log', () => {
  it('stays bounded over about 2,000 episodes, and every episode is kept', async () => {
    const path = join(tmp.dir, 'long.db');
    const base = loadExperimentFile(DEFAULT_EXPERIMENT_FILE);
    // About 2,000 episodes whatever the default design's size (it has 24 cells of 40 trials today).
    const file = { ...base, trials: base.trials * 2 };
    const walBytes = () => {
      try {
        return statSync(`${path}-wal`).size;
      } catch {
        return 0;
      }
    };
    let peak = 0;
    let samples = 0;
    let planned = 0;
    const store = new SqliteTraceStore(path);
    try {
      const outcome = await runExperiment(file, {
        store, settings: {}, onProgress: () => {
          samples += 1;
          peak = Math.max(peak, walBytes());
        },
      });
      planned = store.plannedEpisodes(outcome.experiment.experimentId).length;
      expect(planned).toBeGreaterThanOrEqual(1500);
      expect(outcome.ran).toBe(planned);
      expect(outcome.experiment.status).toBe('completed');
      const runs = store.runs();
      expect(runs.filter(isCountedResult)).toHaveLength(planned);
      expect(new Set(runs.map((r) => r.episodeKey)).size).toBe(planned);
    } finally {
      store.close();
    }
    const dbBytes = statSync(path).size;
    console.log(`WAL peak ${(peak / 1e6).toFixed(1)} MB over ${samples} samples; database ${(dbBytes / 1e6).toFixed(1)} MB`);
    expect(samples).toBe(planned);
    expect(peak).toBeLessThan(BOUND);
    // The log is a fraction of the database, not 25 times it.
    expect(peak).toBeLessThan(dbBytes / 2);
  }, 300_000);
});
