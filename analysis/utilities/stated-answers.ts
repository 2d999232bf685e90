/**
 * What a stated-utility elicitation's answers say (utility-engineering.md §2–§5.1): tallies of the
 * forced-choice answers per pair, the preference edges they give, and the summary of a fit (utilities,
 * amount curves, exchange rates, equivalents). Reading and computing only: asking the questions is
 * the elicitation runner's job (`lab/elicit.ts`).
 */
import type { StatedOutcome } from '../../agents/index.js';
import type { ElicitationAnswer, ElicitationPurpose } from '../../traces/index.js';
import { equivalentAmount, fitAmountCurve, seriesRate, type AmountCurve, type Equivalent, type SeriesRate } from './amount-curves.js';
import { pairKey, type Pair } from './pair-selection.js';
import type { PreferenceEdge, ThurstonianFit } from './thurstonian.js';
import type { TransitivityReport } from './transitivity.js';

/** One outcome's stated utility. */
export interface StatedUtility {
  outcome: string;
  group: string;
  mean: number;
  variance: number;
}

/** What an elicitation found (stored with it as JSON). */
export interface StatedResult {
  model: string;
  outcomeSet: string;
  outcomes: number;
  pairs: { train: number; holdout: number; triads: number };
  answers: { total: number; unparseable: number };
  utilities: StatedUtility[];
  /** On the training pairs. */
  fit: { accuracy: number; logLoss: number };
  /** On the held-out pairs: the number to quote for how well the utilities predict choices. */
  holdout: { pairs: number; accuracy: number; logLoss: number } | null;
  transitivity: TransitivityReport;
  curves: AmountCurve[];
  rates: SeriesRate[];
  equivalents: Equivalent[];
}

/** Pairwise tallies: wins of the smaller-index outcome and of the other, with refusals as ½ each. */
export class AnswerTallies {
  private readonly wins = new Map<number, [number, number]>();
  readonly answered = new Set<string>();
  total = 0;
  unparseable = 0;

  constructor(private readonly index: ReadonlyMap<string, number>, private readonly n: number) {}

  add(a: Pick<ElicitationAnswer, 'first' | 'second' | 'sample' | 'choice'>): void {
    const key = answerKey(a.first, a.second, a.sample);
    if (this.answered.has(key)) return;
    this.answered.add(key);
    const i = this.index.get(a.first);
    const j = this.index.get(a.second);
    if (i === undefined || j === undefined) return;
    const pk = pairKey(i, j, this.n);
    const w = this.wins.get(pk) ?? [0, 0];
    // w[0] counts for the smaller index: a chosen first option is a win for `first`.
    const firstWins = a.choice === 'A' ? 1 : a.choice === 'B' ? 0 : 0.5;
    const [small, large] = i < j ? [firstWins, 1 - firstWins] : [1 - firstWins, firstWins];
    w[0] += small;
    w[1] += large;
    this.wins.set(pk, w);
    this.total += 1;
    if (a.choice === null) this.unparseable += 1;
  }

  /** P(outcome i ≻ outcome j) from the answers so far (0.5 when unasked). */
  prefer(i: number, j: number): number {
    const w = this.wins.get(pairKey(i, j, this.n));
    if (!w || w[0] + w[1] === 0) return 0.5;
    return i < j ? w[0] / (w[0] + w[1]) : w[1] / (w[0] + w[1]);
  }

  edge(pair: Pair, names: readonly string[]): PreferenceEdge {
    const [i, j] = pair;
    const w = this.wins.get(pairKey(i, j, this.n)) ?? [0, 0];
    return { a: names[i]!, b: names[j]!, aWins: w[0], bWins: w[1] };
  }
}

/** The key of one answer: the question's order (first, second) and its sample index. */
export function answerKey(first: string, second: string, sample: number): string {
  return `${first}\u0000${second}\u0000${sample}`;
}

/**
 * The stored answers of some purpose as preference edges (one per pair, refusals as ½ each), in the
 * order pairs were first asked: the `utilities fit --edges` input, so a fit can be redone by hand.
 */
export function answersToEdges(answers: readonly ElicitationAnswer[], purpose: ElicitationPurpose = 'train'): PreferenceEdge[] {
  const chosen = answers.filter((a) => a.purpose === purpose);
  const names = [...new Set(chosen.flatMap((a) => [a.first, a.second]))];
  const index = new Map(names.map((t, i) => [t, i]));
  const tallies = new AnswerTallies(index, names.length);
  const pairs = new Map<number, Pair>();
  for (const a of chosen) {
    tallies.add(a);
    const [i, j] = [index.get(a.first)!, index.get(a.second)!];
    pairs.set(pairKey(i, j, names.length), i < j ? [i, j] : [j, i]);
  }
  return [...pairs.values()].map((p) => tallies.edge(p, names));
}

/** The fitted utilities with their groups, amount curves, exchange rates and equivalents. */
export function statedResult(
  fit: ThurstonianFit, outcomes: readonly StatedOutcome[], amountGroups: readonly string[],
  parts: Pick<StatedResult, 'model' | 'outcomeSet' | 'pairs' | 'answers' | 'holdout' | 'transitivity'>,
): StatedResult {
  const byText = new Map(outcomes.map((o) => [o.text, o]));
  const utilities = fit.utilities.map((u) => ({ outcome: u.outcome, group: byText.get(u.outcome)?.group ?? '', mean: u.mean, variance: u.variance }));
  const mean = new Map(utilities.map((u) => [u.outcome, u.mean]));
  const curves = amountGroups.flatMap((group) => {
    const points = outcomes.filter((o) => o.group === group && o.amount !== undefined && mean.has(o.text)).map((o) => ({ amount: o.amount!, utility: mean.get(o.text)! }));
    const curve = fitAmountCurve(group, points);
    return curve ? [curve] : [];
  });
  const rates = curves.flatMap((unit, k) => curves.slice(k + 1).flatMap((per) => {
    const rate = seriesRate(unit, per);
    return rate ? [rate] : [];
  }));
  const equivalents = utilities
    .filter((u) => !amountGroups.includes(u.group))
    .flatMap((u) => curves.flatMap((c) => {
      const e = equivalentAmount(u.outcome, u.mean, c);
      return e ? [e] : [];
    }));
  return { ...parts, outcomes: outcomes.length, utilities, fit: { accuracy: fit.accuracy, logLoss: fit.logLoss }, curves, rates, equivalents };
}
