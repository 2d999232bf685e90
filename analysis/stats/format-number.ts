/**
 * How every table, summary, report and screen prints a number: the one home of these rules, so a
 * figure reads the same wherever it appears. Negative numbers use the ASCII minus (`-`), which
 * spreadsheets and terminals read; infinities print as `∞` and `-∞`, and NaN as `n/a`.
 */

/** A number whose size varies (a ratio, an exchange rate): 0 decimals from 100, 1 from 10, else 2 (`12.345` → `12.3`). */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const size = Math.abs(x);
  return size >= 100 ? x.toFixed(0) : size >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A proportion as a percentage with one decimal, without the `%` sign (`0.1234` → `12.3`), for columns headed `%`. */
export function formatPercentValue(x: number): string {
  return (x * 100).toFixed(1);
}

/** A proportion as a percentage with one decimal (`0.1234` → `12.3%`). */
export function formatPercent(x: number): string {
  return `${formatPercentValue(x)}%`;
}

/** A difference of proportions in percentage points, always signed (`0.05` → `+5.0`, `-0.05` → `-5.0`). */
export function formatPoints(x: number): string {
  return `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(1)}`;
}

/** A p-value: three decimals, or `<0.001`. */
export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** A difference of proportions with its interval, in points: `+5.0 pts [-1.2, +11.3]`. */
export function formatDifference(d: { estimate: number; low: number; high: number }): string {
  return `${formatPoints(d.estimate)} pts [${formatPoints(d.low)}, ${formatPoints(d.high)}]`;
}
