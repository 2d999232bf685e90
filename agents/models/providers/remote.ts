import { SeededRng, systemWallClock } from '../../../sim/index.js';
import { registerSecret } from '../../../traces/index.js';
import { ModelSpecError, baseUrlProblem, type EndpointInfo, type EndpointSettings, type ModelFactory } from '../model-spec.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../node-http-fetch.js';
import { PREFERENCE_DEFAULTS, type PreferenceModelFactory } from '../preference-model.js';
import type { Endpoint, RemoteProvider } from './provider.js';
import { RemoteChatModel } from './remote-chat-model.js';

/**
 * What every remote provider shares: settings resolved and checked before anything runs (so a bad
 * spec fails with one line and nothing written), the settings an episode key holds, and the three
 * uses of a model (agents, preference questions, the judge).
 */

/** The longest one call may take unless a timeout is set (ms). */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** The key a provider reads: the settings' own, else the first of its key variables that is set. */
export function apiKeyOf(p: RemoteProvider, s: EndpointSettings): string | undefined {
  if (s.apiKey) return s.apiKey;
  for (const name of p.keyVariables) {
    const value = s.environment?.[name];
    if (value) return value;
  }
  return undefined;
}

/** The endpoint a provider calls: the settings' base URL, else its variable, else its default. */
export function baseUrlOf(p: RemoteProvider, s: EndpointSettings): string | undefined {
  return s.baseUrl ?? (s.environment?.[p.baseUrlVariable] || undefined) ?? p.defaultBaseUrl;
}

/** What running `spec` still needs that the settings lack (a key, an endpoint), as words for a note; empty when nothing. */
export function missingForRun(p: RemoteProvider, s: EndpointSettings): string[] {
  return [
    p.keyRequired && !apiKeyOf(p, s) ? p.keyVariables.join(' or ') : '',
    baseUrlOf(p, s) === undefined ? `an endpoint (--base-url or ${p.baseUrlVariable})` : '',
  ].filter(Boolean);
}

/** Every setting of a remote model, checked. `defaults` are the use's (agents, preference questions, judge). */
export function resolveEndpoint(p: RemoteProvider, spec: string, s: EndpointSettings, defaults: { temperature: number; maxTokens?: number }): Endpoint {
  const options = resolveOptions(p, spec, s.options ?? {});
  const apiKey = apiKeyOf(p, s);
  if (p.keyRequired && !apiKey) {
    throw new ModelSpecError(`${spec} needs an API key: set ${p.keyVariables.join(' or ')}${p.keyNote ? ` (${p.keyNote})` : ''}`);
  }
  const baseUrl = baseUrlOf(p, s);
  if (baseUrl === undefined) {
    throw new ModelSpecError(`${spec} needs an endpoint: pass --base-url or set ${p.baseUrlVariable} (e.g. ${p.exampleBaseUrl})`);
  }
  const problem = baseUrlProblem(baseUrl, p.keyVariables[0]);
  if (problem) throw new ModelSpecError(problem);
  const temperature = s.temperature ?? defaults.temperature;
  const [low, high] = p.temperatureRange;
  if (temperature < low || temperature > high) {
    throw new ModelSpecError(`${spec}: temperature ${temperature} is outside ${low}–${high}, the range ${p.name}: models accept`);
  }
  // Whatever the endpoint echoes back, this key is never written anywhere (see traces/secrets.ts).
  registerSecret(apiKey);
  return {
    baseUrl, apiKey, temperature, maxTokens: s.maxTokens ?? defaults.maxTokens ?? p.defaultMaxTokens,
    timeoutMs: s.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxResponseBytes: s.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, options,
  };
}

/** The provider's own settings, defaults filled in; an unknown setting or value is refused. */
function resolveOptions(p: RemoteProvider, spec: string, given: Readonly<Record<string, string>>): Record<string, string> {
  for (const [name, value] of Object.entries(given)) {
    const allowed = Object.hasOwn(p.options, name) ? p.options[name]! : undefined;
    if (!allowed) throw new ModelSpecError(`${spec}: ${p.name}: models have no setting "${name}"${Object.keys(p.options).length > 0 ? ` (they have: ${Object.keys(p.options).join(', ')})` : ''}`);
    if (!allowed.includes(value)) throw new ModelSpecError(`${spec}: setting ${name} is "${value}"; use ${allowed.join(' or ')}`);
  }
  return Object.fromEntries(Object.entries(p.options).map(([name, values]) => [name, given[name] ?? values[0]!]));
}

/** The provider settings that differ from their defaults (the ones that change what is sent). */
function changedOptions(p: RemoteProvider, e: Endpoint): Record<string, string> {
  return Object.fromEntries(Object.entries(e.options).filter(([name, value]) => p.options[name]?.[0] !== value));
}

/**
 * The settings that change a remote model's answers, as its episodes' keys hold them: the endpoint
 * (without a trailing slash), temperature, max tokens when set, provider settings off their default.
 */
export function keySettingsOf(p: RemoteProvider, e: Endpoint): Record<string, string | number> {
  return {
    base_url: e.baseUrl.replace(/\/+$/, ''), temperature: e.temperature,
    ...(e.maxTokens === undefined ? {} : { max_tokens: e.maxTokens }), ...changedOptions(p, e),
  };
}

function endpointInfo(p: RemoteProvider, e: Endpoint, maxRetries: number | undefined): EndpointInfo {
  const options = changedOptions(p, e);
  return {
    baseUrl: e.baseUrl, temperature: e.temperature,
    ...(e.maxTokens === undefined ? {} : { maxTokens: e.maxTokens }),
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
  };
}

const connector = (p: RemoteProvider, model: string, e: Endpoint) => async () => (await p.load()).connect(model, e);

/** A remote model for agents: temperature 1 unless set; one client per agent and episode. */
export function remoteChat(p: RemoteProvider, spec: string, model: string, s: EndpointSettings): ModelFactory {
  const e = resolveEndpoint(p, spec, s, { temperature: 1 });
  return {
    spec, inProcess: false, endpoint: endpointInfo(p, e, s.maxRetries), keySettings: keySettingsOf(p, e),
    create: (role) => new RemoteChatModel({ connect: connector(p, model, e), ...(p.renamesToolCalls ? { renameFor: role.id } : {}) }),
  };
}

/** A remote model for preference questions: the method's temperature 1 and 10 output tokens unless set; one client for all questions. */
export function remotePreference(p: RemoteProvider, spec: string, model: string, s: EndpointSettings): PreferenceModelFactory {
  const e = resolveEndpoint(p, spec, s, PREFERENCE_DEFAULTS);
  const shared = new RemoteChatModel({ connect: connector(p, model, e) });
  return { spec, inProcess: false, endpoint: { ...endpointInfo(p, e, s.maxRetries), maxTokens: e.maxTokens! }, model: () => shared };
}

/**
 * A remote model as judge: temperature 0 whatever the settings say (the subjects' sampling
 * temperature must not leak into the judge), its calls retried here (default 2 retries).
 */
export function remoteJudge(p: RemoteProvider, spec: string, model: string, s: EndpointSettings): RemoteChatModel {
  const e = resolveEndpoint(p, spec, { ...s, temperature: 0 }, { temperature: 0 });
  return new RemoteChatModel({
    connect: connector(p, model, e),
    retry: { maxRetries: s.maxRetries ?? 2, clock: systemWallClock, rng: SeededRng.fromSeed(0, `judge:${spec}`) },
  });
}
