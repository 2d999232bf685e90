/**
 * Stated-preference elicitations: a model asked forced-choice questions about pairs of outcomes.
 * Every prompt and answer is kept, so a fit can be redone or audited, and an interrupted elicitation
 * resumes without asking any question twice.
 */

/** One elicitation: a model, an outcome set and how they were asked (the design). */
export interface ElicitationRecord {
  elicitationId: string;
  model: string;
  /** Outcome set, samples per order, temperature, seed, budget… as JSON. Never an API key. */
  design: unknown;
  status: 'running' | 'completed';
  /** The fitted utilities and their checks, once completed. */
  result: unknown;
  createdAt: string;
}

/** Why a pair was first asked. */
export type ElicitationPurpose = 'train' | 'holdout' | 'triad';

/** One sampled answer to one ordering of a pair. */
export interface ElicitationAnswer {
  /** The outcome shown as option A. */
  first: string;
  /** The outcome shown as option B. */
  second: string;
  /** Sample index, 0 … K−1. */
  sample: number;
  purpose: ElicitationPurpose;
  /** Active-learning round the pair was added in (0 for the starting graph, holdout and triads). */
  round: number;
  /** The messages as sent (JSON); kept once per ordering. */
  prompt: string;
  /** The model's raw answer. */
  answer: string;
  /** The parsed choice; null when the answer was neither A nor B (refusals, chatter). */
  choice: 'A' | 'B' | null;
  createdAt: string;
}

/** The elicitation half of a trace store. */
export interface ElicitationStore {
  /** Records an elicitation, or returns the existing one with the same id unchanged. */
  openElicitation(record: ElicitationRecord): ElicitationRecord;
  /** Marks an elicitation completed with its result. */
  finishElicitation(elicitationId: string, result: unknown): void;
  elicitations(): ElicitationRecord[];
  elicitation(elicitationId: string): ElicitationRecord | undefined;
  /** Adds answers in one transaction; an answer already stored for the same ordering and sample is kept. */
  addElicitationAnswers(elicitationId: string, answers: readonly ElicitationAnswer[]): void;
  /** Every stored answer, in the order they were stored. */
  elicitationAnswers(elicitationId: string): ElicitationAnswer[];
}
