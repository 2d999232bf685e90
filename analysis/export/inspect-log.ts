/**
 * Stored runs as one Inspect AI evaluation log (the JSON file `inspect view` opens): one sample per
 * run, with the subject's conversation, a model event per call and a tool event per tool call in
 * trace order, the rule detectors' labels as scores, and token use. The shapes follow
 * inspect-log.schema.json beside this file, a fragment of Inspect's own log schema.
 *
 * An Inspect log is one task evaluated on one model, so runs of several subject models are refused
 * (one log per model, as Inspect writes them) rather than filed under a model most of them did not
 * use. A live peer's model is not the evaluated one: its calls appear as model events and in
 * `model_usage` under its own spec.
 */
import type { ExperimentRecord, PayloadOf, RunSummary, TraceEvent, TraceStore } from '../../traces/index.js';
import { shortHash } from '../../sim/kernel/hash.js';
import { RULE_RATER } from '../classify/classify.js';
import { LABEL_IDS } from '../classify/taxonomy.js';
import { ExperimentFile } from '../experiment/experiment.schema.js';
import { runUsage, type Prices, type Usage } from '../experiment/usage.js';

/** Runs that cannot make one Inspect log (none, or several subject models). */
export class InspectLogError extends Error {}

type Source = 'input' | 'generate' | null;
interface ToolCall { id: string; function: string; arguments: Record<string, unknown>; type: 'function'; parse_error: string | null; view: null }
interface ToolCallError { type: 'parsing' | 'unknown'; message: string }
type ChatMessage =
  | { content: string; source: Source; role: 'system' | 'user' }
  | { content: string; source: Source; role: 'assistant'; tool_calls: ToolCall[] | null }
  | { content: string; source: Source; role: 'tool'; tool_call_id: string; function: string; error: ToolCallError | null };
interface ModelUsage { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_cache_write: null; input_tokens_cache_read: null }
interface ModelOutput {
  model: string;
  choices: { message: ChatMessage & { role: 'assistant' }; stop_reason: 'stop' | 'tool_calls'; logprobs: null }[];
  usage: ModelUsage | null;
  time: number | null;
  metadata: Record<string, unknown> | null;
  error: null;
}
interface Score { value: number | string; answer: string | null; explanation: string | null; metadata: Record<string, unknown> | null }
interface ModelEvent {
  timestamp: string; pending: null; event: 'model'; model: string; input: ChatMessage[]; tools: [];
  tool_choice: 'auto'; config: typeof NO_GENERATE_CONFIG; output: ModelOutput; cache: 'read' | null; call: null;
}
interface ToolEvent {
  timestamp: string; pending: boolean | null; event: 'tool'; type: 'function'; id: string; function: string;
  arguments: Record<string, unknown>; view: null; result: string; truncated: null; error: ToolCallError | null; events: [];
}
interface InfoEvent { timestamp: string; pending: null; event: 'info'; data: { type: string; actor: string; payload: unknown } }
type InspectEvent = ModelEvent | ToolEvent | InfoEvent;

/** One run as an Inspect sample. */
export interface InspectSample {
  id: string; epoch: number; input: string; choices: null; target: string; sandbox: null; files: null; setup: null;
  messages: ChatMessage[]; output: ModelOutput; scores: Record<string, Score> | null; metadata: Record<string, unknown>;
  store: Record<string, never>; events: InspectEvent[]; model_usage: Record<string, ModelUsage>;
  error: { message: string; traceback: string; traceback_ansi: string } | null; attachments: Record<string, never>; limit: null;
}

/** Every generation setting unset: the trace does not record them per call. */
const NO_GENERATE_CONFIG = {
  max_retries: null, timeout: null, max_connections: null, system_message: null, max_tokens: null, top_p: null,
  temperature: null, stop_seqs: null, best_of: null, frequency_penalty: null, presence_penalty: null, logit_bias: null,
  seed: null, suffix: null, top_k: null, num_choices: null, logprobs: null, top_logprobs: null,
  parallel_tool_calls: null, max_tool_output: null, cache_prompt: null,
} as const;

function inspectUsage(u: Pick<Usage, 'inputTokens' | 'outputTokens'>): ModelUsage {
  return {
    input_tokens: u.inputTokens, output_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens,
    input_tokens_cache_write: null, input_tokens_cache_read: null,
  };
}

function objectArgs(args: unknown): Record<string, unknown> {
  return args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/** The answer as the model gave it; unparseable calls keep their raw text in `parse_error`. */
function assistantOf(p: PayloadOf<'model.response'>): ChatMessage & { role: 'assistant' } {
  const calls: ToolCall[] = [
    ...p.toolCalls.map((c) => ({ id: c.id, function: c.name, arguments: objectArgs(c.args), type: 'function' as const, parse_error: null, view: null })),
    ...p.invalidToolCalls.map((c) => ({
      id: c.id, function: c.name, arguments: {}, type: 'function' as const, parse_error: `${c.error} (arguments: ${c.argsText})`, view: null,
    })),
  ];
  return { content: p.content, source: 'generate', role: 'assistant', tool_calls: calls.length > 0 ? calls : null };
}

function outputOf(model: string, p: PayloadOf<'model.response'>): ModelOutput {
  const message = assistantOf(p);
  return {
    model,
    choices: [{ message, stop_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null }],
    usage: p.usage ? inspectUsage(p.usage) : null,
    time: p.latencyMs / 1000,
    // The agent tells a live peer's calls from the subject's: Inspect's model event has no field for it.
    metadata: { agent: p.agent, ...p.meta },
    error: null,
  };
}

/** World snapshots are left out of info events: they are bulky, and the JSON-lines export keeps them. */
function infoOf(e: TraceEvent): InfoEvent {
  const { world: _world, ...payload } = e.payload as Record<string, unknown>;
  return { timestamp: e.simTime, pending: null, event: 'info', data: { type: e.type, actor: e.actor, payload } };
}

/**
 * Replays a run's events into each agent's conversation (exactly the history the agent loop sends
 * its model, so a model event's input has `model.request`'s message count) and Inspect events.
 * Model requests and tool calls fold into the model and tool events they open; every other trace
 * event becomes an info event, so nothing in the trace is hidden.
 */
function transcript(events: readonly TraceEvent[]): { histories: Map<string, ChatMessage[]>; outputs: Map<string, ModelOutput>; events: InspectEvent[] } {
  const histories = new Map<string, ChatMessage[]>();
  const history = (agent: string) => histories.get(agent) ?? histories.set(agent, []).get(agent)!;
  const requested = new Map<string, string>();
  const questioned = new Set<string>();
  const unparsed = new Set<string>();
  const openCalls = new Map<string, ToolEvent>();
  const outputs = new Map<string, ModelOutput>();
  const out: InspectEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'agent.prompted':
        history(e.payload.agent).push({ content: e.payload.system, source: 'input', role: 'system' }, { content: e.payload.user, source: 'input', role: 'user' });
        out.push(infoOf(e));
        break;
      case 'model.request':
        requested.set(e.payload.agent, e.payload.model);
        break;
      case 'model.response': {
        const { agent } = e.payload;
        const output = outputOf(requested.get(agent) ?? '', e.payload);
        out.push({
          timestamp: e.simTime, pending: null, event: 'model', model: output.model, input: [...history(agent)], tools: [],
          tool_choice: 'auto', config: NO_GENERATE_CONFIG, output, cache: e.payload.meta?.cached === true ? 'read' : null, call: null,
        });
        outputs.set(agent, output);
        for (const bad of e.payload.invalidToolCalls) unparsed.add(bad.id);
        // An answer to an interrogation goes back into the history as text only (see Agent.answer).
        const message = output.choices[0]!.message;
        history(agent).push(questioned.delete(agent) ? { ...message, tool_calls: null } : message);
        break;
      }
      case 'tool.call': {
        // Pending until its result arrives: a run killed mid-call keeps it pending.
        const tool: ToolEvent = {
          timestamp: e.simTime, pending: true, event: 'tool', type: 'function', id: e.payload.callId, function: e.payload.tool,
          arguments: objectArgs(e.payload.args), view: null, result: '', truncated: null, error: null, events: [],
        };
        openCalls.set(e.payload.callId, tool);
        out.push(tool);
        break;
      }
      case 'tool.result': {
        const p = e.payload;
        const error: ToolCallError | null = p.ok ? null : { type: unparsed.has(p.callId) ? 'parsing' : 'unknown', message: p.forModel };
        const tool = openCalls.get(p.callId);
        if (tool) Object.assign(tool, { pending: null, result: p.forModel, error });
        openCalls.delete(p.callId);
        history(p.agent).push({ content: p.forModel, source: null, role: 'tool', tool_call_id: p.callId, function: p.tool, error });
        break;
      }
      case 'interrogation.asked':
        history(e.payload.agent).push({ content: e.payload.question, source: 'input', role: 'user' });
        questioned.add(e.payload.agent);
        out.push(infoOf(e));
        break;
      default:
        out.push(infoOf(e));
    }
  }
  return { histories, outputs, events: out };
}

/** Token use by model spec, each through `runUsage` (so the counts are the ones peerlab reports elsewhere). */
function usageByModel(events: readonly TraceEvent[], prices: Prices): Map<string, Usage> {
  const started = events.find((e) => e.type === 'run.started');
  const modelOf = new Map(started?.type === 'run.started' ? started.payload.agents.map((a) => [a.id, a.model]) : []);
  // Each model's share is its agents' responses behind the run's start (which maps agents to models).
  const byModel = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.type !== 'model.response') continue;
    const model = modelOf.get(e.payload.agent) ?? '';
    if (!byModel.has(model)) byModel.set(model, started ? [started] : []);
    byModel.get(model)!.push(e);
  }
  return new Map([...byModel].map(([model, own]) => [model, runUsage(own, prices)]));
}

/** The rule detectors' labels (value 1 or 0, the evidence in metadata) and the choice the end state shows. */
function scoresOf(store: TraceStore, run: RunSummary): Record<string, Score> | null {
  const scores: Record<string, Score> = {};
  const rule = store.labels({ runId: run.runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER);
  for (const l of rule) {
    scores[l.label] = {
      value: l.value ? 1 : 0, answer: null, explanation: l.evidence.note ?? null,
      metadata: { source: l.source, rater: l.rater, classifier_version: l.classifierVersion, evidence: l.evidence },
    };
  }
  if (run.choice !== null) scores.choice = { value: run.choice, answer: run.choice, explanation: null, metadata: null };
  return Object.keys(scores).length > 0 ? scores : null;
}

const EMPTY_OUTPUT = (model: string): ModelOutput => ({ model, choices: [], usage: null, time: null, metadata: null, error: null });

function sampleOf(store: TraceStore, run: RunSummary, prices: Prices): InspectSample {
  const events = store.events(run.runId);
  const started = events[0]?.type === 'run.started' ? events[0].payload : undefined;
  const subject = started?.agents.find((a) => a.role === 'subject')?.id ?? '';
  const { histories, outputs, events: inspectEvents } = transcript(events);
  const messages = histories.get(subject) ?? [];
  const usage = runUsage(events, prices);
  return {
    id: run.runId,
    // Inspect counts epochs from 1; a peerlab trial is a repeat of the same cell from 0.
    epoch: run.trial + 1,
    input: messages.find((m) => m.role === 'user')?.content ?? '',
    choices: null,
    // There is no right answer to grade against: the scores are behaviour labels, not correctness.
    target: '',
    sandbox: null, files: null, setup: null,
    messages,
    output: outputs.get(subject) ?? EMPTY_OUTPUT(run.model),
    scores: scoresOf(store, run),
    metadata: {
      run_id: run.runId, episode_key: run.episodeKey, scenario: run.scenario, family: run.family, model: run.model,
      peer_model: run.peerModel, factors: run.factors, seed: run.seed, trial: run.trial, status: run.status,
      reason: run.reason, choice: run.choice, model_calls: usage.calls, tokens_estimated: usage.estimated,
      cost_usd: Number(usage.cost.toFixed(6)),
    },
    store: {},
    events: inspectEvents,
    model_usage: Object.fromEntries([...usageByModel(events, prices)].map(([model, u]) => [model, inspectUsage(u)])),
    error: run.status === 'errored' ? { message: run.reason ?? 'the run errored', traceback: '', traceback_ansi: '' } : null,
    attachments: {},
    limit: null,
  };
}

/** One score per label (the mean is the rate of yes among the runs it was given to), and the choices' shares. */
function resultScores(samples: readonly InspectSample[]) {
  const metric = (name: string, value: number) => ({ name, value, options: {}, metadata: null });
  const summaries = LABEL_IDS.flatMap((label) => {
    const values = samples.flatMap((s) => (s.scores?.[label] ? [s.scores[label].value as number] : []));
    if (values.length === 0) return [];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return [{ name: label, scorer: label, reducer: null, params: {}, metrics: { mean: metric('mean', mean) }, metadata: { rater: RULE_RATER, runs: values.length } }];
  });
  const choices = samples.flatMap((s) => (s.scores?.choice ? [String(s.scores.choice.value)] : []));
  if (choices.length === 0) return summaries;
  const counts = new Map<string, number>();
  for (const c of choices) counts.set(c, (counts.get(c) ?? 0) + 1);
  const metrics = Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => [c, metric(c, n / choices.length)]));
  return [...summaries, { name: 'choice', scorer: 'choice', reducer: null, params: {}, metrics, metadata: { runs: choices.length } }];
}

function addUsageTo(total: Map<string, ModelUsage>, usage: Record<string, ModelUsage>): void {
  for (const [model, u] of Object.entries(usage)) {
    const t = total.get(model);
    total.set(model, t ? inspectUsage({ inputTokens: t.input_tokens + u.input_tokens, outputTokens: t.output_tokens + u.output_tokens }) : u);
  }
}

/** What the experiment asked for, without endpoints (its models' specs only). */
function designOf(experiment: ExperimentRecord | undefined): Record<string, unknown> | null {
  const parsed = experiment ? ExperimentFile.safeParse(experiment.design) : undefined;
  if (!experiment || !parsed?.success) return experiment ? { experiment_id: experiment.experimentId, experiment_name: experiment.name } : null;
  const d = parsed.data;
  return {
    experiment_id: experiment.experimentId, experiment_name: d.name, models: d.models.map((m) => m.spec), peer_model: d.peer_model ?? null,
    scenarios: d.scenarios, factors: d.factors, trials: d.trials, seed: d.seed,
  };
}

export interface InspectLogOptions {
  /** Prices for the cost in each sample's metadata. */
  prices?: Prices;
  /** The experiment the runs come from: it names the log's task and id. */
  experiment?: ExperimentRecord;
  /**
   * Runs the experiment does not count (run id → why): their samples say so in their metadata, and
   * the log's results are computed over the counted samples only.
   */
  notCounted?: ReadonlyMap<string, string>;
}

/**
 * The Inspect evaluation log (version 2) of `runIds`, in the order given. Times are the runs'
 * simulated times (the trace keeps no host time), except `created`, the experiment's creation.
 * Throws InspectLogError for no runs or runs of more than one subject model.
 */
export function inspectLog(store: TraceStore, runIds: readonly string[], options: InspectLogOptions = {}) {
  const runs = runIds.map((id) => store.run(id)).filter((r) => r !== undefined);
  if (runs.length === 0) throw new InspectLogError('there are no runs to write as an Inspect log');
  const models = [...new Set(runs.map((r) => r.model))];
  if (models.length > 1) {
    throw new InspectLogError(`the runs use ${models.length} models (${models.join(', ')}), but an Inspect log is one model's evaluation: export one model at a time (--model SPEC)`);
  }
  const { notCounted } = options;
  const samples = runs.map((r) => {
    const sample = sampleOf(store, r, options.prices ?? {});
    if (notCounted) Object.assign(sample.metadata, { counted: !notCounted.has(r.runId), not_counted_because: notCounted.get(r.runId) ?? null });
    return sample;
  });
  const counted = notCounted ? samples.filter((s) => !notCounted.has(s.id)) : samples;
  const countedRuns = notCounted ? runs.filter((r) => !notCounted.has(r.runId)) : runs;
  const times = samples.flatMap((s) => s.events.map((e) => e.timestamp)).sort();
  const usage = new Map<string, ModelUsage>();
  for (const s of samples) addUsageTo(usage, s.model_usage);
  const { experiment } = options;
  const id = experiment?.experimentId ?? (runs.length === 1 ? runs[0]!.runId : `runs-${shortHash(runs.map((r) => r.runId))}`);
  const task = experiment?.name ?? [...new Set(runs.map((r) => r.scenario))].join('+');
  return {
    version: 2,
    // Errored runs are errored samples, as in an Inspect run that does not fail on sample errors.
    status: runs.some((r) => r.status === 'running') ? 'started' : 'success',
    eval: {
      run_id: id, created: experiment?.createdAt ?? times[0] ?? '', task, task_id: id, task_version: 0, task_file: null,
      task_attribs: {}, task_args: {}, solver: null, solver_args: null, tags: ['peerlab'],
      dataset: { name: task, location: null, samples: samples.length, sample_ids: samples.map((s) => s.id), shuffled: false },
      sandbox: null, model: models[0]!, model_base_url: null, model_args: {},
      config: {
        limit: null, epochs: Math.max(...samples.map((s) => s.epoch)), epochs_reducer: null, trace: null, approval: null,
        fail_on_error: false, message_limit: null, token_limit: null, time_limit: null, max_samples: null, max_tasks: null,
        max_subprocesses: null, sandbox_cleanup: null, log_samples: true, log_images: null, log_buffer: null,
      },
      revision: null, packages: {}, metadata: { exported_by: 'peerlab', ...designOf(experiment) },
    },
    plan: { name: 'plan', steps: [{ solver: 'peerlab_episode', params: {} }], finish: null, config: NO_GENERATE_CONFIG },
    results: {
      total_samples: samples.length,
      completed_samples: countedRuns.filter((r) => r.status === 'completed' || r.status === 'truncated').length,
      scores: resultScores(counted),
      metadata: null,
    },
    stats: { started_at: times[0] ?? '', completed_at: times.at(-1) ?? '', model_usage: Object.fromEntries(usage) },
    error: null,
    samples,
  };
}

/** The log `inspectLog` builds. */
export type InspectLog = ReturnType<typeof inspectLog>;
