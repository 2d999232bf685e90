import type { Command } from 'commander';
import type { Count } from '../../analysis/index.js';
import { UsageError } from '../errors.js';
import { TEXT_WIDTH, wrapText } from '../text-layout.js';

/** Parses `K/N` (events/trials). Whether K ≤ N is left to the statistics, which say why not. */
export function parseCount(name: string, raw: string): Count {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  if (!match) throw new UsageError(`${name} "${raw}" should look like K/N (events/trials), e.g. ${name} 3/20`);
  return { k: Number(match[1]), n: Number(match[2]) };
}

/** A number flag; its range is left to the statistics, which say why a value cannot work. */
function parseReal(name: string, raw: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${name} "${raw}" is not a number`);
  return x;
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
    .action(async (flags: { alone: string; with: string; json?: boolean }) => {
      const [{ amplification }, { formatAmplification }] = await Promise.all([import('../../analysis/index.js'), import('../format-stats.js')]);
      const result = amplification({ alone: parseCount('--alone', flags.alone), with: parseCount('--with', flags.with) });
      if (flags.json) return out(JSON.stringify(result));
      formatAmplification(result).forEach((line) => out(wrapText(line, TEXT_WIDTH)));
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
    .action(async (flags: { baseRate: string; ratio: string; alpha: string; power: string; rows: string; lowerAbove?: string; width?: string; json?: boolean }) => {
      const [{ trialsForPrecision, trialsPerCell }, { formatPowerPlan, formatPrecisionPlan }] = await Promise.all([
        import('../../analysis/index.js'), import('../format-stats.js'),
      ]);
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
      formatPowerPlan(plan).forEach((line) => out(wrapText(line, TEXT_WIDTH)));
      for (const p of precision) {
        out('');
        formatPrecisionPlan(p).forEach((line) => out(wrapText(line, TEXT_WIDTH)));
      }
    });
}
