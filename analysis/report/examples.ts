/**
 * Example transcripts for a report: for each cell a few of its finished runs (some that showed the
 * cell's behaviour, one that did not) plus any run raters disagreed on, each condensed to what the
 * agents read, said and did.
 */
import type { TraceStore } from '../../traces/index.js';
import { RULE_RATER } from '../classify/taxonomy.js';
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

const ruleYes = (store: TraceStore, runId: string) =>
  store.labels({ runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER && l.value).map((l) => l.label);

function exampleRun(store: TraceStore, runId: string, labels: string[]): ExampleRun {
  const run = store.run(runId)!;
  return { runId, status: run.status, reason: run.reason, choice: run.choice, labels, entries: condenseRun(store.events(runId)).entries };
}

/**
 * The example runs of one cell, in the cell's run order: the first runs with any of `behaviour`'s
 * labels, the first without, and every run in `alsoShow` (e.g. ones raters disagreed on). Labels
 * are read only until the examples are found, so a cell of thousands of runs costs a few reads.
 */
export function cellExamples(store: TraceStore, cell: CellResult, behaviour: readonly string[], alsoShow: ReadonlySet<string>): CellExamples {
  const chosen = new Map<string, string[]>();
  let withIt = 0;
  let without = 0;
  for (const runId of cell.runIds) {
    const looking = withIt < EXAMPLES_WITH || without < EXAMPLES_WITHOUT;
    if (!looking && !alsoShow.has(runId)) continue;
    const labels = ruleYes(store, runId);
    const shows = labels.some((l) => behaviour.includes(l));
    if (shows && withIt < EXAMPLES_WITH) (withIt += 1, chosen.set(runId, labels));
    else if (!shows && without < EXAMPLES_WITHOUT) (without += 1, chosen.set(runId, labels));
    if (alsoShow.has(runId)) chosen.set(runId, labels);
  }
  return { cell, runs: [...chosen].map(([id, labels]) => exampleRun(store, id, labels)) };
}
