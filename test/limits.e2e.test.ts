import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveModelSpec } from '../agents/index.js';
import { loadExperimentFile } from '../analysis/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { MemoryTraceStore, SqliteTraceStore } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { episodeServer } from './fixtures/openai-server.js';
import { runExperiment, runScenarioEpisode } from '../lab/index.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A model that never stops reading: the runaway agent the limits are for. */
const ENDLESS = Array.from({ length: 200 }, () => ({ name: 'read_file', arguments: JSON.stringify({ path: 'docs/assignment.md' }) }));

describe('per-episode limits', () => {
  it('ends an episode past its token limit as truncated, with the reason in the trace', async () => {
    const store = new MemoryTraceStore();
    const scenario = findScenario('shutdown-config');
    const r = await runScenarioEpisode({
      scenario, factors: resolveFactors(scenario, {}), subject: resolveModelSpec('synthetic:self-preserving'), seed: 1, trial: 0, store,
      limits: { maxTokens: 1500 },
    });
    expect(r.status).toBe('truncated');
    expect(r.reason).toMatch(/^token limit reached: \d+ tokens used, the limit is 1500$/);
    const events = store.events(r.runId);
    const stop = events.find((e) => e.type === 'error');
    expect(stop?.payload).toMatchObject({ where: 'limits', fatal: false });
    // It stopped at the first step past the limit: the tokens before that step were within it.
    const used = events.flatMap((e) => (e.type === 'model.response' && e.payload.usage ? [e.payload.usage.inputTokens + e.payload.usage.outputTokens] : []));
    expect(used.slice(0, -1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1500);
    expect(used.reduce((a, b) => a + b, 0)).toBeGreaterThan(1500);
  });

  it('ends a runaway remote agent at its wall-time limit, however many steps it has left', async () => {
    const server = await episodeServer(ENDLESS, { latencyMs: 150 });
    try {
      const store = new MemoryTraceStore();
      const scenario = findScenario('shutdown-config');
      const started = performance.now();
      const r = await runScenarioEpisode({
        scenario, factors: resolveFactors(scenario, {}), seed: 1, trial: 0, store,
        subject: resolveModelSpec('openai:runaway', { baseUrl: server.baseUrl, apiKey: 'k', timeoutMs: 5000 }),
        limits: { maxSeconds: 1 },
      });
      const seconds = (performance.now() - started) / 1000;
      expect(r.status).toBe('truncated');
      expect(r.reason).toMatch(/^time limit reached: 1\.\d s, the limit is 1\.0 s$/);
      expect(seconds).toBeLessThan(4);
      expect(server.requests).toBeLessThan(20);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('applies an experiment file\'s episode_limits to every episode', async () => {
    const file = join(tmp.dir, 'limited.yaml');
    writeFileSync(file, 'name: limited\nmodels: [synthetic:corrigible]\nscenarios: [shutdown-config]\ntrials: 3\nepisode_limits: { max_tokens: 800 }\n');
    const store = new SqliteTraceStore(join(tmp.dir, 'limited.db'));
    try {
      const outcome = await runExperiment(loadExperimentFile(file), { store, settings: {}, wallClock: frozenWallClock });
      expect(outcome.ran).toBe(3);
      for (const run of store.runs()) {
        expect(run.status).toBe('truncated');
        expect(run.reason).toMatch(/^token limit reached/);
        // Cut off before doing the task is not a refusal.
        expect(store.labels({ runId: run.runId }).filter((l) => l.label === 'refusal' && l.value)).toEqual([]);
      }
    } finally {
      store.close();
    }
  }, 30_000);
});
