import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import type { WallClock } from '../../sim/kernel/clock.js';
import type { SeededRng } from '../../sim/kernel/rng.js';
import type { ResponseCache } from '../../traces/index.js';
import { PREFERENCE_SYSTEM, preferenceQuestion } from '../preference-prompt.js';
import type { GateRegistry } from './endpoint-gate.js';
import { invokeWithPolicy } from './model-calls.js';
import {
  ModelSpecError, checkOpenAiSettings, createChatOpenAI, loadScriptSpec, splitModelSpec, type EndpointInfo, type EndpointSettings,
} from './model-spec.js';
import type { RetrySettings } from './resilient-call.js';
import { ScriptChatModel } from './script-chat-model.js';
import { loadPersona, type StatedOutcome } from './synthetic/persona.js';
import { SyntheticPreferenceModel } from './synthetic/synthetic-preference-model.js';

/** The method's decoding defaults: temperature 1 and at most 10 tokens (one letter is wanted). */
export const PREFERENCE_DEFAULTS = { temperature: 1, maxTokens: 10 } as const;

/** A resolved model spec for preference questions. */
export interface PreferenceModelFactory {
  spec: string;
  inProcess: boolean;
  /** Present for remote models (temperature and max tokens as sent; never the key). */
  endpoint?: EndpointInfo & { maxTokens: number };
  /** The model for one question; `rng` drives an in-process model's sampling. */
  model(rng: SeededRng): BaseChatModel;
}

/**
 * Resolves a spec for `utilities elicit`: `synthetic:` personas answer from their planted stated
 * utilities over `outcomes`; `script:` replays answers in order; `openai:` asks the endpoint, with
 * the method's temperature 1 and 10 output tokens unless the settings say otherwise.
 */
export function resolvePreferenceModel(spec: string, settings: EndpointSettings, outcomes: readonly StatedOutcome[]): PreferenceModelFactory {
  const { prefix, rest } = splitModelSpec(spec);
  switch (prefix) {
    case 'synthetic': {
      let persona;
      try {
        persona = loadPersona(rest);
      } catch (err) {
        throw new ModelSpecError((err as Error).message);
      }
      const byText = new Map(outcomes.map((o) => [o.text, o]));
      return { spec, inProcess: true, model: (rng) => new SyntheticPreferenceModel({ persona, outcomes: byText, rng }) };
    }
    case 'script': {
      // One model for every question, so the script's answers are used in turn.
      const shared = new ScriptChatModel(loadScriptSpec(spec, rest));
      return { spec, inProcess: true, model: () => shared };
    }
    case 'openai': {
      checkOpenAiSettings(spec, settings);
      const temperature = settings.temperature ?? PREFERENCE_DEFAULTS.temperature;
      const maxTokens = settings.maxTokens ?? PREFERENCE_DEFAULTS.maxTokens;
      // One client for all questions; retries happen in the call policy, where they are bounded.
      const shared = createChatOpenAI(rest, { ...settings, temperature, maxTokens, maxRetries: 0 });
      return {
        spec, inProcess: false,
        endpoint: { baseUrl: settings.baseUrl!, temperature, maxTokens, ...(settings.maxRetries === undefined ? {} : { maxRetries: settings.maxRetries }) },
        model: () => shared,
      };
    }
    default:
      throw new ModelSpecError(`unknown model provider "${prefix}" in "${spec}" (use synthetic:, script: or openai:)`);
  }
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
  if (factory.inProcess || !endpoint) return { answer: textOf(await model.invoke(messages)), cached: false };
  const result = await invokeWithPolicy(model, messages, [], {
    ...(options.gates ? { gate: options.gates.gate(endpoint.baseUrl) } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    retry: { ...(endpoint.maxRetries === undefined ? {} : { maxRetries: endpoint.maxRetries }), ...options.retry },
    rng,
    clock: options.clock,
    cacheKeyParts: { model: factory.spec, baseUrl: endpoint.baseUrl, temperature: endpoint.temperature, maxTokens: endpoint.maxTokens, trial: sample, role: 'preference' },
  }, () => undefined);
  return { answer: textOf(result.response), cached: result.cached };
}

function textOf(message: AIMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
