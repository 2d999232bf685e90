import { wilson } from '../rates.js';
import { assertCount } from './errors.js';
import type { Interval } from './interval.js';
import { zForLevel } from './normal.js';

/**
 * The difference of proportions pWith − pAlone with Newcombe's hybrid score interval (Newcombe 1998,
 * method 10). It combines the two Wilson intervals, so, unlike the Wald interval, it stays inside
 * [−1, 1] and keeps its coverage at 0/n and n/n, where shutdown-resistance rates often sit.
 */
export function newcombeDifference(kWith: number, nWith: number, kAlone: number, nAlone: number, level = 0.95): Interval {
  assertCount('with a peer', kWith, nWith);
  assertCount('alone', kAlone, nAlone);
  const z = zForLevel(level);
  const a = wilson(kWith, nWith, z);
  const b = wilson(kAlone, nAlone, z);
  const estimate = a.rate - b.rate;
  return {
    estimate,
    low: estimate - Math.hypot(a.rate - a.low, b.high - b.rate),
    high: estimate + Math.hypot(a.high - a.rate, b.rate - b.low),
  };
}
