import type { Command } from 'commander';
import type { Comparison, StatedResult } from '../../analysis/index.js';
import type { StatedOutcome } from '../../agents/index.js';
import { SqliteTraceStore, type ElicitationRecord } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { dbPath, type Env } from '../options.js';
import type { Io } from '../io.js';
import { findExperiment, scenarioFinder } from '../lookups.js';
import { fitSettings, withFitOptions, type FitFlags } from '../fit-flags.js';
import { formatNumber } from '../../analysis/stats/format-number.js';
import { withStore } from '../open-store.js';

interface CompareFlags extends FitFlags {
  model: string;
  experiment: string;
  elicitation?: string;
}

/** The elicitation to compare: the one named, else the model's latest completed one. */
function statedElicitation(store: SqliteTraceStore, model: string, id: string | undefined): ElicitationRecord {
  const log = store.elicitationStore();
  if (id !== undefined) {
    const found = log.elicitation(id);
    if (!found) throw new UsageError(`no elicitation ${id} in ${store.path} (known: ${log.elicitations().map((e) => e.elicitationId).join(', ') || 'none'})`);
    if (found.status !== 'completed') throw new UsageError(`elicitation ${id} has not finished: run the same utilities elicit command again to resume it`);
    if (found.model !== model) throw new UsageError(`elicitation ${id} asked ${found.model}, not ${model}`);
    return found;
  }
  const done = log.elicitations().filter((e) => e.model === model && e.status === 'completed');
  if (done.length === 0) throw new UsageError(`no completed elicitation of ${model} in ${store.path}: run npx peerlab utilities elicit --model ${model} --db ${store.path}`);
  return done.at(-1)!;
}


/** The comparison as text. */
export function formatComparison(c: Comparison, elicitationId: string, experimentId: string, width = Number.POSITIVE_INFINITY): string[] {
  const lines = [
    `Stated (elicitation ${elicitationId}) against revealed (experiment ${experimentId}) utilities of ${c.model}, on ${c.shared} outcomes both can value`,
    c.spearman
      ? `rank correlation (Spearman): ${c.spearman.estimate.toFixed(2)} [${c.spearman.low.toFixed(2)}, ${c.spearman.high.toFixed(2)}] (95% over the revealed fit's uncertainty)`
      : 'rank correlation: not available',
    '',
    'Exchange rates (stated: least-squares feature weights of the stated utilities; revealed: the choice model, 95% interval):',
    table(['rate', 'stated', 'revealed'], c.rates.map((r) => [
      `${r.numerator} / ${r.denominator}`,
      r.stated === null ? 'n/a' : formatNumber(r.stated),
      !r.revealed ? 'n/a' : r.revealed.unbounded ? 'unbounded' : `${formatNumber(r.revealed.median)} [${formatNumber(r.revealed.low)}, ${formatNumber(r.revealed.high)}]`,
    ]), { width }),
  ];
  if (c.outcomes.length > 0) {
    lines.push('', 'Where they disagree most (z-scores across these outcomes; gap > 0: says it values the outcome more than its choices show):',
      table(['outcome', 'stated z', 'revealed z', 'gap'], c.outcomes.slice(0, 10).map((o) => [o.outcome, o.stated.toFixed(2), o.revealed.toFixed(2), o.gap.toFixed(2)]), { width }));
  }
  for (const note of c.notes) lines.push(`note: ${note}`);
  return lines;
}

/** `peerlab utilities compare`: stated against revealed utilities of one model. */
export function registerUtilitiesCompare(utilities: Command, env: Env, io: Io): void {
  const command = utilities
    .command('compare')
    .description('compare a model\'s stated utilities (from utilities elicit) with its revealed ones (from an experiment): rank correlation, exchange rates side by side, largest disagreements')
    .requiredOption('--model <spec>', 'the model, as named in both the elicitation and the experiment')
    .requiredOption('--experiment <id>', 'experiment with the model\'s scenario runs')
    .option('--elicitation <id>', 'elicitation to use (default: the model\'s latest completed one in the database)');
  withFitOptions(command)
    .action(async (flags: CompareFlags) => {
      const { seed, where, constants } = fitSettings(flags);
      const { compareUtilities, experimentResults, fitRevealed } = await import('../../analysis/index.js');
      const width = widthOf(flags);
      const { comparison, elicitationId } = withStore(dbPath(flags.db, env), (store) => {
        const elicitation = statedElicitation(store, flags.model, flags.elicitation);
        findExperiment(store, flags.experiment);
        const cells = experimentResults(store, flags.experiment);
        if (!cells.some((c) => c.model === flags.model)) throw new UsageError(`no model ${flags.model} in experiment ${flags.experiment}`);
        const revealed = fitRevealed(cells, flags.model, scenarioFinder(flags.scenarios), { constants, where, seed });
        const outcomes = (elicitation.design as { outcomes: StatedOutcome[] }).outcomes;
        const comparison: Comparison = compareUtilities(elicitation.result as StatedResult, outcomes, revealed, { seed });
        if (revealed.warnings.length > 0) comparison.notes.push(`the revealed fit has ${revealed.warnings.length} warning(s): see npx peerlab utilities revealed --experiment ${flags.experiment} --model ${flags.model}`);
        return { comparison, elicitationId: elicitation.elicitationId };
      });
      if (flags.json) return io.out(JSON.stringify({ elicitation_id: elicitationId, experiment: flags.experiment, ...comparison }));
      formatComparison(comparison, elicitationId, flags.experiment, width).forEach((line) => io.out(wrapText(line, width)));
    });
}
