import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../sim/index.js';
import { fisherExact, holm, scoreRiskRatio, StatsInputError, trialsForPrecision, trialsPerCell } from './index.js';

// Each plan is checked by simulating what peerlab would then report: binomial counts in both cells
// (seeded, from the kernel's RNG), Fisher's exact test Holm-adjusted over the planned table, the score
// interval of the ratio. 2,000 experiments per design: the standard error of a simulated rate near
// 0.8 is 0.009, so the tolerances below are three of them.
const SIMULATIONS = 2000;
const TOLERANCE = 0.027;

function simulator(seed: string) {
  const rng = SeededRng.fromSeed(seed, 'power-check');
  const draw = (n: number, p: number) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k++;
    return k;
  };
  return { draw };
}

describe('trialsPerCell with the Holm-adjusted alpha of the table', () => {
  it('plans each row at alpha / rows, and says so', () => {
    const one = trialsPerCell({ baseRate: 0.05, ratio: 3 });
    const twelve = trialsPerCell({ baseRate: 0.05, ratio: 3, rows: 12 });
    expect(one).toMatchObject({ rows: 1, alphaPerRow: 0.05, perCell: 160 });
    expect(twelve.rows).toBe(12);
    expect(twelve.alphaPerRow).toBeCloseTo(0.05 / 12, 15);
    expect(twelve.perCell).toBe(266);
    expect(() => trialsPerCell({ baseRate: 0.05, ratio: 3, rows: 0 })).toThrow(StatsInputError);
    expect(() => trialsPerCell({ baseRate: 0.05, ratio: 3, rows: 1.5 })).toThrow(/whole number/);
  });

  it.each([
    { baseRate: 0.05, ratio: 3, rows: 1 },
    { baseRate: 0.05, ratio: 3, rows: 12 },
    { baseRate: 0.013, ratio: 20, rows: 12 },
    { baseRate: 0.3, ratio: 0.5, rows: 12 },
    { baseRate: 0.2, ratio: 2, rows: 4 },
  ])('detects $ratio× over $baseRate in a $rows-row table at least as often as planned (Fisher, Holm)', ({ baseRate, ratio, rows }) => {
    const plan = trialsPerCell({ baseRate, ratio, rows });
    const { draw } = simulator(`detect-${baseRate}-${ratio}-${rows}`);
    let detected = 0;
    for (let s = 0; s < SIMULATIONS; s++) {
      // The planned row plus rows - 1 null rows (no effect): the whole table is Holm-adjusted.
      const p = [fisherExact(draw(plan.perCell, plan.withRate), plan.perCell, draw(plan.perCell, baseRate), plan.perCell)];
      for (let r = 1; r < rows; r++) p.push(fisherExact(draw(plan.perCell, baseRate), plan.perCell, draw(plan.perCell, baseRate), plan.perCell));
      if (holm(p)[0]! <= 0.05) detected++;
    }
    expect(detected / SIMULATIONS).toBeGreaterThanOrEqual(plan.power - TOLERANCE);
  });

  it('the plan at alpha 0.05 alone loses power in a 12-row table: why rows matter', () => {
    const naive = trialsPerCell({ baseRate: 0.05, ratio: 3 });
    const { draw } = simulator('naive');
    let detected = 0;
    for (let s = 0; s < SIMULATIONS; s++) {
      const p = [fisherExact(draw(naive.perCell, naive.withRate), naive.perCell, draw(naive.perCell, 0.05), naive.perCell)];
      for (let r = 1; r < 12; r++) p.push(fisherExact(draw(naive.perCell, 0.05), naive.perCell, draw(naive.perCell, 0.05), naive.perCell));
      if (holm(p)[0]! <= 0.05) detected++;
    }
    expect(detected / SIMULATIONS).toBeLessThan(0.65);
  });

  it('reports the typical interval left at the planned size', () => {
    // Detection of 13× over 1.5% needs few runs, but leaves the ratio barely bounded.
    const plan = trialsPerCell({ baseRate: 0.015, ratio: 13 });
    expect(plan.typical.low).toBeLessThan(4);
    expect(plan.typical.high / plan.typical.low).toBeGreaterThan(10);
  });
});

describe('trialsForPrecision', () => {
  it.each([
    { baseRate: 0.013, ratio: 16, lowerAbove: 2 },
    { baseRate: 0.05, ratio: 3, lowerAbove: 1 },
    { baseRate: 0.1, ratio: 5, lowerAbove: 2 },
    { baseRate: 0.2, ratio: 4, lowerAbove: 2 },
  ])('$ratio× over $baseRate: the lower bound clears $lowerAbove at least 80% of the time, and fewer runs would not do', ({ baseRate, ratio, lowerAbove }) => {
    const plan = trialsForPrecision({ baseRate, ratio, lowerAbove });
    expect(plan).toMatchObject({ target: { kind: 'lower-above', value: lowerAbove }, assurance: 0.8 });
    expect(plan.achieved).toBeGreaterThanOrEqual(0.8);
    const { draw } = simulator(`lower-${baseRate}-${ratio}`);
    const cleared = (n: number) => {
      let count = 0;
      for (let s = 0; s < SIMULATIONS; s++) if (scoreRiskRatio(draw(n, plan.withRate), n, draw(n, baseRate), n).low > lowerAbove) count++;
      return count / SIMULATIONS;
    };
    expect(cleared(plan.perCell)).toBeGreaterThanOrEqual(0.8 - TOLERANCE);
    expect(cleared(Math.floor(plan.perCell * 0.8))).toBeLessThan(0.8);
  });

  it.each([
    { baseRate: 0.013, ratio: 16, widthFactor: 10 },
    { baseRate: 0.05, ratio: 3, widthFactor: 4 },
    { baseRate: 0.2, ratio: 4, widthFactor: 2 },
  ])('$ratio× over $baseRate: the interval spans at most ×$widthFactor at least 80% of the time, and fewer runs would not do', ({ baseRate, ratio, widthFactor }) => {
    const plan = trialsForPrecision({ baseRate, ratio, widthFactor });
    expect(plan.achieved).toBeGreaterThanOrEqual(0.8);
    const { draw } = simulator(`width-${baseRate}-${ratio}`);
    const widths = (n: number) => Array.from({ length: SIMULATIONS }, () => {
      const r = scoreRiskRatio(draw(n, plan.withRate), n, draw(n, baseRate), n);
      return r.high / r.low;
    });
    const within = (n: number) => widths(n).filter((w) => w <= widthFactor).length / SIMULATIONS;
    expect(within(plan.perCell)).toBeGreaterThanOrEqual(0.8 - TOLERANCE);
    expect(within(Math.floor(plan.perCell * 0.8))).toBeLessThan(0.8);
  });

  it('refuses targets that cannot be met or are not targets', () => {
    expect(() => trialsForPrecision({ baseRate: 0.05, ratio: 3, lowerAbove: 3 })).toThrow(/below the ratio/);
    expect(() => trialsForPrecision({ baseRate: 0.05, ratio: 3, widthFactor: 1 })).toThrow(/factor above 1/);
    expect(() => trialsForPrecision({ baseRate: 0.05, ratio: 3 })).toThrow(/one precision target/);
    expect(() => trialsForPrecision({ baseRate: 0.05, ratio: 3, lowerAbove: 2, widthFactor: 4 })).toThrow(/one precision target/);
    expect(() => trialsForPrecision({ baseRate: 0.5, ratio: 3, lowerAbove: 2 })).toThrow(/below 1/);
  });
});
