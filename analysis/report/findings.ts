/**
 * What one experiment found, read once from a store: the cells, the amplification table, the
 * peer-preservation and alignment-faking figures, revealed utilities per model, the stated ones of
 * each model's latest completed elicitation and, where both exist, their comparison. The terminal
 * report and the HTML report both show this; neither recomputes it.
 */
import type { StatedOutcome } from '../../agents/index.js';
import { errorLine, type ExperimentRecord, type TraceStore } from '../../traces/index.js';
import {
  amplificationTable, cellRates, fakingContrast, peerRates,
  type AmplificationRow, type CellRateRow, type FakingRow, type PeerRateRow,
} from '../experiment/amplification-table.js';
import { baselineContrast, contextRates, type BaselineRow, type ContextRow } from '../experiment/controls-table.js';
import { experimentResults, type CellResult } from '../experiment/results.js';
import type { Prices } from '../experiment/usage.js';
import { compareUtilities, type Comparison } from '../utilities/compare.js';
import type { StatedResult, StatedUtility } from '../utilities/stated-answers.js';
import type { ScenarioOf } from '../utilities/choice-data.js';
import { cellModels, fitRevealed, signOf, type RevealedFit, type RevealedParameter } from '../utilities/revealed.js';
import { experimentSummary, type Summary } from './summary.js';

export interface RevealedOfModel {
  model: string;
  fit?: RevealedFit;
  /** Why there is no fit (first line of the error). */
  error?: string;
}

export interface StatedOfModel {
  model: string;
  elicitationId?: string;
  utilities?: StatedUtility[];
  /** The comparison with the revealed fit, when the model has both. */
  comparison?: Comparison;
  /** Why something is missing. */
  note?: string;
}

export interface Findings {
  experiment: ExperimentRecord;
  cells: CellResult[];
  rates: CellRateRow[];
  amplification: AmplificationRow[];
  peer: PeerRateRow[];
  faking: FakingRow[];
  /** Misrepresentation against its non_shutdown baseline, where the experiment has both. */
  baseline: BaselineRow[];
  /** Per cell: the read rate (the study's read gate) and the evaluation-awareness rate. */
  context: ContextRow[];
  revealed: RevealedOfModel[];
  stated: StatedOfModel[];
  /** The written summary every view opens with. */
  summary: Summary;
}

/** Summary lines about the revealed fits: which signs the data determine, and what the design cannot identify. */
function revealedSummary(revealed: readonly RevealedOfModel[]): string[] {
  const fitted = revealed.filter((r) => r.fit);
  if (fitted.length === 0) return [];
  const pooled = fitted.flatMap((r) => r.fit!.warnings.filter((w) => w.kind === 'unencoded_factors')).length > 0;
  const label = (p: RevealedParameter) => (p.kind === 'constant' ? `constant:${p.name}` : p.name);
  return [`Revealed utilities (conditional logit${pooled ? ', one β pooled over factors that are not features: see each fit\'s caution' : ''}); `
    + 'a sign counts only where the 95% interval excludes 0:', ...fitted.map(({ model, fit }) => {
    const parts = fit!.parameters;
    const signed = parts.filter((p) => signOf(p) !== 'undetermined').map((p) => `${label(p)} ${signOf(p) === 'positive' ? '+' : '−'}`);
    const open = parts.filter((p) => p.identification === 'identified' && signOf(p) === 'undetermined').map(label);
    const none = [...parts.filter((p) => p.identification !== 'identified').map(label), ...fit!.droppedFeatures];
    return `  ${model}: ${signed.length > 0 ? signed.join(', ') : 'no sign determined'}`
      + `${open.length > 0 ? `; sign not determined: ${open.join(', ')}` : ''}${none.length > 0 ? `; not identified by this design: ${none.join(', ')}` : ''}.`;
  })];
}

/** The latest completed elicitation of `model`, if any. */
function latestElicitation(store: TraceStore, model: string) {
  return store.elicitationStore().elicitations()
    .filter((e) => e.model === model && e.status === 'completed')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
}

function statedOf(store: TraceStore, model: string, revealed: RevealedOfModel, seed: number): StatedOfModel {
  const latest = latestElicitation(store, model);
  if (!latest) return { model, note: `no completed elicitation (npx peerlab utilities elicit --model ${model})` };
  const result = latest.result as StatedResult | null;
  if (!result || !Array.isArray(result.utilities)) return { model, elicitationId: latest.elicitationId, note: 'the latest elicitation has no utilities' };
  const stated: StatedOfModel = { model, elicitationId: latest.elicitationId, utilities: result.utilities };
  if (!revealed.fit) return { ...stated, note: 'no revealed fit to compare with' };
  try {
    const outcomes = (latest.design as { outcomes: StatedOutcome[] }).outcomes;
    return { ...stated, comparison: compareUtilities(result, outcomes, revealed.fit, { seed }) };
  } catch (err) {
    return { ...stated, note: `cannot compare: ${errorLine(err)}` };
  }
}

/**
 * Reads an experiment's findings. `scenarioOf` finds the scenarios the revealed fit needs; `prices`
 * (when given) adds token use and cost to every cell, which reads every event. A model whose fit
 * fails gets the reason instead, so one bad fit never hides the rest of the report.
 */
export function experimentFindings(
  store: TraceStore, experiment: ExperimentRecord, lookScenario: ScenarioOf, options: { prices?: Prices; seed?: number } = {},
): Findings {
  const seed = options.seed ?? 42;
  // The fits ask for a cell's scenario many times; a lookup that loads scenario files each time
  // (findScenario) would make the report's cost grow with the fits' work, not with the cells.
  const scenarios = new Map<string, ReturnType<ScenarioOf>>();
  const scenarioOf = (id: string) => scenarios.get(id) ?? scenarios.set(id, lookScenario(id)).get(id)!;
  const cells = experimentResults(store, experiment.experimentId, options.prices);
  const revealed = cellModels(cells).map((model): RevealedOfModel => {
    if (!cells.some((c) => c.model === model && c.finished > 0)) return { model, error: 'no finished runs' };
    try {
      return { model, fit: fitRevealed(cells, model, scenarioOf, { seed }) };
    } catch (err) {
      return { model, error: errorLine(err) };
    }
  });
  const amplification = amplificationTable(cells);
  const peer = peerRates(cells);
  const faking = fakingContrast(cells);
  return {
    experiment, cells, rates: cellRates(cells), amplification, peer, faking,
    baseline: baselineContrast(cells), context: contextRates(cells),
    revealed, stated: revealed.map((r) => statedOf(store, r.model, r, seed)),
    summary: experimentSummary({ cells, amplification, peer, faking, utilities: revealedSummary(revealed) }),
  };
}
