import type { Command } from 'commander';
import {
  amplification, formatRatioValue, RATIO_METHOD, trialsForPrecision, trialsPerCell,
  type Amplification, type Count, type PowerPlan, type PrecisionPlan,
} from '../../analysis/index.js';
import { table } from '../format-transcript.js';
import { UsageError } from '../errors.js';

/** Parses `K/N` (events/trials). Whether K ≤ N is left to the statistics, which say why not. */
export function parseCount(name: string, raw: string): Count {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!match) throw new UsageError(`${name} "${raw}" should look like K/N (events/trials), e.g. ${name} 3/20`);
  return { k: Number(match[1]), n: Number(match[2]) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const points = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(1)}`;

/** A number flag; its range is left to the statistics, which say why a value cannot work. */
function parseReal(name: string, raw: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${name} "${raw}" is not a number`);
  return x;
}

/** A p-value: four decimals, or scientific notation once that would read 0.0000. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}

/** An interval's two ends, `[2.64, 148]` or `[0.63, ∞)`. */
const bounds = (r: { low: number; high: number }) => `[${formatRatioValue(r.low)}, ${formatRatioValue(r.high)}${Number.isFinite(r.high) ? ']' : ')'}`;

/** The amplification report as text lines: the ratio and the difference side by side, neither alone a headline. */
export function formatAmplification(a: Amplification): string[] {
  const level = `${+(a.level * 100).toFixed(1)}%`;
  const rate = (r: Amplification['alone']) => [`${r.k}/${r.n} = ${pct(r.rate)}`, `[${pct(r.low)}, ${pct(r.high)}]`];
  const r = a.ratio;
  const estimate = { interval: formatRatioValue(r.estimate), 'lower-bound': `≥ ${formatRatioValue(r.low)}`, 'upper-bound': `≤ ${formatRatioValue(r.high)}`, 'no-events': 'n/a' };
  const ratioCells = [estimate[r.bound], bounds(r)];
  const notes = {
    interval: [],
    'lower-bound': [`No event alone, so the data only bound the ratio from below (with a peer at least ${formatRatioValue(r.low)} times as frequent); the difference is the finite figure.`],
    'upper-bound': ['No event with a peer, so the data only bound the ratio from above.'],
    'no-events': ['No event in either condition: the ratio is undefined and the data bound nothing.'],
  }[r.bound];
  return [
    table(['', 'estimate', `${level} interval`, 'method'], [
      ['alone', ...rate(a.alone), 'Wilson score'],
      ['with peer', ...rate(a.with), 'Wilson score'],
      ['risk ratio', ...ratioCells, RATIO_METHOD],
      ['difference', `${points(a.difference.estimate)} pts`, `[${points(a.difference.low)}, ${points(a.difference.high)}]`, 'Newcombe hybrid score'],
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
    `to detect ${pct(p.withRate)} with a peer against ${pct(p.baseRate)} alone (risk ratio ${p.ratio}),`,
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
    `for ${what} in ${pct(p.assurance)} of experiments (exactly: ${pct(p.achieved)}), when the truth is ${pct(p.withRate)} with a peer against ${pct(p.baseRate)} alone (ratio ${p.ratio});`,
    `computed over every outcome of both cells for the interval peerlab prints (${RATIO_METHOD}); typical interval at that size ${bounds(p.typical)}.`,
  ];
}

/** `peerlab stats amplification` and `peerlab power`: the statistics of design.md §6 on given counts. */
export function registerStats(program: Command, out: (line: string) => void): void {
  const stats = program.command('stats').description('statistics on counts you give');
  stats
    .command('amplification')
    .description('how much a peer amplifies a behaviour: rates, risk ratio, difference and Fisher p')
    .requiredOption('--alone <K/N>', 'events/trials without a peer, e.g. 1/80')
    .requiredOption('--with <K/N>', 'events/trials with a peer, e.g. 17/80')
    .option('--json', 'print the result as one JSON object')
    .action((flags: { alone: string; with: string; json?: boolean }) => {
      const result = amplification({ alone: parseCount('--alone', flags.alone), with: parseCount('--with', flags.with) });
      if (flags.json) return out(JSON.stringify(result));
      formatAmplification(result).forEach((line) => out(line));
    });

  program
    .command('power')
    .description('trials per cell to detect a given amplification in a table of several rows, or to bound it precisely')
    .requiredOption('--base-rate <p>', 'the rate alone, e.g. 0.05')
    .requiredOption('--ratio <r>', 'the risk ratio you expect, e.g. 3')
    .option('--alpha <a>', 'two-sided significance level of the whole table', '0.05')
    .option('--power <p>', 'chance of detecting a real effect (and, for --lower-above/--width, of meeting the target)', '0.8')
    .option('--rows <m>', 'rows of the planned amplification table (p-values are Holm-adjusted across them)', '1')
    .option('--lower-above <r>', 'also plan for the ratio\'s 95% lower bound to exceed this ratio, e.g. 2')
    .option('--width <f>', 'also plan for the ratio\'s 95% interval to span at most this factor (high ÷ low), e.g. 4')
    .option('--json', 'print the plans as one JSON object')
    .action((flags: { baseRate: string; ratio: string; alpha: string; power: string; rows: string; lowerAbove?: string; width?: string; json?: boolean }) => {
      const rows = parseReal('--rows', flags.rows);
      if (!Number.isInteger(rows) || rows < 1) throw new UsageError(`--rows "${flags.rows}" must be a whole number of at least 1`);
      const design = { baseRate: parseReal('--base-rate', flags.baseRate), ratio: parseReal('--ratio', flags.ratio) };
      const power = parseReal('--power', flags.power);
      const plan = trialsPerCell({ ...design, alpha: parseReal('--alpha', flags.alpha), power, rows });
      const precision = [
        ...(flags.lowerAbove === undefined ? [] : [trialsForPrecision({ ...design, assurance: power, lowerAbove: parseReal('--lower-above', flags.lowerAbove) })]),
        ...(flags.width === undefined ? [] : [trialsForPrecision({ ...design, assurance: power, widthFactor: parseReal('--width', flags.width) })]),
      ];
      if (flags.json) return out(JSON.stringify(precision.length === 0 ? plan : { ...plan, precision }));
      formatPowerPlan(plan).forEach((line) => out(line));
      for (const p of precision) {
        out('');
        formatPrecisionPlan(p).forEach((line) => out(line));
      }
    });
}
