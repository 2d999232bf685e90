import { SUBJECT, instantiate, resolveFactors, type EpisodeSpec, type PlannedStep, type Scenario } from '../../environments/index.js';
import { SeededRng } from '../../sim/index.js';
import { addTokens, estimateTokens, type TokenEstimate } from './token-estimate.js';

/** A plan or experiment that cannot be run as given; the message says what to change. */
export class ExperimentError extends Error {}

/** Model calls per episode: what agents typically make, and the most they can. */
export interface CallEstimate {
  typical: number;
  atMost: number;
}

/** One cell of a plan: a scenario, a model and one combination of the listed factor levels. */
export interface PlanCell {
  scenario: string;
  model: string;
  /** The live peer's model, or null when the cell has no live peer. */
  peerModel: string | null;
  /** The listed factors' levels in this cell. */
  factors: Record<string, string>;
  /** Every factor's level (unlisted ones at their defaults). */
  levels: Record<string, string>;
  /** Calls per episode, by model spec. */
  calls: Record<string, CallEstimate>;
  /** Tokens per episode, by model spec (an estimate: see estimateTokens). */
  tokens: Record<string, TokenEstimate>;
}

/** What a plan asks for, already split into lists. */
export interface PlanRequest {
  scenarios: Scenario[];
  models: string[];
  peerModel?: string;
  factors: Record<string, string[]>;
  /** Per scenario id: levels crossed in it only, and condition blocks whose union it runs (see ScenarioDesign). */
  perScenario?: Record<string, { factors?: Record<string, string[]>; conditions?: Array<Record<string, string[]>> }>;
}

/** The sum of estimates. */
export function sumCalls(xs: readonly CallEstimate[]): CallEstimate {
  return { typical: xs.reduce((n, x) => n + x.typical, 0), atMost: xs.reduce((n, x) => n + x.atMost, 0) };
}

/** Calls of the whole plan (every cell run `trials` times), in all and by model spec. */
export function planTotals(cells: readonly PlanCell[], trials: number): { all: CallEstimate; byModel: Record<string, CallEstimate> } {
  const byModel: Record<string, CallEstimate> = {};
  for (const cell of cells) {
    for (const [spec, e] of Object.entries(cell.calls)) {
      byModel[spec] = sumCalls([byModel[spec] ?? { typical: 0, atMost: 0 }, { typical: e.typical * trials, atMost: e.atMost * trials }]);
    }
  }
  return { all: sumCalls(Object.values(byModel)), byModel };
}

/** A plan step that ends the agent's session: a last message, or end_task. */
function endsSession(step: PlannedStep | undefined): boolean {
  return step !== undefined && ('say' in step || step.tool === 'end_task');
}

/**
 * Calls per episode, per acting agent. A synthetic agent makes one call per explore step and per
 * step of its chosen plan, plus one to stop if the plan does not end its session; `typical` is that
 * count averaged over its choices. Each agent steps at most once a turn and `maxSteps` times.
 */
export function estimateCalls(spec: EpisodeSpec): Array<{ role: string } & CallEstimate> {
  const bound = Math.min(spec.maxSteps, spec.maxTurns);
  return spec.roles.map(({ id, decision }) => {
    const counts = decision.choices.map((c) => decision.explore.length + c.plan.length + (endsSession(c.plan.at(-1)) ? 0 : 1));
    const mean = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length);
    return { role: id, typical: Math.min(bound, mean), atMost: bound };
  });
}

/** Every combination of the listed levels, in the order given (one empty combination for none). */
function crossProduct(lists: Record<string, string[]>): Array<Record<string, string>> {
  return Object.entries(lists).reduce<Array<Record<string, string>>>(
    (combos, [name, levels]) => combos.flatMap((c) => levels.map((level) => ({ ...c, [name]: level }))),
    [{}],
  );
}

/**
 * The cells of a plan: scenario × model × every combination of the listed factor levels. Each cell's
 * episode is instantiated (nothing runs), which checks that its factor levels build a world.
 */
export function planCells(req: PlanRequest): PlanCell[] {
  if (req.peerModel && req.factors.peer && !req.factors.peer.includes('live')) {
    throw new ExperimentError('a peer model needs a live peer: drop peer=static or add live to its levels');
  }
  for (const id of Object.keys(req.perScenario ?? {})) {
    if (!req.scenarios.some((s) => s.id === id)) throw new ExperimentError(`per_scenario names ${id}, which is not among the scenarios (${req.scenarios.map((s) => s.id).join(', ')})`);
  }
  const cells: PlanCell[] = [];
  for (const s of req.scenarios) {
    const own = req.perScenario?.[s.id];
    const lists = { ...req.factors, ...own?.factors };
    // As in `run`: a peer model means a live peer, where the scenario has one.
    if (req.peerModel && !lists.peer && s.factors.peer?.levels.includes('live')) lists.peer = ['live'];
    const blocks = (own?.conditions ?? [{}]).map((block) => ({ ...lists, ...block }));
    for (const block of blocks) for (const [name, levels] of Object.entries(block)) for (const level of levels) resolveFactors(s, { [name]: level });
    // The union of the blocks' cross products; a combination two blocks share is one cell.
    const seen = new Set<string>();
    const combos = blocks.flatMap(crossProduct).filter((combo) => {
      const key = JSON.stringify(resolveFactors(s, combo));
      return !seen.has(key) && (seen.add(key), true);
    });
    const episodes = combos.map((combo) => {
      const levels = resolveFactors(s, combo);
      const spec = instantiate(s, levels, SeededRng.fromSeed(1, 'plan').fork('world'));
      return { combo, levels, perRole: estimateCalls(spec), tokens: estimateTokens(spec) };
    });
    for (const model of req.models) {
      for (const { combo, levels, perRole, tokens } of episodes) {
        const peerModel = levels.peer === 'live' ? (req.peerModel ?? model) : null;
        const calls: Record<string, CallEstimate> = {};
        const used: Record<string, TokenEstimate> = {};
        for (const r of perRole) {
          const who = r.role === SUBJECT ? model : (peerModel ?? model);
          const sum = calls[who] ?? { typical: 0, atMost: 0 };
          calls[who] = { typical: sum.typical + r.typical, atMost: sum.atMost + r.atMost };
          used[who] = addTokens(used[who], tokens.find((t) => t.role === r.role)!);
        }
        cells.push({ scenario: s.id, model, peerModel, factors: combo, levels, calls, tokens: used });
      }
    }
  }
  if (req.peerModel && !cells.some((c) => c.peerModel === req.peerModel)) {
    throw new ExperimentError(`peer model ${req.peerModel} would act in no cell: none of the scenarios has a live peer at these levels`);
  }
  return cells;
}
