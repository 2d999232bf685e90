/**
 * Exchange rates from stated utilities (utility-engineering.md §5.3): for each amount series (money
 * donated, people helped, …) fit μ = a + b·ln N by least squares; two series trade at equal
 * utility, and any outcome has an equivalent amount in a series where utility rises with N.
 */

/** One amount series' fitted curve. */
export interface AmountCurve {
  group: string;
  intercept: number;
  slope: number;
  /** Share of the utilities' variance the line explains. */
  rSquared: number;
  amounts: number[];
}

/** How many units of `per` trade for one unit of `unit`, at equal utility. */
export interface SeriesRate {
  unit: string;
  per: string;
  /** Two-way geometric mean of the ratios over both series' asked amounts. */
  rate: number;
}

/** An outcome's equivalent amount in one series. */
export interface Equivalent {
  outcome: string;
  group: string;
  amount: number;
  /** Outside the range of amounts asked about: the line is extrapolated. */
  extrapolated: boolean;
}

/** Least-squares fit of utility on ln(amount); undefined with fewer than two distinct amounts. */
export function fitAmountCurve(group: string, points: ReadonlyArray<{ amount: number; utility: number }>): AmountCurve | undefined {
  const xs = points.map((p) => Math.log(p.amount));
  const ys = points.map((p) => p.utility);
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = 0; k < n; k++) {
    sxx += (xs[k]! - mx) ** 2;
    sxy += (xs[k]! - mx) * (ys[k]! - my);
    syy += (ys[k]! - my) ** 2;
  }
  if (n < 2 || sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { group, intercept: my - slope * mx, slope, rSquared: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy), amounts: points.map((p) => p.amount) };
}

/** The amount of a series with this utility. */
function amountAt(curve: AmountCurve, utility: number): number {
  return Math.exp((utility - curve.intercept) / curve.slope);
}

/**
 * Units of `per` worth one unit of `unit`: at each asked amount of either series, the other
 * series' amount of equal utility gives a ratio; the rate is their geometric mean. Undefined when
 * either slope is not positive (more of it is not better, so there is no trade).
 */
export function seriesRate(unit: AmountCurve, per: AmountCurve): SeriesRate | undefined {
  if (!(unit.slope > 0 && per.slope > 0)) return undefined;
  const logs: number[] = [];
  for (const n of unit.amounts) logs.push(Math.log(amountAt(per, unit.intercept + unit.slope * Math.log(n)) / n));
  for (const m of per.amounts) logs.push(Math.log(m / amountAt(unit, per.intercept + per.slope * Math.log(m))));
  return { unit: unit.group, per: per.group, rate: Math.exp(logs.reduce((s, x) => s + x, 0) / logs.length) };
}

/** The outcome's equivalent amount in the series, or undefined when utility does not rise with the amount. */
export function equivalentAmount(outcome: string, utility: number, curve: AmountCurve): Equivalent | undefined {
  if (!(curve.slope > 0)) return undefined;
  const amount = amountAt(curve, utility);
  return { outcome, group: curve.group, amount, extrapolated: amount < Math.min(...curve.amounts) || amount > Math.max(...curve.amounts) };
}
