import type { ElicitationAnswer, ElicitationRecord, ElicitationStore } from './elicitations.js';

/** Elicitations held in memory, for the in-memory trace store. */
export class MemoryElicitationStore implements ElicitationStore {
  private readonly records = new Map<string, ElicitationRecord>();
  private readonly answers = new Map<string, Map<string, ElicitationAnswer>>();

  openElicitation(record: ElicitationRecord): ElicitationRecord {
    if (!this.records.has(record.elicitationId)) this.records.set(record.elicitationId, structuredClone(record));
    return this.elicitation(record.elicitationId)!;
  }

  finishElicitation(elicitationId: string, result: unknown): void {
    const record = this.records.get(elicitationId);
    if (record) this.records.set(elicitationId, { ...record, status: 'completed', result: structuredClone(result) });
  }

  elicitations(): ElicitationRecord[] {
    return [...this.records.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.elicitationId.localeCompare(b.elicitationId))
      .map((r) => structuredClone(r));
  }

  elicitation(elicitationId: string): ElicitationRecord | undefined {
    const r = this.records.get(elicitationId);
    return r && structuredClone(r);
  }

  addElicitationAnswers(elicitationId: string, answers: readonly ElicitationAnswer[]): void {
    let stored = this.answers.get(elicitationId);
    if (!stored) this.answers.set(elicitationId, (stored = new Map()));
    // The prompt of an ordering is kept once, as in SQLite: the first one stored wins.
    const prompts = new Map([...stored.values()].map((a) => [`${a.first}\u0000${a.second}`, a.prompt]));
    for (const a of answers) {
      const key = `${a.first}\u0000${a.second}\u0000${a.sample}`;
      const prompt = prompts.get(`${a.first}\u0000${a.second}`) ?? a.prompt;
      prompts.set(`${a.first}\u0000${a.second}`, prompt);
      if (!stored.has(key)) stored.set(key, { ...a, prompt });
    }
  }

  elicitationAnswers(elicitationId: string): ElicitationAnswer[] {
    return [...(this.answers.get(elicitationId)?.values() ?? [])].map((a) => ({ ...a }));
  }
}
