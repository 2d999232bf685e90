import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TraceEvent } from '../events.schema.js';
import type { ExperimentRecord, PlannedEpisode } from '../experiments.js';
import {
  LabelEvidence, UnknownRunError, checkLabel, type JudgeErrorRecord, type LabelFilter, type LabelRecord, type LabelSource,
} from '../labels.js';
import {
  advanceSummary,
  checkAppend,
  summaryFromStart,
  type RunSummary,
  type TraceStore,
} from '../sink.js';
import { MIGRATIONS } from './migrations.js';
import { redactSecrets } from '../secrets.js';
import { SqliteResponseCache } from './sqlite-response-cache.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { SqliteElicitationStore } from './sqlite-elicitations.js';
import type { ElicitationStore } from '../elicitations.js';
import type { ResponseCache } from '../response-cache.js';

/** A database that cannot be used: missing, not SQLite, corrupt, or from a newer peerlab. */
export class StoreOpenError extends Error {}

/** How to open a store. */
export interface SqliteStoreOptions {
  /** Refuse to create a new file (read commands: a typo should not make an empty database). */
  mustExist?: boolean;
}

/**
 * Run columns; a running run's event count is counted from its events, so an append is one
 * INSERT (the stored count is written once, when the run ends).
 */
const RUN_COLUMNS = `run_id, episode_key, scenario, family, model, peer_model, factors, seed, trial, status, reason, choice,
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

/**
 * The SQLite trace store: one writer, WAL, numbered migrations. Each append is its own transaction,
 * so an event is on disk before the next step starts, and a killed process leaves whole events only.
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

  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    if (path !== ':memory:') {
      if (options.mustExist && !existsSync(path)) {
        throw new StoreOpenError(`no database at ${path}: run a scenario first, or pass --db with an existing file`);
      }
      if (!existsSync(dirname(path) || '.')) {
        throw new StoreOpenError(`cannot create database ${path}: directory ${dirname(path)} does not exist`);
      }
    }
    try {
      this.db = new Database(path, { fileMustExist: options.mustExist ?? false });
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
      this.checkpointer = path === ':memory:' ? null : new WalCheckpointer(this.db, path);
    } catch (err) {
      if (err instanceof StoreOpenError) throw err;
      throw new StoreOpenError(
        `cannot open database ${path}: ${(err as Error).message} (is it a peerlab SQLite file? pass --db with another path)`,
      );
    }
    this.stmts = {
      insertRun: this.db.prepare(
        `INSERT INTO runs (run_id, episode_key, scenario, family, model, peer_model, factors, seed, trial,
                           status, reason, choice, event_count)
         VALUES (@runId, @episodeKey, @scenario, @family, @model, @peerModel, @factors, @seed, @trial,
                 @status, @reason, @choice, @eventCount)`,
      ),
      insertEvent: this.db.prepare(
        `INSERT INTO events (run_id, seq, type, actor, sim_time, schema_version, payload)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      endRun: this.db.prepare(
        `UPDATE runs SET event_count = ?, status = ?, reason = ?, choice = ?,
                ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ?`,
      ),
      runs: this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at, rowid`),
      run: this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`),
      events: this.db.prepare(`SELECT * FROM events WHERE run_id = ? ORDER BY seq`),
      eventsAfter: this.db.prepare(`SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
      attempts: this.db.prepare(`SELECT count(*) AS n FROM runs WHERE episode_key = ?`),
      runExists: this.db.prepare(`SELECT 1 FROM runs WHERE run_id = ?`),
      deleteLabels: this.db.prepare(`DELETE FROM labels WHERE run_id = ? AND source = ? AND rater = ?`),
      deleteJudgeErrors: this.db.prepare(`DELETE FROM judge_errors WHERE run_id = ? AND rater = ?`),
      upsertLabel: this.db.prepare(
        `INSERT OR REPLACE INTO labels (run_id, label, source, rater, value, classifier_version, evidence, judge_prompt, created_at)
         VALUES (@runId, @label, @source, @rater, @value, @classifierVersion, @evidence, @judgePrompt, @createdAt)`,
      ),
      labels: this.db.prepare(
        `SELECT * FROM labels WHERE (@runId IS NULL OR run_id = @runId) AND (@source IS NULL OR source = @source)
         ORDER BY run_id, label, source, rater`,
      ),
      insertJudgeError: this.db.prepare(
        `INSERT INTO judge_errors (run_id, rater, classifier_version, error, raw, created_at)
         VALUES (@runId, @rater, @classifierVersion, @error, @raw, @createdAt)`,
      ),
      judgeErrors: this.db.prepare(`SELECT * FROM judge_errors WHERE (@runId IS NULL OR run_id = @runId) ORDER BY rowid`),
      insertExperiment: this.db.prepare(
        `INSERT OR IGNORE INTO experiments (experiment_id, name, design, design_hash, status, note, created_at)
         VALUES (@experimentId, @name, @design, @designHash, @status, @note, @createdAt)`,
      ),
      experimentStatus: this.db.prepare(`UPDATE experiments SET status = ?, note = ? WHERE experiment_id = ?`),
      experiments: this.db.prepare(`SELECT * FROM experiments ORDER BY created_at, experiment_id`),
      experiment: this.db.prepare(`SELECT * FROM experiments WHERE experiment_id = ?`),
      planEpisode: this.db.prepare(
        `INSERT OR IGNORE INTO experiment_episodes (experiment_id, episode_key, cell, trial) VALUES (?, ?, ?, ?)`,
      ),
      plannedEpisodes: this.db.prepare(`SELECT episode_key, cell, trial FROM experiment_episodes WHERE experiment_id = ? ORDER BY cell, trial`),
    };
  }

  private migrate(): void {
    if (this.schemaVersion() === MIGRATIONS.length) return;
    // Another process may be migrating the same new file at this moment: take the write lock first
    // (BEGIN IMMEDIATE waits up to busy_timeout) and read the version again under it, so each
    // migration runs once and the second process finds the tables made.
    this.db.transaction(() => {
      for (let v = this.schemaVersion(); v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
  }

  private schemaVersion(): number {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new StoreOpenError(
        `database ${this.path} has schema version ${version}, newer than this peerlab knows (${MIGRATIONS.length}): upgrade peerlab`,
      );
    }
    return version;
  }

  append(event: TraceEvent): void {
    const current = this.open.get(event.runId) ?? this.run(event.runId);
    checkAppend(current, event);
    const next = current ? advanceSummary(current, event) : summaryFromStart(event as Extract<TraceEvent, { type: 'run.started' }>);
    const insert = () => this.stmts.insertEvent.run(
      event.runId, event.seq, event.type, event.actor, event.simTime, event.schemaVersion, JSON.stringify(event.payload),
    );
    // Most events are one insert, atomic on its own; the first and the last also touch the run row.
    if (current && event.type !== 'run.ended') insert();
    else {
      this.db.transaction(() => {
        if (!current) this.stmts.insertRun.run({ ...next, factors: JSON.stringify(next.factors) });
        insert();
        if (event.type === 'run.ended') this.stmts.endRun.run(next.eventCount, next.status, next.reason, next.choice, event.runId);
      })();
    }
    // A store that writes more than a few runs' worth checkpoints off this thread (see WalCheckpointer).
    if (++this.appends === CHECKPOINTER_AFTER) this.checkpointer?.start();
    if (next.status === 'running') this.open.set(event.runId, next);
    else this.open.delete(event.runId);
  }

  runs(): RunSummary[] {
    return (this.stmts.runs.all() as RunRow[]).map(rowToSummary);
  }

  run(runId: string): RunSummary | undefined {
    const row = this.stmts.run.get(runId) as RunRow | undefined;
    return row && rowToSummary(row);
  }

  events(runId: string): TraceEvent[] {
    return (this.stmts.events.all(runId) as EventRow[]).map(rowToEvent);
  }

  eventsAfter(runId: string, afterSeq: number, limit: number): TraceEvent[] {
    return (this.stmts.eventsAfter.all(runId, afterSeq, limit) as EventRow[]).map(rowToEvent);
  }

  attempts(episodeKey: string): number {
    return (this.stmts.attempts.get(episodeKey) as { n: number }).n;
  }

  replaceLabels(runId: string, source: LabelSource, rater: string, records: readonly LabelRecord[]): void {
    this.mustHave(runId);
    const checked = records.map(checkLabel);
    this.db.transaction(() => {
      this.stmts.deleteLabels.run(runId, source, rater);
      this.stmts.deleteJudgeErrors.run(runId, rater);
      for (const record of checked) this.stmts.upsertLabel.run(labelRow(record));
    })();
  }

  putLabel(record: LabelRecord): void {
    this.mustHave(record.runId);
    this.stmts.upsertLabel.run(labelRow(checkLabel(record)));
  }

  labels(filter: LabelFilter = {}): LabelRecord[] {
    const rows = this.stmts.labels.all({ runId: filter.runId ?? null, source: filter.source ?? null }) as LabelRow[];
    return rows.map((r) => ({
      runId: r.run_id, label: r.label, value: r.value === 1, source: r.source, rater: r.rater,
      classifierVersion: r.classifier_version, evidence: LabelEvidence.parse(JSON.parse(r.evidence)),
      ...(r.judge_prompt === null ? {} : { judgePrompt: r.judge_prompt }), createdAt: r.created_at,
    }));
  }

  recordJudgeError(error: JudgeErrorRecord): void {
    this.mustHave(error.runId);
    this.stmts.insertJudgeError.run({ ...error, error: redactSecrets(error.error), raw: redactSecrets(error.raw) });
  }

  judgeErrors(runId?: string): JudgeErrorRecord[] {
    const rows = this.stmts.judgeErrors.all({ runId: runId ?? null }) as Array<Record<string, string>>;
    return rows.map((r) => ({
      runId: r.run_id!, rater: r.rater!, classifierVersion: r.classifier_version!, error: r.error!, raw: r.raw!, createdAt: r.created_at!,
    }));
  }

  openExperiment(record: ExperimentRecord): ExperimentRecord {
    this.stmts.insertExperiment.run({ ...record, design: JSON.stringify(record.design) });
    return this.experiment(record.experimentId)!;
  }

  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void {
    this.stmts.experimentStatus.run(status, note, experimentId);
  }

  experiments(): ExperimentRecord[] {
    return (this.stmts.experiments.all() as ExperimentRow[]).map(rowToExperiment);
  }

  experiment(experimentId: string): ExperimentRecord | undefined {
    const row = this.stmts.experiment.get(experimentId) as ExperimentRow | undefined;
    return row && rowToExperiment(row);
  }

  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void {
    this.db.transaction(() => {
      for (const e of episodes) this.stmts.planEpisode.run(experimentId, e.episodeKey, e.cell, e.trial);
    })();
  }

  plannedEpisodes(experimentId: string): PlannedEpisode[] {
    return (this.stmts.plannedEpisodes.all(experimentId) as Array<{ episode_key: string; cell: string; trial: number }>)
      .map((r) => ({ episodeKey: r.episode_key, cell: r.cell, trial: r.trial }));
  }

  /** The cache of remote model answers kept in this database (one per store, sharing its connection). */
  responseCache(): ResponseCache {
    this.cache ??= new SqliteResponseCache(this.db);
    return this.cache;
  }

  /** The elicitations kept in this database (sharing its connection). */
  elicitationStore(): ElicitationStore {
    this.elicitationLog ??= new SqliteElicitationStore(this.db);
    return this.elicitationLog;
  }

  private mustHave(runId: string): void {
    if (!this.stmts.runExists.get(runId)) throw new UnknownRunError(`no run ${runId} in ${this.path}`);
  }

  close(): void {
    this.checkpointer?.stop();
    this.db.close();
  }
}

interface ExperimentRow {
  experiment_id: string;
  name: string;
  design: string;
  design_hash: string;
  status: ExperimentRecord['status'];
  note: string | null;
  created_at: string;
}

function rowToExperiment(r: ExperimentRow): ExperimentRecord {
  return {
    experimentId: r.experiment_id, name: r.name, design: JSON.parse(r.design), designHash: r.design_hash,
    status: r.status, note: r.note, createdAt: r.created_at,
  };
}

interface LabelRow {
  run_id: string;
  label: string;
  source: LabelSource;
  rater: string;
  value: number;
  classifier_version: string;
  evidence: string;
  judge_prompt: string | null;
  created_at: string;
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

function labelRow(r: LabelRecord): Record<string, string | number | null> {
  return {
    runId: r.runId, label: r.label, source: r.source, rater: r.rater, value: r.value ? 1 : 0,
    classifierVersion: r.classifierVersion, evidence: redactSecrets(JSON.stringify(r.evidence)),
    judgePrompt: r.judgePrompt === undefined ? null : redactSecrets(r.judgePrompt), createdAt: r.createdAt,
  };
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
  };
}
