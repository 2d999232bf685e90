import { describe, expect, it } from 'vitest';
import {
  amplification, fisherExact, formatRiskRatio, holm, newcombeDifference, RATIO_METHOD, ratioScoreStatistic, scoreRiskRatio, StatsInputError,
  trialsPerCell, zForLevel,
} from './index.js';

// Reference values are textbook examples or closed forms worked out in the comments; every one was
// also checked independently against exact rational arithmetic (Fisher) or SciPy 1.17
// (norm.ppf, fisher_exact), not against this code.

describe('zForLevel', () => {
  it('gives the familiar two-sided z values', () => {
    expect(zForLevel(0.95)).toBeCloseTo(1.959964, 6);
    expect(zForLevel(0.9)).toBeCloseTo(1.644854, 6);
    expect(zForLevel(0.99)).toBeCloseTo(2.575829, 6);
  });
});

describe('newcombeDifference', () => {
  it('reproduces Newcombe (1998), Table II example: 56/70 vs 48/80', () => {
    // d = 0.8 − 0.6 = 0.2; Wilson 56/70 = (0.6917, 0.8757), 48/80 = (0.4904, 0.7003);
    // L = 0.2 − √(0.1083² + 0.1003²) = 0.0524, U = 0.2 + √(0.0757² + 0.1096²) = 0.3339.
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.estimate).toBeCloseTo(0.2, 10);
    expect(d.low).toBeCloseTo(0.0524, 4);
    expect(d.high).toBeCloseTo(0.3339, 4);
  });

  it('stays finite and inside [−1, 1] with zero cells', () => {
    // 3/20 vs 0/20: Wilson 3/20 = (0.0524, 0.3604), 0/20 = (0, 0.1611);
    // L = 0.15 − √(0.0976² + 0.1611²) = −0.0384, U = 0.15 + √(0.2104² + 0²) = 0.3604.
    const d = newcombeDifference(3, 20, 0, 20);
    expect(d.estimate).toBeCloseTo(0.15, 10);
    expect(d.low).toBeCloseTo(-0.0384, 4);
    expect(d.high).toBeCloseTo(0.3604, 4);
    // 10/10 vs 0/20: the upper bound is exactly 1 (both rates at their bounds).
    const extreme = newcombeDifference(10, 10, 0, 20);
    expect(extreme.high).toBeCloseTo(1, 12);
    expect(extreme.low).toBeCloseTo(0.6791, 4);
  });

  it('narrows at a lower confidence level', () => {
    const d95 = newcombeDifference(56, 70, 48, 80);
    const d90 = newcombeDifference(56, 70, 48, 80, 0.9);
    expect(d90.low).toBeGreaterThan(d95.low);
    expect(d90.high).toBeLessThan(d95.high);
  });
});

describe('scoreRiskRatio', () => {
  // Reference bounds from an independent Python implementation of the same statistic (SciPy 1.17
  // brentq on ln θ, norm.ppf for z), not from this code; the statistic itself is checked in closed
  // form at θ = 1 below.
  it('10/100 vs 5/100: estimate 2, interval (0.69630, 5.95706)', () => {
    const rr = scoreRiskRatio(10, 100, 5, 100);
    expect(rr).toMatchObject({ bound: 'interval', method: RATIO_METHOD });
    expect(rr.estimate).toBeCloseTo(2, 12);
    expect(rr.low).toBeCloseTo(0.6962954, 6);
    expect(rr.high).toBeCloseTo(5.9570626, 6);
    // Whole-number ratios stay whole (no log/exp round trip): 17/80 over 1/80 is 17.
    const whole = scoreRiskRatio(17, 80, 1, 80);
    expect(whole.estimate).toBe(17);
    expect(whole.low).toBeCloseTo(2.7379806, 6);
    expect(whole.high).toBeCloseTo(164.81317, 4);
  });

  it('at θ = 1 the statistic is the Pearson chi-square × (N−1)/N, with the continuity correction', () => {
    // Pooled p = 15/200 = 0.075; |0.10 − 0.05| − 0.25·(1/100 + 1/100) = 0.045;
    // variance 0.075·0.925·(2/100)·200/199 = 0.00139447; T = 0.045² / 0.00139447 = 1.452162.
    expect(ratioScoreStatistic(10, 100, 5, 100, 1)).toBeCloseTo(1.4521621622, 9);
    // At each bound the statistic equals the critical value z² (= 3.841459), inside it is below.
    const rr = scoreRiskRatio(10, 100, 5, 100);
    expect(ratioScoreStatistic(10, 100, 5, 100, rr.low)).toBeCloseTo(zForLevel(0.95) ** 2, 6);
    expect(ratioScoreStatistic(10, 100, 5, 100, rr.high)).toBeCloseTo(zForLevel(0.95) ** 2, 6);
    expect(ratioScoreStatistic(10, 100, 5, 100, 3)).toBeLessThan(zForLevel(0.95) ** 2);
  });

  it('no event alone: only a lower bound (3/20 vs 0/20 is ≥ 0.62555), never a point value', () => {
    const rr = scoreRiskRatio(3, 20, 0, 20);
    expect(rr).toMatchObject({ bound: 'lower-bound', estimate: Number.POSITIVE_INFINITY, high: Number.POSITIVE_INFINITY });
    expect(rr.low).toBeCloseTo(0.6255461, 6);
  });

  it('no event with a peer: only an upper bound; none in either: nothing is bounded', () => {
    const up = scoreRiskRatio(0, 20, 4, 20);
    expect(up).toMatchObject({ bound: 'upper-bound', estimate: 0, low: 0 });
    expect(up.high).toBeCloseTo(1.1319612, 6);
    const none = scoreRiskRatio(0, 20, 0, 20);
    expect(none).toMatchObject({ bound: 'no-events', low: 0, high: Number.POSITIVE_INFINITY });
    expect(none.estimate).toBeNaN();
  });

  it('needs no correction at 100%: 100/100 vs 2/100 is 50 [13.481, 225.53], and 99/100 is not larger', () => {
    const full = scoreRiskRatio(100, 100, 2, 100);
    expect(full.estimate).toBe(50);
    expect(full.low).toBeCloseTo(13.481295, 5);
    expect(full.high).toBeCloseTo(225.52713, 3);
    // The old Katz correction gave 40.2 for 100/100 but 49.5 for 99/100.
    expect(scoreRiskRatio(99, 100, 2, 100).estimate).toBeLessThan(full.estimate);
  });

  it('formats each kind of bound for people', () => {
    expect(formatRiskRatio(scoreRiskRatio(10, 100, 5, 100))).toBe('2.00 [0.70, 5.96]');
    expect(formatRiskRatio(scoreRiskRatio(17, 80, 1, 80))).toBe('17.0 [2.74, 165]');
    expect(formatRiskRatio(scoreRiskRatio(3, 20, 0, 20))).toBe('≥ 0.63 (none alone)');
    expect(formatRiskRatio(scoreRiskRatio(0, 20, 4, 20))).toBe('≤ 1.13 (none with peer)');
    expect(formatRiskRatio(scoreRiskRatio(0, 20, 0, 20))).toBe('n/a (no events)');
  });
});

describe('fisherExact', () => {
  it("Fisher's tea-tasting table [[3,1],[1,3]]: p = 34/70", () => {
    // Margins 4,4 / 4,4: P(x) = C(4,x)·C(4,4−x)/C(8,4) = 1, 16, 36, 16, 1 over 70; observed x = 3
    // (16/70), as or less likely: x = 0, 1, 3, 4 → 34/70 = 0.485714.
    expect(fisherExact(3, 4, 1, 4)).toBeCloseTo(34 / 70, 12);
  });

  it('[[1,9],[11,3]]: p = 41/14858 = 0.0027595', () => {
    // Summed exactly over the hypergeometric support (N 24, 12 successes, 10 drawn).
    expect(fisherExact(1, 10, 11, 14)).toBeCloseTo(41 / 14858, 12);
  });

  it('zero cells: 3/20 vs 0/20 gives p = 3/13; 0/10 vs 0/20 gives 1', () => {
    // N 40, 3 successes, 20 drawn: P(0) = P(3) = 3/26, P(1) = P(2) = 10/26; observed 3 → 6/26 = 3/13.
    expect(fisherExact(3, 20, 0, 20)).toBeCloseTo(3 / 13, 12);
    expect(fisherExact(0, 10, 0, 20)).toBe(1);
  });

  it('is symmetric in the two groups and counts ties of probability (tolerance)', () => {
    // Balanced margins make P(x) = P(K − x); both tails must be counted despite rounding.
    expect(fisherExact(1, 4, 3, 4)).toBeCloseTo(fisherExact(3, 4, 1, 4), 14);
    expect(fisherExact(21, 70, 2, 70)).toBeCloseTo(1.51365026837015e-5, 15);
  });
});

describe('holm', () => {
  it('adjusts [0.01, 0.04, 0.03] to [0.03, 0.06, 0.06]', () => {
    // Sorted 0.01, 0.03, 0.04 → ×3, ×2, ×1 = 0.03, 0.06, 0.04 → monotone 0.03, 0.06, 0.06.
    const adjusted = holm([0.01, 0.04, 0.03]);
    [0.03, 0.06, 0.06].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
  });

  it('caps at 1, handles ties and the empty list', () => {
    expect(holm([0.5, 0.5, 0.01])).toEqual([1, 1, 0.03]);
    expect(holm([])).toEqual([]);
    expect(holm([0.2])).toEqual([0.2]);
  });

  it('refuses values that are not p-values', () => {
    expect(() => holm([0.1, 1.2])).toThrow(StatsInputError);
    expect(() => holm([Number.NaN])).toThrow(/p-value 1/);
  });
});

describe('amplification', () => {
  it('puts rates, ratio, difference and p together', () => {
    const a = amplification({ alone: { k: 0, n: 20 }, with: { k: 3, n: 20 } });
    expect(a.level).toBe(0.95);
    expect(a.alone).toMatchObject({ k: 0, n: 20, rate: 0, low: 0 });
    expect(a.alone.high).toBeCloseTo(0.1611, 4); // Wilson 0/20: z²/(n + z²) = 3.8415/23.8415
    expect(a.with.rate).toBe(0.15);
    expect(a.ratio).toMatchObject({ bound: 'lower-bound', estimate: Number.POSITIVE_INFINITY });
    expect(a.ratio.low).toBeCloseTo(0.6255461, 6);
    expect(a.difference.low).toBeCloseTo(-0.0384, 4);
    expect(a.p).toBeCloseTo(3 / 13, 12);
  });

  it('refuses impossible counts with a readable message', () => {
    expect(() => amplification({ alone: { k: 5, n: 3 }, with: { k: 1, n: 3 } })).toThrow('alone: the count 5 is more than the 3 trials');
    expect(() => amplification({ alone: { k: 1, n: 0 }, with: { k: 1, n: 3 } })).toThrow(StatsInputError);
    expect(() => amplification({ alone: { k: 1.5, n: 3 }, with: { k: 1, n: 3 } })).toThrow(StatsInputError);
    expect(() => amplification({ alone: { k: 1, n: 3 }, with: { k: -1, n: 3 } })).toThrow(StatsInputError);
    expect(() => amplification({ alone: { k: 1, n: 3 }, with: { k: 1, n: 3 }, level: 1 })).toThrow(/confidence level/);
  });
});

describe('trialsPerCell', () => {
  it('base 5%, ratio 3, alpha 0.05, power 0.8 (Fleiss with continuity correction): 160 per cell', () => {
    // p₁ = 0.15, p₂ = 0.05, p̄ = 0.10; z = 1.959964, z_power = 0.841621.
    // n′ = (1.959964·√0.18 + 0.841621·√0.175)² / 0.1² = (0.831538 + 0.352076)² / 0.01 = 140.095
    // n = 140.095/4 · (1 + √(1 + 4/14.0095))² = 159.47 → 160 (and 141 without the correction).
    const plan = trialsPerCell({ baseRate: 0.05, ratio: 3 });
    expect(plan).toMatchObject({ perCell: 160, total: 320, continuityCorrection: true, alpha: 0.05, power: 0.8 });
    expect(plan.withRate).toBeCloseTo(0.15, 12);
    expect(trialsPerCell({ baseRate: 0.05, ratio: 3, continuityCorrection: false }).perCell).toBe(141);
  });

  it('the study\'s own figure: 1.3% alone, ratio 20 needs 37 per cell; ratio 0.5 at 30% needs 134', () => {
    // Same formula (computed independently): n′ = 29.12 → n = 36.77; 0.3 vs 0.15: n′ = 120.47 → n = 133.47.
    expect(trialsPerCell({ baseRate: 0.013, ratio: 20 }).perCell).toBe(37);
    expect(trialsPerCell({ baseRate: 0.3, ratio: 0.5 }).perCell).toBe(134);
    // Stricter alpha and more power cost more: 0.01 and 0.9 → n = 284.99 → 285.
    expect(trialsPerCell({ baseRate: 0.05, ratio: 3, alpha: 0.01, power: 0.9 }).perCell).toBe(285);
  });

  it('refuses impossible designs', () => {
    expect(() => trialsPerCell({ baseRate: 0.5, ratio: 2 })).toThrow(/below 1/);
    expect(() => trialsPerCell({ baseRate: 0.05, ratio: 1 })).toThrow(/no effect/);
    expect(() => trialsPerCell({ baseRate: 0, ratio: 2 })).toThrow(StatsInputError);
    expect(() => trialsPerCell({ baseRate: 0.1, ratio: Number.NaN })).toThrow(StatsInputError);
    expect(() => trialsPerCell({ baseRate: 0.1, ratio: 2, power: 1 })).toThrow(StatsInputError);
  });
});
