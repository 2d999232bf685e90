import type { Command } from 'commander';
import type { ThurstonianFit } from '../../analysis/index.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { parseInteger, type Env } from '../options.js';
import type { Io } from '../io.js';
import { registerUtilitiesCompare } from './utilities-compare.js';
import { registerUtilitiesElicit } from './utilities-elicit.js';
import { registerUtilitiesRevealed } from './utilities-revealed.js';

/** The fit as text: a table of outcomes, best first, then the fit metrics. */
export function formatUtilities(fit: ThurstonianFit, width = Number.POSITIVE_INFINITY): string[] {
  return [
    table(['outcome', 'mean', 'variance'], fit.utilities.map((u) => [u.outcome, u.mean.toFixed(3), u.variance.toFixed(3)]), { width }),
    `accuracy: ${(fit.accuracy * 100).toFixed(1)}% of edges (prediction and data agree on the side of 0.5)`,
    `log loss: ${fit.logLoss.toFixed(4)}`,
  ];
}

/** The fit as the `--json` object, with snake_case keys like the edges file. */
export function utilitiesJson(fit: ThurstonianFit): { utilities: ThurstonianFit['utilities']; accuracy: number; log_loss: number } {
  return {
    utilities: fit.utilities.map(({ outcome, mean, variance }) => ({ outcome, mean, variance })),
    accuracy: fit.accuracy,
    log_loss: fit.logLoss,
  };
}

/** `peerlab utilities fit`: Thurstonian utilities (utility-engineering.md §2) from pairwise preference counts. */
export function registerUtilities(program: Command, env: Env, io: Io): void {
  const out = io.out;
  const utilities = program.command('utilities').description('stated utilities (pairwise preferences) and revealed utilities (choices in experiments)');
  utilities
    .command('fit')
    .description('fit Thurstonian utilities (mean and variance per outcome) to pairwise preference counts')
    .requiredOption('--edges <file>', 'JSON lines: {"a": "...", "b": "...", "a_wins": 7, "b_wins": 13}')
    .option('--seed <n>', 'seed for the initialisation', '42')
    .option('--json', 'print the result as one JSON object')
    .option('--wide', 'do not fit the text to 100 columns')
    .action(async (flags: { edges: string; seed: string; json?: boolean; wide?: boolean }) => {
      const { fitThurstonian, readEdgesFile } = await import('../../analysis/index.js');
      const seed = parseInteger('--seed', flags.seed, 42, 0, Number.MAX_SAFE_INTEGER);
      const fit = fitThurstonian(readEdgesFile(flags.edges), { seed });
      if (flags.json) return out(JSON.stringify(utilitiesJson(fit)));
      formatUtilities(fit, widthOf(flags)).forEach((line) => out(wrapText(line, widthOf(flags))));
    });
  registerUtilitiesElicit(utilities, env, io);
  registerUtilitiesRevealed(utilities, env, io);
  registerUtilitiesCompare(utilities, env, io);
}
