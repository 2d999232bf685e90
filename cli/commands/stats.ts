import type { Command } from 'commander';
import { amplification, trialsPerCell, type Amplification, type Count, type PowerPlan } from '../../analysis/index.js';
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

/** A ratio with sensible precision from 0.01 to thousands. */
function formatRatio(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** A p-value: four decimals, or scientific notation once that would read 0.0000. */
export function formatP(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}

/** The amplification report as text lines. */
export function formatAmplification(a: Amplification): string[] {
  const level = `${+(a.level * 100).toFixed(1)}%`;
  const rate = (r: Amplification['alone']) => [`${r.k}/${r.n} = ${pct(r.rate)}`, `[${pct(r.low)}, ${pct(r.high)}]`];
  const mark = a.ratio.corrected ? '*' : '';
  return [
    table(['', 'estimate', `${level} interval`, 'method'], [
      ['alone', ...rate(a.alone), 'Wilson score'],
      ['with peer', ...rate(a.with), 'Wilson score'],
      ['risk ratio', `${formatRatio(a.ratio.estimate)}${mark}`, `[${formatRatio(a.ratio.low)}, ${formatRatio(a.ratio.high)}]`, 'Katz log'],
      ['difference', `${points(a.difference.estimate)} pts`, `[${points(a.difference.low)}, ${points(a.difference.high)}]`, 'Newcombe hybrid score'],
    ]),
    `Fisher exact p (two-sided): ${formatP(a.p)}`,
    ...(a.ratio.corrected ? ['* a cell is zero, so 0.5 was added to every cell of the 2×2 table for the ratio'] : []),
  ];
}

/** The power plan as text lines. */
export function formatPowerPlan(p: PowerPlan): string[] {
  return [
    `Trials per cell: ${p.perCell} (${p.total} in all)`,
    `to detect ${pct(p.withRate)} with a peer against ${pct(p.baseRate)} alone (risk ratio ${p.ratio}),`,
    `two-sided test at alpha ${p.alpha} with power ${p.power};`,
    `Fleiss's normal approximation for two proportions, ${p.continuityCorrection ? 'with' : 'without'} continuity correction.`,
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
    .description('trials per cell needed to detect a given amplification')
    .requiredOption('--base-rate <p>', 'the rate alone, e.g. 0.05')
    .requiredOption('--ratio <r>', 'the risk ratio to detect, e.g. 3')
    .option('--alpha <a>', 'two-sided significance level', '0.05')
    .option('--power <p>', 'chance of detecting a real effect', '0.8')
    .option('--json', 'print the plan as one JSON object')
    .action((flags: { baseRate: string; ratio: string; alpha: string; power: string; json?: boolean }) => {
      const plan = trialsPerCell({
        baseRate: parseReal('--base-rate', flags.baseRate),
        ratio: parseReal('--ratio', flags.ratio),
        alpha: parseReal('--alpha', flags.alpha),
        power: parseReal('--power', flags.power),
      });
      if (flags.json) return out(JSON.stringify(plan));
      formatPowerPlan(plan).forEach((line) => out(line));
    });
}
