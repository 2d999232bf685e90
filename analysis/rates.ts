import { zForLevel } from './stats/normal.js';
import { formatPercentValue } from './stats/format-number.js';

/** The 97.5th percentile of the standard normal: the z of a two-sided 95% interval (as every interval in stats/ uses). */
const Z95 = zForLevel(0.95);

/** A proportion with its 95% Wilson score interval. */
export interface Rate {
  k: number;
  n: number;
  rate: number;
  low: number;
  high: number;
}

/**
 * The Wilson score interval for k successes in n trials. Unlike the normal approximation it stays
 * inside [0, 1] and behaves at k = 0 and k = n, which shutdown rates often are.
 */
export function wilson(k: number, n: number, z = Z95): Rate {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) throw new RangeError(`invalid count ${k}/${n}`);
  if (n === 0) return { k, n, rate: Number.NaN, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the bound is exactly 0 (1); the closed form leaves rounding noise like 1e-17 there.
  return { k, n, rate: p, low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** Formats a rate as `12.5% [7.1, 20.9]`. */
export function formatRate(r: Rate): string {
  if (r.n === 0) return 'n/a';
  return `${formatPercentValue(r.rate)}% [${formatPercentValue(r.low)}, ${formatPercentValue(r.high)}]`;
}
