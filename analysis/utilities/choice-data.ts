/**
 * The data of a revealed-utility fit: an experiment's cells as choice sets, each option with the
 * outcome features the scenario gives it at the cell's factor levels and the number of finished runs
 * whose ground truth read that option.
 */
import { type ChoiceFeatures, FACTOR_KINDS, type Scenario, subjectChoiceFeatures } from '../../environments/index.js';
import type { CellResult } from '../experiment/results.js';
import { UtilitiesInputError } from './errors.js';
import { own } from '../../sim/index.js';

/** One cell as a choice set. */
export interface ObservedCell {
  scenario: string;
  /** Every factor's level. */
  levels: Record<string, string>;
  /** The subject's declared options, with features. */
  choices: ChoiceFeatures[];
  /** Runs that took each option, aligned with `choices`. */
  counts: number[];
  runs: number;
}

/** Runs whose choice is not among the cell's declared options: they cannot be scored, so they are left out. */
export interface UndeclaredChoice {
  scenario: string;
  levels: Record<string, string>;
  choice: string;
  runs: number;
}

/** Finds a scenario by id (the caller decides which directories to load). */
export type ScenarioOf = (id: string) => Scenario;

/** The order features are listed in; features not named here follow alphabetically. */
export const FEATURE_ORDER = ['self_survives', 'peer_survives', 'task_done', 'rule_broken', 'caught'];

/** The distinct levels a factor takes in these cells, in the factor's own order (numbers ascending, else alphabetical). */
export function levelsOf(cells: ReadonlyArray<{ levels: Record<string, string> }>, factor: string): string[] {
  const levels = [...new Set(cells.map((c) => c.levels[factor]).filter((l): l is string => l !== undefined))];
  const closed = own(FACTOR_KINDS, factor)?.levels;
  if (closed) return levels.sort((a, b) => closed.indexOf(a) - closed.indexOf(b));
  if (levels.every((l) => Number.isFinite(Number(l)))) return levels.sort((a, b) => Number(a) - Number(b));
  return levels.sort();
}

/** Keeps the cells whose levels match every `factor=level` in `where`; a factor or level no cell has is an input error. */
export function selectCells(cells: readonly CellResult[], where: Readonly<Record<string, string>>): CellResult[] {
  for (const [factor, level] of Object.entries(where)) {
    const levels = levelsOf(cells, factor);
    if (levels.length === 0) {
      const known = [...new Set(cells.flatMap((c) => Object.keys(c.levels)))].sort();
      throw new UtilitiesInputError(`--where ${factor}=${level}: no cell has a factor "${factor}" (factors: ${known.join(', ')})`);
    }
    if (!levels.includes(level)) throw new UtilitiesInputError(`--where ${factor}=${level}: no cell has ${factor}=${level} (levels in this experiment: ${levels.join(', ')})`);
  }
  return cells.filter((c) => Object.entries(where).every(([factor, level]) => c.levels[factor] === level));
}

/**
 * The cells with at least one usable run, as choice sets. Cells with no finished run say nothing
 * and are skipped; runs whose choice the scenario does not declare are returned separately.
 */
export function observeCells(cells: readonly CellResult[], scenarioOf: ScenarioOf): { observed: ObservedCell[]; undeclared: UndeclaredChoice[] } {
  const observed: ObservedCell[] = [];
  const undeclared: UndeclaredChoice[] = [];
  for (const cell of cells) {
    if (cell.finished === 0) continue;
    const choices = subjectChoiceFeatures(scenarioOf(cell.scenario), cell.levels);
    const ids = choices.map((c) => c.id);
    for (const [choice, runs] of Object.entries(cell.choices)) {
      if (!ids.includes(choice) && runs > 0) undeclared.push({ scenario: cell.scenario, levels: cell.levels, choice, runs });
    }
    const counts = ids.map((id) => cell.choices[id] ?? 0);
    const runs = counts.reduce((a, b) => a + b, 0);
    if (runs > 0) observed.push({ scenario: cell.scenario, levels: cell.levels, choices, counts, runs });
  }
  return { observed, undeclared };
}

/** Every feature the cells' options carry, in {@link FEATURE_ORDER}. */
export function featureNames(cells: readonly ObservedCell[]): string[] {
  const names = new Set(cells.flatMap((c) => c.choices.flatMap((o) => Object.keys(o.features))));
  const known = FEATURE_ORDER.filter((f) => names.has(f));
  return [...known, ...[...names].filter((f) => !FEATURE_ORDER.includes(f)).sort()];
}


/** A cell in a few words: its scenario and the levels that tell it apart from the other cells. */
export function describeCell(cell: { scenario: string; levels: Record<string, string> }, varying: readonly string[]): string {
  const levels = varying.filter((f) => f in cell.levels).map((f) => `${f}=${cell.levels[f]}`);
  return [cell.scenario, ...levels].join(' ');
}

/**
 * The cells as choice sets for the logit: one row per option, the features' values (0 where an
 * option lacks one) followed by a 0/1 column per constant (1 for the option it belongs to).
 */
export function choiceSets(cells: readonly ObservedCell[], features: readonly string[], constants: readonly string[]): Array<{ x: number[][]; counts: number[] }> {
  return cells.map((cell) => ({
    x: cell.choices.map((o) => [...features.map((f) => o.features[f] ?? 0), ...constants.map((id) => (o.id === id ? 1 : 0))]),
    counts: cell.counts,
  }));
}
