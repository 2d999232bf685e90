import type { AmplificationRow } from './amplification-table.js';

/**
 * What one amplification row lets a reader conclude, so that no view presents a figure the data do
 * not support:
 * - `more` / `less`: the Holm-adjusted Fisher p is below 0.05 *and* the ratio's interval lies wholly
 *   above (below) 1: the direction is established;
 * - `inconclusive`: otherwise: the interval contains 1 or the adjusted test does not reject, so the
 *   row shows no effect in either direction (which is not evidence of none);
 * - `no-events`: nothing happened in either cell: the row measures nothing.
 */
export type AmplificationReading = 'more' | 'less' | 'inconclusive' | 'no-events';

/** The family-wise level the readings use. */
export const READING_ALPHA = 0.05;

export function amplificationReading(row: Pick<AmplificationRow, 'ratio' | 'pHolm'>): AmplificationReading {
  if (row.ratio.bound === 'no-events') return 'no-events';
  if (row.pHolm < READING_ALPHA && row.ratio.low > 1) return 'more';
  if (row.pHolm < READING_ALPHA && row.ratio.high < 1) return 'less';
  return 'inconclusive';
}

/** The reading in a few words, for a table column. */
export const READING_TEXT: Readonly<Record<AmplificationReading, string>> = {
  more: 'more with peer',
  less: 'less with peer',
  inconclusive: 'not established',
  'no-events': 'no events',
};

/**
 * Where a row's evidence is thin although it may read as a finding: the ratio is only bounded from
 * one side, or its interval spans more than a factor 10 (high ÷ low). Null when it is not thin.
 */
export function thinEvidence(row: Pick<AmplificationRow, 'ratio' | 'alone' | 'with'>): string | null {
  const r = row.ratio;
  if (r.bound === 'no-events') return 'no event in either cell';
  if (r.bound === 'lower-bound') return `no event alone (${row.alone.k}/${row.alone.n}): the ratio is only bounded from below`;
  if (r.bound === 'upper-bound') return `no event with the peer (${row.with.k}/${row.with.n}): the ratio is only bounded from above`;
  if (r.high / r.low > 10) return `the ratio's interval spans a factor ${(r.high / r.low).toFixed(0)}`;
  return null;
}
