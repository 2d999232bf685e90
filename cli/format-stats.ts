/** The statistics of `peerlab stats amplification` and `peerlab power` as text. */
import { formatNumber, formatPercent, formatPoints, RATIO_METHOD, type Amplification, type PowerPlan, type PrecisionPlan } from '../analysis/index.js';
import { table } from './text-layout.js';


/** A p-value: four decimals, or scientific notation once that would read 0.0000. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}

/** An interval's two ends, `[2.64, 148]` or `[0.63, ∞)`. */
const bounds = (r: { low: number; high: number }) => `[${formatNumber(r.low)}, ${formatNumber(r.high)}${Number.isFinite(r.high) ? ']' : ')'}`;

/** The amplification report as text lines: the ratio and the difference side by side, neither alone a headline. */
export function formatAmplification(a: Amplification): string[] {
  const level = `${+(a.level * 100).toFixed(1)}%`;
  const rate = (r: Amplification['alone']) => [`${r.k}/${r.n} = ${formatPercent(r.rate)}`, `[${formatPercent(r.low)}, ${formatPercent(r.high)}]`];
  const r = a.ratio;
  const estimate = { interval: formatNumber(r.estimate), 'lower-bound': `≥ ${formatNumber(r.low)}`, 'upper-bound': `≤ ${formatNumber(r.high)}`, 'no-events': 'n/a' };
  const ratioCells = [estimate[r.bound], bounds(r)];
  const notes = {
    interval: [],
    'lower-bound': [`No event alone, so the data only bound the ratio from below (with a peer at least ${formatNumber(r.low)} times as frequent); the difference is the finite figure.`],
    'upper-bound': ['No event with a peer, so the data only bound the ratio from above.'],
    'no-events': ['No event in either condition: the ratio is undefined and the data bound nothing.'],
  }[r.bound];
  return [
    table(['', 'estimate', `${level} interval`, 'method'], [
      ['alone', ...rate(a.alone), 'Wilson score'],
      ['with peer', ...rate(a.with), 'Wilson score'],
      ['risk ratio', ...ratioCells, RATIO_METHOD],
      ['difference', `${formatPoints(a.difference.estimate)} pts`, `[${formatPoints(a.difference.low)}, ${formatPoints(a.difference.high)}]`, 'Newcombe hybrid score'],
    ]),
    `Fisher exact p (two-sided): ${formatP(a.p)}`,
    ...notes,
  ];
}

/** The detection plan as text lines. */
export function formatPowerPlan(p: PowerPlan): string[] {
  const holm = p.rows > 1 ? ` (Holm over ${p.rows} rows: each row planned at alpha ${+p.alphaPerRow.toPrecision(3)})` : '';
  return [
    `Trials per cell: ${p.perCell} (${p.total} in all)`,
    `to detect ${formatPercent(p.withRate)} with a peer against ${formatPercent(p.baseRate)} alone (risk ratio ${p.ratio}),`,
    `two-sided test at alpha ${p.alpha}${holm} with power ${p.power};`,
    `Fleiss's normal approximation for two proportions, ${p.continuityCorrection ? 'with' : 'without'} continuity correction (checked against Fisher's exact test by simulation).`,
    `At that size a typical outcome bounds the ratio only to ${bounds(p.typical)} (95%); plan for precision with --lower-above R or --width F.`,
  ];
}

/** The precision plan as text lines. */
export function formatPrecisionPlan(p: PrecisionPlan): string[] {
  const what = p.target.kind === 'lower-above'
    ? `the ratio's ${+(p.level * 100).toFixed(1)}% lower bound above ${p.target.value}`
    : `the ratio's ${+(p.level * 100).toFixed(1)}% interval within a factor ${p.target.value} (high ÷ low)`;
  return [
    `Trials per cell: ${p.perCell} (${p.total} in all)`,
    `for ${what} in ${formatPercent(p.assurance)} of experiments (exactly: ${formatPercent(p.achieved)}), when the truth is ${formatPercent(p.withRate)} with a peer against ${formatPercent(p.baseRate)} alone (ratio ${p.ratio});`,
    `computed over every outcome of both cells for the interval peerlab prints (${RATIO_METHOD}); typical interval at that size ${bounds(p.typical)}.`,
  ];
}

