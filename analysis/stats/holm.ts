import { StatsInputError } from './errors.js';

/**
 * Holm's step-down adjustment: the i-th smallest of m p-values is multiplied by m − i + 1, kept
 * monotone (never below the adjusted value before it) and capped at 1. It controls the family-wise
 * error rate across the cells of one report without Bonferroni's loss of power. Returned in the
 * input's order.
 */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!Number.isFinite(p) || p < 0 || p > 1) throw new StatsInputError(`p-value ${i + 1} must be between 0 and 1 (got ${p})`);
  });
  const m = pValues.length;
  // Ties keep input order, so the result does not depend on the sort's stability.
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}
