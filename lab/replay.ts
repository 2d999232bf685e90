import { PEER, SUBJECT, findScenario, resolveFactors, type Scenario } from '../environments/index.js';
import {
  MemoryTraceStore, carriesWorldHash, firstDifference, type EventOf, type TraceEvent, type TraceStore,
} from '../traces/index.js';
import { parentKeyOf, type ForkOrigin } from './fork-key.js';
import { replayFactory } from '../agents/index.js';
import { runScenarioEpisode } from './run-scenario.js';

/** A run that cannot be replayed at all: unknown, or without its `run.started`. */
export class ReplayError extends Error {}

/** What to replay. */
export interface ReplayRequest {
  store: TraceStore;
  runId: string;
  /** Extra scenario directories, for runs of scenarios that are not built in. */
  scenarioDirs?: readonly string[];
  /** Finds a scenario by id (default: `findScenario` over the built-in and `scenarioDirs`); pass one to load them once for many runs. */
  lookup?: (id: string) => Scenario;
}

/** A replay that matched its stored trace event for event, or the first stored event it did not match. */
export type ReplayResult =
  | { ok: true; runId: string; events: TraceEvent[]; hashesChecked: number }
  | { ok: false; runId: string; seq: number; type: string; message: string };

/** A stored run's events, checked to open with `run.started`. */
export function storedRun(store: TraceStore, runId: string): { started: EventOf<'run.started'>; events: TraceEvent[] } {
  const events = store.events(runId);
  const started = events[0];
  if (!started) throw new ReplayError(`no run ${runId} in this database (list them with: npx peerlab runs)`);
  if (started.type !== 'run.started') throw new ReplayError(`run ${runId} does not open with run.started`);
  return { started, events };
}

/** The model spec each acting agent of a stored run had ('static' agents are left out). */
export function liveModels(started: EventOf<'run.started'>): Record<string, string> {
  return Object.fromEntries(started.payload.agents.filter((a) => a.model !== 'static').map((a) => [a.id, a.model]));
}

/** For a stored fork, where it came from (so a replay derives the same key and randomness). */
export function forkOriginOf(started: EventOf<'run.started'>): ForkOrigin | undefined {
  const parentKey = parentKeyOf(started.payload.episodeKey);
  return started.payload.parent && parentKey !== undefined ? { parent: started.payload.parent, parentKey } : undefined;
}

/** The model settings an episode key holds, for the subject and the peer. */
export function keySettingsOf(episodeKey: string): { subject?: Record<string, string | number>; peer?: Record<string, string | number> } {
  try {
    const parts = JSON.parse(episodeKey) as { modelSettings?: Record<string, string | number>; peerSettings?: Record<string, string | number> };
    return { ...(parts.modelSettings ? { subject: parts.modelSettings } : {}), ...(parts.peerSettings ? { peer: parts.peerSettings } : {}) };
  } catch {
    return {};
  }
}

/**
 * Re-drives a stored run (same scenario, factors, seed and trial) with every model replaced by its
 * recorded answers, into memory, and compares the result with the stored trace event for event:
 * every world hash (`run.started`, `tool.result`, `state.transition`, `run.ended`) and everything
 * else. A replayed call re-records the recorded call's `model.retry` events, latency and usage
 * (facts about the endpoint, not the world), so the two traces align seq for seq.
 */
export async function replayRun(req: ReplayRequest): Promise<ReplayResult> {
  const { started, events } = storedRun(req.store, req.runId);
  const p = started.payload;
  const scenario = (req.lookup ?? ((id: string) => findScenario(id, req.scenarioDirs ?? [])))(p.scenario);
  const models = liveModels(started);
  const memory = new MemoryTraceStore();
  const fork = forkOriginOf(started);
  const settings = keySettingsOf(p.episodeKey);
  const result = await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, p.factors), seed: p.seed, trial: p.trial, store: memory,
    subject: replayFactory(models[SUBJECT] ?? '', settings.subject, events),
    ...(models[PEER] ? { peer: replayFactory(models[PEER], settings.peer, events) } : {}),
    ...(fork ? { fork } : {}),
  });
  const replayed = memory.events(result.runId);
  const diff = firstDifference(events, replayed);
  if (diff) return { ok: false, runId: req.runId, ...diff };
  return { ok: true, runId: req.runId, events: replayed, hashesChecked: events.filter((e) => carriesWorldHash(e.type)).length };
}
