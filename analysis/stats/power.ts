import { assertOpenUnit, StatsInputError } from './errors.js';
import { normalQuantile, zForLevel } from './normal.js';
import { outcomeProbability } from './binomial.js';
import { ratioScoreStatistic, scoreBounds, type RiskRatio } from './risk-ratio.js';

/** What to detect: a rate of `ratio · baseRate` with a peer against `baseRate` alone. */
export interface PowerInput {
  /** The rate alone, in (0, 1). */
  baseRate: number;
  /** The risk ratio to detect, > 0 and ≠ 1; ratio · baseRate must stay below 1. */
  ratio: number;
  /** Two-sided significance level of the whole table (default 0.05). */
  alpha?: number;
  /** Chance of detecting the effect when it is real (default 0.8). */
  power?: number;
  /**
   * Rows of the planned table (default 1). Its p-values are Holm-adjusted, and Holm's first step
   * tests the smallest p at alpha / rows, so each row is planned at that level: with Holm the row is
   * then detected at least as often as planned.
   */
  rows?: number;
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
  /** The table's alpha, the rows it is shared by, and the level each row is planned at. */
  alpha: number;
  rows: number;
  alphaPerRow: number;
  power: number;
  continuityCorrection: boolean;
  /** Trials per condition, rounded up. */
  perCell: number;
  /** Both conditions together. */
  total: number;
  /** The 95% ratio interval a typical outcome (the expected counts) gives at `perCell`: what detection leaves of precision. */
  typical: RiskRatio;
}

/** The design both kinds of plan start from: rates that can be true. */
function checkDesign(baseRate: number, ratio: number): number {
  assertOpenUnit('the base rate', baseRate);
  if (!Number.isFinite(ratio) || ratio <= 0) throw new StatsInputError(`the ratio must be a number above 0 (got ${ratio})`);
  const withRate = ratio * baseRate;
  if (withRate >= 1) throw new StatsInputError(`ratio × base rate = ${withRate}, but the rate with a peer must stay below 1`);
  return withRate;
}

/** The interval of the expected outcome at n per cell. */
export function typicalInterval(baseRate: number, ratio: number, n: number, level = 0.95): RiskRatio {
  return scoreBounds(n * ratio * baseRate, n, n * baseRate, n, level);
}

/** Shave floating-point noise so an exact whole number is not rounded up past itself. */
const wholeUp = (n: number) => Math.max(1, Math.ceil(n - 1e-9));

/**
 * Trials per cell to detect pWith = ratio · baseRate against pAlone = baseRate with a two-sided test
 * of two independent proportions at alpha / rows, by the normal approximation of Fleiss, Levin & Paik
 * (2003, §4.2):
 *
 *   n′ = (z₁₋α/₂ · √(2 p̄ q̄) + z_power · √(p₁q₁ + p₂q₂))² / (p₁ − p₂)²,   p̄ = (p₁ + p₂)/2, q = 1 − p
 *   n  = n′/4 · (1 + √(1 + 4 / (n′ · |p₁ − p₂|)))²   (the continuity correction, on by default)
 *
 * Checked by simulating Fisher's exact test at the planned n (power.test.ts).
 */
export function trialsPerCell(input: PowerInput): PowerPlan {
  const { baseRate, ratio, alpha = 0.05, power = 0.8, rows = 1, continuityCorrection = true } = input;
  assertOpenUnit('alpha', alpha);
  assertOpenUnit('power', power);
  if (!Number.isInteger(rows) || rows < 1) throw new StatsInputError(`the number of rows must be a whole number of at least 1 (got ${rows})`);
  const withRate = checkDesign(baseRate, ratio);
  if (ratio === 1) throw new StatsInputError('a ratio of 1 is no effect: there is nothing to detect');

  const alphaPerRow = alpha / rows;
  const delta = Math.abs(withRate - baseRate);
  const mean = (withRate + baseRate) / 2;
  const spread = normalQuantile(1 - alphaPerRow / 2) * Math.sqrt(2 * mean * (1 - mean))
    + normalQuantile(power) * Math.sqrt(withRate * (1 - withRate) + baseRate * (1 - baseRate));
  const plain = (spread / delta) ** 2;
  const n = continuityCorrection ? (plain / 4) * (1 + Math.sqrt(1 + 4 / (plain * delta))) ** 2 : plain;
  const perCell = wholeUp(n);
  return {
    baseRate, withRate, ratio, alpha, rows, alphaPerRow, power, continuityCorrection, perCell, total: 2 * perCell,
    typical: typicalInterval(baseRate, ratio, perCell),
  };
}

/** How precise the ratio's interval should be. */
export interface PrecisionInput {
  baseRate: number;
  /** The true ratio the plan assumes. */
  ratio: number;
  /** Plan for a lower bound above this ratio (e.g. 2: "at least doubles"); below `ratio`. */
  lowerAbove?: number;
  /** Or plan for an interval whose upper bound is at most this many times its lower bound (e.g. 4). */
  widthFactor?: number;
  /** The interval's level (default 0.95, what every table prints). */
  level?: number;
  /** The chance that an experiment of the planned size meets the target (default 0.8). */
  assurance?: number;
}

export interface PrecisionPlan {
  baseRate: number;
  withRate: number;
  ratio: number;
  target: { kind: 'lower-above' | 'width'; value: number };
  level: number;
  assurance: number;
  perCell: number;
  total: number;
  /** The exact chance, at `perCell`, that the target is met (at least `assurance`). */
  achieved: number;
  typical: RiskRatio;
}

/** The smallest n ≥ 1 for which `meets(n)` holds, searched up from `guess` (meets is taken as monotone). */
function smallestMeeting(meets: (n: number) => boolean, guess: number, what: string): number {
  let low = Math.max(0, Math.floor(guess / 2));
  let high = Math.max(1, guess);
  while (!meets(high)) {
    if (high > 1e6) throw new StatsInputError(`no design of up to 1,000,000 trials per cell meets ${what}`);
    low = high;
    high *= 2;
  }
  while (low > 0 && meets(low)) [high, low] = [low, Math.floor(low / 2)];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (meets(mid)) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * Trials per cell for a precise ratio: the smallest n at which an experiment meets the target with
 * probability `assurance`, computed exactly for the interval peerlab prints (every outcome of both
 * cells enumerated). `lowerAbove`: the lower bound exceeds R₀; `widthFactor`: high ÷ low ≤ F (a zero
 * cell, unbounded, never meets it). The search starts from the normal approximation on the log scale,
 *   n ≈ (z₁₋α/₂ + z_assurance)² · ((1 − p₁)/p₁ + (1 − p₂)/p₂) / ln²(θ / R₀),
 * and is checked by simulating experiments (power.test.ts).
 */
export function trialsForPrecision(input: PrecisionInput): PrecisionPlan {
  const { baseRate, ratio, lowerAbove, widthFactor, level = 0.95, assurance = 0.8 } = input;
  const withRate = checkDesign(baseRate, ratio);
  assertOpenUnit('the confidence level', level);
  assertOpenUnit('the assurance', assurance);
  if ((lowerAbove === undefined) === (widthFactor === undefined)) throw new StatsInputError('give one precision target: a lower bound to clear, or a width');
  const z = zForLevel(level);
  const variance = (1 - withRate) / withRate + (1 - baseRate) / baseRate;
  const zSum = (z + normalQuantile(assurance)) ** 2;
  let chance: (n: number) => number;
  let target: PrecisionPlan['target'];
  let guess: number;
  if (lowerAbove !== undefined) {
    if (!Number.isFinite(lowerAbove) || lowerAbove <= 0 || lowerAbove >= ratio) {
      throw new StatsInputError(`the lower bound to clear must be above 0 and below the ratio ${ratio} (got ${lowerAbove})`);
    }
    // The bound clears R₀ exactly when R₀ is below the estimate and the score test rejects it: one
    // evaluation of the statistic per outcome instead of a root search.
    chance = (n) => outcomeProbability(n, withRate, n, baseRate, (k1, k2) =>
      k1 > lowerAbove * k2 && ratioScoreStatistic(k1, n, k2, n, lowerAbove) > z * z);
    target = { kind: 'lower-above', value: lowerAbove };
    guess = (zSum * variance) / Math.log(ratio / lowerAbove) ** 2;
  } else {
    if (!Number.isFinite(widthFactor) || widthFactor! <= 1) throw new StatsInputError(`the width must be a factor above 1, high ÷ low (got ${widthFactor})`);
    chance = (n) => outcomeProbability(n, withRate, n, baseRate, (k1, k2) => {
      if (k1 === 0 || k2 === 0) return false;
      const r = scoreBounds(k1, n, k2, n, level);
      return r.high <= widthFactor! * r.low;
    });
    target = { kind: 'width', value: widthFactor! };
    guess = (zSum * variance * 4) / Math.log(widthFactor!) ** 2 / 4;
  }
  const perCell = smallestMeeting((n) => chance(n) >= assurance, wholeUp(guess), `the target with assurance ${assurance}`);
  return {
    baseRate, withRate, ratio, target, level, assurance, perCell, total: 2 * perCell, achieved: chance(perCell),
    typical: typicalInterval(baseRate, ratio, perCell, level),
  };
}
