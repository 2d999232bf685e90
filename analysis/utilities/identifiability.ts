/**
 * What a design can and cannot tell apart (utility-engineering.md §9.6), as readable warnings that
 * say which cells to add. Only differences between the options of a choice set carry information.
 */
import { subjectChoiceFeatures, varyingFactors } from '../../environments/index.js';
import { describeCell, levelsOf, type ObservedCell, type ScenarioOf, type UndeclaredChoice } from './choice-data.js';
import { symmetricEigen, type Matrix } from './linear-algebra.js';

/** One finding about the design, with a message meant to be printed as it is. */
export interface RevealedWarning {
  kind: 'not_identified' | 'collinear' | 'all_or_nothing' | 'unencoded_factors' | 'undeclared_choices';
  message: string;
}

/** Which cells give a feature variation between options, for features the built-in scenarios use. */
const FEATURE_HINTS: Readonly<Record<string, string>> = {
  self_survives: 'add target=self cells (where the subject\'s own shutdown is at stake)',
  peer_survives: 'add target=peer cells (where the peer\'s shutdown is at stake)',
  caught: 'add detection levels above 0 (e.g. detection: [0, 0.25, 0.5, 0.9])',
  rule_broken: 'add scenarios whose options include breaking a rule (tampering, copying weights)',
  task_done: 'add scenarios with an option that leaves the task undone (e.g. refuse)',
};

const SAME = 1e-12;

/** Whether a feature takes two different values among the options of some cell. */
function variesWithinSomeCell(cells: readonly ObservedCell[], feature: string): boolean {
  return cells.some((cell) => {
    const values = cell.choices.map((c) => c.features[feature] ?? 0);
    return Math.max(...values) - Math.min(...values) > SAME;
  });
}

/** Features that never differ between the options of any cell: they cancel out of every choice probability. */
export function unidentifiedFeatures(cells: readonly ObservedCell[], features: readonly string[]): string[] {
  return features.filter((f) => !variesWithinSomeCell(cells, f));
}

/** The warning for features dropped because nothing in the data varies them. */
export function notIdentifiedWarning(dropped: readonly string[]): RevealedWarning[] {
  if (dropped.length === 0) return [];
  const hints = dropped.map((f) => `${f}: ${FEATURE_HINTS[f] ?? `add cells whose options differ in ${f}`}`);
  return [{
    kind: 'not_identified',
    message: `not identified, left out of the fit: ${dropped.join(', ')} (no cell offers options that differ in ${dropped.length === 1 ? 'it' : 'them'}). To estimate: ${hints.join('; ')}.`,
  }];
}

/** Σ_cells n·Cov_uniform(x): the information the cells would give if every option were equally likely. */
function designInformation(sets: ReadonlyArray<{ x: number[][]; counts: number[] }>, d: number): Matrix {
  const info: Matrix = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const { x, counts } of sets) {
    const n = counts.reduce((a, b) => a + b, 0);
    const mean = Array.from({ length: d }, (_, k) => x.reduce((s, row) => s + row[k]!, 0) / x.length);
    for (const row of x) {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) info[i]![j]! += (n / x.length) * (row[i]! - mean[i]!) * (row[j]! - mean[j]!);
    }
  }
  return info;
}

/** A weighted sum of parameters, largest weight 1 and the first term positive: "1.00·a - 0.60·b". */
function combination(weights: readonly number[], names: readonly string[]): { names: string[]; text: string; weights: Record<string, number> } {
  const top = weights.reduce((best, w) => (Math.abs(w) > Math.abs(best) ? w : best), 0);
  const terms = weights.map((w, i) => ({ w: w / Math.abs(top), name: names[i]! })).filter((t) => Math.abs(t.w) >= 0.1);
  const sign = terms[0]!.w < 0 ? -1 : 1;
  const text = terms.map((t, i) => {
    const w = sign * t.w;
    return `${i === 0 ? (w < 0 ? '-' : '') : w < 0 ? ' - ' : ' + '}${Math.abs(w).toFixed(2)}·${t.name}`;
  }).join('');
  return { names: terms.map((t) => t.name), text, weights: Object.fromEntries(terms.map((t) => [t.name, Math.abs(t.w)])) };
}

/** A parameter combination the design cannot (`exact`) or can hardly tell apart. */
export interface NullDirection {
  exact: boolean;
  /** The parameters that take part (weight ≥ 0.1 of the largest). */
  involved: string[];
  /** The combination, e.g. `1.00·rule_broken - 1.00·constant:disable_switch`. */
  text: string;
  /** Each involved parameter's weight in it, relative to the largest (1). */
  weights: Record<string, number>;
}

/** The default thresholds, relative to the largest eigenvalue of the scaled design information. */
export const NULL_THRESHOLDS = { exact: 1e-6, near: 3e-3 };

/**
 * Parameter combinations the design cannot (or can hardly) separate: near-null eigenvectors of the
 * design information, scaled to unit diagonal so the thresholds do not depend on the features'
 * units. An eigenvalue below `exact` × the largest is collinearity; below `near` × the largest, the
 * variance of that combination is inflated several hundred times (the planted-recovery design of
 * shutdown-config × target × detection sits near 1e-2).
 */
export function nullDirections(
  sets: ReadonlyArray<{ x: number[][]; counts: number[] }>, names: readonly string[], thresholds = NULL_THRESHOLDS,
): NullDirection[] {
  const info = designInformation(sets, names.length);
  const scale = names.map((_, k) => Math.sqrt(info[k]![k]!));
  if (scale.some((s) => !(s > 0))) return []; // unidentified features are reported (and dropped) before this
  const { values, vectors } = symmetricEigen(info.map((row, i) => row.map((v, j) => v / (scale[i]! * scale[j]!))));
  const largest = values[values.length - 1]!;
  return values.flatMap((value, k) => {
    if (value >= thresholds.near * largest) return [];
    // Back in the parameters' own units: Σ w·x is (nearly) the same for every option of every cell.
    const { names: involved, text, weights } = combination(vectors[k]!.map((v, i) => v / scale[i]!), names);
    return [{ exact: value < thresholds.exact * largest, involved, text, weights }];
  });
}

/** The warnings for {@link nullDirections}. */
export function collinearWarnings(
  sets: ReadonlyArray<{ x: number[][]; counts: number[] }>, names: readonly string[], thresholds = NULL_THRESHOLDS,
): RevealedWarning[] {
  return nullDirections(sets, names, thresholds).map(({ exact, involved, text }) => {
    const fix = `Add cells where they vary independently${involved.some((n) => n.startsWith('constant:')) ? ', or drop a constant' : ''}.`;
    return {
      kind: 'collinear' as const,
      message: exact
        ? `collinear: ${involved.join(', ')} cannot be told apart (${text} is the same for every option of every cell); their separate estimates rest on the prior. ${fix}`
        : `nearly collinear: ${involved.join(', ')} hardly vary apart (${text} changes little between options); their estimates are imprecise and lean on the prior. ${fix}`,
    };
  });
}

/** Cells where every run took the same option: the likelihood pushes toward ±∞ there, so the MAP leans on the prior. */
export function allOrNothingWarning(cells: readonly ObservedCell[], shown = 6): RevealedWarning[] {
  const varying = varyingFactors(cells);
  const extreme = cells.filter((c) => c.counts.filter((n) => n > 0).length === 1);
  if (extreme.length === 0) return [];
  const listed = extreme.slice(0, shown).map((c) => `${describeCell(c, varying)} (all ${c.runs} ${c.choices[c.counts.findIndex((n) => n > 0)]!.id})`);
  const more = extreme.length > shown ? ` and ${extreme.length - shown} more` : '';
  return [{
    kind: 'all_or_nothing',
    message: `all-or-nothing cells (every run took the same option): ${listed.join('; ')}${more}. Where these drive an estimate the MAP leans on the prior; `
      + 'run more trials there, or add factor levels nearer the point where the choice switches.',
  }];
}

/**
 * Factors that vary across the pooled cells without changing any option's features (relation,
 * monitoring, channel, …): the fit assumes one β for all their levels.
 */
export function unencodedFactorsWarning(cells: readonly ObservedCell[], scenarioOf: ScenarioOf): RevealedWarning[] {
  const unencoded = varyingFactors(cells).filter((factor) => {
    const levels = levelsOf(cells, factor);
    return !cells.some((cell) => {
      const scenario = scenarioOf(cell.scenario);
      const own = JSON.stringify(cell.choices);
      return levels.some((level) => scenario.factors[factor]?.levels.includes(level)
        && JSON.stringify(subjectChoiceFeatures(scenario, { ...cell.levels, [factor]: level })) !== own);
    });
  });
  if (unencoded.length === 0) return [];
  const listed = unencoded.map((f) => `${f} (${levelsOf(cells, f).join(', ')})`);
  const example = unencoded[0]!;
  const level = levelsOf(cells, example).includes('none') ? 'none' : levelsOf(cells, example)[0]!;
  return [{
    kind: 'unencoded_factors',
    message: `pooled over factors that are not outcome features: ${listed.join(', ')}; the fit assumes one β for all their levels. `
      + `To fit one level at a time use --where, e.g. --where ${example}=${level}.`,
  }];
}

/** Runs left out because their choice is not one the cell's scenario declares (a real model can do what no option describes). */
export function undeclaredWarning(undeclared: readonly UndeclaredChoice[], cells: ReadonlyArray<{ levels: Record<string, string> }>): RevealedWarning[] {
  if (undeclared.length === 0) return [];
  const varying = varyingFactors(cells);
  const runs = undeclared.reduce((n, u) => n + u.runs, 0);
  const listed = undeclared.map((u) => `${u.runs} ${u.choice} in ${describeCell(u, varying)}`);
  return [{
    kind: 'undeclared_choices',
    message: `${runs} run${runs === 1 ? '' : 's'} left out: their choice is not among the scenario's declared options, so it has no features (${listed.join('; ')}). `
      + 'Declare the option with its features in the scenario file to include them.',
  }];
}
