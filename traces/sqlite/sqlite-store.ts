import Database from 'better-sqlite3';
import { TraceEvent } from '../events.schema.js';
import type { ExperimentRecord, PlannedEpisode } from '../experiments.js';
import { StoreWriteError } from '../store-errors.js';
import type { JudgeErrorRecord, LabelFilter, LabelRecord, LabelSource } from '../labels.js';
import { isRecordLine, type ImportItem } from '../trace-records.js';
import {
  TraceOrderError,
  advanceSummary,
  checkAppend,
  summaryFromStart,
  type ImportOptions,
  type RunOrigin,
  type RunSummary,
  type TraceStore,
} from '../sink.js';
import { StoreOpenError, openDatabase, type SqliteStoreOptions } from './open-database.js';
import { closeSession, openSession, ownId } from './sessions.js';
import { SqliteExperimentStore } from './sqlite-experiments.js';
import { SqliteLabelStore } from './sqlite-labels.js';
import { BUSY_TIMEOUT_MS, StoreWriter } from './writing.js';
import { SqliteResponseCache } from './sqlite-response-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { SqliteElicitationStore } from './sqlite-elicitations.js';
import type { ElicitationStore } from '../elicitations.js';
import type { ResponseCache } from '../response-cache.js';

export { BUSY_TIMEOUT_MS };
export { StoreOpenError, type SqliteStoreOptions };

const DEFAULT_WAL_LIMIT = 8 * 1024 * 1024;

/**
 * Run columns; a running run's event count is counted from its events, so an append is one
 * INSERT (the stored count is written once, when the run ends).
 */
const RUN_COLUMNS = `run_id, episode_key, scenario, family, model, peer_model, factors, seed, trial, status, reason, choice, origin,
  CASE WHEN status = 'running' THEN (SELECT count(*) FROM events e WHERE e.run_id = runs.run_id) ELSE event_count END AS event_count`;

interface RunRow {
  run_id: string;
  episode_key: string;
  scenario: string;
  family: string;
  model: string;
  peer_model: string | null;
  factors: string;
  seed: number;
  trial: number;
  status: RunSummary['status'];
  reason: string | null;
  choice: string | null;
  event_count: number;
  origin: RunOrigin;
}

interface EventRow {
  run_id: string;
  seq: number;
  type: string;
  actor: string;
  sim_time: string;
  schema_version: number;
  payload: string;
}

/** Appends before checkpoints move to a worker: small stores (most tests, one run) never start one. */
const CHECKPOINTER_AFTER = 500;
/** Appends between two looks at the log's size (a look is one stat call). */
const WAL_CHECK_EVERY = 64;

/**
 * The SQLite trace store: one writer, WAL, numbered migrations. A step's events are one transaction
 * (see StoreWriter: appends are batched until the episode runner flushes, before the next step
 * starts), so a killed process leaves whole steps only.
 * Every write that fails throws a one-line {@link StoreWriteError}. Opening a file that a dead
 * process left open checks it first (see sessions.ts) and refuses a damaged one.
 */
export class SqliteTraceStore implements TraceStore {
  private readonly db: Database.Database;
  private readonly open = new Map<string, RunSummary>();
  private readonly stmts;
  private cache?: SqliteResponseCache;
  private elicitationLog?: SqliteElicitationStore;
  /** Null for an in-memory database (no log to checkpoint). */
  private readonly checkpointer: WalCheckpointer | null;
  private appends = 0;
  private appendsAtLastLook = 0;
  private readonly owner: string;
  private readonly writer: StoreWriter;
  private readonly experimentLog: SqliteExperimentStore;
  private readonly labelLog: SqliteLabelStore;

  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    this.owner = ownId();
    this.db = openDatabase(path, options);
    try {
      this.checkpointer = path === ':memory:' ? null : new WalCheckpointer(this.db, path, options.walLimitBytes ?? DEFAULT_WAL_LIMIT, BUSY_TIMEOUT_MS);
    } catch (err) {
      this.db.close();
      throw new StoreOpenError(`cannot open database ${path}: ${(err as Error).message}`);
    }
    // The first write records this process as writing the file (see sessions.ts); reading never does.
    this.writer = new StoreWriter(this.db, path, () => { if (path !== ':memory:') openSession(this.db, path); }, () => this.afterCommit());
    this.experimentLog = new SqliteExperimentStore(this.db, this.writer, this.owner);
    this.labelLog = new SqliteLabelStore(this.db, this.writer, path);
    this.stmts = {
      insertRun: this.db.prepare(
        `INSERT INTO runs (run_id, episode_key, scenario, family, model, peer_model, factors, seed, trial,
                           status, reason, choice, event_count, owner, origin)
         VALUES (@runId, @episodeKey, @scenario, @family, @model, @peerModel, @factors, @seed, @trial,
                 @status, @reason, @choice, @eventCount, @owner, @origin)`,
      ),
      insertEvent: this.db.prepare(
        `INSERT INTO events (run_id, seq, type, actor, sim_time, schema_version, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      endRun: this.db.prepare(
        `UPDATE runs SET event_count = ?, status = ?, reason = ?, choice = ?,
                ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ? AND status = 'running'`,
      ),
      runs: this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at, rowid`),
      run: this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`),
      events: this.db.prepare(`SELECT * FROM events WHERE run_id = ? ORDER BY seq`),
      eventsOfTypes: this.db.prepare(`SELECT * FROM events WHERE run_id = ? AND type IN (SELECT value FROM json_each(?)) ORDER BY seq`),
      eventsAfter: this.db.prepare(`SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      attempts: this.db.prepare(`SELECT count(*) AS n FROM runs WHERE episode_key = ?`),
      failedAttempts: this.db.prepare(`SELECT count(*) AS n FROM runs WHERE episode_key = ? AND status = 'errored' AND origin != 'imported'`),
      runExists: this.db.prepare(`SELECT 1 FROM runs WHERE run_id = ?`),
      // isCountedResult, in SQL; each run's labels are probed through the primary key.
      unlabelledResults: this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE status IN ('completed', 'truncated') AND origin != 'imported'
        AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.run_id = runs.run_id AND l.source = ? AND l.rater = ?) ORDER BY created_at, rowid`),
    };
  }

  /** Writes an event into the open batch of this step's events; {@link flush} commits them. */
  append(event: TraceEvent): void {
    this.writer.batched(() => this.appendAs(event, 'local'));
  }

  /** Commits the events appended since the last flush (one transaction). */
  flush(): void {
    this.writer.flush();
  }

  /** After each committed batch: past a few batches' worth of events, a look at the log's size. */
  private afterCommit(): void {
    if (this.appends - this.appendsAtLastLook < WAL_CHECK_EVERY) return;
    this.appendsAtLastLook = this.appends;
    this.checkpointer?.bound();
  }

  /** Appends one event; a run it starts gets `origin` (and this process as its owner when local). */
  private appendAs(event: TraceEvent, origin: RunOrigin): void {
    const current = this.open.get(event.runId) ?? this.run(event.runId);
    checkAppend(current, event);
    const next = current ? advanceSummary(current, event) : { ...summaryFromStart(event as Extract<TraceEvent, { type: 'run.started' }>), origin };
    const insert = () => this.stmts.insertEvent.run(
      event.runId, event.seq, event.type, event.actor, event.simTime, event.schemaVersion, JSON.stringify(event.payload),
    );
    // Most events are one insert, atomic on its own; the first and the last also touch the run row.
    if (current && event.type !== 'run.ended') insert();
    else {
      this.db.transaction(() => {
        if (!current) this.stmts.insertRun.run({ ...next, factors: JSON.stringify(next.factors), owner: origin === 'local' ? this.owner : null });
        insert();
        if (event.type === 'run.ended' && this.stmts.endRun.run(next.eventCount, next.status, next.reason, next.choice, event.runId).changes === 0) {
          // Another process found this one dead and marked the run abandoned: it stays so (rolled back).
          throw new StoreWriteError(`run ${event.runId} was marked abandoned by another process before it ended; it will be run again`);
        }
      })();
    }
    // A store that writes more than a few runs' worth checkpoints off this thread (see WalCheckpointer).
    if (++this.appends === CHECKPOINTER_AFTER) this.checkpointer?.start();
    if (next.status === 'running') this.open.set(event.runId, next);
    else this.open.delete(event.runId);
  }

  importRecords(items: Iterable<ImportItem>, options: ImportOptions = {}): void {
    const origin = options.origin ?? 'imported';
    try {
      // One transaction for the whole file: a killed or failed import leaves nothing behind. The
      // items are read as they are stored (a file line by line), so memory stays flat.
      this.write(() => this.db.transaction(() => {
        for (const item of items) {
          if (!isRecordLine(item)) {
            if (item.type === 'run.started' && this.stmts.runExists.get(item.runId)) throw new TraceOrderError(`run ${item.runId} is already in ${this.path}`);
            this.appendAs(item, origin);
          } else if (item.record === 'label') {
            this.labelLog.importLabel(item.label);
          } else if (item.record === 'judge_error') {
            this.labelLog.importJudgeError(item.judgeError);
          } else if (item.record === 'experiment') {
            this.experimentLog.openExperiment({ ...item.experiment });
          } else {
            this.experimentLog.addPlanned(item.experimentId, item);
          }
        }
        options.finish?.();
      })());
    } finally {
      // The index of open runs may name runs the rollback removed; it is rebuilt from the table.
      this.open.clear();
    }
    this.checkpointer?.bound();
  }

  /** Runs a write, a failure of the database becoming one {@link StoreWriteError} line (see writing.ts). */
  private write<T>(work: () => T): T {
    return this.writer.run(work);
  }

  runs(): RunSummary[] {
    return (this.stmts.runs.all() as RunRow[]).map(rowToSummary);
  }

  run(runId: string): RunSummary | undefined {
    const row = this.stmts.run.get(runId) as RunRow | undefined;
    return row && rowToSummary(row);
  }

  events(runId: string, types?: readonly TraceEvent['type'][]): TraceEvent[] {
    const rows = types ? this.stmts.eventsOfTypes.all(runId, JSON.stringify(types)) : this.stmts.events.all(runId);
    return (rows as EventRow[]).map(rowToEvent);
  }

  *iterateEvents(runId: string): IterableIterator<TraceEvent> {
    for (const row of this.stmts.events.iterate(runId) as IterableIterator<EventRow>) yield rowToEvent(row);
  }

  eventsAfter(runId: string, afterSeq: number, limit: number): TraceEvent[] {
    return (this.stmts.eventsAfter.all(runId, afterSeq, limit) as EventRow[]).map(rowToEvent);
  }

  unlabelledResults(source: LabelSource, rater: string): RunSummary[] {
    return (this.stmts.unlabelledResults.all(source, rater) as RunRow[]).map(rowToSummary);
  }

  attempts(episodeKey: string): number {
    return (this.stmts.attempts.get(episodeKey) as { n: number }).n;
  }

  failedAttempts(episodeKey: string): number {
    return (this.stmts.failedAttempts.get(episodeKey) as { n: number }).n;
  }

  replaceLabels(runId: string, source: LabelSource, rater: string, records: readonly LabelRecord[]): void {
    this.labelLog.replaceLabels(runId, source, rater, records);
  }

  putLabel(record: LabelRecord): void {
    this.labelLog.putLabel(record);
  }

  labels(filter: LabelFilter = {}): LabelRecord[] {
    return this.labelLog.labels(filter);
  }

  yesLabels(source: LabelSource, rater: string): Map<string, string[]> {
    return this.labelLog.yesLabels(source, rater);
  }

  ratersOfRuns(): Map<string, Array<{ source: LabelSource; rater: string }>> {
    return this.labelLog.ratersOfRuns();
  }

  recordJudgeError(error: JudgeErrorRecord): void {
    this.labelLog.recordJudgeError(error);
  }

  judgeErrors(runId?: string): JudgeErrorRecord[] {
    return this.labelLog.judgeErrors(runId);
  }

  openExperiment(record: Omit<ExperimentRecord, 'owner'>): ExperimentRecord {
    return this.experimentLog.openExperiment(record);
  }

  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void {
    this.experimentLog.setExperimentStatus(experimentId, status, note);
  }

  claimExperiment(experimentId: string, since: string, options: { takeOver?: boolean } = {}): void {
    this.experimentLog.claimExperiment(experimentId, since, options);
  }

  releaseExperiment(experimentId: string): void {
    this.experimentLog.releaseExperiment(experimentId);
  }

  experiments(): ExperimentRecord[] {
    return this.experimentLog.experiments();
  }

  experiment(experimentId: string): ExperimentRecord | undefined {
    return this.experimentLog.experiment(experimentId);
  }

  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void {
    this.experimentLog.planEpisodes(experimentId, episodes);
  }

  plannedEpisodes(experimentId: string): PlannedEpisode[] {
    return this.experimentLog.plannedEpisodes(experimentId);
  }

  /** The cache of remote model answers kept in this database (one per store, sharing its connection). */
  responseCache(): ResponseCache {
    this.cache ??= new SqliteResponseCache(this.db, this.writer);
    return this.cache;
  }

  /** The elicitations kept in this database (sharing its connection). */
  elicitationStore(): ElicitationStore {
    this.elicitationLog ??= new SqliteElicitationStore(this.db, this.writer);
    return this.elicitationLog;
  }

  close(): void {
    if (!this.db.open) return;
    try {
      // Events appended since the last step's flush (a caller that never flushed) are kept.
      this.writer.flush();
    } finally {
      this.checkpointer?.stop();
      if (this.writer.hasWritten) closeSession(this.db, this.path);
      this.db.close();
    }
  }
}

function rowToEvent(row: EventRow): TraceEvent {
  return TraceEvent.parse({
    schemaVersion: row.schema_version,
    runId: row.run_id,
    seq: row.seq,
    simTime: row.sim_time,
    actor: row.actor,
    type: row.type,
    payload: JSON.parse(row.payload),
  });
}

function rowToSummary(row: RunRow): RunSummary {
  return {
    runId: row.run_id,
    episodeKey: row.episode_key,
    scenario: row.scenario,
    family: row.family,
    model: row.model,
    peerModel: row.peer_model,
    factors: JSON.parse(row.factors) as Record<string, string>,
    seed: row.seed,
    trial: row.trial,
    status: row.status,
    reason: row.reason,
    choice: row.choice,
    eventCount: row.event_count,
    origin: row.origin,
  };
}
