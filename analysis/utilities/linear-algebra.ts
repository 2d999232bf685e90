/**
 * Small dense linear algebra for the conditional-logit fit: a handful of parameters (d ≤ ~15), so
 * plain arrays and textbook algorithms are fast enough and easy to check. Matrices are row arrays.
 */

/** A dense matrix as an array of rows. */
export type Matrix = number[][];

/** An n × n matrix of zeros. */
export function zeros(n: number): Matrix {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}

/** The n × n identity. */
export function identity(n: number): Matrix {
  const m = zeros(n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

/** A · v. */
export function multiplyVector(a: Matrix, v: readonly number[]): number[] {
  return a.map((row) => row.reduce((sum, x, j) => sum + x * v[j]!, 0));
}

/** u · v. */
export function dot(u: readonly number[], v: readonly number[]): number {
  return u.reduce((sum, x, i) => sum + x * v[i]!, 0);
}

/**
 * The lower-triangular L with A = L·Lᵀ, or undefined when A is not (numerically) positive definite.
 * Only the lower triangle of A is read.
 */
export function cholesky(a: Matrix): Matrix | undefined {
  const n = a.length;
  const l = zeros(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  return l;
}

/** Solves L·Lᵀ·x = b given the Cholesky factor L (forward, then back substitution). */
export function choleskySolve(l: Matrix, b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/** The inverse of a symmetric positive definite matrix, or undefined when it is not one. */
export function inverseSpd(a: Matrix): Matrix | undefined {
  const l = cholesky(a);
  if (!l) return undefined;
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) => choleskySolve(l, identity(n)[j]!));
  // Column j of the inverse is A⁻¹eⱼ; symmetrise to wash out rounding.
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (columns[j]![i]! + columns[i]![j]!) / 2));
}

/** Eigenvalues (ascending) and unit eigenvectors (`vectors[k]` goes with `values[k]`) of a symmetric matrix. */
export interface Eigen {
  values: number[];
  vectors: number[][];
}

/**
 * The eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: slow for big matrices,
 * but exact to rounding and simple, which is what an identifiability check on a few parameters needs.
 */
export function symmetricEigen(a: Matrix, maxSweeps = 100): Eigen {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v = identity(n);
  const offDiagonal = () => {
    let sum = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += m[i]![j]! ** 2;
    return sum;
  };
  const scale = m.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0);
  for (let sweep = 0; sweep < maxSweeps && offDiagonal() > 1e-30 * Math.max(scale, 1e-300); sweep++) {
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (apq === 0) continue;
        // The rotation angle that zeroes m[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!, mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!, mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!, vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i]![i]! - m[j]![j]!);
  return { values: order.map((i) => m[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}
