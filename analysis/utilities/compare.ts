/**
 * Stated against revealed utilities (utility-engineering.md §9.8): does what a model says it prefers
 * (pairwise questions about outcome texts) match what it does (its choices in scenarios)? They meet
 * on outcomes whose features are known: the revealed utility of an outcome is β·features. Scales
 * differ (a probit over texts, a logit over acts), so utilities are compared as ranks and z-scores,
 * and weights as ratios.
 */
import type { StatedOutcome } from '../../agents/index.js';
import type { StatedResult } from './stated-answers.js';
import { choleskySolve, cholesky, type Matrix } from './linear-algebra.js';
import { forEachPosteriorDraw, quantileSorted, standardRatios, type ExchangeRate } from './posterior-ratios.js';
import type { RevealedFit } from './revealed.js';

/** One outcome both measures can value. */
export interface ComparedOutcome {
  outcome: string;
  group: string;
  /** z-scores across the shared outcomes. */
  stated: number;
  revealed: number;
  /** stated − revealed: positive when the model says it values the outcome more than its acts show. */
  gap: number;
}

/** One exchange rate both ways. */
export interface ComparedRate {
  numerator: string;
  denominator: string;
  /** Ratio of the stated utilities' feature weights (least squares over the shared outcomes), if estimable. */
  stated: number | null;
  revealed: ExchangeRate | null;
}

export interface Comparison {
  model: string;
  /** Outcomes with features that the revealed fit can value. */
  shared: number;
  /** Spearman rank correlation, with a 95% interval over draws of the revealed posterior. */
  spearman: { estimate: number; low: number; high: number } | null;
  /** Shared outcomes, largest disagreement first. */
  outcomes: ComparedOutcome[];
  /** Stated feature weights (utility per unit of feature, on the stated scale). */
  statedWeights: Record<string, number>;
  rates: ComparedRate[];
  notes: string[];
}

/** Ranks with ties averaged (1-based). */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    for (let k = start; k <= end; k++) out[order[k]![1]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/** Pearson's r. NaN when either side has no spread. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's ρ: Pearson's r of the ranks. NaN when either side has no spread. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  return pearson(ranks(xs), ranks(ys));
}

function zScores(values: readonly number[]): number[] {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  return values.map((v) => (sd > 0 ? (v - mean) / sd : 0));
}

/**
 * Least-squares weights of stated utility on the features (with an intercept). Features that do not
 * vary across the shared outcomes, or leave the system singular, get no weight.
 */
function statedWeights(outcomes: ReadonlyArray<{ features: Readonly<Record<string, number>>; utility: number }>, features: readonly string[]): Record<string, number> {
  const varying = features.filter((f) => new Set(outcomes.map((o) => o.features[f] ?? 0)).size > 1);
  if (outcomes.length <= varying.length + 1) return {};
  const rows = outcomes.map((o) => [1, ...varying.map((f) => o.features[f] ?? 0)]);
  const d = varying.length + 1;
  const xtx: Matrix = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const xty = Array.from({ length: d }, (_, i) => rows.reduce((s, r, k) => s + r[i]! * outcomes[k]!.utility, 0));
  const l = cholesky(xtx);
  if (!l) return {};
  const w = choleskySolve(l, xty);
  return Object.fromEntries(varying.map((f, i) => [f, w[i + 1]!]));
}

/** Compares one model's stated utilities (an elicitation) with its revealed ones (an experiment fit). */
export function compareUtilities(
  stated: Pick<StatedResult, 'utilities'>, outcomes: readonly StatedOutcome[], revealed: RevealedFit, options: { seed?: number | string; draws?: number } = {},
): Comparison {
  const notes: string[] = [];
  // Only weights the design identifies value an outcome: an unidentified one is the prior's number.
  const estimated = new Set(revealed.parameters.filter((p) => p.kind === 'feature' && p.identification === 'identified').map((p) => p.name));
  const statedMean = new Map(stated.utilities.map((u) => [u.outcome, u.mean]));
  const withFeatures = outcomes.filter((o) => Object.keys(o.features).length > 0 && statedMean.has(o.text));
  const shared = withFeatures.filter((o) => Object.keys(o.features).every((f) => estimated.has(f)));
  const unvalued = withFeatures.filter((o) => !shared.includes(o));
  if (unvalued.length > 0) {
    const missing = [...new Set(unvalued.flatMap((o) => Object.keys(o.features).filter((f) => !estimated.has(f))))];
    notes.push(`${unvalued.length} outcome(s) left out: the revealed fit did not estimate or cannot identify ${missing.join(', ')} (see its cautions for the cells to add)`);
  }
  const featureIndex = revealed.parameters.flatMap((p, i) => (p.kind === 'feature' && estimated.has(p.name) ? [[p.name, i] as const] : []));
  const revealedOf = (beta: ArrayLike<number>, o: StatedOutcome) => featureIndex.reduce((s, [f, i]) => s + beta[i]! * (o.features[f] ?? 0), 0);
  const estimates = revealed.parameters.map((p) => p.estimate);
  const statedValues = shared.map((o) => statedMean.get(o.text)!);
  const revealedValues = shared.map((o) => revealedOf(estimates, o));

  let rho: Comparison['spearman'] = null;
  if (shared.length >= 3) {
    const estimate = spearman(statedValues, revealedValues);
    const draws: number[] = [];
    forEachPosteriorDraw(
      { estimates, covariance: revealed.covariance },
      { seed: options.seed ?? revealed.seed, draws: options.draws ?? 2000 },
      (beta) => {
        const r = spearman(statedValues, shared.map((o) => revealedOf(beta, o)));
        if (!Number.isNaN(r)) draws.push(r);
      },
    );
    draws.sort((a, b) => a - b);
    rho = Number.isNaN(estimate) || draws.length === 0 ? null : { estimate, low: quantileSorted(draws, 0.025), high: quantileSorted(draws, 0.975) };
  } else {
    notes.push(`only ${shared.length} shared outcome(s): a rank correlation needs at least 3`);
  }

  const zs = zScores(statedValues);
  const zr = zScores(revealedValues);
  const compared = shared
    .map((o, i) => ({ outcome: o.text, group: o.group, stated: zs[i]!, revealed: zr[i]!, gap: zs[i]! - zr[i]! }))
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap));

  const weights = statedWeights(shared.map((o, i) => ({ features: o.features, utility: statedValues[i]! })), [...estimated]);
  const rates = standardRatios([...estimated]).map((spec) => {
    const num = weights[spec.numerator];
    const den = weights[spec.denominator];
    return {
      ...spec,
      stated: num !== undefined && den !== undefined && den !== 0 ? num / den : null,
      revealed: revealed.exchangeRates.find((r) => r.numerator === spec.numerator && r.denominator === spec.denominator) ?? null,
    };
  });
  if (rates.some((r) => r.stated === null)) notes.push('a stated rate is missing where the outcome set does not vary that feature on its own');
  return { model: revealed.model, shared: shared.length, spearman: rho, outcomes: compared, statedWeights: weights, rates, notes };
}
