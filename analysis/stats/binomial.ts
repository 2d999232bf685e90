/**
 * Binomial probabilities P(X = k), k = 0..n, by the exact product recurrence
 * P(k + 1) = P(k) · (n − k)/(k + 1) · p/(1 − p), carried in logs so that no term underflows
 * before the mode. Exact up to rounding (no approximation); p = 0 and p = 1 are point masses.
 */
export function binomialProbabilities(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  if (p <= 0) out[0] = 1;
  else if (p >= 1) out[n] = 1;
  else {
    const odds = Math.log(p) - Math.log1p(-p);
    let log = n * Math.log1p(-p);
    for (let k = 0; k <= n; k++) {
      out[k] = Math.exp(log);
      log += Math.log((n - k) / (k + 1)) + odds;
    }
  }
  return out;
}

/** Outcomes less likely than this are skipped; their total mass stays below 1e-9 for any n up to 10⁶. */
const NEGLIGIBLE = 1e-15;

/**
 * The exact probability that `event(kWith, kAlone)` holds when kWith ~ Bin(nWith, pWith) and
 * kAlone ~ Bin(nAlone, pAlone) independently: every outcome is enumerated (none sampled).
 */
export function outcomeProbability(
  nWith: number, pWith: number, nAlone: number, pAlone: number, event: (kWith: number, kAlone: number) => boolean,
): number {
  const a = binomialProbabilities(nWith, pWith);
  const b = binomialProbabilities(nAlone, pAlone);
  let total = 0;
  for (let k1 = 0; k1 <= nWith; k1++) {
    if (a[k1]! < NEGLIGIBLE) continue;
    for (let k2 = 0; k2 <= nAlone; k2++) {
      const p = a[k1]! * b[k2]!;
      if (p >= NEGLIGIBLE && event(k1, k2)) total += p;
    }
  }
  return total;
}
