import type { EpisodeKeyParts } from '../sim/index.js';

/** Where a forked episode comes from. */
export interface ForkOrigin {
  /** The parent run and the last event the fork shares with it. */
  parent: { runId: string; seq: number };
  /** The parent's episode key. */
  parentKey: string;
}

/** The key parts of a fork: its own (model, factors) plus the parent's key and the fork point. */
export type ForkKeyParts = EpisodeKeyParts & { fork: { parent: string; at: number } };

/**
 * The key parts of a fork. They always differ from the parent's (and from any plain episode), so
 * experiments never count a fork as a trial of the run it came from, and the run id differs too;
 * two forks of one run at one point with the same changes share a key (and get attempt numbers).
 */
export function forkKeyParts(own: EpisodeKeyParts, origin: ForkOrigin): ForkKeyParts {
  return { ...own, fork: { parent: origin.parentKey, at: origin.parent.seq } };
}

/** The parent's episode key when `key` is a fork's, else undefined. */
export function parentKeyOf(key: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    return undefined;
  }
  const fork = (parsed as { fork?: { parent?: unknown } } | null)?.fork;
  return typeof fork?.parent === 'string' ? fork.parent : undefined;
}

/**
 * The key an episode's randomness is seeded from: its own, or for a fork (of a fork …) the key of
 * the run it all started from, so that a fork builds the same world and draws the same numbers.
 */
export function randomnessKey(key: string): string {
  const parent = parentKeyOf(key);
  return parent === undefined ? key : randomnessKey(parent);
}
