import { describe, expect, it } from 'vitest';
import {
  amplification, fisherExact, holm, katzRiskRatio, newcombeDifference, StatsInputError, trialsPerCell, zForLevel,
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

describe('katzRiskRatio', () => {
  it('10/100 vs 5/100: RR 2, log SE √0.28', () => {
    // SE = √(1/10 − 1/100 + 1/5 − 1/100) = √0.28 = 0.529150; exp(ln 2 ∓ 1.959964·0.529150)
    // = exp(0.693147 ∓ 1.037115) = (0.70895, 5.64214).
    const rr = katzRiskRatio(10, 100, 5, 100);
    expect(rr).toMatchObject({ corrected: false });
    expect(rr.estimate).toBeCloseTo(2, 12);
    expect(rr.low).toBeCloseTo(0.70895, 4);
    expect(rr.high).toBeCloseTo(5.64214, 4);
    // Whole-number ratios stay whole (no log/exp round trip): 17/80 over 1/80 is 17.
    expect(katzRiskRatio(17, 80, 1, 80).estimate).toBe(17);
  });

  it('adds 0.5 to every cell when one is zero: 3/20 vs 0/20', () => {
    // (3.5/21) / (0.5/21) = 7; SE = √(1/3.5 − 1/21 + 1/0.5 − 1/21) = √2.190476 = 1.480026;
    // 7·exp(∓1.959964·1.480026) = (0.38486, 127.320).
    const rr = katzRiskRatio(3, 20, 0, 20);
    expect(rr.corrected).toBe(true);
    expect(rr.estimate).toBeCloseTo(7, 12);
    expect(rr.low).toBeCloseTo(0.38486, 4);
    expect(rr.high).toBeCloseTo(127.320, 2);
  });

  it('corrects a zero complement too (20/20) and gives RR 1 for 0/20 vs 0/20', () => {
    // 20/20 vs 10/20 → (20.5/21) / (10.5/21) = 20.5/10.5 = 1.952381.
    const full = katzRiskRatio(20, 20, 10, 20);
    expect(full.corrected).toBe(true);
    expect(full.estimate).toBeCloseTo(20.5 / 10.5, 12);
    // 0/20 vs 0/20 → 1, SE = √(2/0.5 − 2/21) = 1.976047 → exp(∓3.872981) = (0.020796, 48.0855).
    const none = katzRiskRatio(0, 20, 0, 20);
    expect(none.estimate).toBeCloseTo(1, 12);
    expect(none.low).toBeCloseTo(0.020796, 5);
    expect(none.high).toBeCloseTo(48.0855, 3);
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
    expect(a.ratio).toMatchObject({ corrected: true });
    expect(a.ratio.estimate).toBeCloseTo(7, 12);
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
