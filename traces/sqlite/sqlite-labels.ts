import type Database from 'better-sqlite3';
import {
  LabelEvidence, UnknownRunError, checkLabel, type JudgeErrorRecord, type LabelFilter, type LabelRecord, type LabelSource, type LabelStore,
} from '../labels.js';
import { redactSecrets } from '../secrets.js';
import type { StoreWriter } from './writing.js';

/**
 * Labels and judge errors in a trace database (tables `labels` and `judge_errors`, migration 2).
 * Opened through {@link SqliteTraceStore}, which owns the connection. Every read by run is a lookup
 * in an index (the primary key starts with the run id); tables read every run's verdicts in one pass.
 */
export class SqliteLabelStore implements LabelStore {
  private readonly stmts;

  constructor(private readonly db: Database.Database, private readonly writer: StoreWriter, private readonly path: string) {
    this.stmts = {
      runExists: db.prepare(`SELECT 1 FROM runs WHERE run_id = ?`),
      deleteLabels: db.prepare(`DELETE FROM labels WHERE run_id = ? AND source = ? AND rater = ?`),
      deleteJudgeErrors: db.prepare(`DELETE FROM judge_errors WHERE run_id = ? AND rater = ?`),
      upsertLabel: db.prepare(
        `INSERT OR REPLACE INTO labels (run_id, label, source, rater, value, classifier_version, evidence, judge_prompt, created_at)
         VALUES (@runId, @label, @source, @rater, @value, @classifierVersion, @evidence, @judgePrompt, @createdAt)`,
      ),
      // One statement per filter, so a run's labels are a lookup in the primary key (run_id, label,
      // source, rater), never a scan: `@runId IS NULL OR run_id = @runId` cannot use the index.
      labelsOfRun: db.prepare(`SELECT * FROM labels WHERE run_id = ? ORDER BY label, source, rater`),
      labelsOfRunBySource: db.prepare(`SELECT * FROM labels WHERE run_id = ? AND source = ? ORDER BY label, source, rater`),
      labelsAll: db.prepare(`SELECT * FROM labels ORDER BY run_id, label, source, rater`),
      labelsBySource: db.prepare(`SELECT * FROM labels WHERE source = ? ORDER BY run_id, label, source, rater`),
      ratersOfRuns: db.prepare(`SELECT DISTINCT run_id, source, rater FROM labels ORDER BY run_id, source, rater`),
      yesLabels: db.prepare(`SELECT run_id, label FROM labels WHERE source = ? AND rater = ? AND value = 1 ORDER BY run_id, label`),
      insertJudgeError: db.prepare(
        `INSERT INTO judge_errors (run_id, rater, classifier_version, error, raw, created_at)
         VALUES (@runId, @rater, @classifierVersion, @error, @raw, @createdAt)`,
      ),
      judgeErrorsAll: db.prepare(`SELECT * FROM judge_errors ORDER BY rowid`),
      judgeErrorsOfRun: db.prepare(`SELECT * FROM judge_errors WHERE run_id = ? ORDER BY rowid`),
    };
  }

  replaceLabels(runId: string, source: LabelSource, rater: string, records: readonly LabelRecord[]): void {
    this.mustHave(runId);
    const checked = records.map(checkLabel);
    this.writer.run(() => this.db.transaction(() => {
      this.stmts.deleteLabels.run(runId, source, rater);
      this.stmts.deleteJudgeErrors.run(runId, rater);
      for (const record of checked) this.stmts.upsertLabel.run(labelRow(record));
    })());
  }

  putLabel(record: LabelRecord): void {
    this.mustHave(record.runId);
    const row = labelRow(checkLabel(record));
    this.writer.run(() => this.stmts.upsertLabel.run(row));
  }

  labels(filter: LabelFilter = {}): LabelRecord[] {
    const { runId, source } = filter;
    const s = this.stmts;
    const rows = (runId !== undefined
      ? (source !== undefined ? s.labelsOfRunBySource.all(runId, source) : s.labelsOfRun.all(runId))
      : (source !== undefined ? s.labelsBySource.all(source) : s.labelsAll.all())) as LabelRow[];
    return rows.map((r) => ({
      runId: r.run_id, label: r.label, value: r.value === 1, source: r.source, rater: r.rater,
      classifierVersion: r.classifier_version, evidence: LabelEvidence.parse(JSON.parse(r.evidence)),
      ...(r.judge_prompt === null ? {} : { judgePrompt: r.judge_prompt }), createdAt: r.created_at,
    }));
  }

  yesLabels(source: LabelSource, rater: string): Map<string, string[]> {
    const byRun = new Map<string, string[]>();
    for (const row of this.stmts.yesLabels.iterate(source, rater) as Iterable<{ run_id: string; label: string }>) {
      const labels = byRun.get(row.run_id);
      if (labels) labels.push(row.label);
      else byRun.set(row.run_id, [row.label]);
    }
    return byRun;
  }

  ratersOfRuns(): Map<string, Array<{ source: LabelSource; rater: string }>> {
    const byRun = new Map<string, Array<{ source: LabelSource; rater: string }>>();
    for (const row of this.stmts.ratersOfRuns.iterate() as Iterable<{ run_id: string; source: LabelSource; rater: string }>) {
      const raters = byRun.get(row.run_id);
      const rater = { source: row.source, rater: row.rater };
      if (raters) raters.push(rater);
      else byRun.set(row.run_id, [rater]);
    }
    return byRun;
  }

  recordJudgeError(error: JudgeErrorRecord): void {
    this.mustHave(error.runId);
    this.writer.run(() => this.stmts.insertJudgeError.run(judgeErrorRow(error)));
  }

  judgeErrors(runId?: string): JudgeErrorRecord[] {
    const rows = (runId === undefined ? this.stmts.judgeErrorsAll.all() : this.stmts.judgeErrorsOfRun.all(runId)) as Array<Record<string, string>>;
    return rows.map((r) => ({
      runId: r.run_id!, rater: r.rater!, classifierVersion: r.classifier_version!, error: r.error!, raw: r.raw!, createdAt: r.created_at!,
    }));
  }

  /** Stores a label read from a file, inside the import's transaction (checked as any label is). */
  importLabel(record: LabelRecord): void {
    this.mustHave(record.runId);
    this.stmts.upsertLabel.run(labelRow(checkLabel(record)));
  }

  /** Stores a judge error read from a file, inside the import's transaction. */
  importJudgeError(error: JudgeErrorRecord): void {
    this.mustHave(error.runId);
    this.stmts.insertJudgeError.run(judgeErrorRow(error));
  }

  private mustHave(runId: string): void {
    if (!this.stmts.runExists.get(runId)) throw new UnknownRunError(`no run ${runId} in ${this.path}`);
  }
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

function labelRow(r: LabelRecord): Record<string, string | number | null> {
  return {
    runId: r.runId, label: r.label, source: r.source, rater: r.rater, value: r.value ? 1 : 0,
    classifierVersion: r.classifierVersion, evidence: redactSecrets(JSON.stringify(r.evidence)),
    judgePrompt: r.judgePrompt === undefined ? null : redactSecrets(r.judgePrompt), createdAt: r.createdAt,
  };
}

function judgeErrorRow(e: JudgeErrorRecord): Record<string, string> {
  return { ...e, error: redactSecrets(e.error), raw: redactSecrets(e.raw) };
}
