/**
 * The standard normal pieces the Thurstonian fit needs, written to stay finite far into the tails
 * (utility-engineering.md §10). `φ(z)/Φ(z)` becomes 0/0 once |z| passes about 38;
 * going through the scaled complementary error function erfcx avoids that.
 */

import stdlibErfcx from '@stdlib/math-base-special-erfcx';

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** erfcx(x) = exp(x²)·erfc(x), the scaled complementary error function (from @stdlib). */
export const erfcx: (x: number) => number = stdlibErfcx;

/**
 * dL/dz of the soft-label cross-entropy −[y·log Φ(z) + (1 − y)·log Φ(−z)], which equals
 * φ(z)(Φ(z) − y)/(Φ(z)Φ(−z)) but is written as (1 − y)·φ/Φ(−z) − y·φ/Φ(z) so each ratio stays finite
 * where Φ underflows. Both ratios share one erfcx evaluation: erfcx(−x) = 2·exp(x²) − erfcx(x).
 */
export function probitLossSlope(z: number, y: number): number {
  const x = z * SQRT1_2;
  const e = erfcx(Math.abs(x));
  const other = 2 * Math.exp(x * x) - e;
  // For x ≥ 0, erfcx(x) = e and erfcx(−x) = other; for x < 0 the roles swap.
  const upper = x >= 0 ? e : other; // erfcx(z/√2), so φ(z)/Φ(−z) = √(2/π)/upper
  const lower = x >= 0 ? other : e; // erfcx(−z/√2), so φ(z)/Φ(z) = √(2/π)/lower
  return SQRT_2_OVER_PI * ((1 - y) / upper - y / lower);
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  const x = -z * SQRT1_2;
  // erfc(x) = exp(−x²)·erfcx(x); for x < 0 this is 2 − erfc(−x), which stays accurate near 1.
  return x >= 0 ? 0.5 * Math.exp(-x * x) * erfcx(x) : 1 - 0.5 * Math.exp(-x * x) * erfcx(-x);
}
