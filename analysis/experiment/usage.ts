import type { TraceEvent } from '../../traces/index.js';
import type { ExperimentFile } from './experiment.schema.js';

/** Token use and cost of one run. */
export interface Usage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars, for models with a price; 0 otherwise. */
  cost: number;
  /** Whether any count was estimated (in-process models count ≈4 characters a token). */
  estimated: boolean;
  /** Calls whose endpoint reported no token counts: their tokens (and cost) are unknown, not in the sums. */
  unreported: number;
}

/** US dollars per million tokens, by model spec. */
export type Prices = Readonly<Record<string, { input_per_million: number; output_per_million: number }>>;

/** The prices an experiment file gives its models. */
export function pricesOf(file: ExperimentFile): Prices {
  return Object.fromEntries(file.models.flatMap((m) => (m.price ? [[m.spec, m.price]] : [])));
}

export const NO_USAGE: Usage = { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0, estimated: false, unreported: 0 };

/** Adds two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    calls: a.calls + b.calls, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens,
    cost: a.cost + b.cost, estimated: a.estimated || b.estimated, unreported: a.unreported + b.unreported,
  };
}

/** The only events usage reads: read just these (`store.events(runId, USAGE_EVENTS)`) when nothing else is needed. */
export const USAGE_EVENTS = ['run.started', 'model.response'] as const;

/**
 * A run's model calls, tokens and cost, read from its events: each `model.response` is priced at
 * the rate of the model its agent runs (from `run.started`). Cached answers cost nothing.
 */
export function runUsage(events: readonly TraceEvent[], prices: Prices): Usage {
  const started = events.find((e) => e.type === 'run.started');
  const modelOf = new Map(started?.type === 'run.started' ? started.payload.agents.map((a) => [a.id, a.model]) : []);
  let usage = NO_USAGE;
  for (const e of events) {
    if (e.type !== 'model.response') continue;
    const { inputTokens, outputTokens, estimated } = e.payload.usage ?? { inputTokens: 0, outputTokens: 0, estimated: false };
    const price = prices[modelOf.get(e.payload.agent) ?? ''];
    const cached = e.payload.meta?.cached === true;
    const cost = price && !cached ? (inputTokens * price.input_per_million + outputTokens * price.output_per_million) / 1e6 : 0;
    usage = addUsage(usage, { calls: cached ? 0 : 1, inputTokens, outputTokens, cost, estimated, unreported: e.payload.usage === null && !cached ? 1 : 0 });
  }
  return usage;
}
