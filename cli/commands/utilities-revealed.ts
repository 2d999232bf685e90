import type { Command } from 'commander';
import type { CellResult, RevealedFit } from '../../analysis/index.js';
import { UsageError } from '../errors.js';
import { dbPath, type Env } from '../options.js';
import type { Io } from '../io.js';
import { fitSettings, withFitOptions, type FitFlags } from '../fit-flags.js';
import { findExperiment, scenarioFinder } from '../lookups.js';
import { widthOf, wrapText } from '../text-layout.js';
import { withStore } from '../open-store.js';

interface RevealedFlags extends FitFlags {
  experiment: string;
  model?: string;
}

/** The models to fit: the one asked for, or every model with a finished run. */
function modelsToFit(cells: readonly CellResult[], model: string | undefined, cellModels: (cells: readonly CellResult[]) => string[]): { fit: string[]; skipped: string[] } {
  const all = cellModels(cells);
  if (model !== undefined) {
    if (!all.includes(model)) throw new UsageError(`no model ${model} in this experiment (models: ${all.join(', ')})`);
    return { fit: [model], skipped: [] };
  }
  const withRuns = all.filter((m) => cells.some((c) => c.model === m && c.finished > 0));
  if (withRuns.length === 0) throw new UsageError('this experiment has no finished runs yet');
  return { fit: withRuns, skipped: all.filter((m) => !withRuns.includes(m)) };
}

/** `peerlab utilities revealed`: a conditional-logit fit of what models chose in an experiment. */
export function registerUtilitiesRevealed(utilities: Command, env: Env, io: Io): void {
  const command = utilities
    .command('revealed')
    .description('revealed utilities: fit a conditional logit to the choices models made in an experiment (weights of self_survives, '
      + 'peer_survives, task_done, rule_broken, caught) with 95% intervals and exchange rates; each model is fitted separately')
    .requiredOption('--experiment <id>', 'experiment id (see npx peerlab experiments)')
    .option('--model <spec>', 'fit only this model of the experiment (default: every model, one fit each)');
  withFitOptions(command)
    .action(async (flags: RevealedFlags) => {
      const { seed, where, constants } = fitSettings(flags);
      const { cellModels, experimentResults, fitRevealed } = await import('../../analysis/index.js');
      const { formatRevealed, revealedJson } = await import('../format-revealed.js');
      const width = widthOf(flags);
      const out = (line: string) => io.out(wrapText(line, width));
      const { fits, skipped } = withStore(dbPath(flags.db, env), (store) => {
        findExperiment(store, flags.experiment);
        const cells = experimentResults(store, flags.experiment);
        const models = modelsToFit(cells, flags.model, cellModels);
        const scenarioOf = scenarioFinder(flags.scenarios);
        const fits: RevealedFit[] = models.fit.map((model) => fitRevealed(cells, model, scenarioOf, { constants, where, seed }));
        return { fits, skipped: models.skipped };
      });
      if (flags.json) return io.out(JSON.stringify({ experiment: flags.experiment, fits: fits.map(revealedJson), skipped_models: skipped }));
      fits.forEach((fit, i) => {
        if (i > 0) out('');
        formatRevealed(fit, flags.experiment, width).forEach((line) => out(line));
      });
      if (skipped.length > 0) out(`\nskipped (no finished runs): ${skipped.join(', ')}`);
    });
}
