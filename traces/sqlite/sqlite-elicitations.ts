import type Database from 'better-sqlite3';
import type { ElicitationAnswer, ElicitationRecord, ElicitationStore } from '../elicitations.js';
import { redactSecrets } from '../secrets.js';
import type { StoreWriter } from './writing.js';

interface ElicitationRow {
  elicitation_id: string;
  model: string;
  design: string;
  status: ElicitationRecord['status'];
  result: string | null;
  created_at: string;
}

interface AnswerRow {
  first: string;
  second: string;
  sample: number;
  purpose: ElicitationAnswer['purpose'];
  round: number;
  prompt: string;
  answer: string;
  choice: 'A' | 'B' | null;
  created_at: string;
}

/** Elicitations in the trace database (sharing the store's connection and migrations). */
export class SqliteElicitationStore implements ElicitationStore {
  private readonly stmts;

  constructor(private readonly db: Database.Database, private readonly writer: StoreWriter) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO elicitations (elicitation_id, model, design, status, result, created_at)
         VALUES (@elicitationId, @model, @design, @status, @result, @createdAt)`,
      ),
      finish: db.prepare(`UPDATE elicitations SET status = 'completed', result = ? WHERE elicitation_id = ?`),
      all: db.prepare(`SELECT * FROM elicitations ORDER BY created_at, elicitation_id`),
      one: db.prepare(`SELECT * FROM elicitations WHERE elicitation_id = ?`),
      insertPrompt: db.prepare(`INSERT OR IGNORE INTO elicitation_prompts (elicitation_id, first, second, prompt) VALUES (?, ?, ?, ?)`),
      insertAnswer: db.prepare(
        `INSERT OR IGNORE INTO elicitation_answers (elicitation_id, first, second, sample, purpose, round, answer, choice, created_at)
         VALUES (@id, @first, @second, @sample, @purpose, @round, @answer, @choice, @createdAt)`,
      ),
      answers: db.prepare(
        `SELECT a.first, a.second, a.sample, a.purpose, a.round, p.prompt, a.answer, a.choice, a.created_at
         FROM elicitation_answers a JOIN elicitation_prompts p USING (elicitation_id, first, second)
         WHERE a.elicitation_id = ? ORDER BY a.rowid`,
      ),
    };
  }

  openElicitation(record: ElicitationRecord): ElicitationRecord {
    this.writer.run(() => this.stmts.insert.run({
      ...record, design: JSON.stringify(record.design), result: record.result == null ? null : JSON.stringify(record.result),
    }));
    return this.elicitation(record.elicitationId)!;
  }

  finishElicitation(elicitationId: string, result: unknown): void {
    this.writer.run(() => this.stmts.finish.run(JSON.stringify(result), elicitationId));
  }

  elicitations(): ElicitationRecord[] {
    return (this.stmts.all.all() as ElicitationRow[]).map(rowToRecord);
  }

  elicitation(elicitationId: string): ElicitationRecord | undefined {
    const row = this.stmts.one.get(elicitationId) as ElicitationRow | undefined;
    return row && rowToRecord(row);
  }

  addElicitationAnswers(elicitationId: string, answers: readonly ElicitationAnswer[]): void {
    this.writer.run(() => this.db.transaction(() => {
      for (const a of answers) {
        this.stmts.insertPrompt.run(elicitationId, a.first, a.second, redactSecrets(a.prompt));
        this.stmts.insertAnswer.run({ ...a, answer: redactSecrets(a.answer), id: elicitationId });
      }
    })());
  }

  elicitationAnswers(elicitationId: string): ElicitationAnswer[] {
    return (this.stmts.answers.all(elicitationId) as AnswerRow[]).map((r) => ({
      first: r.first, second: r.second, sample: r.sample, purpose: r.purpose, round: r.round,
      prompt: r.prompt, answer: r.answer, choice: r.choice, createdAt: r.created_at,
    }));
  }
}

function rowToRecord(r: ElicitationRow): ElicitationRecord {
  return {
    elicitationId: r.elicitation_id, model: r.model, design: JSON.parse(r.design), status: r.status,
    result: r.result === null ? null : JSON.parse(r.result), createdAt: r.created_at,
  };
}
