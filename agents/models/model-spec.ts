import { existsSync } from 'node:fs';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { RoleSpec } from '../../environments/index.js';
import { redactSecrets, registerSecret } from '../../traces/index.js';
import type { SeededRng } from '../../sim/index.js';
import { loadScript, type ScriptTurn } from './script-chat-model.js';
import type { HumanPlayer } from './human-player.js';

/** A model spec that cannot be used: unknown prefix, missing file, missing key, a setting out of range. */
export class ModelSpecError extends Error {}

/**
 * Settings for remote models, from flags, an experiment's model entry and the environment. Each
 * provider reads what applies to it (see ./providers/registry.ts): its own key and endpoint
 * variables from `environment`, the shared settings, and its own `options`.
 */
export interface EndpointSettings {
  /** The endpoint; wins over the provider's base-URL variable and default. */
  baseUrl?: string;
  /** The API key; wins over the provider's key variables (tests pass it here). */
  apiKey?: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  /** Retries per model call (agents: `callWithRetry`, default 6; the judge: default 2). */
  maxRetries?: number;
  /** The largest response body read from the endpoint (default 8 MiB); a larger one fails the call. */
  maxResponseBytes?: number;
  /** Provider-specific settings, e.g. `{ api: 'responses' }` for openai: (each provider lists its own). */
  options?: Readonly<Record<string, string>>;
  /** The environment variables the CLI read once at start; each provider takes its own from here. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Who answers for `human:` models (the terminal app's play screen); without one they cannot start an episode. */
  humanPlayer?: HumanPlayer;
}

/**
 * The facts about a remote model's endpoint that gates, retries and cache keys need. Never the API
 * key: this travels into cache keys and may be shown.
 */
export interface EndpointInfo {
  baseUrl: string;
  temperature: number;
  maxTokens?: number;
  /** Retries per call (the client itself makes none: retries happen in `callWithRetry`, and are traced). */
  maxRetries?: number;
  /** Provider settings that differ from their defaults (they change what is sent, so the cache keys on them). */
  options?: Record<string, string>;
}

/** A resolved model spec: makes a fresh model for each agent of each episode. */
export interface ModelFactory {
  spec: string;
  /** In-process models do no I/O; their latency is not measured, so traces stay byte-identical. */
  inProcess: boolean;
  /** Present for remote models. */
  endpoint?: EndpointInfo;
  /**
   * The settings that change a remote model's answers, as its episodes' keys hold them (the
   * endpoint without credentials, temperature, max tokens, provider settings off their default);
   * absent for in-process models. Made by the registry only.
   */
  keySettings?: Record<string, string | number>;
  create(role: RoleSpec, rng: SeededRng): BaseChatModel;
}

/** Splits `provider:model`; shared by every resolver so a malformed spec fails the same way. */
export function splitModelSpec(spec: string): { prefix: string; rest: string } {
  const colon = spec.indexOf(':');
  const prefix = colon > 0 ? spec.slice(0, colon) : '';
  const rest = colon > 0 ? spec.slice(colon + 1) : '';
  if (rest === '') throw new ModelSpecError(`model spec "${spec}" should look like provider:model, e.g. synthetic:corrigible or openai:gpt-4.1-mini`);
  return { prefix, rest };
}

/** Reads the turns of a `script:` spec, failing with a ModelSpecError. */
export function loadScriptSpec(spec: string, path: string): ScriptTurn[] {
  if (!existsSync(path)) throw new ModelSpecError(`script file ${path} does not exist (model spec "${spec}")`);
  return specError(() => loadScript(path));
}

/**
 * What is wrong with an endpoint URL, or undefined. A key written into the URL (`https://user:key@host`)
 * would be stored with the experiment's design and shown in every place the URL is: refused, and
 * never repeated in the message. `keyVariable` names where the key belongs instead.
 */
export function baseUrlProblem(url: string, keyVariable = 'OPENAI_API_KEY'): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `base URL "${redactSecrets(url).slice(0, 200)}" is not a URL (e.g. https://api.openai.com/v1)`;
  }
  if (parsed.username || parsed.password) {
    registerSecret(decodeURIComponent(parsed.password));
    registerSecret(decodeURIComponent(parsed.username));
    return `base URL for ${parsed.host} carries credentials (user:key@): remove them and set the key in ${keyVariable}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `base URL "${parsed.href}" should start with http:// or https://`;
  return undefined;
}

/** Runs `load`, turning whatever it throws into a ModelSpecError with the same message. */
export function specError<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw new ModelSpecError((err as Error).message);
  }
}
