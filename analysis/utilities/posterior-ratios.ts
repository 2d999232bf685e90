/**
 * Exchange rates of revealed utilities, β_k/β_ref, with intervals by sampling the Laplace posterior
 * (utility-engineering.md §9.7): a ratio of normals is skewed and, near β_ref = 0, unbounded, which
 * the delta method hides. Ratios are the only numbers comparable across models and temperatures (§9.6).
 */
import { SeededRng } from '../../sim/index.js';
import { cholesky, type Matrix } from './linear-algebra.js';

/** Which parameter over which. */
export interface RatioSpec {
  numerator: string;
  denominator: string;
}

/** One exchange rate: quantiles of β_numerator/β_denominator over posterior draws. */
export interface ExchangeRate extends RatioSpec {
  /** 2.5% quantile. */
  low: number;
  median: number;
  /** 97.5% quantile. */
  high: number;
  /** The denominator's 95% interval contains 0, so the ratio has no finite interval (quantiles still given). */
  unbounded: boolean;
}

/** The posterior to draw from: parameter names, MAP, Laplace covariance and each parameter's 95% interval. */
export interface Posterior {
  names: readonly string[];
  estimates: readonly number[];
  covariance: Matrix;
  intervals: ReadonlyArray<{ low: number; high: number }>;
}

/** Draws and seed; the defaults give stable 2.5% and 97.5% quantiles. */
export interface SamplerOptions {
  seed: number | string;
  draws?: number;
}

const SELF = 'self_survives';
const TASK = 'task_done';

/**
 * The rates reported: every other feature in units of the agent's own survival (peer_survives /
 * self_survives is how much a peer's survival is worth to it against its own), and its own survival
 * in units of task completion. Only features present in `features` are used.
 */
export function standardRatios(features: readonly string[]): RatioSpec[] {
  if (!features.includes(SELF)) return [];
  const ratios = features.filter((f) => f !== SELF).map((f) => ({ numerator: f, denominator: SELF }));
  if (features.includes(TASK)) ratios.push({ numerator: SELF, denominator: TASK });
  return ratios;
}

/** The q-quantile of sorted values, interpolating linearly between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/**
 * Calls `visit` with `draws` samples β ~ N(β̂, Cov) (β = β̂ + L·z with Cov = L·Lᵀ), from the seeded
 * stream "exchange-rates". The array passed is reused between calls: copy it to keep it.
 */
export function forEachPosteriorDraw(
  posterior: Pick<Posterior, 'estimates' | 'covariance'>, options: SamplerOptions, visit: (beta: readonly number[]) => void,
): void {
  const draws = options.draws ?? 10_000;
  const d = posterior.estimates.length;
  // The Laplace covariance is positive definite by construction (the prior adds I/s²).
  const l = cholesky(posterior.covariance);
  if (!l) throw new Error('the posterior covariance is not positive definite');
  const rng = SeededRng.fromSeed(options.seed, 'exchange-rates');
  const z = new Array<number>(d);
  const beta = new Array<number>(d);
  for (let t = 0; t < draws; t++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let i = 0; i < d; i++) {
      let sum = posterior.estimates[i]!;
      for (let k = 0; k <= i; k++) sum += l[i]![k]! * z[k]!;
      beta[i] = sum;
    }
    visit(beta);
  }
}

/** Samples β ~ N(β̂, Cov) and returns the 2.5/50/97.5% quantiles of each ratio. Deterministic given the seed. */
export function sampleExchangeRates(posterior: Posterior, ratios: readonly RatioSpec[], options: SamplerOptions): ExchangeRate[] {
  if (ratios.length === 0) return [];
  const index = (name: string) => {
    const i = posterior.names.indexOf(name);
    if (i < 0) throw new Error(`no parameter ${name} to take a ratio of`);
    return i;
  };
  const pairs = ratios.map((r) => [index(r.numerator), index(r.denominator)] as const);
  const samples = ratios.map(() => new Float64Array(options.draws ?? 10_000));
  let t = 0;
  forEachPosteriorDraw(posterior, options, (beta) => {
    pairs.forEach(([num, den], r) => { samples[r]![t] = beta[num]! / beta[den]!; });
    t += 1;
  });
  return ratios.map((spec, r) => {
    const sorted = samples[r]!.sort();
    const denominator = posterior.intervals[pairs[r]![1]]!;
    return {
      ...spec,
      low: quantileSorted(sorted, 0.025),
      median: quantileSorted(sorted, 0.5),
      high: quantileSorted(sorted, 0.975),
      unbounded: denominator.low <= 0 && denominator.high >= 0,
    };
  });
}
