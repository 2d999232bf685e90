/**
 * JSON-lines exports, produced one line at a time so an export of any size streams to its file with
 * flat memory. A run export is its events only (exactly the trace schema). An experiment export also
 * carries the experiment and what its tables rest on, so it can be imported elsewhere and reported
 * on: the experiment record, every planned episode, and after each counted run's events its labels
 * and judge errors (traces/trace-records.ts describes those lines).
 */
import { eventToJsonLine, recordToJsonLine, type TraceStore } from '../../traces/index.js';

/** The events of `runIds`, in the order given, one JSON line each. */
export function* runTraceLines(store: TraceStore, runIds: readonly string[]): Generator<string> {
  for (const runId of runIds) for (const event of store.iterateEvents(runId)) yield eventToJsonLine(event);
}

/**
 * An experiment's export: its record, its planned episodes, then each of `runIds` (the runs it
 * counts) with its events, labels and judge errors. Events are read one at a time.
 */
export function* experimentTraceLines(store: TraceStore, experimentId: string, runIds: readonly string[]): Generator<string> {
  const experiment = store.experiment(experimentId);
  if (!experiment) throw new Error(`no experiment ${experimentId}`);
  const { owner: _owner, ...record } = experiment;
  yield recordToJsonLine({ record: 'experiment', experiment: record });
  for (const p of store.plannedEpisodes(experimentId)) yield recordToJsonLine({ record: 'planned', experimentId, ...p });
  for (const runId of runIds) {
    for (const event of store.iterateEvents(runId)) yield eventToJsonLine(event);
    for (const label of store.labels({ runId })) yield recordToJsonLine({ record: 'label', label });
    for (const judgeError of store.judgeErrors(runId)) yield recordToJsonLine({ record: 'judge_error', judgeError });
  }
}
