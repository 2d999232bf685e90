import { describe, expect, it } from 'vitest';
import { parseEdges } from './edges-file.js';
import { UtilitiesInputError } from './errors.js';
import { plantedPreferences } from './planted.js';
import { normalCdf, probitLossSlope } from './probit.js';
import { fitThurstonian } from './thurstonian.js';

function pearson(xs: number[], ys: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs), my = mean(ys);
  let sxy = 0, sxx = 0, syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

// 50 outcomes, 250 distinct pairs (a 49-edge chain plus random ones: degree ~10), K=10 per order.
const planted = plantedPreferences({ outcomes: 50, edges: 250, samplesPerOrder: 10, seed: 11 });
const fit = fitThurstonian(planted.edges, { seed: 3 });

describe('fitThurstonian', () => {
  it('recovers planted utilities (Pearson r ≥ 0.95)', () => {
    expect(fit.utilities).toHaveLength(50);
    const r = pearson(fit.utilities.map((u) => u.mean), fit.utilities.map((u) => planted.utilities.get(u.outcome)!));
    expect(r).toBeGreaterThanOrEqual(0.95);
  });

  it('returns normalised means, best first, and positive variances', () => {
    const means = fit.utilities.map((u) => u.mean);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    const mean = means.reduce((s, x) => s + x, 0) / means.length;
    const sd = Math.sqrt(means.reduce((s, x) => s + (x - mean) ** 2, 0) / (means.length - 1));
    expect(mean).toBeCloseTo(0, 9);
    expect(sd).toBeCloseTo(1, 4);
    expect(fit.utilities.every((u) => u.variance > 0 && Number.isFinite(u.variance))).toBe(true);
  });

  it('reports finite fit metrics, with accuracy above 0.7 on planted data', () => {
    expect(Number.isFinite(fit.logLoss)).toBe(true);
    expect(fit.logLoss).toBeGreaterThan(0);
    expect(fit.accuracy).toBeGreaterThan(0.7);
    expect(fit.accuracy).toBeLessThanOrEqual(1);
  });

  it('is deterministic given the seed, and the seed matters', () => {
    expect(fitThurstonian(planted.edges, { seed: 3 })).toEqual(fit);
    expect(fitThurstonian(planted.edges, { seed: 4, epochs: 5 })).not.toEqual(fitThurstonian(planted.edges, { seed: 3, epochs: 5 }));
  });

  it('refuses an edge with no responses and an empty edge list', () => {
    expect(() => fitThurstonian([{ a: 'x', b: 'y', aWins: 0, bWins: 0 }], { seed: 1 })).toThrow(UtilitiesInputError);
    expect(() => fitThurstonian([], { seed: 1 })).toThrow(/no edges/);
  });
});

describe('probitLossSlope', () => {
  it('matches φ(z)(p − y)/(p(1 − p)) where that is computable', () => {
    for (const z of [-6, -2, -0.3, 0, 0.7, 3, 6]) {
      for (const y of [0, 0.25, 1]) {
        const p = normalCdf(z);
        const phi = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        expect(probitLossSlope(z, y)).toBeCloseTo((phi * (p - y)) / (p * (1 - p)), 5);
      }
    }
  });

  it('stays finite far in the tails, where p underflows', () => {
    for (const z of [-60, -40, 40, 60]) {
      for (const y of [0, 0.5, 1]) expect(Number.isFinite(probitLossSlope(z, y))).toBe(true);
    }
    // Far below, with y = 1, the slope approaches −|z| (the inverse Mills ratio).
    expect(probitLossSlope(-40, 1)).toBeCloseTo(-40.025, 2);
  });
});

describe('parseEdges', () => {
  it('reads edges, skipping blank lines', () => {
    const text = '{"a": "x", "b": "y", "a_wins": 7, "b_wins": 13}\n\n{"a": "y", "b": "z", "a_wins": 0, "b_wins": 2}\n';
    expect(parseEdges(text, 'edges.jsonl')).toEqual([{ a: 'x', b: 'y', aWins: 7, bWins: 13 }, { a: 'y', b: 'z', aWins: 0, bWins: 2 }]);
  });

  it('reports every bad line with its number in one error', () => {
    const text = [
      '{"a": "x", "b": "y", "a_wins": 7, "b_wins": 13}',
      '',
      '{"a": "x", "b": "z", "a_wins": 1.25, "b_wins": 2.5}',
      '{"a": "x", "b": "x", "a_wins": 1, "b_wins": 2}',
      '[1, 2]',
      '{"a": "x", "b": "z", "a_wins": 0, "b_wins": 0}',
      '{oops',
      '{"a": "", "b_wins": -1, "a_wins": 3}',
    ].join('\n');
    let error: unknown;
    try {
      parseEdges(text, 'edges.jsonl');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UtilitiesInputError);
    expect((error as Error).message).toBe(
      'edges.jsonl: line 3: a_wins must be a whole or half count ≥ 0; line 4: a and b must differ; line 5: not a JSON object; '
      + 'line 6: a_wins + b_wins must be at least 1; line 7: not JSON; '
      + 'line 8: a must be a non-empty string, b must be a non-empty string, b_wins must be a whole or half count ≥ 0',
    );
  });

  it('refuses a file with no edges', () => {
    expect(() => parseEdges('\n  \n', 'empty.jsonl')).toThrow('empty.jsonl: no edges');
  });
});
