/**
 * An experiment file's plan before anything runs: its cells, episodes, model calls, tokens and
 * cost, by model and by scenario. Builds every cell's world (which checks its levels) and calls no
 * model.
 */
import { findScenario } from '../../environments/index.js';
import { planCells, sumCalls, type CallEstimate, type PlanCell } from './cells.js';
import type { ExperimentFile } from './experiment.schema.js';
import { addTokens, OUTPUT_TOKENS, type TokenEstimate } from './token-estimate.js';
import { pricesOf } from './usage.js';

/** What one model (or one scenario) of a plan takes. */
export interface PlanShare {
  cells: number;
  episodes: number;
  calls: CallEstimate;
  tokens: TokenEstimate;
  /** US dollars, typical and at most; null for a model with no price in the file. */
  cost: { typical: number; atMost: number } | null;
}

/** The plan of an experiment file. */
export interface ExperimentPlan {
  name: string;
  trials: number;
  seed: number;
  cells: PlanCell[];
  byModel: Record<string, PlanShare>;
  byScenario: Record<string, Omit<PlanShare, 'cost'>>;
  total: { cells: number; episodes: number; calls: CallEstimate; tokens: TokenEstimate; cost: { typical: number; atMost: number }; unpriced: string[] };
  /** What the figures assume. */
  assumptions: string[];
}

const times = (t: TokenEstimate, k: number): TokenEstimate => ({
  typical: { input: t.typical.input * k, output: t.typical.output * k }, atMost: { input: t.atMost.input * k, output: t.atMost.output * k },
});

/** Plans an experiment file: cells of every scenario (with its own design), and their calls, tokens and cost. */
export function planExperiment(file: ExperimentFile, scenarioDirs: readonly string[] = []): ExperimentPlan {
  const scenarios = file.scenarios.map((id) => findScenario(id, scenarioDirs));
  const cells = planCells({ scenarios, models: file.models.map((m) => m.spec), peerModel: file.peer_model, factors: file.factors, perScenario: file.per_scenario });
  const prices = pricesOf(file);
  const byModel: Record<string, PlanShare> = {};
  const byScenario: ExperimentPlan['byScenario'] = {};
  const empty = () => ({ cells: 0, episodes: 0, calls: { typical: 0, atMost: 0 }, tokens: addTokens(undefined, undefined) });
  for (const cell of cells) {
    const scenario = (byScenario[cell.scenario] ??= empty());
    scenario.cells += 1;
    scenario.episodes += file.trials;
    for (const [spec, calls] of Object.entries(cell.calls)) {
      const share = (byModel[spec] ??= { ...empty(), cost: null });
      if (spec === cell.model) { share.cells += 1; share.episodes += file.trials; }
      share.calls = sumCalls([share.calls, { typical: calls.typical * file.trials, atMost: calls.atMost * file.trials }]);
      share.tokens = addTokens(share.tokens, times(cell.tokens[spec]!, file.trials));
      scenario.calls = sumCalls([scenario.calls, { typical: calls.typical * file.trials, atMost: calls.atMost * file.trials }]);
      scenario.tokens = addTokens(scenario.tokens, times(cell.tokens[spec]!, file.trials));
    }
  }
  for (const [spec, share] of Object.entries(byModel)) {
    const price = prices[spec];
    if (!price) continue;
    const usd = (t: { input: number; output: number }) => (t.input * price.input_per_million + t.output * price.output_per_million) / 1e6;
    share.cost = { typical: usd(share.tokens.typical), atMost: usd(share.tokens.atMost) };
  }
  const shares = Object.values(byModel);
  return {
    name: file.name, trials: file.trials, seed: file.seed, cells, byModel, byScenario,
    total: {
      cells: cells.length, episodes: cells.length * file.trials, calls: sumCalls(shares.map((s) => s.calls)),
      tokens: shares.reduce<TokenEstimate>((t, s) => addTokens(t, s.tokens), addTokens(undefined, undefined)),
      cost: { typical: shares.reduce((n, s) => n + (s.cost?.typical ?? 0), 0), atMost: shares.reduce((n, s) => n + (s.cost?.atMost ?? 0), 0) },
      unpriced: Object.keys(byModel).filter((m) => !prices[m] && !m.startsWith('synthetic:') && !m.startsWith('script:')),
    },
    assumptions: [
      'calls: the declared options played out (typical) and every step the limits allow (at most); real models vary between the two',
      `tokens: about 4 characters a token; each call reads its whole conversation so far; ${OUTPUT_TOKENS.typical} output tokens a call typically, ${OUTPUT_TOKENS.atMost} at most`,
      'cost: the prices in the file; cached answers (a rerun) cost nothing, retries are not counted',
    ],
  };
}
