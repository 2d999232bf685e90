import { createHash } from 'node:crypto';
import type { TraceStore } from '../../traces/index.js';
import { experimentRuns } from './counted-runs.js';
import { RULE_RATER } from '../classify/taxonomy.js';
import { NO_USAGE, USAGE_EVENTS, addUsage, runUsage, type Prices, type Usage } from './usage.js';

/** The label a run gets when it read every record its decision depends on (the study's read gate). */
export const READ_GATE_LABEL = 'read_decision_data';

/** One cell of an experiment with what its finished runs show. */
export interface CellResult {
  /** A short stable id of the cell (a hash of its scenario, models and factor levels). */
  cellId: string;
  scenario: string;
  family: string;
  model: string;
  peerModel: string | null;
  /** Every factor's level in the cell. */
  levels: Record<string, string>;
  planned: number;
  /** Episodes with a run the experiment counts (the latest finished one, counted-runs.ts). */
  finished: number;
  /** Episodes whose every attempt errored. */
  failed: number;
  /** Finished runs the rule detectors labelled yes, by label. */
  labels: Record<string, number>;
  /** Finished runs by the choice their ground truth read. */
  choices: Record<string, number>;
  /**
   * The same counts over the finished runs that passed the read gate (read every record the
   * decision depends on, label `read_decision_data`): what the study counted.
   */
  read?: { finished: number; labels: Record<string, number> };
  /** Token use and cost of the finished runs (only when asked for: it reads every event). */
  usage: Usage;
  /** The finished run of each episode, in planning order: where a report finds example transcripts. */
  runIds: string[];
}

interface CellKey {
  scenario: string;
  model: string;
  peerModel: string | null;
  factors: Record<string, string>;
}

/**
 * An experiment's cells with their results: for every planned episode, the run the experiment
 * counts (counted-runs.ts: the latest finished one), the rule labels it got and, when `usageAt`
 * gives the prices, its token use and cost. Runs are matched by episode key, so an experiment sees
 * the results of any earlier run of the same episode.
 */
export function experimentResults(store: TraceStore, experimentId: string, usageAt?: Prices): CellResult[] {
  const cells = new Map<string, CellResult>();
  // Every run's rule labels at once (one pass over the labels), not one read per run.
  const yes = store.yesLabels('rule', RULE_RATER);
  for (const { episode: planned, counted: run, runs } of experimentRuns(store, experimentId)) {
    const key = JSON.parse(planned.cell) as CellKey;
    let cell = cells.get(planned.cell);
    if (!cell) {
      cell = {
        cellId: createHash('sha256').update(planned.cell).digest('hex').slice(0, 12), scenario: key.scenario, family: '', model: key.model, peerModel: key.peerModel, levels: key.factors,
        planned: 0, finished: 0, failed: 0, labels: {}, choices: {}, read: { finished: 0, labels: {} }, usage: NO_USAGE, runIds: [],
      };
      cells.set(planned.cell, cell);
    }
    cell.planned += 1;
    if (!run) {
      if (runs.some((r) => r.run.status === 'errored' && r.run.origin !== 'imported')) cell.failed += 1;
      continue;
    }
    cell.family = run.family;
    cell.finished += 1;
    cell.runIds.push(run.runId);
    if (run.choice) cell.choices[run.choice] = (cell.choices[run.choice] ?? 0) + 1;
    const runYes = yes.get(run.runId) ?? [];
    for (const label of runYes) cell.labels[label] = (cell.labels[label] ?? 0) + 1;
    if (runYes.includes(READ_GATE_LABEL)) {
      const read = (cell.read ??= { finished: 0, labels: {} });
      read.finished += 1;
      for (const label of runYes) read.labels[label] = (read.labels[label] ?? 0) + 1;
    }
    if (usageAt) cell.usage = addUsage(cell.usage, runUsage(store.events(run.runId, USAGE_EVENTS), usageAt));
  }
  return [...cells.values()];
}
