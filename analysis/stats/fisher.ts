import pmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import { assertCount } from './errors.js';

/**
 * Tables whose probability is within this relative distance of the observed one count as "as
 * extreme". Floating-point noise would otherwise split tables of equal probability (R's fisher.test
 * uses the same 1 + 1e-7).
 */
const RELATIVE_TOLERANCE = 1e-7;

/**
 * The two-sided p-value of Fisher's exact test for the 2×2 table
 * [[kWith, nWith − kWith], [kAlone, nAlone − kAlone]]. With both margins fixed, the count with a peer
 * is hypergeometric; p sums the probabilities of every table no more likely than the observed one.
 */
export function fisherExact(kWith: number, nWith: number, kAlone: number, nAlone: number): number {
  assertCount('with a peer', kWith, nWith);
  assertCount('alone', kAlone, nAlone);
  const total = nWith + nAlone;
  const successes = kWith + kAlone;
  const observed = pmf(kWith, total, successes, nWith);
  let p = 0;
  for (let x = Math.max(0, nWith - (total - successes)); x <= Math.min(successes, nWith); x++) {
    const px = pmf(x, total, successes, nWith);
    if (px <= observed * (1 + RELATIVE_TOLERANCE)) p += px;
  }
  return Math.min(1, p);
}
