/**
 * Which pairs of outcomes to ask about (utility-engineering.md §4): a held-out set, a random
 * 2-regular starting graph, then rounds of pairs that are close in current utility and touch
 * little-covered outcomes, until the budget of 2·N·log2 N pairs is reached.
 */
import type { SeededRng } from '../../sim/index.js';

/** A pair of outcome indices, smaller first. */
export type Pair = readonly [number, number];

/** A number naming the unordered pair {i, j} among n outcomes. */
export function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}

function ordered(i: number, j: number): Pair {
  return i < j ? [i, j] : [j, i];
}

/** The pair budget of the method: ⌊multiplier · N · log2 N⌋, at most every pair not held out. */
export function pairBudget(n: number, heldOut: number, multiplier = 2): number {
  const all = (n * (n - 1)) / 2;
  return Math.min(Math.floor(multiplier * n * Math.log2(n)), all - heldOut);
}

/** The held-out pairs: 5% of all pairs, at most 1000, drawn uniformly. */
export function holdoutPairs(n: number, rng: SeededRng, share = 0.05, cap = 1000): Pair[] {
  const all = (n * (n - 1)) / 2;
  const count = Math.min(Math.floor(share * all), cap);
  const seen = new Set<number>();
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const i = rng.int(n);
    const j = rng.int(n);
    if (i === j || seen.has(pairKey(i, j, n))) continue;
    seen.add(pairKey(i, j, n));
    pairs.push(ordered(i, j));
  }
  return pairs;
}

/**
 * A random 2-regular starting graph: the outcomes in a random cycle, so each is asked about twice.
 * A cycle edge that is held out is replaced by a pair with another random partner for the same
 * outcome, so no outcome starts without a comparison.
 */
export function startingPairs(n: number, excluded: ReadonlySet<number>, rng: SeededRng): Pair[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const taken = new Set<number>();
  const pairs: Pair[] = [];
  const edges = n === 2 ? 1 : n;
  for (let e = 0; e < edges; e++) {
    const i = order[e]!;
    let j = order[(e + 1) % n]!;
    // Bounded: a dense holdout could leave no free partner, and then the outcome gets one fewer pair.
    for (let tries = 0; (excluded.has(pairKey(i, j, n)) || taken.has(pairKey(i, j, n)) || i === j) && tries < 10 * n; tries++) j = rng.int(n);
    if (i === j || excluded.has(pairKey(i, j, n)) || taken.has(pairKey(i, j, n))) continue;
    taken.add(pairKey(i, j, n));
    pairs.push(ordered(i, j));
  }
  return pairs;
}

/** What the next round is chosen from. */
export interface RoundInput {
  n: number;
  /** Current fitted mean utility of every outcome. */
  means: ArrayLike<number>;
  /** Pairs already asked or held out: never chosen again. */
  excluded: ReadonlySet<number>;
  /** How many pairs each outcome is in so far. */
  degree: ArrayLike<number>;
  count: number;
}

/**
 * The next round: pairs both in the closest P = 10% by |μi − μj| (the most informative) and in the
 * lowest Q = 20% by degree sum (the least covered), drawn uniformly; when that leaves too few,
 * P and Q grow by ×1.5 up to five times, and any shortfall is filled with random free pairs.
 */
export function nextRoundPairs(input: RoundInput, rng: SeededRng): Pair[] {
  const { n, means, excluded, degree } = input;
  const free: Array<{ i: number; j: number; gap: number; cover: number }> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!excluded.has(i * n + j)) free.push({ i, j, gap: Math.abs(means[i]! - means[j]!), cover: degree[i]! + degree[j]! });
    }
  }
  const count = Math.min(input.count, free.length);
  const gaps = free.map((p) => p.gap).sort((a, b) => a - b);
  const covers = free.map((p) => p.cover).sort((a, b) => a - b);
  const cutoff = (sorted: number[], share: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
  let chosen: typeof free = [];
  for (let grow = 0, p = 0.1, q = 0.2; grow <= 5; grow++, p *= 1.5, q *= 1.5) {
    const gapMax = cutoff(gaps, Math.min(p, 1));
    const coverMax = cutoff(covers, Math.min(q, 1));
    chosen = free.filter((c) => c.gap <= gapMax && c.cover <= coverMax);
    if (chosen.length >= count) break;
  }
  const picked = sample(chosen, Math.min(count, chosen.length), rng);
  if (picked.length < count) {
    const inPicked = new Set(picked.map((c) => c.i * n + c.j));
    picked.push(...sample(free.filter((c) => !inPicked.has(c.i * n + c.j)), count - picked.length, rng));
  }
  return picked.map((c) => [c.i, c.j] as const);
}

/** `k` items drawn uniformly without replacement (a partial Fisher–Yates shuffle). */
function sample<T>(items: readonly T[], k: number, rng: SeededRng): T[] {
  const pool = [...items];
  for (let s = 0; s < k; s++) {
    const j = s + rng.int(pool.length - s);
    [pool[s], pool[j]] = [pool[j]!, pool[s]!];
  }
  return pool.slice(0, k);
}

/** `count` random triads of distinct outcomes, for the transitivity check. */
export function randomTriads(n: number, count: number, rng: SeededRng): Array<readonly [number, number, number]> {
  const triads: Array<readonly [number, number, number]> = [];
  const seen = new Set<string>();
  const possible = (n * (n - 1) * (n - 2)) / 6;
  while (triads.length < Math.min(count, possible)) {
    const t = [rng.int(n), rng.int(n), rng.int(n)].sort((a, b) => a - b) as [number, number, number];
    if (t[0] === t[1] || t[1] === t[2] || seen.has(t.join())) continue;
    seen.add(t.join());
    triads.push(t);
  }
  return triads;
}
