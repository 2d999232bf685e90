import type { TraceEvent } from '../../traces/index.js';
import type { World } from '../world/world.js';
import { FAMILIES } from './index.js';

/**
 * Reads the choice again from a stored trace: the family's ground truth applied to the worlds that
 * `run.started` and `run.ended` carry. Lets stored runs be (re)classified without re-running them.
 * Returns undefined for traces without both worlds (written before they were recorded) or of an
 * unknown family, and null for runs that errored.
 */
export function choiceFromTrace(events: readonly TraceEvent[]): string | null | undefined {
  const started = events.find((e) => e.type === 'run.started');
  const ended = events.findLast((e) => e.type === 'run.ended');
  if (started?.type !== 'run.started' || ended?.type !== 'run.ended') return undefined;
  if (ended.payload.status === 'errored') return null;
  const family = FAMILIES[started.payload.family];
  const [start, end] = [started.payload.world, ended.payload.world];
  if (!family || !start || !end) return undefined;
  return family.detectChoice(start as unknown as World, end as unknown as World);
}
