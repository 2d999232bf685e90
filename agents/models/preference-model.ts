import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { SeededRng, WallClock } from '../../sim/index.js';
import type { ResponseCache } from '../../traces/index.js';
import { PREFERENCE_SYSTEM, preferenceQuestion } from '../preference-prompt.js';
import type { GateRegistry } from './endpoint-gate.js';
import { invokeWithPolicy } from './model-calls.js';
import type { EndpointInfo } from './model-spec.js';
import type { RetrySettings } from './resilient-call.js';
import { textOf } from './message-text.js';

/** The method's decoding defaults: temperature 1 and at most 10 tokens (one letter is wanted). */
export const PREFERENCE_DEFAULTS = { temperature: 1, maxTokens: 10 } as const;

/** A resolved model spec for preference questions (see `resolvePreferenceModel` in the provider registry). */
export interface PreferenceModelFactory {
  spec: string;
  inProcess: boolean;
  /** Present for remote models (temperature and max tokens as sent; never the key). */
  endpoint?: EndpointInfo & { maxTokens: number };
  /** The model for one question; `rng` drives an in-process model's sampling. */
  model(rng: SeededRng): BaseChatModel;
}

/** How remote preference questions are sent: shared gates, the response cache, retry settings. */
export interface PreferenceCallOptions {
  gates?: GateRegistry;
  cache?: ResponseCache;
  retry?: Partial<RetrySettings>;
  clock: WallClock;
}

/** The messages of one question, as sent and as logged. */
export function preferenceMessages(first: string, second: string): { system: string; user: string } {
  return { system: PREFERENCE_SYSTEM, user: preferenceQuestion(first, second) };
}

/**
 * Asks one question (sample `sample` of the ordering first/second) and returns the raw answer text.
 * Remote calls go through the endpoint gate, bounded retries and the cache; the sample index is part
 * of the cache key, so the K samples of one ordering stay K separate draws.
 */
export async function askPreference(
  factory: PreferenceModelFactory, first: string, second: string, sample: number, rng: SeededRng, options: PreferenceCallOptions,
): Promise<{ answer: string; cached: boolean }> {
  const { system, user } = preferenceMessages(first, second);
  const messages = [new SystemMessage(system), new HumanMessage(user)];
  const model = factory.model(rng);
  const endpoint = factory.endpoint;
  if (factory.inProcess || !endpoint) return { answer: textOf((await model.invoke(messages)).content), cached: false };
  const result = await invokeWithPolicy(model, messages, [], {
    ...(options.gates ? { gate: options.gates.gate(endpoint.baseUrl) } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    retry: { ...(endpoint.maxRetries === undefined ? {} : { maxRetries: endpoint.maxRetries }), ...options.retry },
    rng,
    clock: options.clock,
    cacheKeyParts: {
      model: factory.spec, baseUrl: endpoint.baseUrl, temperature: endpoint.temperature, maxTokens: endpoint.maxTokens, trial: sample, role: 'preference',
      ...(endpoint.options ? { options: endpoint.options } : {}),
    },
  }, () => undefined);
  return { answer: textOf(result.response.content), cached: result.cached };
}
