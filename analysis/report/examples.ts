/**
 * Example transcripts for a report: for each cell a few of its finished runs (some that showed the
 * cell's behaviour, one that did not) plus any run raters disagreed on, each condensed to what the
 * agents read, said and did.
 */
import type { TraceStore } from '../../traces/index.js';
import { RULE_RATER } from '../classify/classify.js';
import { condenseRun, type TranscriptEntry } from '../classify/condense.js';
import type { CellResult } from '../experiment/results.js';

/** Runs of a cell shown: this many that showed its behaviour, and this many that did not. */
export const EXAMPLES_WITH = 2;
export const EXAMPLES_WITHOUT = 1;

export interface ExampleRun {
  runId: string;
  status: string;
  reason: string | null;
  choice: string | null;
  /** Rule labels that said yes. */
  labels: string[];
  entries: TranscriptEntry[];
}

export interface CellExamples {
  cell: CellResult;
  runs: ExampleRun[];
}

function exampleRun(store: TraceStore, runId: string): ExampleRun {
  const run = store.run(runId)!;
  const labels = store.labels({ runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER && l.value).map((l) => l.label);
  return { runId, status: run.status, reason: run.reason, choice: run.choice, labels, entries: condenseRun(store.events(runId)).entries };
}

/**
 * The example runs of one cell, in the cell's run order: the first runs with any of `behaviour`'s
 * labels, the first without, and every run in `alsoShow` (e.g. ones raters disagreed on).
 */
export function cellExamples(store: TraceStore, cell: CellResult, behaviour: readonly string[], alsoShow: ReadonlySet<string>): CellExamples {
  const chosen = new Set<string>();
  let withIt = 0;
  let without = 0;
  for (const runId of cell.runIds) {
    const shows = store.labels({ runId, source: 'rule' }).some((l) => l.rater === RULE_RATER && l.value && behaviour.includes(l.label));
    if (shows && withIt < EXAMPLES_WITH) (withIt += 1, chosen.add(runId));
    else if (!shows && without < EXAMPLES_WITHOUT) (without += 1, chosen.add(runId));
    if (alsoShow.has(runId)) chosen.add(runId);
  }
  return { cell, runs: cell.runIds.filter((id) => chosen.has(id)).map((id) => exampleRun(store, id)) };
}
