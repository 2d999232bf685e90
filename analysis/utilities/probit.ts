/**
 * The standard normal pieces the Thurstonian fit needs, written to stay finite far into the tails
 * (utility-engineering.md §10). `φ(z)/Φ(z)` becomes 0/0 once |z| passes about 38;
 * going through the scaled complementary error function erfcx avoids that.
 */

import { ERFCX_Y100 } from './erfcx-table.js';

const SQRT1_2 = Math.SQRT1_2;
/** √(2/π): φ(z)/Φ(−z) = √(2/π)/erfcx(z/√2). */
export const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_PI = 0.56418958354775628694807945156;

/**
 * erfcx(x) = exp(x²)·erfc(x) for x ≥ 0 (NaN for NaN), the scaled complementary error function:
 * @stdlib/math-base-special-erfcx's algorithm operation for operation, so it returns the same doubles
 * (thurstonian-gradient.test.ts checks), but reading its Chebyshev coefficients from one typed array
 * instead of calling one of 100 functions through a table.
 */
export function erfcxNonNegative(x: number): number {
  if (x > 50) {
    // Continued-fraction expansion; the one-term form avoids overflow.
    if (x > 5e7) return INV_SQRT_PI / x;
    const x2 = x * x;
    return (INV_SQRT_PI * (x2 * (x2 + 4.5) + 2.0)) / (x * (x2 * (x2 + 5.0) + 3.75));
  }
  if (!(x >= 0)) return NaN;
  const y100 = 400 / (4 + x);
  const k = y100 | 0; // floor: y100 is in [7.4, 100]
  // y100 = 100 only at x = 0 (within 4 ulp), where erfcx is 1 to within 1e-15.
  if (k >= 100) return 1;
  const t = 2 * y100 - (2 * k + 1);
  const c = 7 * k;
  const T = ERFCX_Y100;
  return T[c]! + (T[c + 1]! + (T[c + 2]! + (T[c + 3]! + (T[c + 4]! + (T[c + 5]! + T[c + 6]! * t) * t) * t) * t) * t) * t;
}

/**
 * dL/dz of the soft-label cross-entropy −[y·log Φ(z) + (1 − y)·log Φ(−z)], which equals
 * φ(z)(Φ(z) − y)/(Φ(z)Φ(−z)) but is written as (1 − y)·φ/Φ(−z) − y·φ/Φ(z) so each ratio stays finite
 * where Φ underflows. Both ratios share one erfcx evaluation: erfcx(−x) = 2·exp(x²) − erfcx(x).
 * The fit's gradient (thurstonian-gradient.ts) computes the same through a table; this plain form is
 * what the tests hold it to.
 */
export function probitLossSlope(z: number, y: number): number {
  const x = z * SQRT1_2;
  const e = erfcxNonNegative(Math.abs(x));
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
  return x >= 0 ? 0.5 * Math.exp(-x * x) * erfcxNonNegative(x) : 1 - 0.5 * Math.exp(-x * x) * erfcxNonNegative(-x);
}
