import type { RemoteCallOptions } from '../../agents/index.js';
import { runUsage, type Prices, type Usage } from '../../analysis/index.js';
import type { WallClock } from '../../sim/index.js';
import type { TraceStore } from '../../traces/index.js';
import { classifyFinishedRun } from '../classify.js';
import { runScenarioEpisode } from '../run-scenario.js';
import type { Job } from './jobs.js';

/** What one episode attempt gave, for progress and the budget. */
export interface EpisodeReport {
  cell: string;
  episodeKey: string;
  status: 'completed' | 'truncated' | 'errored';
  /** Whether the episode is settled: finished, or out of attempts. */
  settled: boolean;
  usage: Usage;
}

/** What the loop needs. */
export interface LoopContext {
  store: TraceStore;
  seed: number;
  maxAttempts: number;
  concurrency: number;
  calls: RemoteCallOptions;
  prices: Prices;
  clock: WallClock;
  /** Per-episode limits over the scenarios' own. */
  limits?: { maxTokens?: number; maxSeconds?: number; maxToolCallsPerTurn?: number };
  /** Checked before each episode starts (the budget, a stop from the parent process). */
  shouldStop(): boolean;
  onEpisode(report: EpisodeReport): void;
}

/**
 * Runs jobs with at most `concurrency` at once: each episode is stored, classified and reported as it
 * ends; an errored one goes back in the queue until the episode key has had `maxAttempts` errored runs.
 * The first failure that is not the episode's own (a write the store refused) stops every worker
 * from starting another episode and rejects at once: the episodes still in flight are cut off, and
 * the next process to open the store marks them abandoned.
 */
export async function runJobs(jobs: readonly Job[], c: LoopContext): Promise<void> {
  const queue = [...jobs];
  let failed = false;
  const worker = async () => {
    for (let job = queue.shift(); job && !failed && !c.shouldStop(); job = queue.shift()) {
      const result = await runScenarioEpisode({
        scenario: job.scenario, factors: job.levels, subject: job.subject, peer: job.peer, seed: c.seed, trial: job.trial, store: c.store, calls: c.calls,
        ...(c.limits ? { limits: c.limits } : {}),
      });
      // Read the trace once: classification and usage both need it.
      const events = c.store.events(result.runId);
      classifyFinishedRun(c.store, result.runId, c.clock, events);
      const retry = result.status === 'errored' && c.store.failedAttempts(job.episodeKey) < c.maxAttempts;
      if (retry) queue.push(job);
      c.onEpisode({
        cell: job.cell, episodeKey: job.episodeKey, status: result.status, settled: !retry,
        usage: runUsage(events, c.prices),
      });
      // In-process models never wait on I/O: yield once per episode so timers, progress redraws
      // and key presses (the terminal app's live view) get their turn during a long run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(c.concurrency, Math.max(1, queue.length)) }, () => worker().catch((err: unknown) => {
    failed = true;
    throw err;
  })));
}
