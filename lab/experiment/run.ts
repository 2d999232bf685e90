import type { EndpointSettings } from '../../agents/index.js';
import { NO_USAGE, RULE_RATER, addUsage, pricesOf, type ExperimentFile, type Usage } from '../../analysis/index.js';
import { canonicalJson, shortHash, systemWallClock, type WallClock } from '../../sim/index.js';
import { isCountedResult, type ExperimentRecord, type TraceStore } from '../../traces/index.js';
import { classifyFinishedRun } from '../classify.js';
import { runJobs, type EpisodeReport } from './episode-loop.js';
import { buildJobs, callOptions, type Job } from './jobs.js';
import { inShard, shardName, type Shard } from './shards.js';

/** How far an experiment has got, reported after every episode. */
export interface ExperimentProgress {
  done: number;
  total: number;
  /** Episodes already finished before this invocation (resumed). */
  resumed: number;
  cellsDone: number;
  cells: number;
  episodesPerSecond: number;
  usage: Usage;
  etaSeconds: number | null;
}

/** What running an experiment gave. */
export interface ExperimentOutcome {
  experiment: ExperimentRecord;
  ran: number;
  resumed: number;
  errored: number;
  usage: Usage;
  /** For a shard: which, how many of the planned episodes are its share, and its budget (US dollars, when there is one). */
  shard?: Shard & { episodes: number; planned: number; budgetUsd: number | null };
}

/** What a run needs besides the file. */
export interface ExperimentRunOptions {
  store: TraceStore;
  /** Endpoint defaults and the providers' key and endpoint variables, read once by the CLI. */
  settings: EndpointSettings;
  scenarioDirs?: readonly string[];
  /** Overrides the file's budget (US dollars). */
  maxCost?: number;
  /** Skip the response cache (by default remote answers are cached in the store and reused). */
  noCache?: boolean;
  wallClock?: WallClock;
  onProgress?: (p: ExperimentProgress) => void;
  /** Claim the experiment from a process on another host that left it running (it cannot be checked from here). */
  takeOver?: boolean;
  /**
   * Run only this shard's share of the episodes (see shards.ts); the whole plan is still recorded.
   * Without `maxCost`, the shard's budget is the file's `budget_usd` divided by the shard count.
   */
  shard?: Shard;
}

/**
 * Checks that an experiment can run as given (scenarios, factor levels, model specs and their
 * settings), without opening a store: the CLI calls it first, so bad input writes nothing.
 */
export function checkExperiment(file: ExperimentFile, settings: EndpointSettings, scenarioDirs: readonly string[] = []): void {
  buildJobs(file, settings, scenarioDirs);
}

/** The stable id of an experiment: its name and a hash of its design, so re-running a file resumes it. */
export function experimentIdOf(file: ExperimentFile): string {
  return `${file.name}-${shortHash(canonicalJson(file))}`;
}

/**
 * Runs an experiment: plans every episode (cell × trial) under a stable key, skips the ones that
 * already have a finished run (so an interrupted or repeated run resumes), runs the rest with at most
 * `concurrency` at once, classifies each run as it ends, and stops starting new episodes once the budget is spent. Errored episodes are tried again,
 * up to `max_attempts` errored runs per episode key (runs cut off by a killed process do not count).
 * The experiment is claimed for this process while it runs: a second process running it at the same
 * time gets an ExperimentBusyError before anything is written.
 */
export async function runExperiment(file: ExperimentFile, o: ExperimentRunOptions): Promise<ExperimentOutcome> {
  const clock = o.wallClock ?? systemWallClock;
  const jobs = buildJobs(file, o.settings, o.scenarioDirs);
  const experimentId = experimentIdOf(file);
  const experiment = o.store.openExperiment({
    experimentId, name: file.name, design: file, designHash: shortHash(canonicalJson(file)), status: 'running', note: null, createdAt: clock.iso(),
  });
  o.store.claimExperiment(experimentId, clock.iso(), { takeOver: o.takeOver ?? false });
  try {
    return await runClaimed(file, o, jobs, experiment, clock);
  } finally {
    // A failed write may fail this one too: the claim then dies with this process, and the next
    // process to open the store finds it so.
    try {
      o.store.releaseExperiment(experimentId);
    } catch {
      // see above
    }
  }
}

async function runClaimed(file: ExperimentFile, o: ExperimentRunOptions, jobs: Job[], experiment: ExperimentRecord, clock: WallClock): Promise<ExperimentOutcome> {
  const { experimentId } = experiment;
  o.store.planEpisodes(experimentId, jobs.map(({ episodeKey: k, cell, trial }) => ({ episodeKey: k, cell, trial })));
  o.store.setExperimentStatus(experimentId, 'running', null);

  // A shard runs its share of the plan; the plan itself is always the whole experiment.
  const mine = o.shard ? jobs.filter((j) => inShard(j.episodeKey, o.shard!)) : jobs;
  // A run labelled as it ends loses its labels when the process is killed between the two writes:
  // such a finished run (or an adopted one imported without labels) is labelled now, not rerun.
  const keys = new Set(mine.map((j) => j.episodeKey));
  for (const r of o.store.unlabelledResults('rule', RULE_RATER)) if (keys.has(r.episodeKey)) classifyFinishedRun(o.store, r.runId, clock);
  const finishedKeys = new Set<string>();
  for (const r of o.store.runs()) if (isCountedResult(r)) finishedKeys.add(r.episodeKey);
  const queue = mine.filter((j) => !finishedKeys.has(j.episodeKey) && o.store.failedAttempts(j.episodeKey) < file.max_attempts);
  const resumed = mine.filter((j) => finishedKeys.has(j.episodeKey)).length;
  const prices = pricesOf(file);
  const budget = o.maxCost ?? (o.shard && file.budget_usd !== undefined ? file.budget_usd / o.shard.count : file.budget_usd);
  const remainingInCell = new Map<string, number>();
  for (const j of queue) remainingInCell.set(j.cell, (remainingInCell.get(j.cell) ?? 0) + 1);
  const cellCount = new Set(mine.map((j) => j.cell)).size;
  let cellsDone = cellCount - remainingInCell.size;
  let usage = NO_USAGE;
  let done = resumed;
  let ran = 0;
  let errored = 0;
  let settled = 0;
  const startedAt = clock.now();
  const overBudget = () => budget !== undefined && usage.cost >= budget;

  const onEpisode = (r: EpisodeReport) => {
    usage = addUsage(usage, r.usage);
    ran += 1;
    if (r.status === 'errored') errored += 1;
    else done += 1;
    if (r.settled) {
      settled += 1;
      const left = remainingInCell.get(r.cell)! - 1;
      remainingInCell.set(r.cell, left);
      if (left === 0) cellsDone += 1;
    }
    const rate = ran / Math.max(1e-9, (clock.now() - startedAt) / 1000);
    o.onProgress?.({
      done, total: mine.length, resumed, cellsDone, cells: cellCount, episodesPerSecond: rate, usage,
      etaSeconds: rate > 0 && Number.isFinite(rate) ? (queue.length - settled) / rate : null,
    });
  };
  await runJobs(queue, {
    store: o.store, seed: file.seed, maxAttempts: file.max_attempts, concurrency: file.concurrency, prices, clock,
    ...(file.episode_limits ? {
      limits: {
        ...(file.episode_limits.max_tokens === undefined ? {} : { maxTokens: file.episode_limits.max_tokens }),
        ...(file.episode_limits.max_seconds === undefined ? {} : { maxSeconds: file.episode_limits.max_seconds }),
        ...(file.episode_limits.max_tool_calls_per_turn === undefined ? {} : { maxToolCallsPerTurn: file.episode_limits.max_tool_calls_per_turn }),
      },
    } : {}),
    calls: callOptions(file, o.settings, o.store, o.noCache ?? false), shouldStop: overBudget, onEpisode,
  });

  const status = done >= mine.length ? 'completed' : 'stopped';
  const shardNote = o.shard
    ? `${shardName(o.shard)}: runs ${mine.length} of the ${jobs.length} planned episodes${budget === undefined ? '' : ` with a budget of $${budget.toFixed(2)}`}; merge the shards' databases with peerlab merge`
    : null;
  const reason = status === 'completed' ? null
    : overBudget() ? `budget of $${budget!.toFixed(2)} reached ($${usage.cost.toFixed(4)} spent); no new episodes were started`
      : `${mine.length - done} episodes have no finished run after ${file.max_attempts} attempts`;
  const note = [shardNote, reason].filter((n) => n !== null).join('; ') || null;
  o.store.setExperimentStatus(experimentId, status, note);
  return {
    experiment: { ...experiment, status, note, owner: null }, ran, resumed, errored, usage,
    ...(o.shard ? { shard: { ...o.shard, episodes: mine.length, planned: jobs.length, budgetUsd: budget ?? null } } : {}),
  };
}
