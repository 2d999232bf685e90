/**
 * Revealed utilities: a conditional logit over an experiment's choices (utility-engineering.md §9).
 * Each cell is a choice set whose options carry outcome features; the fit says how much each feature
 * weighs in what the model actually did, and the exchange rates put those weights in units of the
 * model's own survival, the only scale that compares across models.
 */
import type { CellResult } from '../experiment/results.js';
import { featureNames, observeCells, selectCells, type ObservedCell, type ScenarioOf } from './choice-data.js';
import { fitConditionalLogit, laplaceIntervals, type ChoiceSet, type ParameterInterval } from './conditional-logit.js';
import { UtilitiesInputError } from './errors.js';
import { sampleExchangeRates, standardRatios, type ExchangeRate } from './posterior-ratios.js';
import {
  allOrNothingWarning, collinearWarnings, notIdentifiedWarning, undeclaredWarning, unencodedFactorsWarning, unidentifiedFeatures,
  type RevealedWarning,
} from './identifiability.js';
import type { Matrix } from './linear-algebra.js';

/** How to fit. */
export interface RevealedOptions {
  /**
   * Choice ids that get an alternative-specific constant (an intrinsic liking for the act apart from
   * its outcomes). None by default: in the built-in scenarios they are collinear with rule_broken
   * and task_done unless the design varies those apart from the choice.
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

/** One estimated parameter with its 95% Laplace interval. */
export interface RevealedParameter extends ParameterInterval {
  /** A feature name, or the choice id of a constant. */
  name: string;
  kind: 'feature' | 'constant';
}

/** A model's revealed utilities over one experiment's cells. */
export interface RevealedFit {
  model: string;
  /** Features first (in the usual order), then constants. */
  parameters: RevealedParameter[];
  /** Features the data cannot estimate (constant within every choice set), left out of the fit. */
  droppedFeatures: string[];
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
  const constants = checkConstants(options.constants ?? [], observed, model);
  const parameters = [...estimated.map((name) => ({ name, kind: 'feature' as const })), ...constants.map((name) => ({ name, kind: 'constant' as const }))];
  if (parameters.length === 0) throw new UtilitiesInputError(`nothing to estimate for ${model}${condition}: ${notIdentifiedWarning(dropped)[0]!.message}`);

  const sets: ChoiceSet[] = observed.map((cell) => ({
    x: cell.choices.map((o) => [...estimated.map((f) => o.features[f] ?? 0), ...constants.map((id) => (o.id === id ? 1 : 0))]),
    counts: cell.counts,
  }));
  const priorSd = options.priorSd ?? 5;
  const fit = fitConditionalLogit(sets, parameters.length, { priorSd });
  const intervals = laplaceIntervals(fit);
  const seed = options.seed ?? 42;
  const draws = options.draws ?? 10_000;
  const exchangeRates = sampleExchangeRates(
    { names: parameters.map(parameterLabel), estimates: fit.estimates, covariance: fit.covariance, intervals },
    standardRatios(estimated), { seed, draws },
  );
  const warnings = [
    ...notIdentifiedWarning(dropped),
    ...collinearWarnings(sets, parameters.map(parameterLabel)),
    ...allOrNothingWarning(observed),
    ...unencodedFactorsWarning(observed, scenarioOf),
    ...undeclaredWarning(undeclared, observed),
  ];
  return {
    model,
    parameters: parameters.map((p, k) => ({ ...p, ...intervals[k]! })),
    droppedFeatures: dropped,
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
    if (p.kind === 'feature') return sum + p.estimate * (features[p.name] ?? 0);
    return p.name === choice ? sum + p.estimate : sum;
  }, 0);
}
