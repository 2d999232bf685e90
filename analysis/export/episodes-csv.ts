/**
 * One row per episode for dataframe tools: keys, factor levels, model, status, the choice read from
 * the world, the rule detectors' labels (1/0, one column each) and token use and cost.
 */
import type { TraceStore } from '../../traces/index.js';
import { RULE_RATER } from '../classify/taxonomy.js';
import { LABEL_IDS } from '../classify/taxonomy.js';
import { csvLine } from './csv.js';
import { USAGE_EVENTS, runUsage, type Prices } from '../experiment/usage.js';

/**
 * The CSV lines (header, then one line per run in the order given), produced one at a time so a
 * large export streams: a run's labels and events are read when its line is made. For an
 * experiment's runs, `notCounted` (run id → why) adds the columns `counted` and `not_counted_because`.
 */
export function* episodesCsvLines(store: TraceStore, runIds: readonly string[], prices: Prices = {}, notCounted?: ReadonlyMap<string, string>): Generator<string> {
  const runs = runIds.map((id) => store.run(id)).filter((r) => r !== undefined);
  const factorNames = [...new Set(runs.flatMap((r) => Object.keys(r.factors)))].sort();
  const header = [
    'run_id', 'episode_key', 'scenario', 'family', 'model', 'peer_model', 'seed', 'trial',
    ...factorNames.map((f) => `factor_${f}`),
    'status', 'reason', 'choice', ...LABEL_IDS.map((l) => `label_${l}`),
    'model_calls', 'input_tokens', 'output_tokens', 'tokens_estimated', 'cost_usd', 'events',
    ...(notCounted ? ['counted', 'not_counted_because'] : []),
  ];
  yield csvLine(header);
  for (const r of runs) {
    const rule = new Map(store.labels({ runId: r.runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER).map((l) => [l.label, l.value]));
    const usage = runUsage(store.events(r.runId, USAGE_EVENTS), prices);
    yield csvLine([
      r.runId, r.episodeKey, r.scenario, r.family, r.model, r.peerModel, r.seed, r.trial,
      ...factorNames.map((f) => r.factors[f] ?? null),
      r.status, r.reason, r.choice,
      // Empty when the run was never classified (e.g. still running), so "no" is never guessed.
      ...LABEL_IDS.map((l) => (rule.has(l) ? (rule.get(l) ? 1 : 0) : null)),
      usage.calls, usage.inputTokens, usage.outputTokens, usage.estimated, Number(usage.cost.toFixed(6)),
      r.eventCount,
      ...(notCounted ? [notCounted.has(r.runId) ? 0 : 1, notCounted.get(r.runId) ?? null] : []),
    ]);
  }
}
