import { CLASSIFIER_VERSION, RULE_RATER } from '../analysis/index.js';
import { ruleVerdicts, unreadableBecause } from '../environments/index.js';
import type { WallClock } from '../sim/index.js';
import type { LabelRecord, TraceEvent, TraceStore } from '../traces/index.js';

/** What classifying one run gave. */
export type RunClassification =
  | { runId: string; status: 'labelled'; positive: string[] }
  | { runId: string; status: 'skipped'; reason: string };

/**
 * Runs the rule detectors on a stored run and replaces its rule labels (one transaction), so
 * classifying again gives the same rows. Runs that errored, are still running or were stored
 * without worlds are skipped, with the reason. Pass `events` when the caller has read them already.
 */
export function classifyStoredRun(store: TraceStore, runId: string, createdAt: string, events?: readonly TraceEvent[]): RunClassification {
  const run = store.run(runId);
  if (!run) return { runId, status: 'skipped', reason: 'no such run' };
  if (run.status === 'running') return { runId, status: 'skipped', reason: 'the run has not ended' };
  if (run.status === 'abandoned') return { runId, status: 'skipped', reason: 'the run was cut off: its process ended before it finished' };
  const trace = events ?? store.events(runId);
  const verdicts = ruleVerdicts(trace);
  if (!verdicts) return { runId, status: 'skipped', reason: run.status === 'errored' ? 'the run errored' : unreadableBecause(trace) ?? 'the trace cannot be read' };
  const records: LabelRecord[] = verdicts.map((v) => ({
    runId, label: v.label, value: v.value, source: 'rule', rater: RULE_RATER, classifierVersion: CLASSIFIER_VERSION, evidence: v.evidence, createdAt,
  }));
  store.replaceLabels(runId, 'rule', RULE_RATER, records);
  return { runId, status: 'labelled', positive: verdicts.filter((v) => v.value).map((v) => v.label) };
}

/**
 * Classification when a run ends: every run is labelled by the rule detectors as soon as it is
 * stored, whoever ran it (`peerlab run`, `peerlab fork`, the terminal app's Play, an experiment), through
 * this one function. Returns the run's positive labels (none when it could not be classified: it
 * errored, or its trace cannot be read). Pass `events` when the caller has read them already.
 */
export function classifyFinishedRun(store: TraceStore, runId: string, clock: WallClock, events?: readonly TraceEvent[]): string[] {
  const classified = classifyStoredRun(store, runId, clock.iso(), events);
  return classified.status === 'labelled' ? classified.positive : [];
}
