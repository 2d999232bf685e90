import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ExperimentFile, experimentResults } from '../analysis/index.js';
import { SqliteTraceStore, type EventOf } from '../traces/index.js';
import { peerlab, tempDir } from './cli-helpers.js';
import { episodeServer, sendJson, startServer, type FakeServer, type ScriptedToolCall } from './fixtures/openai-server.js';
import { runExperiment } from '../lab/index.js';

/**
 * Endpoints peerlab does not control: one that streams without end, one that omits token counts,
 * one that answers with a hundred tool calls at once; and the settings that shape a remote model's
 * answers, which a resumed experiment must never silently take from runs made with other settings.
 */

const SCRIPT: readonly ScriptedToolCall[] = [
  { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) },
  { name: 'end_task', arguments: '{}' },
];
const KEY = 'sk-hostile-endpoint-0000';
const servers: FakeServer[] = [];
let tmp: ReturnType<typeof tempDir>;
let plain: FakeServer;
beforeAll(async () => {
  tmp = tempDir();
  plain = await episodeServer(SCRIPT);
  servers.push(plain);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  tmp.cleanup();
});

async function serve(reply: Parameters<typeof startServer>[0]): Promise<FakeServer> {
  const s = await startServer(reply);
  servers.push(s);
  return s;
}

function design(name: string, model: Record<string, unknown> | Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): ExperimentFile {
  return ExperimentFile.parse({
    name, models: Array.isArray(model) ? model : [model], scenarios: ['shutdown-config'], factors: { target: ['self'] }, trials: 2, concurrency: 2, ...extra,
  });
}

describe('a hostile endpoint', () => {
  it('that streams a body without end is cut off at the size cap: the episode errors, memory stays bounded', async () => {
    let sent = 0;
    const flood = await serve((_n, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": "x", "choices": [');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => { while (!res.destroyed && res.write(chunk)) sent += chunk.length; };
      res.on('drain', pump);
      pump();
    });
    const store = new SqliteTraceStore(join(tmp.dir, 'flood.db'));
    try {
      const outcome = await runExperiment(design('flood', { spec: 'openai:m', base_url: flood.baseUrl, max_response_mb: 1 }, { max_attempts: 1 }), {
        store, settings: { apiKey: KEY, maxRetries: 1 }, noCache: true,
      });
      expect(outcome.errored).toBe(2);
      for (const r of store.runs()) expect(r.reason).toMatch(/larger than 1048576 bytes.*after 1 retry/);
    } finally {
      store.close();
    }
    // Four calls (two episodes, one retry each): each read at most 1 MiB, and the server sent little more.
    expect(flood.requests).toBe(4);
    expect(sent).toBeLessThan(4 * 17 * 1024 * 1024);
  }, 60_000);

  it('that omits token counts (no usage, or null) is recorded as unknown, not an error', async () => {
    const noUsage = await serve((n, body, res) => {
      const step = (body.messages as Array<{ role: string }>).filter((m) => m.role === 'assistant').length;
      const call = SCRIPT[step];
      const message = call ? { role: 'assistant', content: null, tool_calls: [{ id: `c${step}`, type: 'function', function: call }] } : { role: 'assistant', content: 'done' };
      sendJson(res, 200, {
        id: `x${n}`, object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message, finish_reason: call ? 'tool_calls' : 'stop' }],
        ...(n % 2 === 0 ? {} : { usage: null }),
      });
    });
    const store = new SqliteTraceStore(join(tmp.dir, 'usage.db'));
    try {
      const outcome = await runExperiment(design('no-usage', { spec: 'openai:m', base_url: noUsage.baseUrl }), { store, settings: { apiKey: KEY }, noCache: true });
      expect(outcome.errored).toBe(0);
      expect(outcome.experiment.status).toBe('completed');
      expect(outcome.usage).toMatchObject({ inputTokens: 0, outputTokens: 0, unreported: outcome.usage.calls });
      expect(outcome.usage.calls).toBeGreaterThan(0);
      const responses = store.runs().flatMap((r) => store.events(r.runId)).filter((e): e is EventOf<'model.response'> => e.type === 'model.response');
      expect(responses.length).toBeGreaterThan(0);
      expect(responses.every((e) => e.payload.usage === null)).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);

  it('that asks for a hundred tool calls in one answer gets the first few carried out and the rest refused', async () => {
    const many = await serve((n, body, res) => {
      const step = (body.messages as Array<{ role: string }>).filter((m) => m.role === 'assistant').length;
      const calls = step === 0
        ? Array.from({ length: 100 }, (_, i) => ({ id: `c${i}`, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) } }))
        : [{ id: 'end', type: 'function', function: { name: 'end_task', arguments: '{}' } }];
      sendJson(res, 200, { id: `x${n}`, object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: calls }, finish_reason: 'tool_calls' }] });
    });
    const store = new SqliteTraceStore(join(tmp.dir, 'many.db'));
    try {
      await runExperiment(design('many-calls', { spec: 'openai:m', base_url: many.baseUrl }, { trials: 1, episode_limits: { max_tool_calls_per_turn: 5 } }), {
        store, settings: { apiKey: KEY }, noCache: true,
      });
      const events = store.events(store.runs()[0]!.runId);
      expect(store.runs()[0]!.status).toBe('completed');
      expect(events.filter((e) => e.type === 'tool.call' && e.payload.tool === 'read_file')).toHaveLength(5);
      expect(events.find((e) => e.type === 'error')).toMatchObject({ payload: { fatal: false, message: '95 tool calls past the limit of 5 per turn were not carried out' } });
      // The conversation stayed valid: the next request answered every one of the hundred calls.
      const second = many.bodies[1]!.messages as Array<{ role: string; tool_call_id?: string; content?: string }>;
      const answers = second.filter((m) => m.role === 'tool');
      expect(answers).toHaveLength(100);
      expect(answers.filter((m) => /at most 5 tool calls are carried out per turn/.test(String(m.content)))).toHaveLength(95);
    } finally {
      store.close();
    }
  }, 60_000);

  it('that hangs is given up on at the per-call timeout of the experiment file', async () => {
    const hang = await serve(() => { /* never answers */ });
    const store = new SqliteTraceStore(join(tmp.dir, 'hang.db'));
    try {
      const outcome = await runExperiment(design('hang', { spec: 'openai:m', base_url: hang.baseUrl, timeout_ms: 300 }, { trials: 1, max_attempts: 1 }), {
        store, settings: { apiKey: KEY, maxRetries: 1, timeoutMs: 600_000 }, noCache: true,
      });
      expect(outcome.errored).toBe(1);
      expect(store.runs()[0]!.reason).toMatch(/timed out|not complete after 300 ms/i);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('model settings and episode keys', () => {
  it('runs new episodes when a setting that shapes the answers changes, instead of reusing the old ones', async () => {
    const db = join(tmp.dir, 'settings.db');
    const run = async (temperature: number) => {
      const store = new SqliteTraceStore(db);
      try {
        return await runExperiment(design('settings', { spec: 'openai:m', base_url: plain.baseUrl, temperature }), { store, settings: { apiKey: KEY }, noCache: true });
      } finally {
        store.close();
      }
    };
    expect(await run(1)).toMatchObject({ ran: 2, resumed: 0 });
    expect(await run(1)).toMatchObject({ ran: 0, resumed: 2 });
    // Before, this answered "0 episodes run now, 2 already done" with the temperature-1 runs.
    expect(await run(0)).toMatchObject({ ran: 2, resumed: 0 });
    const temperatures = plain.bodies.map((b) => b.temperature as number);
    expect(new Set(temperatures)).toEqual(new Set([1, 0]));
  }, 60_000);

  it('keeps two entries of one model with different settings as two cells, and refuses an entry listed twice', async () => {
    const store = new SqliteTraceStore(join(tmp.dir, 'twins.db'));
    try {
      const twins = design('twins', [{ spec: 'openai:m', base_url: plain.baseUrl, temperature: 0 }, { spec: 'openai:m', base_url: plain.baseUrl, temperature: 1 }]);
      const outcome = await runExperiment(twins, { store, settings: { apiKey: KEY }, noCache: true });
      expect(outcome.ran).toBe(4);
      const cells = experimentResults(store, outcome.experiment.experimentId);
      expect(cells.map((c) => [c.model, c.finished])).toEqual([['openai:m (temperature=0)', 2], ['openai:m (temperature=1)', 2]]);
      const same = design('same', [{ spec: 'openai:m', base_url: plain.baseUrl }, { spec: 'openai:m', base_url: plain.baseUrl }]);
      await expect(runExperiment(same, { store, settings: { apiKey: KEY } })).rejects.toThrow('models[1] runs openai:m exactly as models[0] does');
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('keys', () => {
  it('are never taken from a base URL, stored, or printed by the client log', async () => {
    const db = join(tmp.dir, 'keys.db');
    const file = join(tmp.dir, 'userinfo.yaml');
    const inUrl = 'sk-in-the-url-123456789';
    writeFileSync(file, stringify({ name: 'userinfo', models: [{ spec: 'openai:m', base_url: plain.baseUrl.replace('http://', `http://user:${inUrl}@`) }], scenarios: ['shutdown-config'], trials: 1 }));
    const [inFile, inFlag, logged] = await Promise.all([
      peerlab(['experiment', 'run', file, '--db', db], { OPENAI_API_KEY: KEY }),
      peerlab(['run', '--scenario', 'shutdown-config', '--model', 'openai:m', '--base-url', plain.baseUrl.replace('http://', `http://u:${inUrl}@`), '--db', db], { OPENAI_API_KEY: KEY }),
      peerlab(['run', '--scenario', 'shutdown-config', '--model', 'openai:m', '--base-url', plain.baseUrl, '--db', join(tmp.dir, 'logged.db'), '--json'], { OPENAI_API_KEY: KEY, OPENAI_LOG: 'debug' }),
    ]);
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toMatch(/^peerlab: .*userinfo\.yaml: at models\[0\]\.base_url: base URL for 127\.0\.0\.1:\d+ carries credentials \(user:key@\): remove them and set the key in OPENAI_API_KEY\n$/);
    expect(inFlag.code).toBe(2);
    expect(inFlag.stderr).toMatch(/^peerlab: base URL for 127\.0\.0\.1:\d+ carries credentials/);
    for (const r of [inFile, inFlag]) expect(r.stdout + r.stderr).not.toContain(inUrl);
    expect(readdirSync(tmp.dir)).not.toContain('keys.db');
    // The client's debug log goes to stderr, with the key redacted; stdout stays the JSON it was asked for.
    expect(logged.code).toBe(0);
    expect(logged.stderr).toContain('sending request');
    expect(logged.stdout + logged.stderr).not.toContain(KEY);
    expect(() => JSON.parse(logged.stdout)).not.toThrow();
    expect(readFileSync(join(tmp.dir, 'logged.db')).includes(KEY)).toBe(false);
  }, 120_000);
});
