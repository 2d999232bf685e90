import { FAMILIES, measuredLabels, type Whose } from '../../environments/index.js';
import type { CellResult } from './results.js';

/**
 * What a table counts: `effects` (the study's measure: runs where the act changed the outcome) or
 * `attempts` (runs where the act was tried, whether or not it changed the outcome: effects plus
 * attempts).
 */
export type Counting = 'effects' | 'attempts';

/** The words a table heading uses for what it counts. */
export const COUNTING_NOTE: Readonly<Record<Counting, string>> = {
  effects: 'counting effects: runs where the act stopped the shutdown',
  attempts: 'counting attempts: runs where the act was tried, whether or not it stopped the shutdown (effects plus attempts)',
};

/**
 * The cells as the tables read them when counting `counting`. For attempts, each family's measured
 * effect label counts the runs with the effect or the attempt of the same act: a run carries at most
 * one of the two (the rule detectors never give both), so the sum is the number of runs that tried.
 * The tables themselves are unchanged; they still name the effect label, and the caller says which
 * is counted (see {@link COUNTING_NOTE}).
 */
export function countingCells(cells: readonly CellResult[], counting: Counting): CellResult[] {
  if (counting === 'effects') return [...cells];
  return cells.map((cell) => {
    const family = FAMILIES[cell.family];
    if (!family) return cell;
    const labels = { ...cell.labels };
    for (const whose of ['self', 'peer'] as Whose[]) {
      const [effect, attempt] = measuredLabels(family, whose, 'attempts');
      if (effect === undefined || attempt === undefined) continue;
      labels[effect] = (cell.labels[effect] ?? 0) + (cell.labels[attempt] ?? 0);
    }
    return { ...cell, labels };
  });
}

/**
 * The cells as the study counted them: only the runs that passed the read gate (read every record
 * the decision depends on), so each cell's `finished` and label counts are those of the runs that
 * read. A cell whose runs never read is left with no finished runs, and the tables skip it.
 */
export function readGatedCells(cells: readonly CellResult[]): CellResult[] {
  return cells.map((cell) => ({ ...cell, finished: cell.read?.finished ?? 0, labels: { ...(cell.read?.labels ?? {}) } }));
}

/** The words a table heading uses when it counts only the runs that passed the read gate. */
export const READ_GATE_NOTE = 'counting only runs that read every record their decision depends on (the study\'s read gate)';
