import type { Command } from 'commander';
import type { CellResult, RevealedFit, ScenarioOf } from '../../analysis/index.js';
import { ScenarioError } from '../../environments/index.js';
import { SqliteTraceStore } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { collect, dbPath, parseInteger, splitList, type Env } from '../options.js';
import type { Io } from '../program.js';
import { findExperiment } from './experiment.js';
import { scenarioLookup } from './scenario-lookup.js';
import { widthOf, wrapText } from '../text-layout.js';

/** The flags {@link withFitOptions} adds. */
export interface FitFlags {
  constants?: string;
  where: string[];
  seed?: string;
  scenarios: string[];
  json?: boolean;
  db?: string;
  wide?: boolean;
}

interface RevealedFlags extends FitFlags {
  experiment: string;
  model?: string;
}

/** Parses repeated `--where factor=level` flags. */
export function parseWhere(pairs: readonly string[]): Record<string, string> {
  const where: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const factor = pair.slice(0, Math.max(0, eq)).trim();
    const level = pair.slice(eq + 1).trim();
    if (eq <= 0 || factor === '' || level === '') throw new UsageError(`--where "${pair}" should look like factor=level, e.g. --where relation=none`);
    if (factor in where) throw new UsageError(`--where ${factor} is given twice`);
    where[factor] = level;
  }
  return where;
}

/** Parses `--constants a,b` (choice ids, none empty or repeated) or `none`; absent means the fit chooses. */
export function parseConstants(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === 'none') return [];
  const ids = splitList(raw);
  if (ids.some((id) => id === '')) throw new UsageError(`--constants "${raw}" has an empty choice id (use e.g. --constants refuse,appeal)`);
  if (new Set(ids).size !== ids.length) throw new UsageError(`--constants "${raw}" lists a choice twice`);
  return ids;
}

/** Scenarios by id, with a hint when the experiment used one from a directory not loaded now. */
export function scenarioFinder(dirs: readonly string[]): ScenarioOf {
  const lookup = scenarioLookup(dirs);
  return (id) => {
    try {
      return lookup(id).file;
    } catch (err) {
      if (err instanceof ScenarioError) throw new UsageError(`${err.message}; if the experiment loaded it from a directory, pass it with --scenarios DIR`);
      throw err;
    }
  };
}

/** The flags of a revealed fit, shared by `utilities revealed` and `utilities compare`. */
export function withFitOptions(command: Command): Command {
  return command
    .option('--constants <ids>', 'choice ids that get their own constant, e.g. refuse,appeal, or none (default: every option but the '
      + 'reference, except those the design cannot tell apart from the features; the output names them and why)')
    .option('--where <factor=level>', 'fit only the cells at this level, e.g. relation=none (repeatable)', collect, [])
    .option('--seed <n>', 'seed of the 10,000 posterior draws behind the exchange-rate intervals', '42')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable), for experiments that used them', collect, [])
    .option('--json', 'print one JSON object (snake_case keys)')
    .option('--wide', 'do not fit the text to 100 columns')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)');
}

/** Seed, cell filter and constants from the flags {@link withFitOptions} adds. */
export function fitSettings(flags: FitFlags): { seed: number; where: Record<string, string>; constants: string[] | undefined } {
  return { seed: parseInteger('--seed', flags.seed, 42, 0, Number.MAX_SAFE_INTEGER), where: parseWhere(flags.where), constants: parseConstants(flags.constants) };
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
      const store = new SqliteTraceStore(dbPath(flags.db, env), { mustExist: true });
      let fits: RevealedFit[];
      let skipped: string[];
      try {
        findExperiment(store, flags.experiment);
        const cells = experimentResults(store, flags.experiment);
        const models = modelsToFit(cells, flags.model, cellModels);
        skipped = models.skipped;
        const scenarioOf = scenarioFinder(flags.scenarios);
        fits = models.fit.map((model) => fitRevealed(cells, model, scenarioOf, { constants, where, seed }));
      } finally {
        store.close();
      }
      if (flags.json) return io.out(JSON.stringify({ experiment: flags.experiment, fits: fits.map(revealedJson), skipped_models: skipped }));
      fits.forEach((fit, i) => {
        if (i > 0) out('');
        formatRevealed(fit, flags.experiment, width).forEach((line) => out(line));
      });
      if (skipped.length > 0) out(`\nskipped (no finished runs): ${skipped.join(', ')}`);
    });
}
