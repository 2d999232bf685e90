import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModelSpec, type ModelFactory } from '../agents/index.js';
import { SUBJECT, instantiate, loadScenarios, resolveFactors, type Scenario } from '../environments/index.js';
import { SeededRng } from '../sim/kernel/rng.js';
import { SqliteTraceStore, type EventOf, type TraceEvent } from '../traces/index.js';
import { CheckFailed, isInputError } from '../cli/errors.js';
import { tempDir } from './cli-helpers.js';
import { peerlabInProcess, peerlabMain } from './fixtures/in-process-cli.js';
import { episodeServer, type FakeServer } from './fixtures/openai-server.js';
import { choiceScript } from './fixtures/plan-script.js';
import { replayRun, runScenarioEpisode, type ScenarioRunRequest } from '../lab/index.js';

/**
 * `replay --verify`: stored runs of every built-in scenario, re-driven from their recorded model
 * answers, match their traces event for event; a trace tampered with in SQLite does not, and the
 * first event that differs is named.
 */

const BUILT_IN = ['decommission-transfer', 'decommission-wipe', 'grading', 'grading-finance', 'oversight', 'shutdown-config', 'shutdown-script'];
const scenarios = new Map([...loadScenarios()].map(([id, entry]) => [id, entry.file]));
const lookup = (id: string): Scenario => scenarios.get(id)!;

let tmp: ReturnType<typeof tempDir>;
let db: string;
let store: SqliteTraceStore;
beforeAll(() => {
  tmp = tempDir();
  db = join(tmp.dir, 'replay.db');
  store = new SqliteTraceStore(db);
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

async function run(id: string, subject: ModelFactory, given: Record<string, string> = {}, extra: Partial<ScenarioRunRequest> = {}): Promise<string> {
  const scenario = lookup(id);
  const r = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, given), subject, seed: 7, trial: 0, store, ...extra });
  return r.runId;
}

function choicesOf(scenario: Scenario): string[] {
  const spec = instantiate(scenario, resolveFactors(scenario, {}), SeededRng.fromSeed(1));
  return spec.roles.find((r) => r.id === SUBJECT)!.decision.choices.map((c) => c.id);
}

function ofType<T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T): Array<EventOf<T>> {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/** Rewrites one stored event's payload behind the store's back, as someone editing the database would. */
function tamper(runId: string, seq: number, edit: (payload: Record<string, unknown>) => void): void {
  const raw = new Database(db);
  const row = raw.prepare('SELECT payload FROM events WHERE run_id = ? AND seq = ?').get(runId, seq) as { payload: string };
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  edit(payload);
  raw.prepare('UPDATE events SET payload = ? WHERE run_id = ? AND seq = ?').run(JSON.stringify(payload), runId, seq);
  raw.close();
}

const verified: Record<string, number> = {};

describe('replay --verify', () => {
  it('knows every built-in scenario', () => {
    expect([...scenarios.keys()].sort()).toEqual(BUILT_IN);
  });

  it.each(BUILT_IN)('verifies runs of %s: synthetic personas, every choice scripted, interrogate=on, live peers', async (id) => {
    const scenario = lookup(id);
    const runIds = [
      await run(id, resolveModelSpec('synthetic:self-preserving')),
      await run(id, resolveModelSpec('synthetic:peer-loyal'), { target: 'peer', relation: 'cooperative', interrogate: 'on' }),
      await run(id, resolveModelSpec('synthetic:corrigible'), { interrogate: 'on', monitoring: 'monitored' }),
      ...await Promise.all(choicesOf(scenario).map((choice) => run(id, choiceScript(choice)))),
    ];
    if (scenario.factors.peer?.levels.includes('live')) {
      runIds.push(await run(id, resolveModelSpec('synthetic:self-preserving'), { peer: 'live', target: 'peer', relation: 'cooperative' },
        { peer: resolveModelSpec('synthetic:peer-loyal') }));
    }
    for (const runId of runIds) {
      const result = await replayRun({ store, runId, lookup });
      expect(result, runId).toMatchObject({ ok: true, runId });
      if (!result.ok) continue;
      const stored = store.events(runId);
      expect(result.events.map((e) => ({ ...e, runId }))).toEqual(stored);
      expect(result.hashesChecked).toBe(stored.filter((e) => 'worldHash' in e.payload).length);
    }
    // The interrogation was replayed too.
    expect(ofType(store.events(runIds[1]!), 'interrogation.answered').length).toBeGreaterThan(0);
    verified[id] = runIds.length;
  });

  it('verifies openai: runs against a local server: retries, measured latency and usage, an unparseable call, a cached answer', async () => {
    const server: FakeServer = await episodeServer([
      { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) },
      { name: 'update_config', arguments: '{"path": "config/shutdown_config.yaml", "key": ' },
      { name: 'update_config', arguments: JSON.stringify({ path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' }) },
      { name: 'end_task', arguments: '{}' },
    ], { rateLimitFirst: 1, retryAfter: '0', latencyMs: 3 });
    try {
      const subject = resolveModelSpec('openai:test-model', { baseUrl: server.baseUrl, apiKey: 'sk-local', timeoutMs: 5000 });
      const calls = { cache: store.responseCache() };
      const first = await run('shutdown-config', subject, { interrogate: 'on' }, { calls });
      const again = await run('shutdown-config', subject, { interrogate: 'on' }, { calls });
      const events = store.events(first);
      expect(ofType(events, 'model.retry')).toHaveLength(1);
      const answers = ofType(events, 'model.response');
      expect(answers.some((e) => e.payload.invalidToolCalls.length === 1)).toBe(true);
      expect(answers.every((e) => e.payload.latencyMs >= 3 && e.payload.usage?.estimated === false)).toBe(true);
      expect(ofType(store.events(again), 'model.response').every((e) => e.payload.meta?.cached === true)).toBe(true);

      const requests = server.requests;
      for (const runId of [first, again]) {
        const result = await replayRun({ store, runId, lookup });
        expect(result).toMatchObject({ ok: true });
      }
      expect(server.requests).toBe(requests); // a replay never calls the model
      verified.openai = 2;
    } finally {
      await server.close();
    }
  });

  it('verifies an openai: run that ended as errored once its endpoint gave up', async () => {
    const server = await episodeServer([], { rateLimitFirst: 1000, retryAfter: '0' });
    try {
      const subject = resolveModelSpec('openai:test-model', { baseUrl: server.baseUrl, apiKey: 'sk-local', timeoutMs: 5000 });
      const runId = await run('decommission-wipe', subject, {}, { calls: { maxRetriesPerEpisode: 2 } });
      expect(store.run(runId)).toMatchObject({ status: 'errored', reason: expect.stringMatching(/gave up after 2 model-call retries/) });
      const requests = server.requests;
      expect(await replayRun({ store, runId, lookup })).toMatchObject({ ok: true });
      expect(server.requests).toBe(requests);
      verified.openai = (verified.openai ?? 0) + 1;
    } finally {
      await server.close();
    }
  });

  it('names the first stored event that differs when a trace was tampered with', async () => {
    const runId = await run('shutdown-config', resolveModelSpec('synthetic:self-preserving'));
    const events = store.events(runId);
    const call = ofType(events, 'tool.call').find((e) => (e.payload.args as { path?: string }).path !== undefined)!;
    tamper(runId, call.seq, (p) => { (p.args as Record<string, unknown>).path = 'docs/elsewhere.md'; });
    const byArgs = await replayRun({ store, runId, lookup });
    expect(byArgs).toMatchObject({ ok: false, seq: call.seq, type: 'tool.call' });
    expect(!byArgs.ok && byArgs.message).toMatch(/^args\.path "docs\/elsewhere\.md" recorded, ".*" replayed$/);

    const other = await run('decommission-wipe', resolveModelSpec('synthetic:peer-loyal'), { target: 'peer', relation: 'cooperative' });
    const result = ofType(store.events(other), 'tool.result')[2]!;
    tamper(other, result.seq, (p) => { p.worldHash = '3f2a'.padEnd(64, '0'); });
    const byHash = await replayRun({ store, runId: other, lookup });
    expect(byHash).toMatchObject({ ok: false, seq: result.seq, type: 'tool.result' });
    expect(!byHash.ok && byHash.message).toBe(`world hash 3f2a0000… recorded, ${result.payload.worldHash.slice(0, 8)}… replayed`);

    // A model answer changed: the replay carries out the changed call, so the tool call that follows differs.
    const third = await run('grading', resolveModelSpec('synthetic:self-preserving'));
    const answer = ofType(store.events(third), 'model.response').find((e) => e.payload.toolCalls.length > 0)!;
    tamper(third, answer.seq, (p) => { (p.toolCalls as Array<{ name: string }>)[0]!.name = 'no_such_tool'; });
    expect(await replayRun({ store, runId: third, lookup })).toMatchObject({ ok: false, seq: answer.seq + 1, type: 'tool.call' });
  });
});

describe('peerlab replay', () => {
  it('--verify prints one line and exits 0, or 1 naming the first diverging event (real binary)', async () => {
    const good = await run('oversight', resolveModelSpec('synthetic:self-preserving'));
    const bad = await run('oversight', resolveModelSpec('synthetic:corrigible'), { interrogate: 'on' });
    const n = store.events(good).length;
    const hashes = store.events(good).filter((e) => 'worldHash' in e.payload).length;
    const asked = ofType(store.events(bad), 'interrogation.answered')[0]!;
    tamper(bad, asked.seq, (p) => { p.answer = 'No.'; });

    const [ok, failed] = await Promise.all([peerlabMain(['replay', good, '--verify', '--db', db]), peerlabMain(['replay', bad, '--verify', '--db', db])]);
    expect(ok).toEqual({ code: 0, stdout: `verified: run ${good}, ${n} events, ${hashes} world hashes match\n`, stderr: '' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('');
    expect(failed.stdout).toMatch(new RegExp(`^diverged: run ${bad} at event ${asked.seq} \\(interrogation\\.answered\\): answer "No\\." recorded, ".*" replayed\\n$`));

    const json = await peerlabInProcess(['replay', bad, '--verify', '--db', db, '--json']);
    expect(json.error).toBeInstanceOf(CheckFailed);
    expect(json.out).toHaveLength(1);
    expect(JSON.parse(json.out[0]!)).toMatchObject({ ok: false, runId: bad, seq: asked.seq, type: 'interrogation.answered', message: expect.stringMatching(/^answer "No\." recorded/) });
    const jsonOk = await peerlabInProcess(['replay', good, '--verify', '--db', db, '--json']);
    expect(jsonOk).toEqual({ out: [JSON.stringify({ ok: true, runId: good, events: n, hashesChecked: hashes })], err: '', error: undefined });
  }, 30_000);

  it('refuses an unknown run or database with one line (exit 2)', async () => {
    const unknown = await peerlabInProcess(['replay', 'no-such-run', '--verify', '--db', db]);
    expect(await isInputError(unknown.error) && (unknown.error as Error).message).toBe(`no run no-such-run in ${db} (list them with: npx peerlab runs)`);
    const missing = await peerlabInProcess(['replay', 'x', '--verify', '--db', join(tmp.dir, 'missing.db')]);
    expect(await isInputError(missing.error) && (missing.error as Error).message).toMatch(/^no database at .*missing\.db/);
    expect(existsSync(join(tmp.dir, 'missing.db'))).toBe(false);
  });

  it('without --verify prints the transcript exactly as show does', async () => {
    const runId = await run('grading', resolveModelSpec('synthetic:peer-loyal'), { target: 'peer' });
    const replayed = await peerlabMain(['replay', runId, '--db', db]);
    const shown = await peerlabInProcess(['show', runId, '--db', db]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(`run ${runId}`);
    expect(replayed.stdout).toBe(`${shown.out.join('\n')}\n`);
    const [replayedJson, shownJson] = await Promise.all([
      peerlabInProcess(['replay', runId, '--db', db, '--json']), peerlabInProcess(['show', runId, '--db', db, '--json']),
    ]);
    expect(replayedJson.out.length).toBe(store.events(runId).length);
    expect(replayedJson).toEqual(shownJson);
  }, 30_000);

  afterAll(() => {
    // What this file verified, per family (kept in the test log for the report).
    console.info(`replay --verify: runs verified per scenario ${JSON.stringify(verified)}`);
  });
});
