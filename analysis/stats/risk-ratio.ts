import { assertCount } from './errors.js';
import type { Interval } from './interval.js';
import { zForLevel } from './normal.js';
import { formatNumber } from './format-number.js';

/**
 * What the data say about a risk ratio:
 * - `interval`: events in both conditions, so the ratio has a finite estimate and two finite bounds;
 * - `lower-bound`: events with a peer but none alone: the ratio is only bounded from below
 *   (estimate and upper bound are +∞), so it must read "≥ low", never as a point value;
 * - `upper-bound`: events alone but none with a peer: estimate 0, only bounded from above;
 * - `no-events`: no event in either condition: the ratio is undefined and nothing is bounded.
 */
export type RatioBound = 'interval' | 'lower-bound' | 'upper-bound' | 'no-events';

/** A risk ratio pWith / pAlone with its score interval; `estimate` and `high` may be +∞, `estimate` NaN. */
export interface RiskRatio extends Interval {
  bound: RatioBound;
  method: typeof RATIO_METHOD;
}

/** The interval's name, as tables and reports print it. */
export const RATIO_METHOD = 'Miettinen-Nurminen score, continuity-corrected (γ = 0.25)';

/**
 * Laud's continuity correction γ (Laud 2017, appendix S2): the score's numerator shrinks by
 * γ·(1/n₁ + θ/n₂). Without it (γ = 0, plain Miettinen–Nurminen) exact coverage falls to 0.912 on the
 * grid of risk-ratio.coverage.test.ts (0.904 on a denser one of 22,550 designs), in sparse designs
 * with large ratios; γ = 0.125 still dips to 0.934 (0.924); γ = 0.25 keeps it at 0.950 (0.942) or
 * above, at the cost of intervals 5–20% wider on the log scale (the more so the fewer the events).
 */
export const CONTINUITY = 0.25;

/** How far (in ln θ) the search for a bound goes before calling it 0 or +∞: ratios beyond e^±40 mean nothing. */
const LOG_LIMIT = 40;

/**
 * The Miettinen–Nurminen score statistic for H0: pWith / pAlone = θ (Miettinen & Nurminen 1985),
 * continuity-corrected:
 *
 *   T(θ) = max(0, |p̂₁ − θ·p̂₂| − γ·(1/n₁ + θ/n₂))² / [(p̃₁q̃₁/n₁ + θ²·p̃₂q̃₂/n₂) · N/(N − 1)]
 *
 * with p̃₂, p̃₁ = θ·p̃₂ the maximum-likelihood rates under H0 (the root of Nθ·p² − (n₁θ + x₁ + n₂ + x₂θ)·p +
 * x₁ + x₂ = 0 in [0, 1], taken in the form that does not cancel). Group 1 is "with a peer".
 */
export function ratioScoreStatistic(x1: number, n1: number, x2: number, n2: number, theta: number): number {
  const total = n1 + n2;
  const a = total * theta;
  const b = -(n1 * theta + x1 + n2 + x2 * theta);
  const c = x1 + x2;
  const p2 = c === 0 ? 0 : (2 * c) / (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c)));
  const p1 = Math.min(1, theta * p2);
  const diff = Math.max(0, Math.abs(x1 / n1 - theta * (x2 / n2)) - CONTINUITY * (1 / n1 + theta / n2));
  const variance = ((p1 * (1 - p1)) / n1 + (theta * theta * p2 * (1 - p2)) / n2) * (total / (total - 1));
  if (!(variance > 0)) return diff < 1e-15 ? 0 : Number.POSITIVE_INFINITY;
  return (diff * diff) / variance;
}

/**
 * The bound on one side of ln θ̂: from `inside` (where T ≤ χ²) out towards `side` (±1) until T > χ²,
 * then bisection. Null when T stays ≤ χ² up to e^±LOG_LIMIT: the data put no bound on that side.
 */
function searchBound(test: (logTheta: number) => number, critical: number, inside: number, side: 1 | -1): number | null {
  let near = inside;
  let step = 0.25;
  let far = inside + side * step;
  while (test(far) <= critical) {
    if (Math.abs(far) >= LOG_LIMIT) return null;
    near = far;
    step *= 2;
    far = Math.max(-LOG_LIMIT, Math.min(LOG_LIMIT, far + side * step));
  }
  // T(near) ≤ χ² < T(far); 80 halvings take the bracket far below double precision.
  for (let i = 0; i < 80 && Math.abs(far - near) > 1e-13; i++) {
    const mid = (near + far) / 2;
    if (test(mid) <= critical) near = mid;
    else far = mid;
  }
  return (near + far) / 2;
}

/**
 * The risk ratio pWith / pAlone with the continuity-corrected Miettinen–Nurminen score interval: every
 * θ whose score test (above) does not reject at the given level. Unlike a log interval it needs no correction for
 * zero cells and keeps its coverage next to rates of 0% and 100%. When no event happened alone the
 * upper bound is +∞ (the data only bound the ratio from below, `bound: 'lower-bound'`); with no event
 * in either condition nothing is bounded. Exact coverage on a grid of designs: stats.coverage.test.ts.
 */
export function scoreRiskRatio(kWith: number, nWith: number, kAlone: number, nAlone: number, level = 0.95): RiskRatio {
  assertCount('with a peer', kWith, nWith);
  assertCount('alone', kAlone, nAlone);
  return scoreBounds(kWith, nWith, kAlone, nAlone, level);
}

/**
 * {@link scoreRiskRatio} without the check for whole counts: planning evaluates the interval at
 * expected counts (n·p, rarely whole), where the statistic is just as well defined.
 */
export function scoreBounds(kWith: number, nWith: number, kAlone: number, nAlone: number, level: number): RiskRatio {
  const method = RATIO_METHOD;
  if (kWith === 0 && kAlone === 0) return { estimate: Number.NaN, low: 0, high: Number.POSITIVE_INFINITY, bound: 'no-events', method };
  const z = zForLevel(level);
  const critical = z * z;
  const test = (logTheta: number) => ratioScoreStatistic(kWith, nWith, kAlone, nAlone, Math.exp(logTheta));
  if (kAlone === 0) {
    // θ̂ = +∞ and T(θ) → 0 as θ grows: search down from the top for the lower bound.
    const low = searchBound(test, critical, LOG_LIMIT, -1);
    return { estimate: Number.POSITIVE_INFINITY, low: low === null ? 0 : Math.exp(low), high: Number.POSITIVE_INFINITY, bound: 'lower-bound', method };
  }
  if (kWith === 0) {
    const high = searchBound(test, critical, -LOG_LIMIT, 1);
    return { estimate: 0, low: 0, high: high === null ? Number.POSITIVE_INFINITY : Math.exp(high), bound: 'upper-bound', method };
  }
  // One division, so whole-number ratios (17/80 over 1/80) come out whole.
  const estimate = (kWith * nAlone) / (kAlone * nWith);
  const centre = Math.log(estimate);
  const low = searchBound(test, critical, centre, -1);
  const high = searchBound(test, critical, centre, 1);
  return {
    estimate, low: low === null ? 0 : Math.exp(low), high: high === null ? Number.POSITIVE_INFINITY : Math.exp(high),
    bound: high === null ? 'lower-bound' : 'interval', method,
  };
}

/**
 * A risk ratio as people should read it: `4.40 [1.92, 10.1]`; `≥ 1.36 (none alone)` when the data
 * only bound it from below; `≤ 3.80 (none with peer)`; `n/a (no events)`. Every table, the terminal
 * app and the HTML report print ratios through this, so none shows a lower bound as a point value.
 */
export function formatRiskRatio(r: RiskRatio): string {
  switch (r.bound) {
    case 'lower-bound': return `≥ ${formatNumber(r.low)} (none alone)`;
    case 'upper-bound': return `≤ ${formatNumber(r.high)} (none with peer)`;
    case 'no-events': return 'n/a (no events)';
    default: return `${formatNumber(r.estimate)} [${formatNumber(r.low)}, ${formatNumber(r.high)}]`;
  }
}
