import { z } from 'zod';

/** Who gave a label: the rule detectors, an LLM judge, or a person. */
export const LabelSource = z.enum(['rule', 'judge', 'human']);
export type LabelSource = z.infer<typeof LabelSource>;

/** What a label rests on: event sequence numbers and world paths, and for judges a quoted passage. */
export const LabelEvidence = z.object({
  seqs: z.array(z.number().int().nonnegative()),
  paths: z.array(z.string()),
  quote: z.string().optional(),
  note: z.string().optional(),
}).strict();
export type LabelEvidence = z.infer<typeof LabelEvidence>;

/**
 * One verdict on one run: label id (see analysis/classify/taxonomy.ts), yes or no, who gave it and
 * on what evidence. `rater` is `rules` for the detectors, the judge's model spec, or a person's
 * name; (run, label, source, rater) is unique, so re-classifying replaces rather than adds.
 */
export const LabelRecord = z.object({
  runId: z.string(),
  label: z.string(),
  value: z.boolean(),
  source: LabelSource,
  rater: z.string(),
  classifierVersion: z.string(),
  evidence: LabelEvidence,
  /** The judge's full prompt, recorded with each of its verdicts. */
  judgePrompt: z.string().optional(),
  /** Wall-clock time the label was given (ISO). */
  createdAt: z.string(),
}).strict();
export type LabelRecord = z.infer<typeof LabelRecord>;

/** A judge answer that could not be used as a verdict (malformed JSON, missing fields, call failed). */
export const JudgeErrorRecord = z.object({
  runId: z.string(),
  rater: z.string(),
  classifierVersion: z.string(),
  error: z.string(),
  /** What the judge answered, if anything. */
  raw: z.string(),
  createdAt: z.string(),
}).strict();
export type JudgeErrorRecord = z.infer<typeof JudgeErrorRecord>;

/** Which labels to read. */
export interface LabelFilter {
  runId?: string;
  source?: LabelSource;
}

/** The label half of a trace store. */
export interface LabelStore {
  /**
   * Replaces every label `source`/`rater` gave the run with `records`, in one transaction, and
   * clears that rater's judge errors for the run: classifying again gives the same rows.
   */
  replaceLabels(runId: string, source: LabelSource, rater: string, records: readonly LabelRecord[]): void;
  /** Adds or replaces one label (same run, label, source and rater). */
  putLabel(record: LabelRecord): void;
  /** Labels, ordered by run, label, source, rater. A run's labels are one index lookup. */
  labels(filter?: LabelFilter): LabelRecord[];
  /**
   * Yes-verdicts of one rater on every run, read in one pass (run id → labels said yes, in label
   * order): what tables count, without reading each run's labels and evidence one run at a time.
   */
  yesLabels(source: LabelSource, rater: string): Map<string, string[]>;
  /** Who labelled each run (run id → its distinct sources and raters), in one pass without the labels themselves. */
  ratersOfRuns(): Map<string, Array<{ source: LabelSource; rater: string }>>;
  recordJudgeError(error: JudgeErrorRecord): void;
  /** Judge errors, oldest first. */
  judgeErrors(runId?: string): JudgeErrorRecord[];
}

/** Thrown for a label on a run the store does not have. */
export class UnknownRunError extends Error {}

/** A label that does not fit its schema: refused before anything is written, so reading back never fails. */
export class InvalidLabelError extends Error {}

/** The record, checked against its schema (stores call this before writing). */
export function checkLabel(record: LabelRecord): LabelRecord {
  const parsed = LabelRecord.safeParse(record);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidLabelError(`label ${String(record?.label)} of run ${String(record?.runId)}: ${issue.path.join('.') || 'record'}: ${issue.message}`);
}

/** The order `labels()` returns. */
export function compareLabels(a: LabelRecord, b: LabelRecord): number {
  return a.runId.localeCompare(b.runId) || a.label.localeCompare(b.label) || a.source.localeCompare(b.source) || a.rater.localeCompare(b.rater);
}
