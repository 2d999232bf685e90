/**
 * The gradient of the Thurstonian fit's loss (the mean soft-label cross-entropy over the edges) with
 * respect to every μ_i and s_i = log σ_i², the fit's inner loop. It computes what probitLossSlope
 * and the chain rule give (utility-engineering.md §2), arranged for speed: typed arrays over their own
 * buffers, per-edge weights computed once, 1/erfcx from a table (probit-ratios.ts), no branch on the
 * sign of z, and three short passes over the edges whose iterations the CPU can overlap.
 */
import { SQRT_2_OVER_PI } from './probit.js';
import { INV_ERFCX_LIMIT, INV_ERFCX_STEPS, INV_ERFCX_TERMS, invErfcx, invErfcxTable } from './probit-ratios.js';

/** The floor added to σ_a² + σ_b², as in the reference. */
export const VARIANCE_FLOOR = 1e-5;

/**
 * A Float64Array over its own ArrayBuffer. Measured on Node 20: the edge loop ran 3.5× slower over
 * some arrays made by `new Float64Array(n)` than over others, depending on what had been allocated
 * before them; over arrays made this way its speed did not vary.
 */
export function float64s(n: number): Float64Array {
  return new Float64Array(new ArrayBuffer(8 * n));
}

/** An Int32Array over its own ArrayBuffer (see float64s). */
export function int32s(n: number): Int32Array {
  return new Int32Array(new ArrayBuffer(4 * n));
}

/** The edges as outcome ids and soft labels y = aWins/(aWins + bWins). */
export interface EdgeArrays {
  from: Int32Array;
  to: Int32Array;
  y: Float64Array;
}

/** The edges' per-edge weights and scratch buffers, allocated once per fit. */
export interface GradientWorkspace extends EdgeArrays {
  outcomes: number;
  sigma2: Float64Array;
  /** 1/sd per edge. */
  inv: Float64Array;
  zs: Float64Array;
  /** dL/dμ_a per edge (and −dL/dμ_b). */
  gmu: Float64Array;
  /** √(2/π)·y/m and √(2/π)·(1 − y)/m per edge. */
  wy: Float64Array;
  wn: Float64Array;
}

/** The workspace for these edges over `outcomes` outcomes. */
export function gradientWorkspace(edges: EdgeArrays, outcomes: number): GradientWorkspace {
  const m = edges.y.length;
  const wy = float64s(m);
  const wn = float64s(m);
  for (let k = 0; k < m; k++) {
    wy[k] = (SQRT_2_OVER_PI * edges.y[k]!) / m;
    wn[k] = (SQRT_2_OVER_PI * (1 - edges.y[k]!)) / m;
  }
  return { ...edges, outcomes, sigma2: float64s(outcomes), inv: float64s(m), zs: float64s(m), gmu: float64s(m), wy, wn };
}

/**
 * Writes dL/dμ_i to grad[i] and dL/ds_i to grad[n + i], for θ = [μ_0 … μ_{n−1}, s_0 … s_{n−1}], where
 * L is the mean over edges of −[y·log Φ(z) + (1 − y)·log Φ(−z)], z = (μ_a − μ_b)/√(σ_a² + σ_b² + 1e-5).
 */
export function thurstonianGradient(ws: GradientWorkspace, theta: Float64Array, grad: Float64Array): void {
  // Everything the loops read is a local: read through an object, a closure or an import inside
  // the loops, they ran markedly slower.
  const { from, to, outcomes: n, sigma2, inv, zs, gmu, wy, wn } = ws;
  const m = from.length;
  const T = invErfcxTable();
  const LIMIT = INV_ERFCX_LIMIT, STEPS = INV_ERFCX_STEPS, TERMS = INV_ERFCX_TERMS, exact = invErfcx;
  const MIRROR = 2 * LIMIT * STEPS - 1;

  for (let i = 0; i < n; i++) sigma2[i] = Math.exp(theta[n + i]!);
  for (let k = 0; k < m; k++) {
    const i = from[k]!, j = to[k]!;
    const r = 1 / Math.sqrt(sigma2[i]! + sigma2[j]! + VARIANCE_FLOOR);
    inv[k] = r;
    zs[k] = (theta[i]! - theta[j]!) * r;
  }
  for (let k = 0; k < m; k++) {
    // dL/dz = √(2/π)/m · [(1 − y)/erfcx(x) − y/erfcx(−x)] with x = z/√2 (probitLossSlope): finite
    // where Φ(±z) underflows, and with no branch on the sign of z, which the CPU would mispredict.
    const x = zs[k]! * Math.SQRT1_2;
    let up: number, down: number;
    if (x > -LIMIT && x < LIMIT) {
      const u = (x + LIMIT) * STEPS;
      const q = u | 0;
      const w = 2 * (u - q) - 1;
      const c = q * TERMS;
      up = T[c]! + w * (T[c + 1]! + w * (T[c + 2]! + w * (T[c + 3]! + w * (T[c + 4]! + w * (T[c + 5]! + w * (T[c + 6]! + w * T[c + 7]!))))));
      // −x lies in the mirror interval, at −w.
      const v = -w;
      const e = (MIRROR - q) * TERMS;
      down = T[e]! + v * (T[e + 1]! + v * (T[e + 2]! + v * (T[e + 3]! + v * (T[e + 4]! + v * (T[e + 5]! + v * (T[e + 6]! + v * T[e + 7]!))))));
    } else {
      up = exact(x);
      down = exact(-x);
    }
    gmu[k] = (wn[k]! * up - wy[k]! * down) * inv[k]!;
  }
  grad.fill(0);
  for (let k = 0; k < m; k++) {
    const i = from[k]!, j = to[k]!, g = gmu[k]!;
    grad[i]! += g;
    grad[j]! -= g;
    // dz/ds_i = −z·σ_i²/(2v): the variances' share of the same slope, summed here without the
    // σ_i² factor, which multiplies each outcome's sum once below.
    const dv = -0.5 * g * zs[k]! * inv[k]!;
    grad[n + i]! += dv;
    grad[n + j]! += dv;
  }
  for (let i = 0; i < n; i++) grad[n + i]! *= sigma2[i]!;
}
