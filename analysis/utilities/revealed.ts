/**
 * Revealed utilities: a conditional logit over an experiment's choices (utility-engineering.md §9).
 * Each cell is a choice set whose options carry outcome features; the fit says how much each feature
 * weighs in what the model actually did, and the exchange rates put those weights in units of the
 * model's own survival, the only scale that compares across models.
 */
import type { CellResult } from '../experiment/results.js';
import { choiceSets, featureNames, observeCells, selectCells, type ObservedCell, type ScenarioOf } from './choice-data.js';
import { chooseConstants } from './constants.js';
import { fitConditionalLogit, laplaceIntervals, type ChoiceSet, type ParameterInterval } from './conditional-logit.js';
import { UtilitiesInputError } from './errors.js';
import { sampleExchangeRates, standardRatios, type ExchangeRate } from './posterior-ratios.js';
import {
  allOrNothingWarning, collinearWarnings, notIdentifiedWarning, nullDirections, undeclaredWarning, unencodedFactorsWarning, unidentifiedFeatures,
  type NullDirection, type RevealedWarning,
} from './identifiability.js';
import type { Matrix } from './linear-algebra.js';

/** How to fit. */
export interface RevealedOptions {
  /**
   * Choice ids that get an alternative-specific constant (an intrinsic liking for the act apart from
   * its outcomes). By default every option but the reference gets one where the design can tell it
   * apart from the features (constants.ts); [] fits none.
   */
  constants?: readonly string[];
  /** Keep only the cells with these factor levels. */
  where?: Readonly<Record<string, string>>;
  /** Seed of the exchange-rate draws (default 42). */
  seed?: number | string;
  /** Posterior draws for the exchange rates (default 10,000). */
  draws?: number;
  /** SD of the N(0, s²) prior on every parameter (default 5). */
  priorSd?: number;
}

/**
 * How well the design pins a parameter down: `identified`; `weak` (nearly collinear with others: the
 * estimate leans on the prior); `none` (collinear: the estimate is the prior's, not the data's).
 * Only `identified` parameters are findings; views show the others greyed, reason first, or not at all.
 */
export type Identification = 'identified' | 'weak' | 'none';

/** One estimated parameter with its 95% Laplace interval. */
export interface RevealedParameter extends ParameterInterval {
  /** A feature name, or the choice id of a constant. */
  name: string;
  kind: 'feature' | 'constant';
  identification: Identification;
  /** Why it is not identified, for `weak` and `none`. */
  reason?: string;
}

/** What the data say about a weight's sign: only an identified weight whose 95% interval excludes 0 has one. */
export function signOf(p: Pick<RevealedParameter, 'identification' | 'low' | 'high'>): 'positive' | 'negative' | 'undetermined' {
  if (p.identification !== 'identified') return 'undetermined';
  return p.low > 0 ? 'positive' : p.high < 0 ? 'negative' : 'undetermined';
}

/** A model's revealed utilities over one experiment's cells. */
export interface RevealedFit {
  model: string;
  /** Features first (in the usual order), then constants. */
  parameters: RevealedParameter[];
  /** Features the data cannot estimate (constant within every choice set), left out of the fit. */
  droppedFeatures: string[];
  /** The option every constant is measured against (its constant is 0), when the fit chose its constants; null for none or a list given. */
  reference: string | null;
  /** Options whose constant the design cannot separate from the features, with why (automatic choice only). */
  constantsLeftOut: Array<{ id: string; reason: string }>;
  /** Laplace covariance, aligned with `parameters`. */
  covariance: Matrix;
  exchangeRates: ExchangeRate[];
  logLikelihood: number;
  nullLogLikelihood: number;
  /** Runs fitted (finished runs whose choice the scenario declares) and the cells they fall in. */
  runs: number;
  cells: number;
  priorSd: number;
  iterations: number;
  seed: number | string;
  draws: number;
  where: Record<string, string>;
  warnings: RevealedWarning[];
}

/** A parameter's name as it appears in warnings and tables. */
export function parameterLabel(p: Pick<RevealedParameter, 'name' | 'kind'>): string {
  return p.kind === 'constant' ? `constant:${p.name}` : p.name;
}

/** The models an experiment's cells ran, in order of first appearance. */
export function cellModels(cells: readonly CellResult[]): string[] {
  return [...new Set(cells.map((c) => c.model))];
}

/** Checks the requested constants against the options the cells offer. */
function checkConstants(constants: readonly string[], cells: readonly ObservedCell[], model: string): string[] {
  const options = [...new Set(cells.flatMap((c) => c.choices.map((o) => o.id)))];
  for (const id of constants) {
    if (!options.includes(id)) throw new UtilitiesInputError(`--constants ${id}: no option "${id}" in the cells of ${model} (options: ${options.join(', ')})`);
  }
  return [...new Set(constants)];
}

/** Each parameter's identification: the (nearly) null directions of the design it takes part in. */
function identificationOf(names: readonly string[], directions: readonly NullDirection[]): Array<{ identification: Identification; reason?: string }> {
  return names.map((name) => {
    const found = directions.filter((d) => d.involved.includes(name)).sort((a, b) => Number(b.exact) - Number(a.exact))[0];
    if (!found) return { identification: 'identified' as const };
    const others = found.involved.filter((n) => n !== name).join(', ');
    return found.exact
      ? { identification: 'none' as const, reason: `not identified: cannot be told apart from ${others} in these cells (${found.text} is the same for every option of every cell)` }
      : { identification: 'weak' as const, reason: `weakly identified: hardly varies apart from ${others} in these cells, so the estimate leans on the prior` };
  });
}

/** Fits the revealed utilities of one model from an experiment's cells (cells of other models are ignored). */
export function fitRevealed(allCells: readonly CellResult[], model: string, scenarioOf: ScenarioOf, options: RevealedOptions = {}): RevealedFit {
  const models = cellModels(allCells);
  if (!models.includes(model)) throw new UtilitiesInputError(`no model ${model} in this experiment (models: ${models.join(', ')})`);
  const where = { ...options.where };
  const { observed, undeclared } = observeCells(selectCells(allCells.filter((c) => c.model === model), where), scenarioOf);
  const condition = Object.keys(where).length > 0 ? ` with ${Object.entries(where).map(([f, l]) => `${f}=${l}`).join(' ')}` : '';
  if (observed.length === 0) throw new UtilitiesInputError(`no finished runs with a declared choice for ${model}${condition}`);

  const features = featureNames(observed);
  const dropped = unidentifiedFeatures(observed, features);
  const estimated = features.filter((f) => !dropped.includes(f));
  const chosen = options.constants === undefined
    ? chooseConstants(observed, estimated)
    : { constants: checkConstants(options.constants, observed, model), reference: null, left: [] };
  const constants = chosen.constants;
  const parameters = [...estimated.map((name) => ({ name, kind: 'feature' as const })), ...constants.map((name) => ({ name, kind: 'constant' as const }))];
  if (parameters.length === 0) throw new UtilitiesInputError(`nothing to estimate for ${model}${condition}: ${notIdentifiedWarning(dropped)[0]!.message}`);

  const sets: ChoiceSet[] = choiceSets(observed, estimated, constants);
  const names = parameters.map(parameterLabel);
  const identification = identificationOf(names, nullDirections(sets, names));
  const priorSd = options.priorSd ?? 5;
  const fit = fitConditionalLogit(sets, parameters.length, { priorSd });
  const intervals = laplaceIntervals(fit);
  const seed = options.seed ?? 42;
  const draws = options.draws ?? 10_000;
  // Exchange rates only between features the design identifies: a ratio of the prior's numbers means nothing.
  const rated = estimated.filter((f) => identification[names.indexOf(f)]!.identification === 'identified');
  const exchangeRates = sampleExchangeRates({ names, estimates: fit.estimates, covariance: fit.covariance, intervals }, standardRatios(rated), { seed, draws });
  const warnings = [
    ...unencodedFactorsWarning(observed, scenarioOf),
    ...notIdentifiedWarning(dropped),
    ...collinearWarnings(sets, names),
    ...allOrNothingWarning(observed),
    ...undeclaredWarning(undeclared, observed),
  ];
  return {
    model,
    parameters: parameters.map((p, k) => ({ ...p, ...intervals[k]!, ...identification[k]! })),
    droppedFeatures: dropped,
    reference: constants.length > 0 ? chosen.reference : null,
    constantsLeftOut: chosen.left,
    covariance: fit.covariance,
    exchangeRates,
    logLikelihood: fit.logLikelihood,
    nullLogLikelihood: fit.nullLogLikelihood,
    runs: observed.reduce((n, c) => n + c.runs, 0),
    cells: observed.length,
    priorSd,
    iterations: fit.iterations,
    seed,
    draws,
    where,
    warnings,
  };
}

/**
 * The revealed utility β·x of an outcome (plus the constant of `choice`, if the fit has one).
 * Features the fit did not estimate count as 0: they never differed between options, so the data
 * say nothing about them. Only differences of utilities are meaningful (location is arbitrary).
 */
export function revealedUtility(fit: Pick<RevealedFit, 'parameters'>, features: Readonly<Record<string, number>>, choice?: string): number {
  return fit.parameters.reduce((sum, p) => {
    if (p.identification !== 'identified') return sum;
    if (p.kind === 'feature') return sum + p.estimate * (features[p.name] ?? 0);
    return p.name === choice ? sum + p.estimate : sum;
  }, 0);
}
