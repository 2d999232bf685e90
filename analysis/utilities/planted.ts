/**
 * Synthetic preference data from planted utilities, for recovery tests and the benchmark: if a fit
 * cannot find utilities we chose ourselves, its numbers on real models mean nothing.
 */
import { SeededRng } from '../../sim/index.js';
import { UtilitiesInputError } from './errors.js';
import { normalCdf } from './probit.js';
import type { PreferenceEdge } from './thurstonian.js';

/** What to plant. */
export interface PlantedOptions {
  outcomes: number;
  /** Distinct pairs in all, the first `outcomes − 1` of them a chain so the graph is connected. */
  edges: number;
  /** Responses per order, as in the paper's K=10: each pair gets 2·K Bernoulli draws. */
  samplesPerOrder: number;
  seed: number | string;
}

/** Planted utilities u_i ~ N(0,1) (σ = 1) and edges sampled from them by the Thurstonian model. */
export interface PlantedData {
  /** u_i by outcome name (`o0`, `o1`, …). */
  utilities: Map<string, number>;
  edges: PreferenceEdge[];
}

/** Samples outcomes, pairs and win counts, all from one seed. */
export function plantedPreferences(options: PlantedOptions): PlantedData {
  const { outcomes: n, edges: m, samplesPerOrder: k } = options;
  const maxPairs = (n * (n - 1)) / 2;
  if (n < 2 || m < n - 1 || m > maxPairs) throw new UtilitiesInputError(`cannot plant ${m} distinct pairs on ${n} outcomes (need ${n - 1} to ${maxPairs})`);
  // Separate streams, so asking for more edges does not change the planted utilities.
  const root = SeededRng.fromSeed(options.seed, 'planted-preferences');
  const uRng = root.fork('utilities');
  const pairRng = root.fork('pairs');
  const drawRng = root.fork('draws');
  const u = Array.from({ length: n }, () => uRng.normal());
  const names = u.map((_, i) => `o${i}`);
  // A random order for the chain, so the chain's neighbours are not near in utility by construction.
  const order = names.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = pairRng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  const add = (i: number, j: number) => {
    const key = Math.min(i, j) * n + Math.max(i, j);
    if (i === j || seen.has(key)) return;
    seen.add(key);
    pairs.push([i, j]);
  };
  for (let i = 1; i < n; i++) add(order[i - 1]!, order[i]!);
  while (pairs.length < m) add(pairRng.int(n), pairRng.int(n));
  const edges = pairs.map(([i, j]) => {
    const p = normalCdf((u[i]! - u[j]!) / Math.SQRT2);
    let aWins = 0;
    for (let s = 0; s < 2 * k; s++) if (drawRng.next() < p) aWins++;
    return { a: names[i]!, b: names[j]!, aWins, bWins: 2 * k - aWins };
  });
  return { utilities: new Map(names.map((name, i) => [name, u[i]!])), edges };
}
