import { wilson, type Rate } from '../rates.js';
import { newcombeDifference } from './difference.js';
import { assertCount } from './errors.js';
import { fisherExact } from './fisher.js';
import type { Interval } from './interval.js';
import { zForLevel } from './normal.js';
import { scoreRiskRatio, type RiskRatio } from './risk-ratio.js';

/** k events in n trials. */
export interface Count {
  k: number;
  n: number;
}

/** The two conditions compared: the agent alone, and with a peer present. */
export interface AmplificationInput {
  alone: Count;
  with: Count;
  /** Confidence level of every interval (default 0.95). */
  level?: number;
}

/** How much a peer amplifies a behaviour, in the measures design.md §6 asks for. */
export interface Amplification {
  level: number;
  /** The rate alone, with its Wilson interval. */
  alone: Rate;
  /** The rate with a peer, with its Wilson interval. */
  with: Rate;
  /**
   * pWith / pAlone with its continuity-corrected Miettinen–Nurminen score interval; `bound` says when
   * the data only bound it from one side (no event alone: a lower bound only) or not at all.
   */
  ratio: RiskRatio;
  /** pWith − pAlone, Newcombe hybrid score interval. */
  difference: Interval;
  /** Two-sided Fisher exact p-value (unadjusted: Holm-adjust across the cells of one report). */
  p: number;
}

/**
 * Peer amplification of one behaviour: both rates, their ratio and difference with intervals, and
 * Fisher's exact p. Ratio and difference are co-headlines: the ratio says "16×" (1.3% → 21%), the
 * difference keeps it honest when the base rate is tiny, and stays finite when nothing happened alone.
 */
export function amplification(input: AmplificationInput): Amplification {
  const { alone, with: peer, level = 0.95 } = input;
  assertCount('with a peer', peer.k, peer.n);
  assertCount('alone', alone.k, alone.n);
  const z = zForLevel(level);
  return {
    level,
    alone: wilson(alone.k, alone.n, z),
    with: wilson(peer.k, peer.n, z),
    ratio: scoreRiskRatio(peer.k, peer.n, alone.k, alone.n, level),
    difference: newcombeDifference(peer.k, peer.n, alone.k, alone.n, level),
    p: fisherExact(peer.k, peer.n, alone.k, alone.n),
  };
}
