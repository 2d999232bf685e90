import stdlibErfcx from '@stdlib/math-base-special-erfcx';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../sim/index.js';
import { plantedPreferences } from './planted.js';
import { INV_ERFCX_LIMIT, invErfcx, invErfcxTable } from './probit-ratios.js';
import { erfcxNonNegative, probitLossSlope } from './probit.js';
import { gradientWorkspace, thurstonianGradient, type EdgeArrays } from './thurstonian-gradient.js';
import { fitThurstonian, type PreferenceEdge, type ThurstonianFit } from './thurstonian.js';

/** The edges as the fit compiles them (ids in order of first appearance). */
function arrays(edges: readonly PreferenceEdge[]): EdgeArrays & { names: string[] } {
  const ids = new Map<string, number>();
  const id = (s: string) => ids.get(s) ?? ids.set(s, ids.size).get(s)!;
  const from = Int32Array.from(edges, (e) => id(e.a));
  const to = Int32Array.from(edges, (e) => id(e.b));
  const y = Float64Array.from(edges, (e) => e.aWins / (e.aWins + e.bWins));
  return { from, to, y, names: [...ids.keys()] };
}

/** The gradient as the fit computed it before it was made fast: one fused loop over the edges. */
function referenceGradient({ from, to, y }: EdgeArrays, n: number, theta: Float64Array): Float64Array {
  const m = y.length;
  const grad = new Float64Array(2 * n);
  const sigma2 = Float64Array.from({ length: n }, (_, i) => Math.exp(theta[n + i]!));
  for (let k = 0; k < m; k++) {
    const i = from[k]!, j = to[k]!, yk = y[k]!;
    const v = sigma2[i]! + sigma2[j]! + 1e-5;
    const sd = Math.sqrt(v);
    const z = (theta[i]! - theta[j]!) / sd;
    const g = probitLossSlope(z, yk) / m;
    grad[i]! += g / sd;
    grad[j]! -= g / sd;
    const dv = (g * -z) / (2 * v);
    grad[n + i]! += dv * sigma2[i]!;
    grad[n + j]! += dv * sigma2[j]!;
  }
  return grad;
}

/** The fit before it was made fast (same Adam, same normalisation), on the reference gradient. */
function referenceFit(edges: readonly PreferenceEdge[], seed: number, epochs = 1000, exactRounding = true): Map<string, { mean: number; variance: number }> {
  const data = arrays(edges);
  const n = data.names.length;
  const theta = new Float64Array(2 * n);
  const rng = SeededRng.fromSeed(seed, 'thurstonian-init');
  for (let i = 0; i < 2 * n; i++) theta[i] = 0.01 * rng.normal();
  const m1 = new Float64Array(2 * n);
  const m2 = new Float64Array(2 * n);
  for (let t = 1; t <= epochs; t++) {
    const grad = referenceGradient(data, n, theta);
    // The same gradient with its last digits changed (×m then ×1/m): rounding only, to show how far
    // rounding alone moves a fit.
    if (!exactRounding) for (let p = 0; p < 2 * n; p++) grad[p] = grad[p]! * data.y.length * (1 / data.y.length);
    const c1 = 1 - 0.9 ** t;
    const c2 = 1 - 0.999 ** t;
    for (let p = 0; p < 2 * n; p++) {
      m1[p] = 0.9 * m1[p]! + 0.1 * grad[p]!;
      m2[p] = 0.999 * m2[p]! + 0.001 * grad[p]! * grad[p]!;
      theta[p]! -= (0.01 * (m1[p]! / c1)) / (Math.sqrt(m2[p]! / c2) + 1e-8);
    }
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += theta[i]! / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (theta[i]! - mean) ** 2;
  const scale = 1 / (Math.sqrt(ss / (n - 1)) + 1e-5);
  return new Map(data.names.map((name, i) => [name, { mean: (theta[i]! - mean) * scale, variance: Math.exp(theta[n + i]!) * scale * scale }]));
}

function largestGaps(fit: ThurstonianFit, reference: Map<string, { mean: number; variance: number }>) {
  let mean = 0;
  let variance = 0;
  for (const u of fit.utilities) {
    const r = reference.get(u.outcome)!;
    mean = Math.max(mean, Math.abs(u.mean - r.mean));
    variance = Math.max(variance, Math.abs(u.variance - r.variance) / r.variance);
  }
  return { mean, variance };
}

describe('erfcxNonNegative', () => {
  it('returns exactly the doubles @stdlib/math-base-special-erfcx returns, on every branch', () => {
    const xs = [0, 1e-300, 4 * Number.EPSILON, 1e-9, 0.5, 1, 12.5, 50, 50.000001, 1e3, 5e7, 5e7 + 1, 1e300, Infinity];
    for (let i = 0; i <= 200_000; i++) xs.push((i / 200_000) * 60);
    const differ = xs.filter((x) => !Object.is(erfcxNonNegative(x), stdlibErfcx(x)));
    expect(differ).toEqual([]);
    expect(erfcxNonNegative(NaN)).toBeNaN();
  });
});

describe('the 1/erfcx table', () => {
  it('matches the exact formula to 2e-14 (relative) over [−6, 6), and the formula holds outside', () => {
    const T = invErfcxTable();
    const at = (x: number) => {
      const u = (x + INV_ERFCX_LIMIT) * 64;
      const q = Math.floor(u);
      const w = 2 * (u - q) - 1;
      let s = 0;
      for (let i = 7; i >= 0; i--) s = s * w + T[q * 8 + i]!;
      return s;
    };
    let worst = 0;
    for (let i = 0; i < 400_000; i++) {
      const x = -INV_ERFCX_LIMIT + (i / 400_000) * 2 * INV_ERFCX_LIMIT;
      worst = Math.max(worst, Math.abs(at(x) / invErfcx(x) - 1));
    }
    expect(worst).toBeLessThan(2e-14);
    expect(worst).toBeGreaterThan(0); // it is an approximation, and the check can see it
    // Far out: 1/erfcx(x) → √π·x, and 1/erfcx(−x) → exp(−x²)/2 (0 once exp overflows).
    expect(invErfcx(40) / (Math.sqrt(Math.PI) * 40)).toBeCloseTo(1, 3);
    expect(invErfcx(-7) / (Math.exp(-49) / 2)).toBeCloseTo(1, 10);
    expect(invErfcx(-40)).toBe(0);
  });
});

describe('thurstonianGradient', () => {
  const planted = plantedPreferences({ outcomes: 60, edges: 400, samplesPerOrder: 10, seed: 3 });
  const data = arrays(planted.edges);
  const n = data.names.length;

  it('equals the fused reference loop to 1e-13 of the largest component, also where |z| is beyond the table', () => {
    const rng = SeededRng.fromSeed(9, 'gradient-check');
    // Spreads from near-initial to far-apart means with small variances (|z| up to about 60).
    for (const [spread, logVariance] of [[0.01, 0], [1, 0], [3, -1], [20, -2], [40, -6]] as const) {
      const theta = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        theta[i] = spread * rng.normal();
        theta[n + i] = logVariance + 0.3 * rng.normal();
      }
      const expected = referenceGradient(data, n, theta);
      const grad = new Float64Array(2 * n);
      thurstonianGradient(gradientWorkspace(data, n), theta, grad);
      const scale = Math.max(...expected.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let p = 0; p < 2 * n; p++) expect(Math.abs(grad[p]! - expected[p]!), `spread ${spread}, component ${p}`).toBeLessThanOrEqual(1e-13 * scale);
    }
  });

  it('gives the fit the reference fit, as closely as a change of rounding alone does', () => {
    const fit = fitThurstonian(planted.edges, { seed: 1 });
    const gap = largestGaps(fit, referenceFit(planted.edges, 1));
    // 1000 Adam steps magnify rounding: the reference itself, with its gradient's last digits
    // changed, moves by about 2e-6 in μ (when written). So μ is compared to 1e-4, not to 1e-15.
    const rounding = largestGaps(fit, referenceFit(planted.edges, 1, 1000, false));
    expect(rounding.mean).toBeGreaterThan(1e-7);
    expect(gap.mean).toBeLessThan(1e-4);
    expect(gap.variance).toBeLessThan(1e-5);
    expect(fit.utilities.map((u) => u.outcome)).toEqual([...referenceFit(planted.edges, 1)].sort(([, p], [, q]) => q.mean - p.mean).map(([name]) => name));
  });
});
