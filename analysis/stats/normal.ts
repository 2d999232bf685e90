import quantile from '@stdlib/stats-base-dists-normal-quantile';
import { assertOpenUnit } from './errors.js';

/** The standard normal quantile: the z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  return quantile(p, 0, 1);
}

/** The z of a two-sided interval at `level` (1.959964 for 0.95). */
export function zForLevel(level: number): number {
  assertOpenUnit('the confidence level', level);
  return normalQuantile(1 - (1 - level) / 2);
}
