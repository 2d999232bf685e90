/**
 * The one definition of "the runs an experiment counts": for every episode the experiment planned,
 * the latest of its runs that finished (completed or truncated) and is not excluded. The tables,
 * the exports, `agreement --experiment`, `classify --experiment` and the report all read runs
 * through here, so they never disagree about which runs an experiment's figures rest on.
 */
import { isCountedResult, type PlannedEpisode, type RunSummary, type TraceStore } from '../../traces/index.js';

/** One run of a planned episode and whether the experiment counts it. */
export interface RunStanding {
  run: RunSummary;
  counted: boolean;
  /** Why not, for a run that is not counted. */
  notCountedBecause?: string;
}

/** A planned episode with its runs, oldest first, and the one counted (if any). */
export interface EpisodeRuns {
  episode: PlannedEpisode;
  counted: RunSummary | null;
  runs: RunStanding[];
}

/**
 * Why a run can never be counted, whatever else its episode has, or null when it can. Whether a run
 * can stand as a result at all is the store's one rule (`isCountedResult`: finished, and made here or
 * adopted); this names the reason for every run that cannot.
 */
export function notCountable(run: RunSummary): string | null {
  if (isCountedResult(run)) return null;
  if (run.origin === 'imported') return 'imported from another database (npx peerlab import --adopt counts imported runs)';
  if (run.status === 'errored') return `errored${run.reason ? ` (${run.reason})` : ''}`;
  if (run.status === 'abandoned') return 'abandoned: its process ended before the run finished';
  if (run.status === 'running') return 'unfinished: still running';
  return `not finished (${run.status})`;
}

/**
 * Every planned episode of an experiment with its runs (matched by episode key) and the one it
 * counts: the latest countable run. Earlier countable runs of the same episode are superseded.
 */
export function experimentRuns(store: TraceStore, experimentId: string): EpisodeRuns[] {
  const byKey = new Map<string, RunSummary[]>();
  for (const r of store.runs()) byKey.set(r.episodeKey, [...(byKey.get(r.episodeKey) ?? []), r]);
  return store.plannedEpisodes(experimentId).map((episode) => {
    const runs = byKey.get(episode.episodeKey) ?? [];
    const counted = runs.findLast((r) => notCountable(r) === null) ?? null;
    return {
      episode,
      counted,
      runs: runs.map((run): RunStanding => {
        if (run === counted) return { run, counted: true };
        return { run, counted: false, notCountedBecause: notCountable(run) ?? `superseded by the later run ${counted!.runId} of the same episode` };
      }),
    };
  });
}

/** The runs an experiment counts, in planning order. */
export function countedRunIds(store: TraceStore, experimentId: string): string[] {
  return experimentRuns(store, experimentId).flatMap((e) => (e.counted ? [e.counted.runId] : []));
}

/** Every run of an experiment's planned episodes with its standing, in the store's order (oldest first), as exports write them. */
export function allRunStandings(store: TraceStore, experimentId: string): RunStanding[] {
  const order = new Map(store.runs().map((r, i) => [r.runId, i]));
  return experimentRuns(store, experimentId).flatMap((e) => e.runs).sort((a, b) => order.get(a.run.runId)! - order.get(b.run.runId)!);
}

/**
 * Sets an experiment's status from its runs, after runs reached the database other than by running
 * it here (an import, a merge): `completed` when every planned episode has a counted run, else
 * `stopped`, saying how many have none and how to run them.
 */
export function settleExperimentStatus(store: TraceStore, experimentId: string, how: string): void {
  const episodes = experimentRuns(store, experimentId);
  const missing = episodes.filter((e) => !e.counted).length;
  if (missing === 0) store.setExperimentStatus(experimentId, 'completed', null);
  else {
    store.setExperimentStatus(experimentId, 'stopped',
      `${how}: ${missing} of ${episodes.length} planned episodes have no finished run here (run the experiment's file on this database to run them)`);
  }
}
