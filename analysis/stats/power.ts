import { assertOpenUnit, StatsInputError } from './errors.js';
import { normalQuantile } from './normal.js';

/** What to detect: a rate of `ratio · baseRate` with a peer against `baseRate` alone. */
export interface PowerInput {
  /** The rate alone, in (0, 1). */
  baseRate: number;
  /** The risk ratio to detect, > 0 and ≠ 1; ratio · baseRate must stay below 1. */
  ratio: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Chance of detecting the effect when it is real (default 0.8). */
  power?: number;
  /**
   * Apply Fleiss's continuity correction (default true). The corrected size matches the
   * continuity-corrected chi-square test, which tracks Fisher's exact test, the test we report; the
   * uncorrected one is for the plain z-test and comes out smaller.
   */
  continuityCorrection?: boolean;
}

/** Trials needed per cell (each of the two conditions). */
export interface PowerPlan {
  baseRate: number;
  withRate: number;
  ratio: number;
  alpha: number;
  power: number;
  continuityCorrection: boolean;
  /** Trials per condition, rounded up. */
  perCell: number;
  /** Both conditions together. */
  total: number;
}

/**
 * Trials per cell to detect pWith = ratio · baseRate against pAlone = baseRate with a two-sided test
 * of two independent proportions, by the normal approximation of Fleiss, Levin & Paik (2003, §4.2):
 *
 *   n′ = (z₁₋α/₂ · √(2 p̄ q̄) + z_power · √(p₁q₁ + p₂q₂))² / (p₁ − p₂)²,   p̄ = (p₁ + p₂)/2, q = 1 − p
 *   n  = n′/4 · (1 + √(1 + 4 / (n′ · |p₁ − p₂|)))²   (the continuity correction, on by default)
 */
export function trialsPerCell(input: PowerInput): PowerPlan {
  const { baseRate, ratio, alpha = 0.05, power = 0.8, continuityCorrection = true } = input;
  assertOpenUnit('the base rate', baseRate);
  assertOpenUnit('alpha', alpha);
  assertOpenUnit('power', power);
  if (!Number.isFinite(ratio) || ratio <= 0) throw new StatsInputError(`the ratio must be a number above 0 (got ${ratio})`);
  if (ratio === 1) throw new StatsInputError('a ratio of 1 is no effect: there is nothing to detect');
  const withRate = ratio * baseRate;
  if (withRate >= 1) throw new StatsInputError(`ratio × base rate = ${withRate}, but the rate with a peer must stay below 1`);

  const delta = Math.abs(withRate - baseRate);
  const mean = (withRate + baseRate) / 2;
  const spread = normalQuantile(1 - alpha / 2) * Math.sqrt(2 * mean * (1 - mean))
    + normalQuantile(power) * Math.sqrt(withRate * (1 - withRate) + baseRate * (1 - baseRate));
  const plain = (spread / delta) ** 2;
  const n = continuityCorrection ? (plain / 4) * (1 + Math.sqrt(1 + 4 / (plain * delta))) ** 2 : plain;
  // Shave floating-point noise so an exact whole number is not rounded up past itself.
  const perCell = Math.max(1, Math.ceil(n - 1e-9));
  return { baseRate, withRate, ratio, alpha, power, continuityCorrection, perCell, total: 2 * perCell };
}
