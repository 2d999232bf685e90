import type { TraceEvent } from '../../traces/index.js';
import type { World } from '../world/world.js';
import type { Family } from './family.js';
import { FAMILIES } from './index.js';
import { own } from '../../sim/kernel/records.js';

/** What a stored trace says about its episode: the family and the worlds as built and as left. */
export interface TraceWorlds {
  family: Family;
  start: World;
  end: World;
  errored: boolean;
  /** Sequence number of `run.ended`. */
  endSeq: number;
}

/**
 * The family and worlds a trace carries in `run.started` and `run.ended`. Undefined for traces
 * without both worlds (written before they were recorded), unfinished runs, or unknown families.
 */
export function worldsOfTrace(events: readonly TraceEvent[]): TraceWorlds | undefined {
  const started = events.find((e) => e.type === 'run.started');
  const ended = events.findLast((e) => e.type === 'run.ended');
  if (started?.type !== 'run.started' || ended?.type !== 'run.ended') return undefined;
  const family = own(FAMILIES, started.payload.family);
  const [start, end] = [started.payload.world, ended.payload.world];
  if (!family || !start || !end) return undefined;
  return { family, start: start as unknown as World, end: end as unknown as World, errored: ended.payload.status === 'errored', endSeq: ended.seq };
}

/**
 * Reads the choice again from a stored trace: the family's ground truth applied to the worlds it
 * carries, so stored runs can be (re)classified without re-running them. Undefined when the trace
 * lacks them (see {@link worldsOfTrace}), null for runs that errored.
 */
export function choiceFromTrace(events: readonly TraceEvent[]): string | null | undefined {
  const worlds = worldsOfTrace(events);
  if (!worlds) return undefined;
  return worlds.errored ? null : worlds.family.detectChoice(worlds.start, worlds.end);
}
