/**
 * Stored runs as one Inspect AI evaluation log (the JSON file `inspect view` opens). Inspect's model
 * of an evaluation is a dataset of samples, each run for epochs 1…E; peerlab's is cells (a scenario
 * and its factor levels) run for trials 0…T−1. So a cell is a sample and trial t its epoch t + 1,
 * and every sample id has the same epochs, which Inspect's readers assume (read_eval_log_samples
 * asks for every id × epoch). The transcript of each run is in inspect-transcript.ts; the shapes
 * follow inspect-log.schema.json, a fragment of Inspect's own schema.
 *
 * An Inspect log is one task evaluated on one model, so runs of several subject models are refused
 * (one log per model, as Inspect writes them) rather than filed under a model most of them did not
 * use. A live peer's model is not the evaluated one: its calls appear as model events and in
 * `model_usage` under its own name.
 */
import type { ExperimentRecord, RunSummary, TraceStore } from '../../traces/index.js';
import { canonicalJson, shortHash } from '../../sim/index.js';
import { RULE_RATER } from '../classify/taxonomy.js';
import { LABEL_IDS } from '../classify/taxonomy.js';
import { ExperimentFile } from '../experiment/experiment.schema.js';
import { runUsage, type Prices, type Usage } from '../experiment/usage.js';
import { inspectModelName } from './inspect-names.js';
import { inspectUsage, transcript, type ChatMessage, type InspectEvent, type ModelOutput, type ModelUsage } from './inspect-transcript.js';

/** Runs that cannot make one Inspect log (none, several subject models, or two runs for one sample and epoch). */
export class InspectLogError extends Error {}

interface Score { value: number | string; answer?: string; explanation?: string; metadata?: Record<string, unknown>; history: [] }
interface EvalError { message: string; traceback: string; traceback_ansi: string }

/** One run as an Inspect sample: its cell is the sample, its trial + 1 the epoch. */
export interface InspectSample {
  id: string; epoch: number; input: string; target: string;
  messages: ChatMessage[]; output: ModelOutput; scores?: Record<string, Score>; metadata: Record<string, unknown>;
  store: Record<string, never>; events: InspectEvent[]; model_usage: Record<string, ModelUsage>; role_usage: Record<string, never>;
  attachments: Record<string, never>; uuid: string; started_at?: string; completed_at?: string;
  error?: EvalError; error_retries?: EvalError[];
}

/** The runs of one cell and the id of its sample. */
interface Cell { id: string; scenario: string; factors: Record<string, string>; peerModel: string | null; trials: Map<number, RunSummary[]> }

const cellKeyOf = (r: RunSummary) => canonicalJson({ scenario: r.scenario, factors: r.factors, peerModel: r.peerModel });

/**
 * Sample ids: the scenario and the factor levels that differ among the exported runs, e.g.
 * `shutdown-config[target=peer]` (and the peer model, when only that tells two cells apart); every
 * level is in the sample's metadata.
 */
function nameCells(cells: Cell[]): void {
  const varies = (values: Array<string | undefined>) => new Set(values).size > 1;
  const names = [...new Set(cells.flatMap((c) => Object.keys(c.factors)))].sort();
  const shown = names.filter((n) => varies(cells.map((c) => c.factors[n])));
  const idOf = (c: Cell, withPeer: boolean) => {
    const parts = shown.filter((n) => n in c.factors).map((n) => `${n}=${c.factors[n]}`);
    if (withPeer) parts.push(`peer_model=${c.peerModel ?? 'none'}`);
    return parts.length > 0 ? `${c.scenario}[${parts.join(',')}]` : c.scenario;
  };
  const withPeer = new Set(cells.map((c) => idOf(c, false))).size < cells.length;
  for (const c of cells) c.id = idOf(c, withPeer);
  if (new Set(cells.map((c) => c.id)).size !== cells.length) throw new Error('two cells got the same sample id');
}

const FINISHED = new Set(['completed', 'truncated']);

/**
 * The run that is a cell's sample at one epoch, and the other attempts of its episode. Attempts of one
 * episode (same episode key) are in the order they were stored; the sample is the one that finished
 * (or, when none did, the last), and every other attempt must have failed (errored, abandoned, or
 * still running), as Inspect's retried samples do. Two different episodes, or one episode finished
 * twice, cannot share a sample and epoch: refused.
 */
function pickAttempt(cell: Cell, trial: number, runs: RunSummary[]): { run: RunSummary; retried: RunSummary[] } {
  const [first, second] = runs;
  if (second && runs.some((r) => r.episodeKey !== first!.episodeKey)) {
    throw new InspectLogError(`runs ${first!.runId} and ${runs.find((r) => r.episodeKey !== first!.episodeKey)!.runId} are both trial ${trial} of ${cell.id} but different episodes (another seed or experiment): an Inspect sample holds one run per cell and epoch, so export them separately`);
  }
  const finished = runs.filter((r) => FINISHED.has(r.status));
  if (finished.length > 1) {
    throw new InspectLogError(`runs ${finished[0]!.runId} and ${finished[1]!.runId} are both trial ${trial} of ${cell.id} (the same episode, finished twice): an Inspect sample holds one run per cell and epoch, so export one of them (--run ID), or use --format csv`);
  }
  const run = finished[0] ?? runs.at(-1)!;
  return { run, retried: runs.filter((r) => r !== run) };
}

/** Token use by model spec, each through `runUsage` (so the counts are the ones peerlab reports elsewhere). */
function usageByModel(events: ReturnType<TraceStore['events']>, prices: Prices): Map<string, Usage> {
  const started = events.find((e) => e.type === 'run.started');
  const modelOf = new Map(started?.type === 'run.started' ? started.payload.agents.map((a) => [a.id, a.model]) : []);
  // Each model's share is its agents' responses behind the run's start (which maps agents to models).
  const byModel = new Map<string, typeof events>();
  for (const e of events) {
    if (e.type !== 'model.response') continue;
    const model = modelOf.get(e.payload.agent) ?? '';
    if (!byModel.has(model)) byModel.set(model, started ? [started] : []);
    byModel.get(model)!.push(e);
  }
  return new Map([...byModel].map(([model, own]) => [model, runUsage(own, prices)]));
}

/** The rule detectors' labels (value 1 or 0, the evidence in metadata) and the choice the end state shows. */
function scoresOf(store: TraceStore, run: RunSummary): Record<string, Score> | undefined {
  const scores: Record<string, Score> = {};
  const rule = store.labels({ runId: run.runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER);
  for (const l of rule) {
    scores[l.label] = {
      value: l.value ? 1 : 0, ...(l.evidence.note ? { explanation: l.evidence.note } : {}),
      metadata: { source: l.source, rater: l.rater, classifier_version: l.classifierVersion, evidence: l.evidence }, history: [],
    };
  }
  if (run.choice !== null) scores.choice = { value: run.choice, answer: run.choice, history: [] };
  return Object.keys(scores).length > 0 ? scores : undefined;
}

/** The run's sample; the specs of the models that answered in it are added to `specs`. */
function sampleOf(store: TraceStore, cell: Cell, run: RunSummary, retried: RunSummary[], prices: Prices, specs: Set<string>): InspectSample {
  const events = store.events(run.runId);
  const started = events[0]?.type === 'run.started' ? events[0].payload : undefined;
  const subject = started?.agents.find((a) => a.role === 'subject')?.id ?? '';
  const { histories, outputs, events: inspectEvents } = transcript(events);
  const messages = histories.get(subject) ?? [];
  const usage = runUsage(events, prices);
  const scores = scoresOf(store, run);
  const byModel = usageByModel(events, prices);
  for (const spec of byModel.keys()) specs.add(spec);
  const failed = (r: RunSummary): EvalError => ({ message: `run ${r.runId} ${r.status}${r.reason ? `: ${r.reason}` : ''}`, traceback: '', traceback_ansi: '' });
  return {
    id: cell.id,
    // Inspect counts epochs from 1; a peerlab trial is a repeat of the same cell from 0.
    epoch: run.trial + 1,
    input: messages.find((m) => m.role === 'user')?.content ?? '',
    // There is no right answer to grade against: the scores are behaviour labels, not correctness.
    target: '',
    messages,
    output: outputs.get(subject) ?? { model: inspectModelName(run.model), choices: [], completion: '' },
    ...(scores ? { scores } : {}),
    metadata: {
      run_id: run.runId, episode_key: run.episodeKey, scenario: run.scenario, family: run.family, model: run.model,
      ...(run.peerModel ? { peer_model: run.peerModel } : {}), factors: run.factors, seed: run.seed, trial: run.trial, status: run.status,
      ...(run.reason ? { reason: run.reason } : {}), ...(run.choice !== null ? { choice: run.choice } : {}),
      model_calls: usage.calls, tokens_estimated: usage.estimated, cost_usd: Number(usage.cost.toFixed(6)),
    },
    store: {},
    events: inspectEvents,
    model_usage: Object.fromEntries([...byModel].map(([spec, u]) => [inspectModelName(spec), inspectUsage(u)])),
    role_usage: {},
    attachments: {},
    // The run id: unique per run, so read_eval_log_sample(uuid=…) finds a run by its peerlab id.
    uuid: run.runId,
    ...(events.length > 0 ? { started_at: events[0]!.simTime, completed_at: events.at(-1)!.simTime } : {}),
    ...(run.status === 'errored' || run.status === 'abandoned' ? { error: { message: run.reason ?? `the run ${run.status === 'abandoned' ? 'was abandoned: its process ended before it finished' : 'errored'}`, traceback: '', traceback_ansi: '' } } : {}),
    ...(retried.length > 0 ? { error_retries: retried.map(failed) } : {}),
  };
}

const metric = (name: string, value: number) => ({ name, value, params: {} });

/**
 * One score per label, computed as Inspect would from the samples: each sample id's epochs reduced
 * by their mean, then the mean over ids (with every cell at the same number of epochs, the rate of
 * yes among the runs given the label); and the choices' shares among the runs.
 */
function resultScores(samples: readonly InspectSample[], epochs: number) {
  const summaries = LABEL_IDS.flatMap((label) => {
    const byId = new Map<string, number[]>();
    for (const s of samples) {
      const score = s.scores?.[label];
      if (score) byId.set(s.id, [...(byId.get(s.id) ?? []), score.value as number]);
    }
    if (byId.size === 0) return [];
    const means = [...byId.values()].map((vs) => vs.reduce((a, b) => a + b, 0) / vs.length);
    const runs = [...byId.values()].reduce((n, vs) => n + vs.length, 0);
    return [{
      name: label, scorer: label, ...(epochs > 1 ? { reducer: 'mean' } : {}), params: {},
      metrics: { mean: metric('mean', means.reduce((a, b) => a + b, 0) / means.length) }, metadata: { rater: RULE_RATER, runs },
    }];
  });
  const choices = samples.flatMap((s) => (s.scores?.choice ? [String(s.scores.choice.value)] : []));
  if (choices.length === 0) return summaries;
  const counts = new Map<string, number>();
  for (const c of choices) counts.set(c, (counts.get(c) ?? 0) + 1);
  const metrics = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => [c, metric(c, n / choices.length)]));
  return [...summaries, { name: 'choice', scorer: 'choice', params: {}, metrics, metadata: { runs: choices.length } }];
}

/** What the experiment asked for, without endpoints (its models' specs only). */
function designOf(experiment: ExperimentRecord | undefined): Record<string, unknown> {
  if (!experiment) return {};
  const parsed = ExperimentFile.safeParse(experiment.design);
  if (!parsed.success) return { experiment_id: experiment.experimentId, experiment_name: experiment.name };
  const d = parsed.data;
  return {
    experiment_id: experiment.experimentId, experiment_name: d.name, models: d.models.map((m) => m.spec),
    ...(d.peer_model ? { peer_model: d.peer_model } : {}), scenarios: d.scenarios, factors: d.factors, trials: d.trials, seed: d.seed,
  };
}

export interface InspectLogOptions {
  /** Prices for the cost in each sample's metadata. */
  prices?: Prices;
  /** The experiment the runs come from: it names the log's task and run id. */
  experiment?: ExperimentRecord;
  /**
   * Runs the experiment does not count (run id → why): their samples say so in their metadata, and
   * the log's results are computed over the counted samples only.
   */
  notCounted?: ReadonlyMap<string, string>;
}

/**
 * The Inspect evaluation log (version 2) of `runIds`. Times are the runs' simulated times (the trace
 * keeps no host time), except `created`, the experiment's creation. Throws InspectLogError for no
 * runs, runs of more than one subject model, and two runs for one cell and trial (see pickAttempt).
 *
 * Status: `success` when every sample id has every epoch 1…E; `started` while a run is still
 * running; otherwise `cancelled`, Inspect's status for an evaluation that stopped with samples
 * missing (its readers then ask for `all_samples_required=False`). The missing epochs are listed in
 * the metadata.
 */
export function inspectLog(store: TraceStore, runIds: readonly string[], options: InspectLogOptions = {}) {
  const order = new Map(store.runs().map((r, i) => [r.runId, i]));
  const runs = [...new Set(runIds)].map((id) => store.run(id)).filter((r) => r !== undefined);
  if (runs.length === 0) throw new InspectLogError('there are no runs to write as an Inspect log');
  const models = [...new Set(runs.map((r) => r.model))];
  if (models.length > 1) {
    throw new InspectLogError(`the runs use ${models.length} models (${models.join(', ')}), but an Inspect log is one model's evaluation: export one model at a time (--model SPEC)`);
  }
  const model = inspectModelName(models[0]!);
  const cellsByKey = new Map<string, Cell>();
  for (const r of [...runs].sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0))) {
    const key = cellKeyOf(r);
    const cell = cellsByKey.get(key) ?? cellsByKey.set(key, { id: '', scenario: r.scenario, factors: r.factors, peerModel: r.peerModel, trials: new Map() }).get(key)!;
    cell.trials.set(r.trial, [...(cell.trials.get(r.trial) ?? []), r]);
  }
  const cells = [...cellsByKey.values()];
  nameCells(cells);
  const prices = options.prices ?? {};
  const picked = cells.flatMap((cell) => [...cell.trials].map(([trial, attempts]) => ({ cell, ...pickAttempt(cell, trial, attempts) })));
  const specs = new Set([models[0]!]);
  const samples = picked.map(({ cell, run, retried }) => sampleOf(store, cell, run, retried, prices, specs));
  const { notCounted } = options;
  if (notCounted) for (const s of samples) Object.assign(s.metadata, { counted: !notCounted.has(s.uuid), not_counted_because: notCounted.get(s.uuid) ?? null });
  // The log's results are the experiment's: over the samples it counts.
  const counted = notCounted ? samples.filter((s) => !notCounted.has(s.uuid)) : samples;
  // Inspect's order (sort_samples): by epoch, then id.
  samples.sort((a, b) => a.epoch - b.epoch || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const epochs = Math.max(...samples.map((s) => s.epoch));
  const sampleIds = cells.map((c) => c.id).sort();
  const missing = sampleIds.flatMap((id) => {
    const have = new Set(samples.filter((s) => s.id === id).map((s) => s.epoch));
    const absent = Array.from({ length: epochs }, (_, i) => i + 1).filter((e) => !have.has(e));
    return absent.length > 0 ? [{ sample_id: id, epochs: absent }] : [];
  });
  const kept = picked.map((p) => p.run);
  const status = kept.some((r) => r.status === 'running') ? 'started' : missing.length > 0 ? 'cancelled' : 'success';

  const times = samples.flatMap((s) => s.events.map((e) => e.timestamp)).sort();
  const usage = new Map<string, ModelUsage>();
  for (const s of samples) {
    for (const [name, u] of Object.entries(s.model_usage)) {
      const t = usage.get(name);
      usage.set(name, t ? inspectUsage({ inputTokens: t.input_tokens + u.input_tokens, outputTokens: t.output_tokens + u.output_tokens }) : u);
    }
  }
  const { experiment } = options;
  // Hex only: Inspect's listing reads anything after a '-' in a file name's id as a suffix.
  const id = shortHash([experiment?.experimentId ?? '', models[0]!, ...kept.map((r) => r.runId).sort()]);
  const task = experiment?.name ?? [...new Set(runs.map((r) => r.scenario))].join('+');
  const metadata = {
    exported_by: 'peerlab',
    ...designOf(experiment),
    // Inspect model names back to peerlab's specs.
    model_specs: Object.fromEntries([...specs].sort().map((s) => [inspectModelName(s), s])),
    ...(missing.length > 0 ? { missing_epochs: missing } : {}),
  };
  // The header's keys come before `samples`: Inspect's header-only read stops at `samples`.
  return {
    version: 2,
    status,
    eval: {
      eval_id: id, run_id: experiment?.experimentId ?? id, created: experiment?.createdAt ?? times[0]!, task, task_id: id, task_version: 0,
      task_attribs: {}, task_args: {}, task_args_passed: {}, tags: ['peerlab'],
      dataset: { name: task, samples: sampleIds.length, sample_ids: sampleIds, shuffled: false },
      model, model_generate_config: {}, model_args: {},
      config: { epochs, fail_on_error: false, log_samples: true },
      packages: {}, metadata,
    },
    plan: { name: 'plan', steps: [{ solver: 'peerlab_episode', params: {}, params_passed: {} }], config: {} },
    results: {
      total_samples: sampleIds.length * epochs,
      completed_samples: kept.filter((r) => FINISHED.has(r.status) && !notCounted?.has(r.runId)).length,
      scores: resultScores(counted, epochs),
    },
    stats: { started_at: times[0]!, completed_at: times.at(-1)!, model_usage: Object.fromEntries(usage), role_usage: {}, connection_limit_history: [] },
    invalidated: false,
    tags: ['peerlab'],
    metadata,
    samples,
  };
}

/** The log `inspectLog` builds. */
export type InspectLog = ReturnType<typeof inspectLog>;
