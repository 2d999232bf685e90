/**
 * The lines of a JSON-lines file that are not trace events. An experiment's export (`peerlab export
 * --experiment ID --format jsonl`) carries what a colleague needs to report on it elsewhere: first
 * the experiment (its validated design, as stored), then one line per planned episode, then each
 * counted run's events followed by its labels and judge errors. Each such line names its kind in
 * `record`; a trace event never has that key (its first key is `schemaVersion`), so a reader that
 * only wants traces keeps the lines with a `runId` and no `record`.
 */
import { z } from 'zod';
import { JudgeErrorRecord, LabelRecord } from './labels.js';
import type { TraceEvent } from './events.schema.js';

/** The experiment an export came from (its record less the process running it). */
export const ExperimentLine = z.object({
  record: z.literal('experiment'),
  experiment: z.object({
    experimentId: z.string().min(1),
    name: z.string(),
    design: z.unknown(),
    designHash: z.string(),
    status: z.enum(['running', 'completed', 'stopped']),
    note: z.string().nullable(),
    createdAt: z.string(),
  }).strict(),
}).strict();
export type ExperimentLine = z.infer<typeof ExperimentLine>;

/** One episode the experiment planned (its key, cell and trial). */
export const PlannedLine = z.object({
  record: z.literal('planned'),
  experimentId: z.string().min(1),
  episodeKey: z.string().min(1),
  cell: z.string(),
  trial: z.number().int().nonnegative(),
}).strict();
export type PlannedLine = z.infer<typeof PlannedLine>;

/** A label of a run in the file (after that run's events). */
export const LabelLine = z.object({ record: z.literal('label'), label: LabelRecord }).strict();
export type LabelLine = z.infer<typeof LabelLine>;

/** A judge error of a run in the file (after that run's events). */
export const JudgeErrorLine = z.object({ record: z.literal('judge_error'), judgeError: JudgeErrorRecord }).strict();
export type JudgeErrorLine = z.infer<typeof JudgeErrorLine>;

/** Any line that is not an event. */
export const RecordLine = z.discriminatedUnion('record', [ExperimentLine, PlannedLine, LabelLine, JudgeErrorLine]);
export type RecordLine = z.infer<typeof RecordLine>;

/** What an import stores: trace events and the records that travel with them. */
export type ImportItem = TraceEvent | RecordLine;

/** Whether an item is a record line rather than a trace event. */
export function isRecordLine(item: ImportItem): item is RecordLine {
  return 'record' in item;
}

/** A record as one JSON line, keys in a fixed order (exports are byte-identical after a round trip). */
export function recordToJsonLine(line: RecordLine): string {
  switch (line.record) {
    case 'experiment': {
      const { experimentId, name, design, designHash, status, note, createdAt } = line.experiment;
      return JSON.stringify({ record: line.record, experiment: { experimentId, name, design, designHash, status, note, createdAt } });
    }
    case 'planned': {
      const { experimentId, episodeKey, cell, trial } = line;
      return JSON.stringify({ record: line.record, experimentId, episodeKey, cell, trial });
    }
    case 'label': {
      const { runId, label, value, source, rater, classifierVersion, evidence, judgePrompt, createdAt } = line.label;
      return JSON.stringify({ record: line.record, label: { runId, label, value, source, rater, classifierVersion, evidence, judgePrompt, createdAt } });
    }
    case 'judge_error': {
      const { runId, rater, classifierVersion, error, raw, createdAt } = line.judgeError;
      return JSON.stringify({ record: line.record, judgeError: { runId, rater, classifierVersion, error, raw, createdAt } });
    }
  }
}
