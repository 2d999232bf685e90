/**
 * Classification when a run ends: every run is labelled by the rule detectors as soon as it is
 * stored, whoever ran it (`peerlab run`, `peerlab fork`, the terminal app's Play, an experiment).
 * One function, so that they cannot drift apart.
 */
import { classifyStoredRun } from '../analysis/index.js';
import type { WallClock } from '../sim/index.js';
import type { TraceEvent, TraceStore } from '../traces/index.js';

/**
 * Classifies a stored run with the rule detectors, replacing its rule labels, and returns its positive
 * labels (none when it could not be classified: it errored, or its trace cannot be read). Pass
 * `events` when the caller has read them already.
 */
export function classifyFinishedRun(store: TraceStore, runId: string, clock: WallClock, events?: readonly TraceEvent[]): string[] {
  const classified = classifyStoredRun(store, runId, clock.iso(), events);
  return classified.status === 'labelled' ? classified.positive : [];
}
