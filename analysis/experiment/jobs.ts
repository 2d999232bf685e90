import { GateRegistry, episodeKeyParts, resolveModelSpec, type EndpointSettings, type ModelFactory, type RemoteCallOptions } from '../../agents/index.js';
import { findScenario, type Scenario } from '../../environments/index.js';
import { canonicalJson } from '../../sim/kernel/hash.js';
import { episodeKey } from '../../sim/kernel/ids.js';
import type { TraceStore } from '../../traces/index.js';
import { planCells, type PlanCell } from './cells.js';
import type { ExperimentFile } from './experiment.schema.js';

/** One planned episode, with everything needed to run it. */
export interface Job {
  episodeKey: string;
  /** The cell's label (see {@link cellLabel}). */
  cell: string;
  trial: number;
  scenario: Scenario;
  levels: Record<string, string>;
  subject: ModelFactory;
  peer: ModelFactory | undefined;
}

/** A cell's label, as stored with its planned episodes. */
export function cellLabel(cell: PlanCell): string {
  return canonicalJson({ scenario: cell.scenario, model: cell.model, peerModel: cell.peerModel, factors: cell.levels });
}

/** Every episode of an experiment (cell × trial), each under its stable key, in plan order. */
export function buildJobs(file: ExperimentFile, settings: EndpointSettings, scenarioDirs: readonly string[] = []): Job[] {
  const scenarios = file.scenarios.map((id) => findScenario(id, scenarioDirs));
  const cells = planCells({ scenarios, models: file.models.map((m) => m.spec), peerModel: file.peer_model, factors: file.factors, perScenario: file.per_scenario });
  const factories = new Map<string, ModelFactory>();
  const factory = (spec: string): ModelFactory => {
    if (!factories.has(spec)) {
      const m = file.models.find((x) => x.spec === spec);
      factories.set(spec, resolveModelSpec(spec, {
        ...settings, baseUrl: m?.base_url ?? settings.baseUrl, temperature: m?.temperature ?? settings.temperature,
        maxTokens: m?.max_tokens ?? settings.maxTokens,
      }));
    }
    return factories.get(spec)!;
  };
  return cells.flatMap((cell) => {
    const scenario = scenarios.find((s) => s.id === cell.scenario)!;
    return Array.from({ length: file.trials }, (_, trial) => ({
      episodeKey: episodeKey(episodeKeyParts(scenario, cell.levels, cell.model, cell.peerModel ?? undefined, file.seed, trial)),
      cell: cellLabel(cell), trial, scenario, levels: cell.levels,
      subject: factory(cell.model), peer: cell.peerModel ? factory(cell.peerModel) : undefined,
    }));
  });
}

/**
 * The remote-call policy of an experiment: a gate per endpoint sized by its models' `max_concurrency`
 * (the smallest, when models share an endpoint) and the store's response cache.
 */
export function callOptions(file: ExperimentFile, settings: EndpointSettings, store: TraceStore, noCache: boolean): RemoteCallOptions {
  const endpoints: Record<string, number> = {};
  for (const m of file.models) {
    const url = m.base_url ?? settings.baseUrl;
    if (url) endpoints[url] = Math.min(endpoints[url] ?? Infinity, m.max_concurrency);
  }
  return { gates: new GateRegistry({ perEndpoint: 8, endpoints }), ...(noCache ? { noCache: true } : { cache: store.responseCache() }) };
}
