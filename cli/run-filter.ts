/**
 * Which stored runs `peerlab runs` lists: the filters its flags name, all of which must hold.
 * Kept free of the analysis layer's heavy imports (the experiment filter reads counted runs
 * directly), so listing runs starts fast.
 */
import { allRunStandings } from '../analysis/experiment/counted-runs.js';
import { LABEL_IDS, isLabelId } from '../environments/index.js';
import type { RunStatus, RunSummary, TraceStore } from '../traces/index.js';
import { UsageError } from './errors.js';
import { parseFactors } from './options.js';

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'errored', 'truncated', 'abandoned'];

/** The flags of `peerlab runs` that choose runs. */
export interface RunFilterFlags {
  experiment?: string;
  allRuns?: boolean;
  scenario?: string;
  model?: string;
  factor: string[];
  label?: string;
  choice?: string;
  status?: string;
}

/** A run and, for `--experiment`, why the experiment does not count it (absent when it does). */
export interface ListedRun {
  run: RunSummary;
  notCountedBecause?: string;
}

/** Checks the flags before the database is opened: a bad label, status or factor is one line, exit 2. */
export function checkRunFilter(flags: RunFilterFlags): void {
  if (flags.label !== undefined && !isLabelId(flags.label)) {
    throw new UsageError(`--label "${flags.label.slice(0, 60)}" is not a label (labels: ${LABEL_IDS.join(', ')})`);
  }
  if (flags.status !== undefined && !STATUSES.includes(flags.status as RunStatus)) {
    throw new UsageError(`--status "${flags.status.slice(0, 40)}" is not a run status (${STATUSES.join(', ')})`);
  }
  if (flags.allRuns && flags.experiment === undefined) throw new UsageError('--all-runs goes with --experiment ID');
  parseFactors(flags.factor);
}

/**
 * The runs the flags choose, newest first (the order they were started in this database, the
 * latest on top). With `--experiment`, the runs the experiment counts (its tables' runs); with
 * `--all-runs` also its other runs, each with the reason it is not counted. `--model` matches the
 * subject's or a live peer's model spec exactly; `--label` a rule label given as yes.
 */
export function selectRuns(store: TraceStore, flags: RunFilterFlags): ListedRun[] {
  const factors = Object.entries(parseFactors(flags.factor));
  let listed: ListedRun[];
  if (flags.experiment !== undefined) {
    listed = allRunStandings(store, flags.experiment)
      .filter((s) => s.counted || flags.allRuns)
      .map((s) => ({ run: s.run, ...(s.notCountedBecause === undefined ? {} : { notCountedBecause: s.notCountedBecause }) }));
  } else {
    listed = store.runs().map((run) => ({ run }));
  }
  const labelled = flags.label === undefined
    ? undefined
    : new Set(store.labels({ source: 'rule' }).filter((l) => l.label === flags.label && l.value).map((l) => l.runId));
  return listed.filter(({ run }) => (flags.scenario === undefined || run.scenario === flags.scenario)
    && (flags.model === undefined || run.model === flags.model || run.peerModel === flags.model)
    && factors.every(([k, v]) => run.factors[k] === v)
    && (flags.choice === undefined || run.choice === flags.choice)
    && (flags.status === undefined || run.status === flags.status)
    && (labelled === undefined || labelled.has(run.runId))).reverse();
}

/**
 * The factor levels a run was asked for, apart from its scenario's defaults, read from its episode
 * key (which holds exactly those): what tells one cell from another, without loading scenarios.
 */
export function chosenFactors(run: RunSummary): Record<string, string> {
  try {
    const parts = JSON.parse(run.episodeKey) as { factors?: Record<string, string> };
    if (parts.factors && typeof parts.factors === 'object') return parts.factors;
  } catch {
    // An episode key from elsewhere (an import) that is not peerlab's JSON: show every level.
  }
  return run.factors;
}
