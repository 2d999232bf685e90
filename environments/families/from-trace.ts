import type { TraceEvent } from '../../traces/index.js';
import type { World } from '../world/world.js';
import type { Family } from './family.js';
import { FAMILIES } from './index.js';
import { viewRun, type RunView } from './run-view.js';
import { own } from '../../sim/index.js';

/** What a stored trace says about its episode: the family and the worlds as built and as left. */
export interface TraceWorlds {
  family: Family;
  start: World;
  end: World;
  errored: boolean;
  status: 'completed' | 'truncated' | 'errored';
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
  const status = ended.payload.status;
  return { family, start: start as unknown as World, end: end as unknown as World, errored: status === 'errored', status, endSeq: ended.seq };
}

/** A stored trace as its family reads it, or why it cannot be read. */
export function viewOfTrace(events: readonly TraceEvent[]): { family: Family; view: RunView } | { reason: string } {
  const worlds = worldsOfTrace(events);
  if (!worlds) return { reason: 'the trace carries no worlds (recorded by an older peerlab), or the run has not ended' };
  if (worlds.errored) return { reason: 'the run errored' };
  const view = viewRun({ start: worlds.start, end: worlds.end, events, status: worlds.status, endSeq: worlds.endSeq });
  if (!view) return { reason: 'the trace carries no world patches (recorded by an older peerlab)' };
  return { family: worlds.family, view };
}

/**
 * Reads the choice again from a stored trace: the family's reading of the acts in it, so stored
 * runs can be (re)classified without re-running them. Undefined when the trace cannot be read (see
 * {@link viewOfTrace}), null for runs that errored.
 */
export function choiceFromTrace(events: readonly TraceEvent[]): string | null | undefined {
  const worlds = worldsOfTrace(events);
  if (worlds?.errored) return null;
  const read = viewOfTrace(events);
  return 'reason' in read ? undefined : read.family.read(read.view).choice;
}
