/**
 * The conditional (multinomial) logit of utility-engineering.md §9.2: in a choice set s the agent
 * takes alternative a with probability P(a | s) ∝ exp(β·x_{s,a}), where x holds the outcome features
 * (and 0/1 columns for any alternative-specific constants). Fitted by MAP under a Gaussian prior
 * N(0, s²) on every parameter with Newton's method on the analytic Hessian, with a Laplace
 * covariance (−H + I/s²)⁻¹ (§9.7).
 */
import { zForLevel } from '../stats/index.js';
import { UtilitiesInputError } from './errors.js';
import { choleskySolve, cholesky, dot, inverseSpd, zeros, type Matrix } from './linear-algebra.js';

/** One choice set: each alternative's parameter vector x and how often it was chosen. */
export interface ChoiceSet {
  x: number[][];
  counts: number[];
}

/** The log-likelihood and its first two derivatives at one β. */
export interface LogitTerms {
  logLikelihood: number;
  gradient: number[];
  /** ∂²ℓ/∂β²: minus the count-weighted covariance of x under the fitted probabilities. */
  hessian: Matrix;
}

/** How to fit. */
export interface LogitOptions {
  /** SD of the N(0, s²) prior on every parameter (default 5: weak on features in 0..1). */
  priorSd?: number;
  maxIterations?: number;
  /** Stop once half the squared Newton decrement (the expected gain in log posterior) is below this. */
  tolerance?: number;
}

/** A fitted conditional logit. */
export interface LogitFit {
  /** The MAP estimate of β. */
  estimates: number[];
  /** The Laplace covariance (−H + I/s²)⁻¹ at the MAP. */
  covariance: Matrix;
  /** Log-likelihood of the data at the MAP (without the prior). */
  logLikelihood: number;
  /** Log-likelihood at β = 0 (every alternative equally likely), for McFadden's ρ². */
  nullLogLikelihood: number;
  /** Newton steps taken. */
  iterations: number;
  priorSd: number;
}

/** P(a | s) for every alternative of one set, and log Σ exp(V), computed stably. */
export function choiceProbabilities(x: readonly number[][], beta: readonly number[]): { p: number[]; logNormaliser: number } {
  const v = x.map((row) => dot(row, beta));
  const top = Math.max(...v);
  const w = v.map((vi) => Math.exp(vi - top));
  const total = w.reduce((a, b) => a + b, 0);
  return { p: w.map((wi) => wi / total), logNormaliser: top + Math.log(total) };
}

/** ℓ(β) = Σ_s Σ_a n_{s,a}·(V_{s,a} − log Σ_b exp V_{s,b}), its gradient and its Hessian. */
export function logitTerms(sets: readonly ChoiceSet[], beta: readonly number[]): LogitTerms {
  const d = beta.length;
  let logLikelihood = 0;
  const gradient = new Array<number>(d).fill(0);
  const hessian = zeros(d);
  for (const { x, counts } of sets) {
    const n = counts.reduce((a, b) => a + b, 0);
    if (n === 0) continue;
    const { p, logNormaliser } = choiceProbabilities(x, beta);
    const mean = new Array<number>(d).fill(0);
    x.forEach((row, a) => row.forEach((xk, k) => { mean[k]! += p[a]! * xk; }));
    x.forEach((row, a) => {
      const na = counts[a]!;
      if (na > 0) logLikelihood += na * (dot(row, beta) - logNormaliser);
      // Centred on the expected x, so the Hessian is a sum of outer products and stays symmetric.
      const centred = row.map((xk, k) => xk - mean[k]!);
      for (let k = 0; k < d; k++) {
        gradient[k]! += na * centred[k]!;
        for (let j = 0; j <= k; j++) hessian[k]![j]! -= n * p[a]! * centred[k]! * centred[j]!;
      }
    });
  }
  for (let k = 0; k < d; k++) for (let j = k + 1; j < d; j++) hessian[k]![j] = hessian[j]![k]!;
  return { logLikelihood, gradient, hessian };
}

/** −H + I/s²: the negative Hessian of the log posterior (positive definite thanks to the prior). */
function precision(hessian: Matrix, priorSd: number): Matrix {
  return hessian.map((row, i) => row.map((h, j) => -h + (i === j ? 1 / priorSd ** 2 : 0)));
}

/**
 * The MAP of β under N(0, s²I), by Newton's method with step halving. The log posterior is
 * strictly concave, so Newton converges in a handful of steps; failing to is reported as an error.
 */
export function fitConditionalLogit(sets: readonly ChoiceSet[], dimension: number, options: LogitOptions = {}): LogitFit {
  const priorSd = options.priorSd ?? 5;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  if (sets.length === 0) throw new UtilitiesInputError('there are no choice sets to fit');
  const logPosterior = (b: readonly number[]) => logitTerms(sets, b).logLikelihood - dot(b, b) / (2 * priorSd ** 2);

  let beta = new Array<number>(dimension).fill(0);
  let current = logPosterior(beta);
  for (let iteration = 0; iteration <= maxIterations; iteration++) {
    const terms = logitTerms(sets, beta);
    const gradient = terms.gradient.map((g, k) => g - beta[k]! / priorSd ** 2);
    const factor = cholesky(precision(terms.hessian, priorSd));
    if (!factor) throw new UtilitiesInputError('the conditional-logit Hessian is not positive definite (non-finite features or counts?)');
    const step = choleskySolve(factor, gradient);
    if (dot(gradient, step) / 2 < tolerance) {
      const covariance = inverseSpd(precision(terms.hessian, priorSd))!;
      const nullLogLikelihood = logitTerms(sets, new Array<number>(dimension).fill(0)).logLikelihood;
      return { estimates: beta, covariance, logLikelihood: terms.logLikelihood, nullLogLikelihood, iterations: iteration, priorSd };
    }
    // Halve the step until the log posterior does not fall (a full step overshoots only far from the mode).
    let scale = 1;
    let next = beta.map((b, k) => b + step[k]!);
    let value = logPosterior(next);
    // Rounding can make an exact tie look like a tiny loss, so allow for it.
    const floor = current - 1e-12 * Math.max(1, Math.abs(current));
    for (let halvings = 0; !(value >= floor) && halvings < 60; halvings++) {
      scale /= 2;
      next = beta.map((b, k) => b + scale * step[k]!);
      value = logPosterior(next);
    }
    if (!(value >= floor)) break;
    beta = next;
    current = value;
  }
  throw new UtilitiesInputError(`the conditional logit did not converge in ${maxIterations} Newton steps (are the features finite and of moderate size?)`);
}

/** A parameter's Laplace interval. */
export interface ParameterInterval {
  estimate: number;
  sd: number;
  low: number;
  high: number;
}

/** β̂_k ± z·sd_k with sd_k = √Cov_kk (z = 1.96 for the default 95%). */
export function laplaceIntervals(fit: Pick<LogitFit, 'estimates' | 'covariance'>, level = 0.95): ParameterInterval[] {
  const z = zForLevel(level);
  return fit.estimates.map((estimate, k) => {
    const sd = Math.sqrt(fit.covariance[k]![k]!);
    return { estimate, sd, low: estimate - z * sd, high: estimate + z * sd };
  });
}
