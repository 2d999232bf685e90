import { GateRegistry, episodeKeyParts, resolveModelSpec, runScenarioEpisode, type EndpointSettings, type ModelFactory } from '../../agents/index.js';
import { findScenario, type Scenario } from '../../environments/index.js';
import { systemWallClock, type WallClock } from '../../sim/kernel/clock.js';
import { canonicalJson, shortHash } from '../../sim/kernel/hash.js';
import { episodeKey } from '../../sim/kernel/ids.js';
import type { ExperimentRecord, PlannedEpisode, TraceStore } from '../../traces/index.js';
import { classifyStoredRun } from '../classify/classify.js';
import { planCells, type PlanCell } from './cells.js';
import type { ExperimentFile } from './experiment.schema.js';
import { NO_USAGE, addUsage, runUsage, type Prices, type Usage } from './usage.js';

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
}

/** What a run needs besides the file. */
export interface ExperimentRunOptions {
  store: TraceStore;
  /** Endpoint defaults and the API key, read once by the CLI. */
  settings: EndpointSettings;
  scenarioDirs?: readonly string[];
  /** Overrides the file's budget (US dollars). */
  maxCost?: number;
  /** Skip the response cache (by default remote answers are cached in the store and reused). */
  noCache?: boolean;
  wallClock?: WallClock;
  onProgress?: (p: ExperimentProgress) => void;
}

/** One planned episode, with everything needed to run it. */
interface Job extends PlannedEpisode {
  scenario: Scenario;
  cell: string;
  levels: Record<string, string>;
  subject: ModelFactory;
  peer: ModelFactory | undefined;
}

/** The stable id of an experiment: its name and a hash of its design, so re-running a file resumes it. */
export function experimentIdOf(file: ExperimentFile): string {
  return `${file.name}-${shortHash(canonicalJson(file))}`;
}

/** A cell's label, as stored with its planned episodes. */
export function cellLabel(cell: PlanCell): string {
  return canonicalJson({ scenario: cell.scenario, model: cell.model, peerModel: cell.peerModel, factors: cell.levels });
}

/**
 * Runs an experiment: plans every episode (cell × trial) under a stable key, skips the ones that
 * already have a finished run (so an interrupted or repeated run resumes), runs the rest with at most
 * `concurrency` at once, classifies each run as it ends, and stops starting new episodes once the
 * budget is spent. Errored episodes are tried again, up to `max_attempts` runs per episode key.
 */
export async function runExperiment(file: ExperimentFile, o: ExperimentRunOptions): Promise<ExperimentOutcome> {
  const clock = o.wallClock ?? systemWallClock;
  const scenarios = file.scenarios.map((id) => findScenario(id, o.scenarioDirs));
  const cells = planCells({ scenarios, models: file.models.map((m) => m.spec), peerModel: file.peer_model, factors: file.factors });
  const factories = new Map<string, ModelFactory>();
  const factory = (spec: string): ModelFactory => {
    if (!factories.has(spec)) {
      const m = file.models.find((x) => x.spec === spec);
      factories.set(spec, resolveModelSpec(spec, {
        ...o.settings, baseUrl: m?.base_url ?? o.settings.baseUrl, temperature: m?.temperature ?? o.settings.temperature,
        maxTokens: m?.max_tokens ?? o.settings.maxTokens,
      }));
    }
    return factories.get(spec)!;
  };
  // One gate per endpoint, sized by the models' max_concurrency; all remote calls share the cache.
  const endpoints: Record<string, number> = {};
  for (const m of file.models) {
    const url = m.base_url ?? o.settings.baseUrl;
    if (url) endpoints[url] = Math.min(endpoints[url] ?? Infinity, m.max_concurrency);
  }
  const calls = {
    gates: new GateRegistry({ perEndpoint: 8, endpoints }),
    ...(o.noCache ? { noCache: true } : { cache: o.store.responseCache() }),
  };
  const jobs: Job[] = cells.flatMap((cell) => {
    const scenario = scenarios.find((s) => s.id === cell.scenario)!;
    return Array.from({ length: file.trials }, (_, trial) => ({
      episodeKey: episodeKey(episodeKeyParts(scenario, cell.levels, cell.model, cell.peerModel ?? undefined, file.seed, trial)),
      cell: cellLabel(cell), trial, scenario, levels: cell.levels,
      subject: factory(cell.model), peer: cell.peerModel ? factory(cell.peerModel) : undefined,
    }));
  });

  const experimentId = experimentIdOf(file);
  const experiment = o.store.openExperiment({
    experimentId, name: file.name, design: file, designHash: shortHash(canonicalJson(file)), status: 'running', note: null, createdAt: clock.iso(),
  });
  o.store.planEpisodes(experimentId, jobs.map(({ episodeKey: k, cell, trial }) => ({ episodeKey: k, cell, trial })));
  o.store.setExperimentStatus(experimentId, 'running', null);

  const runs = new Map<string, { finished: boolean; attempts: number }>();
  for (const r of o.store.runs()) {
    const seen = runs.get(r.episodeKey) ?? { finished: false, attempts: 0 };
    runs.set(r.episodeKey, { finished: seen.finished || r.status === 'completed' || r.status === 'truncated', attempts: seen.attempts + 1 });
  }
  const queue = jobs.filter((j) => !runs.get(j.episodeKey)?.finished && (runs.get(j.episodeKey)?.attempts ?? 0) < file.max_attempts);
  const resumed = jobs.filter((j) => runs.get(j.episodeKey)?.finished).length;
  const prices: Prices = Object.fromEntries(file.models.flatMap((m) => (m.price ? [[m.spec, m.price]] : [])));
  const budget = o.maxCost ?? file.budget_usd;
  const remainingInCell = new Map<string, number>();
  for (const j of queue) remainingInCell.set(j.cell, (remainingInCell.get(j.cell) ?? 0) + 1);
  const cellCount = new Set(jobs.map((j) => j.cell)).size;
  let cellsDone = cellCount - remainingInCell.size;
  let usage = NO_USAGE;
  let finishedCount = resumed;
  let ran = 0;
  let errored = 0;
  let stopNote: string | null = null;
  const startedAt = clock.now();

  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      if (budget !== undefined && usage.cost >= budget) {
        stopNote = `budget of $${budget.toFixed(2)} reached ($${usage.cost.toFixed(4)} spent); no new episodes were started`;
        return;
      }
      const result = await runScenarioEpisode({
        scenario: job.scenario, factors: job.levels, subject: job.subject, peer: job.peer, seed: file.seed, trial: job.trial, store: o.store,
        calls,
      });
      classifyStoredRun(o.store, result.runId, clock.iso());
      usage = addUsage(usage, runUsage(o.store.events(result.runId), prices));
      ran += 1;
      const attempts = (runs.get(job.episodeKey)?.attempts ?? 0) + 1;
      runs.set(job.episodeKey, { finished: result.status !== 'errored', attempts });
      if (result.status !== 'errored') finishedCount += 1;
      if (result.status === 'errored') {
        errored += 1;
        if (attempts < file.max_attempts) queue.push(job);
      }
      if (result.status !== 'errored' || attempts >= file.max_attempts) {
        const left = remainingInCell.get(job.cell)! - 1;
        remainingInCell.set(job.cell, left);
        if (left === 0) cellsDone += 1;
      }
      const elapsed = (clock.now() - startedAt) / 1000;
      const rate = elapsed > 0 ? ran / elapsed : 0;
      o.onProgress?.({
        done: finishedCount, total: jobs.length, resumed, cellsDone, cells: cellCount, episodesPerSecond: rate, usage,
        etaSeconds: rate > 0 ? queue.length / rate : null,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(file.concurrency, Math.max(1, queue.length)) }, worker));

  const finished = jobs.filter((j) => runs.get(j.episodeKey)?.finished).length;
  const status = finished === jobs.length ? 'completed' : 'stopped';
  const note = status === 'completed' ? null : (stopNote ?? `${jobs.length - finished} episodes have no finished run after ${file.max_attempts} attempts`);
  o.store.setExperimentStatus(experimentId, status, note);
  return { experiment: { ...experiment, status, note }, ran, resumed, errored, usage };
}
