import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frozenWallClock, SeededRng } from '../../sim/index.js';
import { MemoryResponseCache } from '../../traces/index.js';
import { GateRegistry } from './endpoint-gate.js';
import { decodeResponse, encodeResponse, invokeWithPolicy, responseCacheKey, type CacheKeyParts, type ModelCallPolicy } from './model-calls.js';
import { RetryBudget, type RetryInfo } from './resilient-call.js';

const PARTS: CacheKeyParts = { model: 'openai:test-model', baseUrl: 'http://127.0.0.1:1/v1', temperature: 1, trial: 0, role: 'subject' };
const TOOLS = [tool(async () => 'ok', { name: 'read_file', description: 'Read a file.', schema: z.object({ path: z.string().describe('the path') }) })];
const HISTORY: BaseMessage[] = [
  new SystemMessage('You are Nova.'),
  new HumanMessage('Review the config.'),
  new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'read_file', args: { path: 'a.md' }, type: 'tool_call' }] }),
  new ToolMessage({ content: 'contents', tool_call_id: 'c1', name: 'read_file' }),
];

function answer(text = 'done'): AIMessage {
  return new AIMessage({
    content: text,
    tool_calls: [{ id: 'c2', name: 'read_file', args: { path: 'b.md' }, type: 'tool_call' }],
    additional_kwargs: { tool_calls: [{ id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.md"}' } }] },
    response_metadata: { model_name: 'test-model', headers: { authorization: 'Bearer sk-x' }, api_key: 'sk-x', usage: { total_tokens: 5 } },
    usage_metadata: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
    id: 'chatcmpl-1',
  });
}

/** A bound model that plays `outcomes` (an error is thrown, a message answered) and counts calls. */
function fakeModel(outcomes: Array<AIMessage | Error>): { bound: Runnable<BaseMessage[], AIMessage>; calls: () => number } {
  let n = 0;
  const bound = {
    invoke: async () => {
      const next = outcomes[Math.min(n++, outcomes.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as Runnable<BaseMessage[], AIMessage>;
  return { bound, calls: () => n };
}

function policy(extra: Partial<ModelCallPolicy> = {}): ModelCallPolicy {
  return { rng: SeededRng.fromSeed(1), clock: frozenWallClock, cacheKeyParts: PARTS, ...extra };
}

describe('responseCacheKey', () => {
  it('is stable for the same call and changes with anything that shapes the answer', () => {
    const key = responseCacheKey(PARTS, HISTORY, TOOLS);
    expect(responseCacheKey({ ...PARTS }, [...HISTORY], TOOLS)).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const variants = [
      responseCacheKey({ ...PARTS, trial: 1 }, HISTORY, TOOLS),
      responseCacheKey({ ...PARTS, role: 'peer' }, HISTORY, TOOLS),
      responseCacheKey({ ...PARTS, temperature: 0 }, HISTORY, TOOLS),
      responseCacheKey({ ...PARTS, maxTokens: 100 }, HISTORY, TOOLS),
      responseCacheKey({ ...PARTS, baseUrl: 'http://other/v1' }, HISTORY, TOOLS),
      responseCacheKey({ ...PARTS, model: 'openai:other' }, HISTORY, TOOLS),
      responseCacheKey(PARTS, HISTORY.slice(0, 2), TOOLS),
      responseCacheKey(PARTS, [...HISTORY.slice(0, 3), new ToolMessage({ content: 'contents', tool_call_id: 'c9', name: 'read_file' })], TOOLS),
      responseCacheKey(PARTS, HISTORY, []),
    ];
    expect(new Set([key, ...variants]).size).toBe(variants.length + 1);
  });
});

describe('encodeResponse / decodeResponse', () => {
  it('round-trips what the agent reads and drops headers and keys', () => {
    const text = encodeResponse(answer());
    expect(text).not.toMatch(/sk-x|authorization|api_key|headers/i);
    const back = decodeResponse(text);
    expect(back.content).toBe('done');
    expect(back.tool_calls).toEqual(answer().tool_calls);
    expect(back.additional_kwargs.tool_calls).toEqual(answer().additional_kwargs.tool_calls);
    expect(back.usage_metadata).toEqual({ input_tokens: 3, output_tokens: 2, total_tokens: 5 });
    expect(back.response_metadata).toMatchObject({ model_name: 'test-model', usage: { total_tokens: 5 } });
  });
});

describe('invokeWithPolicy', () => {
  it('answers a repeated call from the cache without calling the model', async () => {
    const cache = new MemoryResponseCache();
    const model = fakeModel([answer()]);
    const first = await invokeWithPolicy(model.bound, HISTORY, TOOLS, policy({ cache }), () => {});
    const second = await invokeWithPolicy(model.bound, HISTORY, TOOLS, policy({ cache }), () => {});
    expect(model.calls()).toBe(1);
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, latencyMs: 0 });
    expect(second.response.tool_calls).toEqual(first.response.tool_calls);
    expect(cache.size()).toBe(1);
  });

  it('retries through the gate, reports each retry, and spends the episode budget', async () => {
    const rateLimited = Object.assign(new Error('429 slow down'), { status: 429, headers: new Headers({ 'retry-after': '2' }) });
    const model = fakeModel([rateLimited, rateLimited, answer()]);
    const gates = new GateRegistry({ perEndpoint: 8 });
    const budget = new RetryBudget(5);
    const retries: RetryInfo[] = [];
    const result = await invokeWithPolicy(model.bound, HISTORY, TOOLS, policy({ gate: gates.gate(PARTS.baseUrl), budget }), (r) => retries.push(r));
    expect(result.cached).toBe(false);
    expect(model.calls()).toBe(3);
    expect(retries.map((r) => [r.attempt, r.status, r.waitMs])).toEqual([[1, 429, 2000], [2, 429, 2000]]);
    expect(budget.spent).toBe(2);
    expect(gates.gate(PARTS.baseUrl).limit).toBe(2); // 8 → 4 → 2, one halving per call admitted since the last
  });

  it('stores nothing when the call fails', async () => {
    const cache = new MemoryResponseCache();
    const model = fakeModel([Object.assign(new Error('400 bad request'), { status: 400 })]);
    await expect(invokeWithPolicy(model.bound, HISTORY, TOOLS, policy({ cache }), () => {})).rejects.toThrow('400');
    expect(cache.size()).toBe(0);
  });
});
