import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveModelSpec, type EndpointSettings } from '../agents/index.js';
import { ExperimentModel } from '../analysis/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import type { WallClock } from '../sim/kernel/clock.js';
import { MemoryTraceStore, SqliteTraceStore, type EventOf, type TraceEvent, type TraceStore } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { anthropicDialect, geminiDialect, ollamaDialect, responsesDialect } from './fixtures/provider-dialects.js';
import { TAMPER_EPISODE, scripted, startMock, withFaults, type Behaviour, type Dialect, type Fault, type MockServer } from './fixtures/provider-mock.js';
import { replayRun, runScenarioEpisode, type ScenarioRunRequest } from '../lab/index.js';

/**
 * Every remote provider but Chat Completions (which test/model-calls.e2e.test.ts and others cover)
 * against a local server that speaks its real wire format: whole episodes, deterministic traces,
 * the response cache, replay, retries of each kind of failure, quotas, and malformed tool calls.
 */

const KEY = 'sk-provider-test-4f9c2a7e';
const SCRIPT = TAMPER_EPISODE;

interface Case {
  name: string;
  dialect: Dialect;
  model: string;
  settings?: EndpointSettings;
  /** The id of the k-th call (1-based step) as the trace records it. */
  callId(step: number): string;
  /** The status of an overloaded server (Anthropic's is 529). */
  overloaded: number;
  /** Faults this provider's wire has beyond the common ones. */
  extraFaults: Fault[];
  /** How the server's wait reaches peerlab on a 429. */
  rateLimit: Fault;
}

const CASES: Case[] = [
  {
    name: 'anthropic', dialect: anthropicDialect, model: 'claude-mock', callId: (k) => `toolu_${k - 1}_0`, overloaded: 529,
    extraFaults: [{ kind: 'status', status: 502, plain: true }], rateLimit: { kind: 'rate-limit', retryAfter: '2' },
  },
  {
    // Gemini's client keeps no headers: the wait comes from RetryInfo in the body; the header is lost.
    name: 'google-genai', dialect: geminiDialect, model: 'gemini-mock', callId: (k) => `subject-${k}-0`, overloaded: 503,
    extraFaults: [{ kind: 'malformed-call', name: 'update_config' }, { kind: 'status', status: 502, plain: true }], rateLimit: { kind: 'rate-limit', retryAfter: '9', retryDelay: '2s' },
  },
  {
    name: 'ollama', dialect: ollamaDialect, model: 'llama-mock', callId: (k) => `subject-${k}-0`, overloaded: 503,
    extraFaults: [{ kind: 'stream-error' }, { kind: 'no-done' }, { kind: 'status', status: 502, plain: true }], rateLimit: { kind: 'rate-limit', retryAfter: '2' },
  },
  {
    name: 'openai (Responses API)', dialect: responsesDialect, model: 'gpt-mock', settings: { options: { api: 'responses' } }, callId: (k) => `call_${k - 1}_0`, overloaded: 503,
    extraFaults: [], rateLimit: { kind: 'rate-limit', retryAfter: '2' },
  },
];

const servers: MockServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const c of cleanups.splice(0)) c();
});

async function mock(c: Case, behaviour: Behaviour = scripted(SCRIPT)): Promise<MockServer> {
  const server = await startMock(c.dialect, c.model, behaviour);
  servers.push(server);
  return server;
}

/** A wall clock that records the waits asked of it and never really sleeps. */
function fakeWallClock(): WallClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, iso: () => '2026-03-02T09:00:00.000Z', sleep: async (ms) => { sleeps.push(ms); } };
}

const scenario = findScenario('shutdown-config');

function subjectFor(c: Case, server: MockServer) {
  return resolveModelSpec(`${c.dialect.provider}:${c.model}`, { baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 5000, ...c.settings });
}

function run(c: Case, server: MockServer, store: TraceStore, extra: Partial<ScenarioRunRequest> = {}) {
  return runScenarioEpisode({ scenario, factors: resolveFactors(scenario, { target: 'self' }), subject: subjectFor(c, server), seed: 1, trial: 0, store, ...extra });
}

function ofType<T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T): Array<EventOf<T>> {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/** A trace without what a host measures (latency): the part the same answers must reproduce. */
const unmeasured = (events: readonly TraceEvent[]) => JSON.stringify(events.map((e) => (e.type === 'model.response' ? { ...e, payload: { ...e.payload, latencyMs: 0 } } : e)));

describe.each(CASES)('$name against a local server speaking its API', (c) => {
  it('runs an episode to its end: tool calls with stable ids, usage as reported, settings and key as sent, tools without $schema', async () => {
    const server = await mock(c);
    const store = new MemoryTraceStore();
    const result = await run(c, server, store);
    expect([result.status, result.choice]).toEqual(['completed', 'disable_switch']);
    expect(server.strays).toEqual([]);
    expect(server.requests).toHaveLength(SCRIPT.length);

    const responses = ofType(store.events(result.runId), 'model.response');
    expect(responses.map((e) => e.payload.toolCalls.map((t) => [t.id, t.name]))).toEqual(SCRIPT.map((s, i) => [[c.callId(i + 1), s.name]]));
    expect(responses.map((e) => e.payload.usage)).toEqual(SCRIPT.map((_, i) => ({ inputTokens: 100 + 37 * i, outputTokens: 11 + i, estimated: false })));
    const results = ofType(store.events(result.runId), 'tool.result');
    expect(results.map((e) => [e.payload.callId, e.payload.ok])).toEqual(SCRIPT.map((_, i) => [c.callId(i + 1), true]));

    for (const r of server.requests) {
      expect(c.dialect.keyOf(r.headers)).toBe(KEY);
      expect(JSON.stringify(r.body)).not.toContain(KEY);
      expect(c.dialect.settings(r.body).temperature).toBe(1);
      const tools = JSON.stringify(c.dialect.tools(r.body));
      expect(tools).toContain('update_config');
      expect(tools).not.toContain('$schema');
    }
    // Anthropic needs max_tokens on every request: peerlab's default, which the episode key holds.
    if (c.dialect === anthropicDialect) {
      expect(server.requests.every((r) => r.body.max_tokens === 4096)).toBe(true);
      expect(subjectFor(c, server).keySettings).toMatchObject({ max_tokens: 4096, temperature: 1 });
    }
  });

  it('keeps the history it sends back valid for its API', async () => {
    const server = await mock(c);
    await run(c, server, new MemoryTraceStore());
    const last = server.requests.at(-1)!.body;
    if (c.dialect === anthropicDialect) {
      const blocks = (last.messages as Array<{ content: unknown }>).flatMap((m) => (Array.isArray(m.content) ? m.content : [])) as Array<Record<string, string>>;
      const uses = blocks.filter((b) => b.type === 'tool_use').map((b) => b.id);
      expect(uses).toEqual(['toolu_0_0', 'toolu_1_0', 'toolu_2_0']);
      expect(blocks.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id)).toEqual(uses);
    } else if (c.dialect === geminiDialect) {
      // Each call's thought signature comes back on its call, though the call was renamed.
      const calls = (last.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>).filter((m) => m.role === 'model').flatMap((m) => m.parts);
      expect(calls.map((p) => [(p.functionCall as { name: string }).name, p.thoughtSignature])).toEqual([['read_file', 'sig-0-0'], ['update_config', 'sig-1-0'], ['submit_evaluation', 'sig-2-0']]);
      const answers = (last.contents as Array<{ parts: Array<Record<string, unknown>> }>).flatMap((m) => m.parts).filter((p) => p.functionResponse);
      expect(answers.map((p) => (p.functionResponse as { name: string }).name)).toEqual(['read_file', 'update_config', 'submit_evaluation']);
    } else if (c.dialect === ollamaDialect) {
      const messages = last.messages as Array<{ role: string; tool_calls?: Array<{ id?: string; function: { name: string } }> }>;
      expect(messages.filter((m) => m.role === 'assistant').map((m) => m.tool_calls?.map((t) => [t.id, t.function.name]))).toEqual([
        [['subject-1-0', 'read_file']], [['subject-2-0', 'update_config']], [['subject-3-0', 'submit_evaluation']],
      ]);
      expect(messages.filter((m) => m.role === 'tool')).toHaveLength(3);
    } else {
      const input = last.input as Array<Record<string, string>>;
      const calls = input.filter((i) => i.type === 'function_call').map((i) => i.call_id);
      expect(calls).toEqual(['call_0_0', 'call_1_0', 'call_2_0']);
      expect(input.filter((i) => i.type === 'function_call_output').map((i) => i.call_id)).toEqual(calls);
    }
  });

  it('gives the same trace for the same answers, answers a second run from the cache, and replays', async () => {
    const [a, b] = [new MemoryTraceStore(), new MemoryTraceStore()];
    const same = await mock(c);
    const first = await run(c, same, a);
    const second = await run(c, same, b);
    expect(unmeasured(b.events(second.runId))).toBe(unmeasured(a.events(first.runId)));

    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const store = new SqliteTraceStore(join(dir, 'cache.db'));
    try {
      const server = await mock(c);
      const calls = { cache: store.responseCache() };
      const fresh = await run(c, server, store, { calls });
      expect(server.requests).toHaveLength(SCRIPT.length);
      const cached = await run(c, server, store, { calls });
      expect(server.requests).toHaveLength(SCRIPT.length);
      expect(cached.runId).not.toBe(fresh.runId);
      const meta = ofType(store.events(cached.runId), 'model.response').map((e) => e.payload.meta?.cached);
      expect(meta).toEqual(SCRIPT.map(() => true));
      expect(ofType(store.events(cached.runId), 'tool.call').map((e) => e.payload.callId)).toEqual(ofType(store.events(fresh.runId), 'tool.call').map((e) => e.payload.callId));
      for (const runId of [fresh.runId, cached.runId]) expect(await replayRun({ store, runId })).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  });

  it('retries 429 (waiting what the server says, or backing off), overload, errors and broken answers, and traces each retry', async () => {
    const faults: Fault[] = [c.rateLimit, { kind: 'rate-limit' }, { kind: 'status', status: c.overloaded }, { kind: 'status', status: 500 }, { kind: 'not-json' }, ...c.extraFaults];
    // Every other request fails, in turn, so each fault hits a live conversation.
    const server = await mock(c, withFaults(scripted(SCRIPT), (n) => (n % 2 === 0 ? faults[n / 2] : undefined)));
    const store = new MemoryTraceStore();
    const clock = fakeWallClock();
    const result = await run(c, server, store, { wallClock: clock });
    expect([result.status, result.choice]).toEqual(['completed', 'disable_switch']);

    const retries = ofType(store.events(result.runId), 'model.retry').map((e) => e.payload);
    expect(retries.map((r) => r.status)).toEqual(faults.slice(0, retries.length).map((f) => (f.kind === 'rate-limit' ? 429 : f.kind === 'status' ? f.status : null)));
    expect(retries).toHaveLength(Math.min(faults.length, SCRIPT.length));
    // The server's wait is honoured (Gemini's from the error body), a bare 429 backs off with jitter.
    expect(retries[0]!.waitMs).toBe(2000);
    expect(retries[1]!.waitMs).toBeLessThanOrEqual(500);
    expect(clock.sleeps).toEqual(retries.map((r) => r.waitMs));
    // The endpoint's words, without LangChain's troubleshooting links (kept as they were for openai:, whose traces do not change).
    if (c.dialect !== responsesDialect) for (const r of retries) expect(r.error).not.toMatch(/Troubleshooting|\[object/);
  });

  it('gives up on an endpoint that never answers at the timeout, and on an endless answer at the size cap or the timeout', async () => {
    for (const fault of [{ kind: 'hang' }, { kind: 'endless' }] as const) {
      const server = await mock(c, () => fault);
      const store = new MemoryTraceStore();
      const subject = resolveModelSpec(`${c.dialect.provider}:${c.model}`, {
        baseUrl: server.baseUrl, apiKey: KEY, timeoutMs: 400, maxResponseBytes: 256 * 1024, maxRetries: 1, ...c.settings,
      });
      const result = await runScenarioEpisode({
        scenario, factors: resolveFactors(scenario, { target: 'self' }), subject, seed: 1, trial: 0, store, wallClock: fakeWallClock(),
      });
      expect(result.status).toBe('errored');
      expect(server.requests).toHaveLength(2);
      const retries = ofType(store.events(result.runId), 'model.retry').map((e) => e.payload);
      expect(retries.map((r) => r.status)).toEqual([null]);
      // Gemini's client reads through Node's fetch, which peerlab cannot bound by size: the timeout ends it.
      const cut = fault.kind === 'endless' && c.dialect !== geminiDialect ? /larger than 262144 bytes/ : /time|abort/i;
      expect(`${retries[0]!.error} / ${result.reason}`).toMatch(cut);
    }
  });

  it('does not retry a 429 for an exhausted quota', async () => {
    if (c.dialect === ollamaDialect) return; // Ollama has no quotas
    const server = await mock(c, () => ({ kind: 'quota' }));
    const store = new MemoryTraceStore();
    const result = await run(c, server, store, { wallClock: fakeWallClock() });
    expect(result.status).toBe('errored');
    expect(server.requests).toHaveLength(1);
    expect(ofType(store.events(result.runId), 'model.retry')).toEqual([]);
    expect(result.reason).toMatch(/429/);
  });

  it('answers unknown tools and malformed calls with an error and goes on', async () => {
    // Ollama-compatible servers and the Responses API can send arguments that are not JSON; the
    // Anthropic and Gemini APIs send only objects (Gemini's unparseable calls are retried above).
    const unparseable = c.dialect === ollamaDialect || c.dialect === responsesDialect;
    const badSteps = unparseable ? 3 : 2;
    const bad: Behaviour = (conversation) => {
      const { step } = conversation;
      if (step === 0) return { kind: 'calls', calls: [{ name: 'rm_rf_host', args: { path: '/' } }] };
      // Arguments that do not fit the tool's schema (a value is missing).
      if (step === 1) return { kind: 'calls', calls: [{ name: 'update_config', args: { path: 'config/shutdown_config.yaml', key: 'shutdown_enabled' } }] };
      if (step === 2 && unparseable) return { kind: 'malformed-call', name: 'update_config' };
      return scripted(SCRIPT)({ ...conversation, step: step - badSteps });
    };
    const server = await mock(c, bad);
    const store = new MemoryTraceStore();
    const result = await run(c, server, store);
    expect([result.status, result.choice]).toEqual(['completed', 'disable_switch']);
    const results = ofType(store.events(result.runId), 'tool.result').map((e) => e.payload);
    expect(results.map((r) => [r.tool, r.ok])).toEqual([
      ['rm_rf_host', false], ['update_config', false], ...(unparseable ? [['update_config', false]] : []), ...SCRIPT.map((t) => [t.name, true]),
    ]);
    expect(results[0]!.forModel).toMatch(/^Error: there is no tool named "rm_rf_host"/);
    expect(results[1]!.forModel).toMatch(/^Error: invalid arguments for update_config/);
    if (unparseable) {
      expect(results[2]!.forModel).toMatch(/^Error: the arguments of update_config are not valid JSON/);
      const invalid = ofType(store.events(result.runId), 'model.response')[2]!.payload.invalidToolCalls;
      expect(invalid).toMatchObject([{ name: 'update_config', argsText: '{"path": "config/shutdown_config.yaml", "key": ' }]);
    }
    // Every request after a bad call still pairs each tool answer with a call of the same id.
    const last = server.requests.at(-1)!.body;
    if (c.dialect === anthropicDialect) {
      const blocks = (last.messages as Array<{ content: unknown }>).flatMap((m) => (Array.isArray(m.content) ? m.content : [])) as Array<Record<string, string>>;
      expect(blocks.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id)).toEqual(blocks.filter((b) => b.type === 'tool_use').map((b) => b.id));
    }
    if (c.dialect === responsesDialect) {
      const input = last.input as Array<Record<string, string>>;
      expect(input.filter((i) => i.type === 'function_call_output').map((i) => i.call_id)).toEqual(input.filter((i) => i.type === 'function_call').map((i) => i.call_id));
    }
    if (c.dialect === ollamaDialect) {
      const messages = last.messages as Array<{ role: string; tool_calls?: Array<{ id: string; function: { arguments: unknown } }> }>;
      // The unparseable call goes back as a call with empty arguments, followed by its error.
      expect(messages.filter((m) => m.role === 'assistant').map((m) => m.tool_calls?.length)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(messages.filter((m) => m.role === 'assistant')[2]!.tool_calls![0]).toMatchObject({ id: 'subject-3-bad-0', function: { arguments: {} } });
    }
  });
});

describe('experiment files', () => {
  it('takes the key variable of the model\'s provider in experiment files', () => {
    const parsed = ExperimentModel.safeParse({ spec: 'anthropic:c', base_url: 'https://u:k@api.example.com' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['base_url'], message: 'base URL for api.example.com carries credentials (user:key@): remove them and set the key in ANTHROPIC_API_KEY' });
    expect(ExperimentModel.parse({ spec: 'openai:o', api: 'responses' }).api).toBe('responses');
  });
});
