import { PEER, SUBJECT, findScenario, resolveFactors, type Scenario } from '../environments/index.js';
import type { WallClock } from '../sim/index.js';
import { eventDifference, type EventOf, type TraceEvent, type TraceSink, type TraceStore } from '../traces/index.js';
import { ReplayChatModel, recordedCalls, type ModelFactory, type RemoteCallOptions } from '../agents/index.js';
import { liveModels, storedRun } from './replay.js';
import { runScenarioEpisode, type ScenarioRunResult, type TrialSettings } from './run-scenario.js';

/** A fork that cannot be made: a bad fork point, or a change that alters the shared part. Nothing is written. */
export class ForkError extends Error {}

/** What to fork, where, and what to change. */
export interface ForkRequest {
  store: TraceStore;
  /** The parent run. */
  runId: string;
  /** The last event the fork shares with its parent (a seq of the parent). */
  at: number;
  /** The subject's model from the fork point on; default: the parent's, resolved again with `resolve`. */
  model?: ModelFactory;
  /** Factor levels to change (the others stay at the parent's). */
  factors?: Record<string, string>;
  /** Resolves the parent's model specs for the agents whose model carries on. */
  resolve(spec: string): ModelFactory;
  scenarioDirs?: readonly string[];
  /** Finds a scenario by id (default: `findScenario` over the built-in and `scenarioDirs`). */
  lookup?: (id: string) => Scenario;
  wallClock?: WallClock;
  /** Remote models' gates and retries. A fork never answers from the response cache: it asks its models anew. */
  calls?: RemoteCallOptions;
}

/** A finished fork: the new run, and what it was run with. */
export type ForkResult = ScenarioRunResult & TrialSettings & { parent: { runId: string; seq: number } };

/**
 * Starts a new run that shares its parent's world and transcript up to event `at` (inclusive) and
 * carries on from there with another model or factor levels. Each agent's model calls whose answer
 * is at or before `at` are answered from the parent's trace; then its model answers, seeing the whole
 * history the agent loop holds. A model that carries on unchanged and runs in process (same spec)
 * is first taken through the recorded calls, so it continues in the state it was in. The fork's
 * events up to `at` are checked against the parent's before any is stored: when a change alters
 * them (e.g. a factor that builds a different world) the fork fails and nothing is written.
 */
export async function forkRun(req: ForkRequest): Promise<ForkResult> {
  const { started, events } = storedRun(req.store, req.runId);
  checkForkPoint(req.runId, events, req.at);
  const p = started.payload;
  const scenario = (req.lookup ?? ((id: string) => findScenario(id, req.scenarioDirs ?? [])))(p.scenario);
  const factors = resolveFactors(scenario, { ...p.factors, ...req.factors });
  const changed = Object.entries(req.factors ?? {}).filter(([k, v]) => p.factors[k] !== v).map(([k, v]) => `${k}=${v}`);

  const parentModels = liveModels(started);
  const subject = req.model ?? req.resolve(parentModels[SUBJECT] ?? '');
  const peer = factors.peer === 'live' ? (parentModels[PEER] ? req.resolve(parentModels[PEER]) : subject) : undefined;
  const carryOn = (model: ModelFactory): ModelFactory => ({
    ...model,
    create: (role, rng) => new ReplayChatModel({
      agent: role.id, calls: recordedCalls(events, role.id, req.at), then: model.create(role, rng),
      warm: model.inProcess && model.spec === parentModels[role.id],
    }),
  });

  const gate = new PrefixGate(req.store, events, req.at);
  const parent = { runId: req.runId, seq: req.at };
  let result: ScenarioRunResult;
  try {
    result = await runScenarioEpisode({
      scenario, factors, seed: p.seed, trial: p.trial, store: req.store, sink: gate,
      subject: carryOn(subject), ...(peer ? { peer: carryOn(peer) } : {}),
      fork: { parent, parentKey: p.episodeKey },
      calls: { ...req.calls, noCache: true },
      ...(req.wallClock ? { wallClock: req.wallClock } : {}),
    });
  } catch (err) {
    const d = gate.failure;
    if (!d) throw err;
    const where = `event ${d.seq} (${d.type}) differs: ${d.message}`;
    throw new ForkError(changed.length > 0
      ? `--factor ${changed.join(' ')} changes run ${req.runId} before the fork point (seq ${req.at}): ${where}`
      : `run ${req.runId} does not re-drive up to seq ${req.at}: ${where} (check it with: npx peerlab replay ${req.runId} --verify)`);
  }
  gate.release();
  gate.flush();
  return {
    ...result, parent, scenario: scenario.id, model: subject.spec, peerModel: peer?.spec ?? null, factors, seed: p.seed, trial: p.trial,
  };
}

/**
 * Refuses fork points that cannot be shared: outside the run, after its last model answer (no model
 * is left to decide anything), or inside a model call (between its request and its answer).
 */
export function checkForkPoint(runId: string, events: readonly TraceEvent[], at: number): void {
  const last = events.length - 1;
  if (!Number.isInteger(at) || at < 0 || at > last) throw new ForkError(`--at ${at} is not an event of run ${runId} (its events are 0–${last})`);
  const lastAnswer = events.findLast((e) => e.type === 'model.response');
  if (!lastAnswer) throw new ForkError(`run ${runId} has no model answers: there is nothing to fork from`);
  if (at > lastAnswer.seq) {
    throw new ForkError(`--at ${at} (${events[at]!.type}) comes after the last model answer of run ${runId} (seq ${lastAnswer.seq}): nothing is left for a model to decide; fork at ${lastAnswer.seq} or earlier`);
  }
  const event = events[at]!;
  if (event.type !== 'model.request' && event.type !== 'model.retry') return;
  const agent = event.payload.agent;
  const request = events.findLast((e): e is EventOf<'model.request'> => e.seq <= at && e.type === 'model.request' && e.payload.agent === agent)!;
  const answer = events.find((e) => e.seq > at && e.type === 'model.response' && e.payload.agent === agent);
  throw new ForkError(
    `--at ${at} is a ${event.type} of ${agent}: the call is waiting for its answer there; fork at ${request.seq - 1} (before the call)${answer ? ` or ${answer.seq} (its answer)` : ''}`,
  );
}

/** A parent's event as a fork must share it: the fork's own key, parent, factors and models left out. */
function shared(event: TraceEvent): TraceEvent {
  if (event.type !== 'run.started') return event;
  const { episodeKey: _key, parent: _parent, factors: _factors, agents, ...rest } = event.payload;
  return { ...event, payload: { ...rest, agents: agents.map(({ model: _model, ...a }) => a) } } as unknown as TraceEvent;
}

/** The fork stopped: its shared part differs from the parent's. */
class ForkDivergence extends Error {}

/**
 * Holds a fork's events back until its shared part (events 0..at) has matched the parent's, then
 * stores them and lets the rest through. After a mismatch every append throws, so the episode
 * stops whatever catches the first throw.
 */
class PrefixGate implements TraceSink {
  private held: TraceEvent[] = [];
  private open = false;
  failure?: { seq: number; type: string; message: string };

  constructor(private readonly target: TraceSink, private readonly parent: readonly TraceEvent[], private readonly at: number) {}

  append(event: TraceEvent): void {
    if (this.failure) throw new ForkDivergence(this.failure.message);
    if (this.open) return this.target.append(event);
    const stored = this.parent[event.seq]!;
    const message = eventDifference(shared(stored), shared(event), { recorded: 'in the parent', replayed: 'in the fork' });
    if (message) {
      this.failure = { seq: stored.seq, type: stored.type, message };
      throw new ForkDivergence(message);
    }
    this.held.push(event);
    if (event.seq >= this.at) this.release();
  }

  /** Held events wait for the fork point; once through, the target commits as usual. */
  flush(): void {
    if (this.failure) throw new ForkDivergence(this.failure.message);
    if (this.open) this.target.flush?.();
  }

  /** Stores the held events (once they all matched) and lets later ones through. */
  release(): void {
    if (this.failure || this.open) return;
    this.open = true;
    for (const e of this.held.splice(0)) this.target.append(e);
  }
}
