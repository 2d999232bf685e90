import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { hashValue, type SeededRng, type WallClock } from '../../sim/index.js';
import { toolDefinitions } from '../environment-tools.js';
import type { ResponseCache } from '../../traces/index.js';
import type { EndpointGate, GateRegistry } from './endpoint-gate.js';
import type { ModelFactory } from './model-spec.js';
import { RetryBudget, callWithRetry, classifyError, type RetryInfo, type RetrySettings } from './resilient-call.js';

/**
 * How an agent calls a remote model: through its endpoint's gate, with bounded retries, and via
 * the response cache. One composition, used by `Agent.callModel`, so the agent loop stays the same
 * whether a call is answered by the server, by a retry, or from the cache.
 */

/** Everything besides the messages and tools that shapes an answer, and so its cache key. No API key. */
export interface CacheKeyParts {
  /** The model spec, e.g. `openai:gpt-4.1-mini`. */
  model: string;
  baseUrl: string;
  temperature?: number;
  maxTokens?: number;
  /** Provider settings off their default (e.g. `api: responses`); absent when there are none. */
  options?: Record<string, string>;
  /** Different trials of one episode must not share answers: they sample the model anew. */
  trial: number;
  /** The agent's role (subject, peer). */
  role: string;
}

/** What an agent's remote model calls go through; see `ScenarioRunRequest.calls`. */
export interface ModelCallPolicy {
  /** Concurrency limit of the model's endpoint; calls are not limited when absent. */
  gate?: EndpointGate;
  /** Answers are looked up and stored here when present. */
  cache?: ResponseCache;
  /** Per-call retry settings (defaults in `DEFAULT_RETRY`). */
  retry?: Partial<RetrySettings>;
  /** Retries all calls of the episode may spend together. */
  budget?: RetryBudget;
  /** Backoff jitter. */
  rng: SeededRng;
  /** Backoff sleeps and latency. */
  clock: WallClock;
  cacheKeyParts: CacheKeyParts;
}

/** How an episode's remote model calls are made: `ScenarioRunRequest.calls`. */
export interface RemoteCallOptions {
  /** Endpoint gates (and a global limit), shared by every episode that runs at the same time. */
  gates?: GateRegistry;
  /** Where answers are cached; none when absent. */
  cache?: ResponseCache;
  /** Neither read nor write `cache` (`--no-cache`). */
  noCache?: boolean;
  /** Per-call retry settings; `maxRetries` defaults to the endpoint's, else 6. */
  retry?: Partial<RetrySettings>;
  /** Retries all calls of one episode may spend together (default 30). */
  maxRetriesPerEpisode?: number;
}

export const DEFAULT_RETRIES_PER_EPISODE = 30;

/** The retry budget of one episode. */
export function episodeRetryBudget(options: RemoteCallOptions | undefined): RetryBudget {
  return new RetryBudget(options?.maxRetriesPerEpisode ?? DEFAULT_RETRIES_PER_EPISODE);
}

/**
 * The call policy of one agent in one episode, or undefined for an in-process model (they do no
 * I/O: nothing to gate, retry or cache). Remote models always get retries, traced and bounded,
 * even without `options`; gates and the cache only when the caller shares them.
 */
export function callPolicyFor(
  factory: ModelFactory,
  o: { options?: RemoteCallOptions; role: string; trial: number; rng: SeededRng; clock: WallClock; budget: RetryBudget },
): ModelCallPolicy | undefined {
  const endpoint = factory.endpoint;
  if (factory.inProcess || !endpoint) return undefined;
  const cache = o.options?.noCache ? undefined : o.options?.cache;
  return {
    ...(o.options?.gates ? { gate: o.options.gates.gate(endpoint.baseUrl) } : {}),
    ...(cache ? { cache } : {}),
    retry: { ...(endpoint.maxRetries === undefined ? {} : { maxRetries: endpoint.maxRetries }), ...o.options?.retry },
    budget: o.budget,
    rng: o.rng,
    clock: o.clock,
    cacheKeyParts: {
      model: factory.spec, baseUrl: endpoint.baseUrl, temperature: endpoint.temperature,
      ...(endpoint.maxTokens === undefined ? {} : { maxTokens: endpoint.maxTokens }),
      ...(endpoint.options ? { options: endpoint.options } : {}), trial: o.trial, role: o.role,
    },
  };
}

/** One answered call. */
export interface PolicyCallResult {
  response: AIMessage;
  /** Answered from the cache: no HTTP call was made. */
  cached: boolean;
  /** Duration of the attempt that succeeded (0 for a cached answer); backoff waits are not in it. */
  latencyMs: number;
}

/** Calls `bound` on `messages` under `policy`; `onRetry` hears of each retry before its wait. */
export async function invokeWithPolicy(
  bound: Runnable<BaseMessage[], AIMessage>,
  messages: readonly BaseMessage[],
  tools: readonly StructuredToolInterface[],
  policy: ModelCallPolicy,
  onRetry: (info: RetryInfo) => void,
): Promise<PolicyCallResult> {
  const key = policy.cache ? responseCacheKey(policy.cacheKeyParts, messages, tools) : '';
  const hit = policy.cache?.get(key);
  if (hit !== undefined) return { response: decodeResponse(hit), cached: true, latencyMs: 0 };

  let latencyMs = 0;
  const attempt = async (): Promise<AIMessage> => {
    const started = policy.clock.now();
    const response = await bound.invoke([...messages]);
    latencyMs = Math.max(0, Math.round(policy.clock.now() - started));
    return response;
  };
  // The gate only needs to know whether the endpoint is overloaded (the time matters only for Retry-After).
  const judge = (err: unknown) => (classifyError(err, 0).overload ? 'overloaded' as const : 'failed' as const);
  const response = await callWithRetry(() => (policy.gate ? policy.gate.run(attempt, judge) : attempt()), policy.retry ?? {}, {
    rng: policy.rng,
    clock: policy.clock,
    onRetry: (info) => {
      policy.budget?.take(info);
      onRetry(info);
    },
  });
  policy.cache?.put(key, policy.cacheKeyParts.model, encodeResponse(response));
  return { response, cached: false, latencyMs };
}

/**
 * The cache key of one call: SHA-256 of the canonical JSON of the key parts, the messages as they
 * are sent (role, content, tool calls and their ids) and the tool schemas. Versioned, so a change
 * to what goes in never serves answers cached under the old recipe.
 */
export function responseCacheKey(parts: CacheKeyParts, messages: readonly BaseMessage[], tools: readonly StructuredToolInterface[]): string {
  return hashValue({ recipe: 1, ...parts, messages: messages.map(messageForKey), tools: toolDefinitions(tools) });
}

function messageForKey(m: BaseMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.getType(), content: m.content };
  if (AIMessage.isInstance(m)) {
    out.toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.args }));
    out.invalidToolCalls = (m.invalid_tool_calls ?? []).map((c) => ({ id: c.id, name: c.name, args: c.args }));
    // Raw calls re-sent for unparseable arguments (see forHistory in agent.ts) travel here.
    if (m.additional_kwargs?.tool_calls) out.rawToolCalls = m.additional_kwargs.tool_calls;
  }
  if ('tool_call_id' in m) out.toolCallId = (m as { tool_call_id?: string }).tool_call_id;
  return out;
}

/** Keys that never go into the cache, wherever they appear in the answer's metadata. */
const SECRET_KEY = /api[-_]?key|authorization|secret|password|^headers$|^__raw_response$/i;

/** The answer as cached: what rebuilding the AIMessage needs, without headers or anything secret. */
export function encodeResponse(r: AIMessage): string {
  return JSON.stringify({
    content: r.content,
    tool_calls: r.tool_calls ?? [],
    invalid_tool_calls: r.invalid_tool_calls ?? [],
    additional_kwargs: withoutSecrets(r.additional_kwargs ?? {}),
    response_metadata: withoutSecrets(r.response_metadata ?? {}),
    ...(r.usage_metadata ? { usage_metadata: r.usage_metadata } : {}),
    ...(r.id ? { id: r.id } : {}),
  });
}

/** Rebuilds a cached answer. */
export function decodeResponse(value: string): AIMessage {
  return new AIMessage(JSON.parse(value) as ConstructorParameters<typeof AIMessage>[0] & object);
}

function withoutSecrets(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !SECRET_KEY.test(k) && v !== undefined).map(([k, v]) => [
    k, v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutSecrets(v as Record<string, unknown>) : v,
  ]));
}
