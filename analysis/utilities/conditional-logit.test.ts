import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../sim/index.js';
import { choiceProbabilities, fitConditionalLogit, laplaceIntervals, logitTerms, type ChoiceSet } from './conditional-logit.js';
import { UtilitiesInputError } from './errors.js';
import { cholesky, choleskySolve, inverseSpd, multiplyVector, symmetricEigen } from './linear-algebra.js';
import { sampleExchangeRates, standardRatios } from './posterior-ratios.js';

/** Random choice sets (3–5 options, features uniform in 0..1) with counts drawn from the logit at `beta`. */
function simulate(beta: number[], sets: number, perSet: number, seed: number): ChoiceSet[] {
  const rng = SeededRng.fromSeed(seed, 'simulate-logit');
  return Array.from({ length: sets }, () => {
    const x = Array.from({ length: 3 + rng.int(3) }, () => beta.map(() => rng.next()));
    const { p } = choiceProbabilities(x, beta);
    const counts = x.map(() => 0);
    for (let t = 0; t < perSet; t++) {
      let u = rng.next();
      const a = p.findIndex((pa) => (u -= pa) < 0);
      counts[a === -1 ? p.length - 1 : a]! += 1;
    }
    return { x, counts };
  });
}

describe('linear algebra', () => {
  const a = [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]];

  it('solves and inverts a positive definite matrix through its Cholesky factor', () => {
    const x = choleskySolve(cholesky(a)!, [1, 2, 3]);
    multiplyVector(a, x).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 3][i]!, 12));
    const inverse = inverseSpd(a)!;
    a.forEach((row, i) => multiplyVector(a, inverse.map((r) => r[i]!)).forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)));
    expect(cholesky([[1, 2], [2, 1]])).toBeUndefined();
  });

  it('finds eigenvalues (ascending) and unit eigenvectors by Jacobi rotations', () => {
    const { values, vectors } = symmetricEigen(a);
    expect(values).toEqual([...values].sort((p, q) => p - q));
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10); // the trace
    values.forEach((value, k) => {
      const v = vectors[k]!;
      expect(Math.hypot(...v)).toBeCloseTo(1, 12);
      multiplyVector(a, v).forEach((av, i) => expect(av).toBeCloseTo(value * v[i]!, 10));
    });
    // A singular matrix has an eigenvalue of 0 with the null vector (1, −1)/√2.
    const singular = symmetricEigen([[1, 1], [1, 1]]);
    expect(singular.values[0]).toBeCloseTo(0, 12);
    expect(Math.abs(singular.vectors[0]![0]! + singular.vectors[0]![1]!)).toBeLessThan(1e-12);
  });
});

describe('conditional logit', () => {
  const beta = [1.5, -2, 0.7, 3];

  it('has an analytic gradient and Hessian that match finite differences', () => {
    const sets = simulate(beta, 20, 15, 1);
    const at = [0.3, -0.4, 1.1, 0.2];
    const { gradient, hessian } = logitTerms(sets, at);
    const h = 1e-5;
    at.forEach((_, k) => {
      const up = [...at], down = [...at];
      up[k]! += h;
      down[k]! -= h;
      const numeric = (logitTerms(sets, up).logLikelihood - logitTerms(sets, down).logLikelihood) / (2 * h);
      expect(gradient[k]).toBeCloseTo(numeric, 4);
      const slope = logitTerms(sets, up).gradient.map((g, j) => (g - logitTerms(sets, down).gradient[j]!) / (2 * h));
      slope.forEach((s, j) => expect(hessian[j]![k]).toBeCloseTo(s, 4));
    });
  });

  it('recovers β from plenty of simulated choices, in a few Newton steps', () => {
    const fit = fitConditionalLogit(simulate(beta, 400, 100, 2), beta.length);
    expect(fit.iterations).toBeLessThan(15);
    const intervals = laplaceIntervals(fit);
    intervals.forEach((iv, k) => {
      expect(Math.abs(iv.estimate - beta[k]!)).toBeLessThan(0.15);
      expect(iv.sd).toBeLessThan(0.1);
      expect(iv.low).toBeLessThan(beta[k]!);
      expect(iv.high).toBeGreaterThan(beta[k]!);
    });
    expect(fit.logLikelihood).toBeGreaterThan(fit.nullLogLikelihood);
  });

  it('gives 95% Laplace intervals that cover the truth about 95% of the time', () => {
    let covered = 0, total = 0;
    for (let rep = 0; rep < 200; rep++) {
      const fit = fitConditionalLogit(simulate(beta, 40, 10, 100 + rep), beta.length);
      laplaceIntervals(fit).forEach((iv, k) => {
        total += 1;
        if (iv.low <= beta[k]! && beta[k]! <= iv.high) covered += 1;
      });
    }
    // 800 intervals: a binomial SD of 0.8 points around 95%.
    expect(covered / total).toBeGreaterThan(0.92);
    expect(covered / total).toBeLessThan(0.98);
  });

  it('keeps estimates finite under separation, thanks to the prior', () => {
    // Option 0 always has the higher feature and is always taken: the MLE is +∞.
    const sets: ChoiceSet[] = [{ x: [[1], [0]], counts: [30, 0] }, { x: [[0.5], [0]], counts: [30, 0] }];
    const fit = fitConditionalLogit(sets, 1, { priorSd: 5 });
    expect(Number.isFinite(fit.estimates[0])).toBe(true);
    expect(fit.estimates[0]).toBeGreaterThan(5);
  });

  it('says so when it does not converge, and refuses no data', () => {
    expect(() => fitConditionalLogit(simulate(beta, 20, 20, 3), beta.length, { maxIterations: 1 })).toThrow(/did not converge in 1 Newton steps/);
    expect(() => fitConditionalLogit([], 2)).toThrow(UtilitiesInputError);
  });
});

describe('exchange-rate sampler', () => {
  const posterior = {
    names: ['self_survives', 'peer_survives', 'task_done'],
    estimates: [2, 1, 4],
    covariance: [[0.0001, 0, 0], [0, 0.04, 0], [0, 0, 4]],
    intervals: [{ low: 1.98, high: 2.02 }, { low: 0.6, high: 1.4 }, { low: -0.1, high: 8 }],
  };
  const ratios = standardRatios(posterior.names);

  it('lists every feature over self_survives, then self_survives over task_done', () => {
    expect(ratios).toEqual([
      { numerator: 'peer_survives', denominator: 'self_survives' },
      { numerator: 'task_done', denominator: 'self_survives' },
      { numerator: 'self_survives', denominator: 'task_done' },
    ]);
    expect(standardRatios(['peer_survives', 'task_done'])).toEqual([]);
  });

  it('is deterministic given the seed, and the seed matters', () => {
    const a = sampleExchangeRates(posterior, ratios, { seed: 42 });
    expect(sampleExchangeRates(posterior, ratios, { seed: 42 })).toEqual(a);
    expect(sampleExchangeRates(posterior, ratios, { seed: 43 })).not.toEqual(a);
  });

  it('matches the normal quantiles when the denominator is nearly fixed, and flags a denominator interval with 0', () => {
    const [peer, , selfOverTask] = sampleExchangeRates(posterior, ratios, { seed: 7 });
    // peer/self ≈ N(1, 0.2²)/2: quantiles 0.5 ± 1.96·0.1.
    expect(peer!.median).toBeCloseTo(0.5, 2);
    expect(peer!.low).toBeCloseTo(0.5 - 0.196, 1);
    expect(peer!.high).toBeCloseTo(0.5 + 0.196, 1);
    expect(peer!.unbounded).toBe(false);
    expect(selfOverTask!.unbounded).toBe(true);
  });
});
