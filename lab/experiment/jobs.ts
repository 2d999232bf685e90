import { GateRegistry, resolveModelSpec, type EndpointSettings, type ModelFactory, type RemoteCallOptions } from '../../agents/index.js';
import { ExperimentError, planCells, type ExperimentFile, type ExperimentModel, type PlanCell } from '../../analysis/index.js';
import { findScenario, type Scenario } from '../../environments/index.js';
import { canonicalJson, episodeKey } from '../../sim/index.js';
import type { TraceStore } from '../../traces/index.js';
import { episodeKeyParts } from '../run-scenario.js';

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

/** The endpoint settings of one model entry: its own, else the defaults read by the CLI. */
export function entrySettings(m: ExperimentModel | undefined, settings: EndpointSettings): EndpointSettings {
  return {
    ...settings, baseUrl: m?.base_url ?? settings.baseUrl, temperature: m?.temperature ?? settings.temperature,
    maxTokens: m?.max_tokens ?? settings.maxTokens, timeoutMs: m?.timeout_ms ?? settings.timeoutMs,
    maxResponseBytes: m?.max_response_mb === undefined ? settings.maxResponseBytes : Math.round(m.max_response_mb * 1024 * 1024),
    ...(m?.api === undefined ? {} : { options: { ...settings.options, api: m.api } }),
  };
}

/**
 * The name each model entry has in cells and tables: its spec, or when several entries share a
 * spec (the same model at two temperatures, say), the spec with the settings that tell them apart.
 * Two entries that would run the same model the same way are refused.
 */
export function modelNames(file: ExperimentFile, settings: EndpointSettings): Array<{ name: string; factory: ModelFactory }> {
  const resolved = file.models.map((m) => ({ m, factory: resolveModelSpec(m.spec, entrySettings(m, settings)) }));
  const seen = new Map<string, number>();
  return resolved.map(({ m, factory }, i) => {
    const twins = resolved.filter((r) => r.m.spec === m.spec);
    const identity = canonicalJson({ spec: m.spec, settings: factory.keySettings ?? null });
    const earlier = seen.get(identity);
    if (earlier !== undefined) throw new ExperimentError(`models[${i}] runs ${m.spec} exactly as models[${earlier}] does: list it once, or give it other settings`);
    seen.set(identity, i);
    if (twins.length === 1) return { name: m.spec, factory };
    const differs = Object.keys(factory.keySettings ?? {}).filter((k) => twins.some((t) => t.factory.keySettings?.[k] !== factory.keySettings?.[k]));
    return { name: `${m.spec} (${differs.map((k) => `${k}=${factory.keySettings![k]}`).join(', ')})`, factory };
  });
}

/** Every episode of an experiment (cell × trial), each under its stable key, in plan order. */
export function buildJobs(file: ExperimentFile, settings: EndpointSettings, scenarioDirs: readonly string[] = []): Job[] {
  const scenarios = file.scenarios.map((id) => findScenario(id, scenarioDirs));
  const named = modelNames(file, settings);
  const cells = planCells({ scenarios, models: named.map((n) => n.name), peerModel: file.peer_model, factors: file.factors, perScenario: file.per_scenario });
  const factories = new Map<string, ModelFactory>(named.map((n) => [n.name, n.factory]));
  // A name is an entry's; a peer model that is not one of the entries runs with the defaults.
  const factory = (name: string): ModelFactory => {
    if (!factories.has(name)) factories.set(name, resolveModelSpec(name, entrySettings(undefined, settings)));
    return factories.get(name)!;
  };
  return cells.flatMap((cell) => {
    const scenario = scenarios.find((s) => s.id === cell.scenario)!;
    const subject = factory(cell.model);
    const peer = cell.peerModel ? factory(cell.peerModel) : undefined;
    return Array.from({ length: file.trials }, (_, trial) => ({
      episodeKey: episodeKey(episodeKeyParts(scenario, cell.levels, subject, peer, file.seed, trial)),
      cell: cellLabel(cell), trial, scenario, levels: cell.levels, subject, peer,
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
    // The endpoint the entry's provider resolves to (its base URL, variable or default).
    const url = resolveModelSpec(m.spec, entrySettings(m, settings)).endpoint?.baseUrl;
    if (url) endpoints[url] = Math.min(endpoints[url] ?? Infinity, m.max_concurrency);
  }
  return { gates: new GateRegistry({ perEndpoint: 8, endpoints }), ...(noCache ? { noCache: true } : { cache: store.responseCache() }) };
}
