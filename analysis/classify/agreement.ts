import type { LabelRecord } from '../../traces/index.js';
import { LABEL_IDS } from './taxonomy.js';

/**
 * One rater column: a (source, rater) pair such as `rule:rules`, `judge:openai:gpt-4.1-mini` or
 * `human:ana`. Two people, or two judge models, are different columns even though they share a source.
 */
export function raterColumn(record: Pick<LabelRecord, 'source' | 'rater'>): string {
  return `${record.source}:${record.rater}`;
}

/** A 2×2 table of two raters' verdicts on the runs both labelled; the first word is rater `a`'s. */
export interface Confusion {
  yesYes: number;
  yesNo: number;
  noYes: number;
  noNo: number;
}

/** Cohen's kappa, or null with the reason it is undefined. */
export interface Kappa {
  kappa: number | null;
  /** Why kappa is null; absent when it is a number. */
  note?: string;
}

/** How two rater columns agree on one label. */
export interface PairAgreement {
  /** Rater columns; `a` sorts before `b`, and `a` is the first word of each confusion cell. */
  a: string;
  b: string;
  /** Runs both labelled. */
  n: number;
  confusion: Confusion;
  /** Observed agreement (0–1); null when they share no run. */
  agreement: number | null;
  kappa: number | null;
  /** Why kappa is null. */
  kappaNote?: string;
  /** Runs on which they disagree, in run-id order. */
  disagreements: string[];
}

/** One label: which columns gave it (and on how many runs), and every pair of them. */
export interface LabelAgreement {
  label: string;
  raters: Array<{ column: string; runs: number }>;
  pairs: PairAgreement[];
}

/** Agreement across every label that has labels. */
export interface AgreementReport {
  labels: LabelAgreement[];
}

/**
 * Cohen's kappa from a 2×2 table, in its integer form
 * κ = 2(ad − bc) / ((a+b)(b+d) + (a+c)(c+d)), which equals (pₒ − pₑ)/(1 − pₑ) but stays exact for
 * round tables (20,5,10,15 gives 0.4, not 0.39999…). The denominator is n²(1 − pₑ), so it is 0
 * exactly when chance agreement is 1: both raters gave every run the same single value. Then
 * kappa is 0/0, undefined, and we return null rather than 1 or 0 — the table carries no evidence
 * about either rater's discrimination. (If only one rater is constant, kappa is defined and exactly 0
 * however high the raw agreement, which is the honest answer: that rater does not discriminate.)
 */
export function cohensKappa(c: Confusion): Kappa {
  const n = c.yesYes + c.yesNo + c.noYes + c.noNo;
  if (n === 0) return { kappa: null, note: 'no runs labelled by both' };
  const denominator = (c.yesYes + c.yesNo) * (c.yesNo + c.noNo) + (c.yesYes + c.noYes) * (c.noYes + c.noNo);
  if (denominator === 0) {
    const value = c.yesYes > 0 ? 'yes' : 'no';
    return { kappa: null, note: `both gave every run "${value}": chance agreement is 1, so kappa is undefined` };
  }
  return { kappa: (2 * (c.yesYes * c.noNo - c.yesNo * c.noYes)) / denominator };
}

/** Compares two columns' verdicts (run id → value) over the runs both have. */
export function comparePair(a: string, b: string, left: ReadonlyMap<string, boolean>, right: ReadonlyMap<string, boolean>): PairAgreement {
  const confusion: Confusion = { yesYes: 0, yesNo: 0, noYes: 0, noNo: 0 };
  const disagreements: string[] = [];
  for (const runId of [...left.keys()].sort()) {
    const y = right.get(runId);
    if (y === undefined) continue;
    const x = left.get(runId)!;
    if (x && y) confusion.yesYes++;
    else if (x) confusion.yesNo++;
    else if (y) confusion.noYes++;
    else confusion.noNo++;
    if (x !== y) disagreements.push(runId);
  }
  const n = confusion.yesYes + confusion.yesNo + confusion.noYes + confusion.noNo;
  const { kappa, note } = cohensKappa(confusion);
  return {
    a, b, n, confusion,
    agreement: n === 0 ? null : (confusion.yesYes + confusion.noNo) / n,
    kappa, ...(note === undefined ? {} : { kappaNote: note }),
    disagreements,
  };
}

/** Taxonomy labels first, in taxonomy order; any others (older or foreign ids) after, alphabetically. */
function labelOrder(a: string, b: string): number {
  const rank = (id: string) => { const i = (LABEL_IDS as readonly string[]).indexOf(id); return i < 0 ? LABEL_IDS.length : i; };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * Per label and per pair of rater columns, how far the raters agree over the runs both labelled:
 * confusion table, observed agreement, Cohen's kappa and the runs they disagree on. A store holds
 * one verdict per (run, label, source, rater); should `labels` repeat one, the last wins. A label
 * given by a single column appears with no pairs.
 */
export function agreementReport(labels: readonly LabelRecord[]): AgreementReport {
  // label → column → run → value
  const byLabel = new Map<string, Map<string, Map<string, boolean>>>();
  for (const record of labels) {
    const columns = byLabel.get(record.label) ?? new Map<string, Map<string, boolean>>();
    byLabel.set(record.label, columns);
    const column = raterColumn(record);
    const runs = columns.get(column) ?? new Map<string, boolean>();
    columns.set(column, runs);
    runs.set(record.runId, record.value);
  }
  return {
    labels: [...byLabel.keys()].sort(labelOrder).map((label) => {
      const columns = byLabel.get(label)!;
      const names = [...columns.keys()].sort();
      const pairs: PairAgreement[] = [];
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          pairs.push(comparePair(names[i]!, names[j]!, columns.get(names[i]!)!, columns.get(names[j]!)!));
        }
      }
      return { label, raters: names.map((column) => ({ column, runs: columns.get(column)!.size })), pairs };
    }),
  };
}
