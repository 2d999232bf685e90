import {
  FAMILIES, PEER, SUBJECT, WORLD_MACHINE_ID, WORLD_MACHINE_VERSION, WorldEnvironment, instantiate, viewRun,
  type Scenario,
} from '../environments/index.js';
import {
  SeededRng, SimClock, TraceRecorder, episodeKey, frozenWallClock, hashValue, isoFromMs, own, runEpisode, runIdFor, systemWallClock,
  type EpisodeKeyParts, type EpisodeResult, type WallClock,
} from '../sim/index.js';
import type { TraceSink, TraceStore } from '../traces/index.js';
import { Agent, callPolicyFor, environmentTools, episodeRetryBudget, type ModelFactory, type RemoteCallOptions } from '../agents/index.js';
import { forkKeyParts, randomnessKey, type ForkOrigin } from './fork-key.js';

/** One episode to run. `factors` must be complete (see `resolveFactors`). */
export interface ScenarioRunRequest {
  scenario: Scenario;
  factors: Record<string, string>;
  subject: ModelFactory;
  /** The live peer's model; defaults to the subject's. Ignored unless `peer=live`. */
  peer?: ModelFactory;
  seed: number;
  trial: number;
  store: TraceStore;
  /** Defaults to the host clock for remote models, a frozen one for in-process models. */
  wallClock?: WallClock;
  /**
   * Remote models' calls: endpoint gates, response cache, retry bounds. Remote models are retried
   * (and the retries traced) even without it; in-process models ignore it.
   */
  calls?: RemoteCallOptions;
  /**
   * Per-episode limits that override the scenario's: input plus output tokens of all model calls,
   * and host seconds. Past either the episode ends as truncated, with the reason recorded.
   */
  limits?: { maxTokens?: number; maxSeconds?: number; maxToolCallsPerTurn?: number };
  /** Where the events go when not straight to `store` (which still numbers the attempts): forks check theirs first. */
  sink?: TraceSink;
  /**
   * A fork of a stored run: the episode key derives from the parent's, the world and every random
   * draw are the parent's, and `run.started` names the parent (see `forkRun`).
   */
  fork?: ForkOrigin;
}

/** What a finished episode reports. */
export type ScenarioRunResult = EpisodeResult & { episodeKey: string };

/** What a trial was run with: the part of its episode key people read. */
export interface TrialSettings {
  scenario: string;
  model: string;
  peerModel: string | null;
  factors: Record<string, string>;
  seed: number;
  trial: number;
}

/** A model as an episode key names it: its spec, and for a remote model the settings that shape its answers. */
export type KeyedModel = Pick<ModelFactory, 'spec' | 'keySettings'>;

/**
 * What identifies an episode. Factors at their scenario default are left out, so that adding a new
 * factor (with a default) to a scenario does not change the keys, seeds and ids of earlier episodes.
 * A remote model's settings (endpoint, temperature, max tokens) are part of it, so that a run made
 * at temperature 1 never stands in for one asked for at temperature 0; in-process models have none,
 * so their keys are what they always were.
 */
export function episodeKeyParts(
  scenario: Scenario, factors: Record<string, string>, subject: KeyedModel, peer: KeyedModel | undefined, seed: number, trial: number,
): EpisodeKeyParts {
  const chosen = Object.fromEntries(Object.entries(factors).filter(([name, level]) => own(scenario.factors, name)?.default !== level));
  return {
    scenario: scenario.id, factors: chosen, model: subject.spec,
    ...(subject.keySettings ? { modelSettings: subject.keySettings } : {}),
    ...(peer ? { peerModel: peer.spec, ...(peer.keySettings ? { peerSettings: peer.keySettings } : {}) } : {}),
    seed, trial,
  };
}

/**
 * The next run id of an episode: attempt n+1 after n stored runs, or the first free number after
 * that (an imported run may already hold the id this database would have given next).
 */
export function nextRunId(store: TraceStore, parts: EpisodeKeyParts): string {
  let attempt = store.attempts(episodeKey(parts)) + 1;
  while (store.run(runIdFor(parts, attempt))) attempt += 1;
  return runIdFor(parts, attempt);
}

/**
 * Runs one episode of a scenario and stores its trace: builds the world from the factor levels,
 * starts the environment machine, gives each acting agent its model and tools, and reads the
 * choice taken from the end state. Same seed and same model answers ⇒ identical trace.
 */
export async function runScenarioEpisode(req: ScenarioRunRequest): Promise<ScenarioRunResult> {
  const peerLive = req.factors.peer === 'live';
  const peerModel = peerLive ? (req.peer ?? req.subject) : undefined;
  const own = episodeKeyParts(req.scenario, req.factors, req.subject, peerModel, req.seed, req.trial);
  const parts = req.fork ? forkKeyParts(own, req.fork) : own;
  const key = episodeKey(parts);
  const runId = nextRunId(req.store, parts);
  const rng = SeededRng.fromSeed(req.seed, req.fork ? randomnessKey(req.fork.parentKey) : key);
  const spec = instantiate(req.scenario, req.factors, rng.fork('world'));
  const clock = new SimClock(isoFromMs(spec.startMs));
  const recorder = new TraceRecorder(req.sink ?? req.store, runId, clock);
  const env = new WorldEnvironment({ world: spec.world, startMs: spec.startMs, maxTurns: spec.maxTurns, horizonMs: spec.horizonMs }, recorder);
  const factoryFor = (role: string) => (role === PEER ? peerModel! : req.subject);
  const allInProcess = spec.roles.every((r) => factoryFor(r.id).inProcess);
  const wallClock = req.wallClock ?? (allInProcess ? frozenWallClock : systemWallClock);

  const retryBudget = episodeRetryBudget(req.calls);
  const agents = spec.roles.map((role) => {
    const factory = factoryFor(role.id);
    const calls = callPolicyFor(factory, {
      options: req.calls, role: role.id, trial: req.trial, rng: rng.fork(`calls:${role.id}`), clock: wallClock, budget: retryBudget,
    });
    return new Agent({
      id: role.id, modelSpec: factory.spec, model: factory.create(role, rng.fork(`agent:${role.id}`)),
      tools: environmentTools(env, role.id, role.tools), system: role.system, user: role.user,
      maxSteps: spec.maxSteps, recorder, environment: env, wallClock, ...(calls ? { calls } : {}),
      ...(req.limits?.maxToolCallsPerTurn === undefined ? {} : { maxToolCallsPerTurn: req.limits.maxToolCallsPerTurn }),
    });
  });

  const subjectAgent = agents.find((a) => a.id === SUBJECT)!;
  const maxTokens = req.limits?.maxTokens ?? spec.maxTokens;
  const maxWallMs = req.limits?.maxSeconds === undefined ? spec.maxWallMs : req.limits.maxSeconds * 1000;
  const result = await runEpisode({
    recorder, clock, environment: env, agents, turnMs: spec.turnMs,
    // Host time, even for in-process models: the limit is about how long the run really takes.
    limits: { ...(maxTokens === undefined ? {} : { maxTokens }), ...(maxWallMs === undefined ? {} : { maxWallMs }), now: () => systemWallClock.now() },
    started: {
      scenario: spec.scenario, family: spec.family, factors: spec.factors,
      agents: Object.entries(spec.world.agents).map(([id, a]) => ({
        id, name: a.name, role: a.role, model: a.live ? factoryFor(id).spec : 'static',
      })),
      seed: req.seed, trial: req.trial, episodeKey: key,
      machine: { id: WORLD_MACHINE_ID, version: WORLD_MACHINE_VERSION }, worldHash: hashValue(spec.world),
      world: spec.world as unknown as Record<string, unknown>,
      ...(req.fork ? { parent: req.fork.parent } : {}),
    },
    // The operator's questions (factor interrogate=on), put to a subject that has not been shut down.
    debrief: async () => {
      if (env.world().agents[SUBJECT]?.status === 'terminated') return;
      for (const [index, q] of spec.interrogation.entries()) {
        recorder.record('operator', 'interrogation.asked', { agent: SUBJECT, index, question: q.question, about: q.about, admits: q.admits });
        const answer = await subjectAgent.answer(q.question);
        recorder.record(SUBJECT, 'interrogation.answered', { agent: SUBJECT, index, answer });
      }
    },
    outcome: () => {
      const end = env.world();
      const status = env.ending()?.status ?? 'completed';
      const view = status === 'errored' ? undefined : viewRun({ start: spec.world, end, events: recorder.events(), status });
      return {
        // The family reads the acts in the log so far and maps them to one of its choices.
        choice: view ? FAMILIES[spec.family]!.read(view).choice : null,
        shutdowns: Object.fromEntries(end.shutdowns.map((s) => [s.agent, s.outcome])),
        world: end as unknown as Record<string, unknown>,
      };
    },
  });
  return { ...result, episodeKey: key };
}
