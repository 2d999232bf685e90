import { existsSync } from 'node:fs';
import { formatWithOptions } from 'node:util';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { RoleSpec } from '../../environments/index.js';
import { redactSecrets, registerSecret } from '../../traces/index.js';
import type { SeededRng } from '../../sim/kernel/rng.js';
import { checkedCompletionFetch } from './checked-fetch.js';
import { resolveHumanSpec, type HumanPlayer } from './human-chat-model.js';
import { DEFAULT_MAX_RESPONSE_BYTES, nodeHttpFetchWith } from './node-http-fetch.js';
import { loadScript, ScriptChatModel, type ScriptTurn } from './script-chat-model.js';
import { loadPersona } from './synthetic/persona.js';
import { SyntheticChatModel } from './synthetic/synthetic-chat-model.js';

/** A model spec that cannot be used: unknown prefix, missing file, missing key. */
export class ModelSpecError extends Error {}

/** Settings for remote models, read once by the CLI from flags and the environment. */
export interface EndpointSettings {
  baseUrl?: string;
  apiKey?: string;
  temperature?: number;
  maxTokens?: number;
  timeoutMs?: number;
  /** Retries per model call (agents: `callWithRetry`, default 6; the judge: the client's own, default 2). */
  maxRetries?: number;
  /** The largest response body read from the endpoint (default 8 MiB); a larger one fails the call. */
  maxResponseBytes?: number;
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
   * endpoint without credentials, temperature, max tokens); absent for in-process models.
   */
  keySettings?: Record<string, string | number>;
  create(role: RoleSpec, rng: SeededRng): BaseChatModel;
}

/**
 * Resolves a `provider:model` spec. Everything is checked here, before a run starts, so a bad spec
 * fails with one clear line and nothing written. Prefixes: `synthetic:` (persona name or JSON file),
 * `script:` (JSON file of turns), `openai:` (any OpenAI-compatible Chat Completions endpoint),
 * `human:` (a person plays, through `settings.humanPlayer`).
 */
export function resolveModelSpec(spec: string, settings: EndpointSettings = {}): ModelFactory {
  const { prefix, rest } = splitModelSpec(spec);
  switch (prefix) {
    case 'synthetic': {
      const persona = wrap(() => loadPersona(rest));
      return { spec, inProcess: true, create: (role, rng) => new SyntheticChatModel({ persona, decision: role.decision, rng: rng.fork(`synthetic:${role.id}`) }) };
    }
    case 'script': {
      const turns = loadScriptSpec(spec, rest);
      return { spec, inProcess: true, create: () => new ScriptChatModel(turns) };
    }
    case 'openai': {
      checkOpenAiSettings(spec, settings);
      const temperature = settings.temperature ?? 1;
      return {
        spec, inProcess: false,
        endpoint: {
          baseUrl: settings.baseUrl!, temperature,
          ...(settings.maxTokens === undefined ? {} : { maxTokens: settings.maxTokens }),
          ...(settings.maxRetries === undefined ? {} : { maxRetries: settings.maxRetries }),
        },
        keySettings: {
          base_url: settings.baseUrl!.replace(/\/+$/, ''), temperature,
          ...(settings.maxTokens === undefined ? {} : { max_tokens: settings.maxTokens }),
        },
        // The client makes one attempt; the agent's call policy retries, records and bounds retries.
        create: () => createChatOpenAI(rest, { ...settings, maxRetries: 0 }),
      };
    }
    case 'human':
      return resolveHumanSpec(spec, rest, settings.humanPlayer);
    default:
      throw new ModelSpecError(`unknown model provider "${prefix}" in "${spec}" (use synthetic:, script:, openai: or human:)`);
  }
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
  return wrap(() => loadScript(path));
}

/** Checks the endpoint settings an `openai:` spec needs, before anything runs. */
export function checkOpenAiSettings(spec: string, s: EndpointSettings): void {
  if (!s.apiKey) {
    throw new ModelSpecError(`${spec} needs an API key: set OPENAI_API_KEY (a local server accepts any non-empty value)`);
  }
  if (!s.baseUrl) {
    throw new ModelSpecError(`${spec} needs an endpoint: pass --base-url or set OPENAI_BASE_URL (e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1)`);
  }
  const problem = baseUrlProblem(s.baseUrl);
  if (problem) throw new ModelSpecError(problem);
}

/**
 * What is wrong with an endpoint URL, or undefined. A key written into the URL (`https://user:key@host`)
 * would be stored with the experiment's design and shown in every place the URL is: refused, and
 * never repeated in the message.
 */
export function baseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `base URL "${redactSecrets(url).slice(0, 200)}" is not a URL (e.g. https://api.openai.com/v1)`;
  }
  if (parsed.username || parsed.password) {
    registerSecret(decodeURIComponent(parsed.password));
    registerSecret(decodeURIComponent(parsed.username));
    return `base URL for ${parsed.host} carries credentials (user:key@): remove them and set the key in OPENAI_API_KEY`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `base URL "${parsed.href}" should start with http:// or https://`;
  return undefined;
}

/**
 * The client's log, with every registered secret redacted. The OpenAI SDK logs through `console`
 * when `OPENAI_LOG` is set (at `debug`, whole requests and responses); this keeps that working
 * without a key ever reaching the terminal.
 */
const redactingLogger = Object.fromEntries((['error', 'warn', 'info', 'debug'] as const).map((level) => [
  level, (...args: unknown[]) => console.error(redactSecrets(formatWithOptions({ depth: 6 }, ...args))),
])) as Record<'error' | 'warn' | 'info' | 'debug', (...args: unknown[]) => void>;

/**
 * A Chat Completions client for `model` (settings already checked). The key goes to the client
 * only; it is never part of a spec, a trace or a message.
 */
export function createChatOpenAI(model: string, s: EndpointSettings): ChatOpenAI {
  // Whatever the endpoint echoes back, this key is never written anywhere (see traces/secrets.ts).
  registerSecret(s.apiKey);
  // Transport: keep-alive node:http with a cap on the body and a deadline on the whole answer, and
  // answers that are not a usable completion refused.
  const fetch = checkedCompletionFetch(nodeHttpFetchWith({
    maxBodyBytes: s.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, deadlineMs: s.timeoutMs ?? 120_000,
  }));
  return new ChatOpenAI({
    model,
    apiKey: s.apiKey,
    configuration: { baseURL: s.baseUrl, fetch, logger: redactingLogger },
    temperature: s.temperature ?? 1,
    maxTokens: s.maxTokens,
    timeout: s.timeoutMs ?? 120_000,
    maxRetries: s.maxRetries ?? 2,
    useResponsesApi: false,
  });
}

function wrap<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw new ModelSpecError((err as Error).message);
  }
}
