import type Database from 'better-sqlite3';
import type { ExperimentRecord, ExperimentStore, PlannedEpisode } from '../experiments.js';
import { parseOwnerId, processState } from '../process-owner.js';
import { ExperimentBusyError } from '../store-errors.js';
import type { StoreWriter } from './writing.js';

/**
 * Experiments in a trace database (tables `experiments` and `experiment_episodes`, migrations 3 and
 * 6), with the process that runs each. Opened through {@link SqliteTraceStore}, which owns the
 * connection: one writer per file.
 */
export class SqliteExperimentStore implements ExperimentStore {
  private readonly stmts;

  constructor(private readonly db: Database.Database, private readonly writer: StoreWriter, private readonly owner: string) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO experiments (experiment_id, name, design, design_hash, status, note, created_at)
         VALUES (@experimentId, @name, @design, @designHash, @status, @note, @createdAt)`,
      ),
      status: db.prepare(`UPDATE experiments SET status = ?, note = ? WHERE experiment_id = ?`),
      claim: db.prepare(`UPDATE experiments SET owner = ?, owner_since = ? WHERE experiment_id = ?`),
      release: db.prepare(`UPDATE experiments SET owner = NULL, owner_since = NULL WHERE experiment_id = ? AND owner = ?`),
      all: db.prepare(`SELECT * FROM experiments ORDER BY created_at, experiment_id`),
      one: db.prepare(`SELECT * FROM experiments WHERE experiment_id = ?`),
      plan: db.prepare(`INSERT OR IGNORE INTO experiment_episodes (experiment_id, episode_key, cell, trial) VALUES (?, ?, ?, ?)`),
      unplan: db.prepare(`DELETE FROM experiment_episodes WHERE experiment_id = ? AND episode_key = ?`),
      planned: db.prepare(`SELECT episode_key, cell, trial FROM experiment_episodes WHERE experiment_id = ? ORDER BY cell, trial`),
    };
  }

  openExperiment(record: Omit<ExperimentRecord, 'owner'>): ExperimentRecord {
    this.writer.run(() => this.stmts.insert.run({ ...record, design: JSON.stringify(record.design) }));
    return this.experiment(record.experimentId)!;
  }

  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void {
    this.writer.run(() => this.stmts.status.run(status, note, experimentId));
  }

  claimExperiment(experimentId: string, since: string, options: { takeOver?: boolean } = {}): void {
    // Read and claim under the write lock, so two processes starting together cannot both win.
    this.writer.run(() => this.db.transaction(() => {
      const owner = this.experiment(experimentId)?.owner;
      if (owner && (owner.state === 'alive' || (owner.state === 'unknown' && !options.takeOver))) {
        const who = owner.state === 'unknown'
          ? `process ${owner.pid} on host ${owner.host} (which cannot be checked from here: if it is gone, pass --take-over)`
          : `process ${owner.pid}`;
        throw new ExperimentBusyError(`experiment ${experimentId} is already being run by ${who} since ${owner.since}; wait for it to finish (running it twice at once would duplicate episodes)`);
      }
      this.stmts.claim.run(this.owner, since, experimentId);
    }).immediate());
  }

  releaseExperiment(experimentId: string): void {
    this.writer.run(() => this.stmts.release.run(experimentId, this.owner));
  }

  experiments(): ExperimentRecord[] {
    return (this.stmts.all.all() as ExperimentRow[]).map(rowToExperiment);
  }

  experiment(experimentId: string): ExperimentRecord | undefined {
    const row = this.stmts.one.get(experimentId) as ExperimentRow | undefined;
    return row && rowToExperiment(row);
  }

  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void {
    const keys = new Set(episodes.map((e) => e.episodeKey));
    const dropped = this.plannedEpisodes(experimentId).filter((e) => !keys.has(e.episodeKey));
    this.writer.run(() => this.db.transaction(() => {
      for (const e of dropped) this.stmts.unplan.run(experimentId, e.episodeKey);
      for (const e of episodes) this.stmts.plan.run(experimentId, e.episodeKey, e.cell, e.trial);
    })());
  }

  /** Adds one planned episode (nothing when it is planned already): an import, inside its transaction. */
  addPlanned(experimentId: string, episode: PlannedEpisode): void {
    this.writer.run(() => this.stmts.plan.run(experimentId, episode.episodeKey, episode.cell, episode.trial));
  }

  plannedEpisodes(experimentId: string): PlannedEpisode[] {
    return (this.stmts.planned.all(experimentId) as Array<{ episode_key: string; cell: string; trial: number }>)
      .map((r) => ({ episodeKey: r.episode_key, cell: r.cell, trial: r.trial }));
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
  owner: string | null;
  owner_since: string | null;
}

function rowToExperiment(r: ExperimentRow): ExperimentRecord {
  const owner = r.owner === null ? undefined : parseOwnerId(r.owner);
  return {
    experimentId: r.experiment_id, name: r.name, design: JSON.parse(r.design), designHash: r.design_hash,
    status: r.status, note: r.note, createdAt: r.created_at,
    owner: owner ? { ...owner, since: r.owner_since ?? '', state: processState(owner) } : null,
  };
}
