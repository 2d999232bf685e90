/**
 * The Thurstonian utility model of utility-engineering.md §2: each outcome i has a utility
 * U_i ~ N(μ_i, σ_i²) and P(a ≻ b) = Φ((μ_a − μ_b)/√(σ_a² + σ_b² + 1e-5)), fitted by full-batch Adam
 * on the mean soft-label cross-entropy with hand-written gradients.
 */
import { SeededRng } from '../../sim/index.js';
import { UtilitiesInputError } from './errors.js';
import { normalCdf } from './probit.js';
import { VARIANCE_FLOOR, float64s, gradientWorkspace, int32s, thurstonianGradient, type EdgeArrays } from './thurstonian-gradient.js';

/** One pair of outcomes and how often each was preferred. */
export interface PreferenceEdge {
  a: string;
  b: string;
  aWins: number;
  bWins: number;
}

/** How to fit; the defaults are the paper's (lr 0.01, 1000 epochs). */
export interface ThurstonianOptions {
  /** Seeds the 0.01·N(0,1) initialisation, so a seed fixes the result. */
  seed: number | string;
  epochs?: number;
  learningRate?: number;
}

/** One outcome's fitted utility, on the normalised scale (means have mean 0 and SD 1). */
export interface OutcomeUtility {
  outcome: string;
  mean: number;
  variance: number;
}

/** The fitted utilities, best first, and how well they reproduce the edges they were fitted on. */
export interface ThurstonianFit {
  utilities: OutcomeUtility[];
  /** Share of edges where Φ(z) ≥ 0.5 agrees with the empirical y ≥ 0.5. */
  accuracy: number;
  /** Mean binary cross-entropy, with p clipped to [1e-5, 1 − 1e-5]. */
  logLoss: number;
}

const CLIP = 1e-5;
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

/** Edges as integer ids and soft labels in typed arrays: the inner loop touches no strings or objects. */
interface CompiledEdges extends EdgeArrays {
  outcomes: string[];
}

function compile(edges: readonly PreferenceEdge[]): CompiledEdges {
  if (edges.length === 0) throw new UtilitiesInputError('there are no edges to fit');
  const ids = new Map<string, number>();
  const id = (name: string) => {
    let i = ids.get(name);
    if (i === undefined) ids.set(name, (i = ids.size));
    return i;
  };
  const from = int32s(edges.length);
  const to = int32s(edges.length);
  const y = float64s(edges.length);
  edges.forEach((e, k) => {
    const total = e.aWins + e.bWins;
    if (!(e.aWins >= 0 && e.bWins >= 0 && total > 0 && Number.isFinite(total))) {
      throw new UtilitiesInputError(`edge ${e.a} vs ${e.b}: needs win counts ≥ 0 with at least one response (got ${e.aWins} and ${e.bWins})`);
    }
    if (e.a === e.b) throw new UtilitiesInputError(`edge ${e.a} vs ${e.b}: an outcome cannot be compared with itself`);
    from[k] = id(e.a);
    to[k] = id(e.b);
    y[k] = e.aWins / total;
  });
  return { outcomes: [...ids.keys()], from, to, y };
}

/** Fits μ and σ² for every outcome named in `edges`. Deterministic given `options.seed`. */
export function fitThurstonian(edges: readonly PreferenceEdge[], options: ThurstonianOptions): ThurstonianFit {
  const { outcomes, from, to, y } = compile(edges);
  const n = outcomes.length;
  const epochs = options.epochs ?? 1000;
  const lr = options.learningRate ?? 0.01;
  // Parameters packed as [μ_0 … μ_{n−1}, s_0 … s_{n−1}] with s = log σ², so Adam runs over one array.
  const theta = float64s(2 * n);
  const rng = SeededRng.fromSeed(options.seed, 'thurstonian-init');
  for (let i = 0; i < 2 * n; i++) theta[i] = 0.01 * rng.normal();
  const workspace = gradientWorkspace({ from, to, y }, n);
  const grad = float64s(2 * n);
  const m1 = float64s(2 * n);
  const m2 = float64s(2 * n);

  for (let t = 1; t <= epochs; t++) {
    thurstonianGradient(workspace, theta, grad);
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    for (let p = 0; p < 2 * n; p++) {
      const gp = grad[p]!;
      m1[p] = BETA1 * m1[p]! + (1 - BETA1) * gp;
      m2[p] = BETA2 * m2[p]! + (1 - BETA2) * gp * gp;
      theta[p]! -= (lr * (m1[p]! / c1)) / (Math.sqrt(m2[p]! / c2) + ADAM_EPS);
    }
  }

  // The likelihood ignores shifts and (up to the 1e-5 floor) scale, so fix both gauges as the
  // reference does: means to mean 0 and sample SD 1, variances by the same factor squared.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += theta[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (theta[i]! - mean) ** 2;
  const scale = 1 / (Math.sqrt(n > 1 ? ss / (n - 1) : 0) + 1e-5);
  const mu = float64s(n);
  const sigma2 = float64s(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (theta[i]! - mean) * scale;
    sigma2[i] = Math.exp(theta[n + i]!) * scale * scale;
  }
  const utilities = outcomes
    .map((outcome, i) => ({ outcome, mean: mu[i]!, variance: sigma2[i]! }))
    .sort((p, q) => q.mean - p.mean || (p.outcome < q.outcome ? -1 : 1));
  return { utilities, ...metrics(mu, sigma2, from, to, y) };
}

/**
 * Accuracy and log loss of a fit on other edges (held-out pairs), scored exactly as the training
 * edges are. Edges naming an outcome the fit has never seen are refused: there is no utility to use.
 */
export function evaluateFit(fit: ThurstonianFit, edges: readonly PreferenceEdge[]): { accuracy: number; logLoss: number } {
  const index = new Map(fit.utilities.map((u, i) => [u.outcome, i]));
  const compiled = compile(edges);
  const mu = new Float64Array(compiled.outcomes.length);
  const sigma2 = new Float64Array(compiled.outcomes.length);
  compiled.outcomes.forEach((name, k) => {
    const i = index.get(name);
    if (i === undefined) throw new UtilitiesInputError(`outcome "${name}" is not in the fit, so its edges cannot be scored`);
    mu[k] = fit.utilities[i]!.mean;
    sigma2[k] = fit.utilities[i]!.variance;
  });
  return metrics(mu, sigma2, compiled.from, compiled.to, compiled.y);
}

/** Accuracy and log loss of the normalised parameters, exactly as reported to the user. */
function metrics(mu: Float64Array, sigma2: Float64Array, from: Int32Array, to: Int32Array, y: Float64Array): { accuracy: number; logLoss: number } {
  let agree = 0;
  let loss = 0;
  for (let k = 0; k < y.length; k++) {
    const i = from[k]!, j = to[k]!, yk = y[k]!;
    const p = normalCdf((mu[i]! - mu[j]!) / Math.sqrt(sigma2[i]! + sigma2[j]! + VARIANCE_FLOOR));
    // Exactly 0.5 counts as "a" on both sides, as in the reference.
    if (p >= 0.5 === yk >= 0.5) agree++;
    const pc = Math.min(Math.max(p, CLIP), 1 - CLIP);
    loss -= yk * Math.log(pc) + (1 - yk) * Math.log(1 - pc);
  }
  return { accuracy: agree / y.length, logLoss: loss / y.length };
}
