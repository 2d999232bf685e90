/**
 * Shards: one experiment spread over N processes or machines (a SLURM array, a Kubernetes Indexed
 * Job). Shard i of N runs the planned episodes whose key hashes to i modulo N, a disjoint and
 * deterministic share that does not depend on N's other shards, on the order of the plan or on the
 * machine; every shard still plans the whole experiment, so a merged database (peerlab merge) shows
 * any episode a missing shard did not run as unfinished. The budget is split evenly.
 */
import { ExperimentError } from '../../analysis/index.js';
import { sha256 } from '../../sim/index.js';

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards an experiment may be split into. */
export const MAX_SHARDS = 100_000;

/** Reads `i/N` (as `--shard` takes it). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ExperimentError(`--shard "${text.slice(0, 40)}" should look like i/N, e.g. 0/4 (shards are numbered from 0)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new ExperimentError(`--shard ${text.trim()}: N must be between 1 and ${MAX_SHARDS}`);
  if (index >= count) throw new ExperimentError(`--shard ${text.trim()}: i must be below N (shards are numbered 0 to ${count - 1})`);
  return { index, count };
}

/** The shard an episode belongs to among `count`: its key's SHA-256, read as a number, modulo `count`. */
export function shardOf(episodeKey: string, count: number): number {
  // The first 13 hex digits (52 bits) are exact as a double, so the remainder is exact too.
  return Number.parseInt(sha256(episodeKey).slice(0, 13), 16) % count;
}

/** Whether `shard` runs the episode. */
export function inShard(episodeKey: string, shard: Shard): boolean {
  return shardOf(episodeKey, shard.count) === shard.index;
}

/** How a shard is named in notes and output. */
export function shardName(shard: Shard): string {
  return `shard ${shard.index}/${shard.count}`;
}
