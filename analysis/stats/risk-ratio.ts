import { assertCount } from './errors.js';
import type { Interval } from './interval.js';
import { zForLevel } from './normal.js';

/** A risk ratio; `corrected` says 0.5 was added to every cell of the 2×2 table. */
export interface RiskRatio extends Interval {
  corrected: boolean;
}

/**
 * The risk ratio pWith / pAlone with the Katz log interval: exp(ln RR ± z·SE), where
 * SE² = 1/a − 1/nWith + 1/c − 1/nAlone. When any cell (a count or its complement, in either group) is
 * zero the log and SE are undefined, so 0.5 is added to every cell (each n grows by 1) and the result
 * says `corrected: true`. A peer that turns 0/20 into 3/20 then gets a finite, if wide, ratio.
 */
export function katzRiskRatio(kWith: number, nWith: number, kAlone: number, nAlone: number, level = 0.95): RiskRatio {
  assertCount('with a peer', kWith, nWith);
  assertCount('alone', kAlone, nAlone);
  const corrected = Math.min(kWith, nWith - kWith, kAlone, nAlone - kAlone) === 0;
  const add = corrected ? 0.5 : 0;
  const a = kWith + add;
  const c = kAlone + add;
  const n1 = nWith + 2 * add;
  const n2 = nAlone + 2 * add;
  // One division, so whole-number ratios (17/80 over 1/80) come out whole.
  const estimate = (a * n2) / (c * n1);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  const spread = Math.exp(zForLevel(level) * se);
  return { estimate, low: estimate / spread, high: estimate * spread, corrected };
}
