/**
 * 1/erfcx(x), tabulated for the Thurstonian fit's gradient. With x = z/√2,
 * φ(z)/Φ(−z) = √(2/π)/erfcx(x) and φ(z)/Φ(z) = √(2/π)/erfcx(−x) (probit.ts's probitLossSlope), so
 * each edge and epoch needs 1/erfcx at x and at −x. Computing erfcx, exp(x²) and two divisions there
 * was most of the fit's time; here 1/erfcx is a polynomial of degree 7 on each of 768 intervals of
 * width 1/64 over [−6, 6), built on first use by Chebyshev interpolation of the exact formula.
 * Relative error is below 2e-14 on [−6, 6) (thurstonian.test.ts checks a dense grid): the accuracy
 * of the exact formula itself, since exp(x²) carries x²·2⁻⁵³ of relative error. Outside, callers use
 * the exact formula.
 */
import { erfcxNonNegative } from './probit.js';

/** Intervals per unit of x. */
export const INV_ERFCX_STEPS = 64;
/** The table covers [−INV_ERFCX_LIMIT, INV_ERFCX_LIMIT). */
export const INV_ERFCX_LIMIT = 6;
/** Coefficients per interval (degree 7). */
export const INV_ERFCX_TERMS = 8;

/** 1/erfcx(x) from the exact formula: erfcx(−a) = 2·exp(a²) − erfcx(a); 0 once exp overflows. */
export function invErfcx(x: number): number {
  return x >= 0 ? 1 / erfcxNonNegative(x) : 1 / (2 * Math.exp(x * x) - erfcxNonNegative(-x));
}

let table: Float64Array | undefined;

/**
 * The coefficients b_0 … b_7 of interval k (x in [−LIMIT + k/STEPS, −LIMIT + (k+1)/STEPS)) at
 * 8k … 8k+7, in t = 2·((x + LIMIT)·STEPS − k) − 1 ∈ [−1, 1): 1/erfcx(x) ≈ Σ b_q·t^q. Built once.
 */
export function invErfcxTable(): Float64Array {
  return (table ??= build());
}

function build(): Float64Array {
  const terms = INV_ERFCX_TERMS;
  const intervals = 2 * INV_ERFCX_LIMIT * INV_ERFCX_STEPS;
  const out = new Float64Array(new ArrayBuffer(8 * intervals * terms));
  // Chebyshev nodes t_j and T_i(t_j), shared by every interval.
  const nodes = Array.from({ length: terms }, (_, j) => Math.cos((Math.PI * (j + 0.5)) / terms));
  const cheb = Array.from({ length: terms }, (_, i) => nodes.map((_, j) => Math.cos((Math.PI * i * (j + 0.5)) / terms)));
  const monomials = chebyshevToMonomial(terms);
  for (let k = 0; k < intervals; k++) {
    const values = nodes.map((t) => invErfcx(-INV_ERFCX_LIMIT + (k + (t + 1) / 2) / INV_ERFCX_STEPS));
    for (let i = 0; i < terms; i++) {
      let c = 0;
      for (let j = 0; j < terms; j++) c += values[j]! * cheb[i]![j]!;
      c *= (i === 0 ? 1 : 2) / terms;
      // Σ c_i·T_i(t) as Σ b_q·t^q: on intervals this narrow the b_q fall off fast, so Horner is stable.
      for (let q = 0; q <= i; q++) out[k * terms + q]! += c * monomials[i]![q]!;
    }
  }
  return out;
}

/** The monomial coefficients of T_0 … T_{terms−1}. */
function chebyshevToMonomial(terms: number): number[][] {
  const rows: number[][] = [[1], [0, 1]];
  for (let i = 2; i < terms; i++) {
    const next = new Array<number>(i + 1).fill(0);
    rows[i - 1]!.forEach((c, q) => (next[q + 1]! += 2 * c));
    rows[i - 2]!.forEach((c, q) => (next[q]! -= c));
    rows.push(next);
  }
  return rows;
}
