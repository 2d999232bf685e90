/** Counts or parameters that cannot describe a real experiment (k > n, a level of 1.2, …). */
export class StatsInputError extends Error {
  override name = 'StatsInputError';
}

/** Refuses anything but a whole number of trials n > 0 with 0 ≤ k ≤ n successes. */
export function assertCount(label: string, k: number, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new StatsInputError(`${label}: the number of trials must be a whole number above 0 (got ${n})`);
  if (!Number.isInteger(k) || k < 0) throw new StatsInputError(`${label}: the count must be a whole number of at least 0 (got ${k})`);
  if (k > n) throw new StatsInputError(`${label}: the count ${k} is more than the ${n} trials`);
}

/** Refuses a number outside the open interval (0, 1): levels, rates, alpha and power. */
export function assertOpenUnit(label: string, x: number): void {
  if (!Number.isFinite(x) || x <= 0 || x >= 1) throw new StatsInputError(`${label} must be between 0 and 1, exclusive (got ${x})`);
}
