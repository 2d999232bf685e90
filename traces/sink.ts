import type { EventOf, TraceEvent } from './events.schema.js';
import type { ElicitationStore } from './elicitations.js';
import type { ExperimentStore } from './experiments.js';
import type { LabelSource, LabelStore } from './labels.js';
import type { ResponseCache } from './response-cache.js';
import type { ImportItem } from './trace-records.js';

/**
 * Where a run stands. `running`: started and not ended, by a process that is still alive (or on
 * another host); `abandoned`: the process running it ended first (killed, a failed write), found so
 * by the next process that opened the store. An abandoned run is never a result nor an attempt
 * that counts against `max_attempts`.
 */
export type RunStatus = 'running' | 'completed' | 'errored' | 'truncated' | 'abandoned';

/**
 * Where a run was made: here (`local`), read from a file by `peerlab import` (`imported`: shown, but
 * never counted as a result of this database's experiments), or imported to count as this
 * database's own (`adopted`, `import --adopt`).
 */
export type RunOrigin = 'local' | 'imported' | 'adopted';

/** One row of the run index: a projection of a run's `run.started` and `run.ended` events. */
export interface RunSummary {
  runId: string;
  episodeKey: string;
  scenario: string;
  family: string;
  model: string;
  peerModel: string | null;
  factors: Record<string, string>;
  seed: number;
  trial: number;
  status: RunStatus;
  reason: string | null;
  choice: string | null;
  eventCount: number;
  origin: RunOrigin;
}

/** Whether a run can stand as a result of an experiment: finished, and made here or adopted. */
export function isCountedResult(run: Pick<RunSummary, 'status' | 'origin'>): boolean {
  return (run.status === 'completed' || run.status === 'truncated') && run.origin !== 'imported';
}

/**
 * The port every trace write goes through. `append` stores an event as part of the current step;
 * `flush` makes the step's events durable (one commit in SQLite). The episode runner flushes before
 * each model call (the start of the next step) and when a run ends, so every step's events are
 * committed before the next step starts. A sink without `flush` stores each event as it comes.
 */
export interface TraceSink {
  append(event: TraceEvent): void;
  flush?(): void;
}

/** How an import stores what it reads. */
export interface ImportOptions {
  /** How the runs are marked (default `imported`). */
  origin?: Exclude<RunOrigin, 'local'>;
  /** Runs inside the import's transaction after the last item (checks and settlements that must be all or nothing with it). */
  finish?: () => void;
}

/** A sink that can also be read back, and keeps labels and experiments: the in-memory and SQLite stores. */
export interface TraceStore extends TraceSink, LabelStore, ExperimentStore {
  /** All runs, oldest first. */
  runs(): RunSummary[];
  /** One run, or undefined. */
  run(runId: string): RunSummary | undefined;
  /**
   * A run's events in sequence order ([] for an unknown run); with `types`, only events of those
   * types (read through the (run, type) index: what usage and similar summaries need, without the rest).
   */
  events(runId: string, types?: readonly TraceEvent['type'][]): TraceEvent[];
  /**
   * A run's events in order, read one at a time (for exports of any size: a run's events need not
   * fit in memory together). Nothing else may be read from or written to the store until the
   * iteration ends (SQLite's connection is busy with it).
   */
  iterateEvents(runId: string): IterableIterator<TraceEvent>;
  /** Up to `limit` of a run's events with seq above `afterSeq`, in order: a long run read in pages. */
  eventsAfter(runId: string, afterSeq: number, limit: number): TraceEvent[];
  /** How many runs with this episode key exist, of any status and origin (so the next attempt gets a fresh id). */
  attempts(episodeKey: string): number;
  /**
   * Attempts of this episode that count against `max_attempts`: runs made here (or adopted) that
   * ended as errored. Runs cut off by a dead process (abandoned) and imported runs do not count.
   */
  failedAttempts(episodeKey: string): number;
  /**
   * Stores what a file holds, in one transaction: all of it or (on any failure, including one the
   * iterable throws) none. Events must form whole, ordered runs (as `append` checks); a run id
   * already present is refused; labels and judge errors must follow their run; an experiment is
   * added unless one with its id exists, and planned episodes are added to it. Items are consumed
   * one at a time, so a file read line by line is never held whole.
   */
  importRecords(items: Iterable<ImportItem>, options?: ImportOptions): void;

  /**
   * Runs that can stand as results (finished, made here or adopted) but have no label from this
   * rater: a process killed between a run's end and its classification leaves one, and so does an
   * adopted run imported without labels.
   */
  unlabelledResults(source: LabelSource, rater: string): RunSummary[];
  /** The cache of remote model answers kept with these traces. */
  responseCache(): ResponseCache;
  /** The stated-preference elicitations kept with these traces. */
  elicitationStore(): ElicitationStore;
  close(): void;
}

/** Thrown when an append would break the trace's invariants. */
export class TraceOrderError extends Error {}

/** The run-index row a `run.started` event opens. */
export function summaryFromStart(event: EventOf<'run.started'>): RunSummary {
  const p = event.payload;
  const subject = p.agents.find((a) => a.role === 'subject');
  const peer = p.agents.find((a) => a.role === 'peer');
  return {
    runId: event.runId,
    episodeKey: p.episodeKey,
    scenario: p.scenario,
    family: p.family,
    model: subject?.model ?? '',
    peerModel: peer?.model ?? null,
    factors: p.factors,
    seed: p.seed,
    trial: p.trial,
    status: 'running',
    reason: null,
    choice: null,
    eventCount: 1,
    origin: 'local',
  };
}

/**
 * Checks that `event` may follow a run whose index row is `current` (undefined: no such run yet):
 * a run opens with `run.started` at seq 0, sequence numbers have no gaps, nothing follows `run.ended`.
 * Both stores call this, so they accept and refuse exactly the same appends.
 */
export function checkAppend(current: RunSummary | undefined, event: TraceEvent): void {
  if (!current) {
    if (event.type !== 'run.started' || event.seq !== 0) {
      throw new TraceOrderError(`run ${event.runId}: the first event must be run.started with seq 0`);
    }
    return;
  }
  if (event.type === 'run.started') throw new TraceOrderError(`run ${event.runId} has already started`);
  if (current.status !== 'running') throw new TraceOrderError(`run ${event.runId} has already ended`);
  if (event.seq !== current.eventCount) {
    throw new TraceOrderError(`run ${event.runId}: expected seq ${current.eventCount}, got ${event.seq}`);
  }
}

/** The index row after `event` was appended. */
export function advanceSummary(current: RunSummary, event: TraceEvent): RunSummary {
  const next = { ...current, eventCount: current.eventCount + 1 };
  if (event.type !== 'run.ended') return next;
  return { ...next, status: event.payload.status, reason: event.payload.reason, choice: event.payload.choice };
}
