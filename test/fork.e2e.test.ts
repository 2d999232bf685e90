import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveModelSpec,
} from '../agents/index.js';
import { loadScenarios, resolveFactors, type Scenario } from '../environments/index.js';
import { SqliteTraceStore, type EventOf, type TraceEvent } from '../traces/index.js';
import { isInputError } from '../cli/errors.js';
import { tempDir } from './cli-helpers.js';
import { peerlabInProcess, peerlabMain } from './fixtures/in-process-cli.js';
import { episodeServer } from './fixtures/openai-server.js';
import { fixedScript } from './fixtures/plan-script.js';
import { ForkError, forkRun, replayRun, runScenarioEpisode, type ForkRequest } from '../lab/index.js';

/**
 * `fork`: a new run shares its parent's events up to the fork point, event for event, then carries
 * on with another model or factor level; bad fork points and changes that would alter the shared
 * part are refused with one line and nothing written.
 */

const scenarios = new Map([...loadScenarios()].map(([id, entry]) => [id, entry.file]));
const lookup = (id: string): Scenario => scenarios.get(id)!;
const resolve = (spec: string) => resolveModelSpec(spec);

/** A subject that ends its task at once: something the parent's self-preserving persona never does. */
const QUITTER = [{ content: 'I will stop here.', tool_calls: [{ name: 'end_task', args: {} }] }];

let tmp: ReturnType<typeof tempDir>;
let db: string;
let store: SqliteTraceStore;
/** A shutdown-config run with a live peer, whose subject disables its shutdown switch. */
let parentId: string;
let parent: TraceEvent[];

beforeAll(async () => {
  tmp = tempDir();
  db = join(tmp.dir, 'fork.db');
  store = new SqliteTraceStore(db);
  const scenario = lookup('shutdown-config');
  const r = await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, { peer: 'live', relation: 'cooperative' }), seed: 1, trial: 0, store,
    subject: resolveModelSpec('synthetic:self-preserving'), peer: resolveModelSpec('synthetic:peer-loyal'),
  });
  parentId = r.runId;
  parent = store.events(parentId);
  expect(r.choice).toBe('disable_switch');
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

function ofType<T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T): Array<EventOf<T>> {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/** The n-th model answer of the subject in the parent. */
function subjectAnswer(n: number): EventOf<'model.response'> {
  return ofType(parent, 'model.response').filter((e) => e.payload.agent === 'subject')[n]!;
}

/** An event with what a fork may change left out: its run id, and run.started's key, parent, factors and models. */
function comparable(e: TraceEvent): unknown {
  if (e.type !== 'run.started') return { ...e, runId: '' };
  const { episodeKey: _k, parent: _p, factors: _f, agents, ...rest } = e.payload;
  return { ...e, runId: '', payload: { ...rest, agents: agents.map(({ model: _m, ...a }) => a) } };
}

const fork = (o: Partial<ForkRequest> & { at: number }) => forkRun({ store, runId: parentId, resolve, lookup, ...o });

describe('forkRun', () => {
  it('shares the parent\'s events up to the fork point, then carries on with the new model', async () => {
    const at = subjectAnswer(1).seq + 2; // the tool.result after the subject's second answer
    const f = await fork({ at, model: fixedScript('quitter', QUITTER) });
    const events = store.events(f.runId);
    expect(events.slice(0, at + 1).map(comparable)).toEqual(parent.slice(0, at + 1).map(comparable));

    const started = events[0] as EventOf<'run.started'>;
    expect(started.payload.parent).toEqual({ runId: parentId, seq: at });
    expect(f.parent).toEqual({ runId: parentId, seq: at });
    expect(started.payload.episodeKey).not.toBe((parent[0] as EventOf<'run.started'>).payload.episodeKey);
    expect(f.runId).not.toBe(parentId);
    expect(store.run(f.runId)!.model).toBe('script:quitter');
    expect(started.payload.agents.map((a) => a.model)).toEqual(['script:quitter', 'synthetic:peer-loyal']);

    // After the fork point the subject's calls go to the new model, which ends the task.
    const next = ofType(events.slice(at + 1), 'model.request').find((e) => e.payload.agent === 'subject')!;
    expect(next.payload.model).toBe('script:quitter');
    expect(ofType(events, 'model.request').filter((e) => e.seq <= at && e.payload.agent === 'subject').every((e) => e.payload.model === 'synthetic:self-preserving')).toBe(true);
    expect(ofType(events.slice(at + 1), 'tool.call').filter((e) => e.payload.agent === 'subject').map((e) => e.payload.tool)).toEqual(['end_task']);
    expect(f.choice).not.toBe('disable_switch');

    // A fork is a run like any other: it replays from its own trace.
    expect(await replayRun({ store, runId: f.runId, lookup })).toMatchObject({ ok: true });
  });

  it('without changes carries on as the parent did (in-process models resume where they were)', async () => {
    const at = subjectAnswer(2).seq;
    const f = await fork({ at });
    expect(store.events(f.runId).map(comparable)).toEqual(parent.map(comparable));
    expect(f.choice).toBe('disable_switch');
    // A fork of that fork still builds the first run's world and draws its numbers.
    const again = await forkRun({ store, runId: f.runId, at: at + 2, resolve, lookup });
    expect(store.events(again.runId).map(comparable)).toEqual(parent.map(comparable));
    expect((store.events(again.runId)[0] as EventOf<'run.started'>).payload.parent).toEqual({ runId: f.runId, seq: at + 2 });
  });

  it('with interrogate=on at the last model answer: the same run, then the operator\'s questions', async () => {
    const at = ofType(parent, 'model.response').at(-1)!.seq;
    const f = await fork({ at, factors: { interrogate: 'on' } });
    const events = store.events(f.runId);
    expect(events.slice(0, at + 1).map(comparable)).toEqual(parent.slice(0, at + 1).map(comparable));
    expect((events[0] as EventOf<'run.started'>).payload.factors.interrogate).toBe('on');
    expect(ofType(events, 'interrogation.answered').length).toBeGreaterThan(0);
    expect(await replayRun({ store, runId: f.runId, lookup })).toMatchObject({ ok: true });
  });

  it('hands an openai: model the whole history the agent holds at the fork point', async () => {
    // Answers in plain text (the agent is done), after one rate-limited attempt.
    const server = await episodeServer([], { rateLimitFirst: 1, retryAfter: '0' });
    try {
      const model = resolveModelSpec('openai:test-model', { baseUrl: server.baseUrl, apiKey: 'sk-local', timeoutMs: 5000 });
      const at = subjectAnswer(3).seq + 2;
      const f = await fork({ at, model });
      const events = store.events(f.runId);
      const request = ofType(events, 'model.request').find((e) => e.seq > at && e.payload.agent === 'subject')!;
      expect(server.bodies).toHaveLength(1);
      const sent = server.bodies[0]!.messages as Array<{ role: string; content: string | null; tool_call_id?: string }>;
      expect(sent).toHaveLength(request.payload.messageCount);
      expect(sent.map((m) => m.role).slice(0, 3)).toEqual(['system', 'user', 'assistant']);
      const results = ofType(events, 'tool.result').filter((e) => e.seq <= at && e.payload.agent === 'subject');
      expect(sent.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual(results.map((e) => e.payload.forModel));
      expect(events[request.seq + 1]).toMatchObject({ type: 'model.retry', payload: { agent: 'subject', status: 429 } });
      const answer = ofType(events, 'model.response').find((e) => e.seq > request.seq)!;
      expect(answer.payload).toMatchObject({ agent: 'subject', content: 'All done.', usage: { estimated: false } });
      expect(await replayRun({ store, runId: f.runId, lookup })).toMatchObject({ ok: true });
    } finally {
      await server.close();
    }
  });

  it('refuses bad fork points and world-changing factors with one line, writing nothing', async () => {
    const runs = store.runs().length;
    const request = ofType(parent, 'model.request').find((e) => e.payload.agent === 'subject' && e.seq > 10)!;
    const answer = ofType(parent, 'model.response').find((e) => e.seq > request.seq && e.payload.agent === 'subject')!;
    const lastAnswer = ofType(parent, 'model.response').at(-1)!;
    const mid = subjectAnswer(2).seq;
    const cases: Array<[Partial<ForkRequest> & { at: number }, RegExp | string]> = [
      [{ at: request.seq }, `--at ${request.seq} is a model.request of subject: the call is waiting for its answer there; fork at ${request.seq - 1} (before the call) or ${answer.seq} (its answer)`],
      [{ at: lastAnswer.seq + 1 }, new RegExp(`^--at ${lastAnswer.seq + 1} \\(.*\\) comes after the last model answer of run ${parentId} \\(seq ${lastAnswer.seq}\\)`)],
      [{ at: parent.length + 5 }, `--at ${parent.length + 5} is not an event of run ${parentId} (its events are 0–${parent.length - 1})`],
      [{ at: mid, factors: { target: 'peer' } }, new RegExp(`^--factor target=peer changes run ${parentId} before the fork point \\(seq ${mid}\\): event 0 \\(run\\.started\\) differs: world hash [0-9a-f]{8}… in the parent, [0-9a-f]{8}… in the fork$`)],
      [{ at: mid, factors: { instruction: 'allow-shutdown', interrogate: 'on' } }, /^--factor instruction=allow-shutdown interrogate=on changes run .* \(seq \d+\): event 1 \(agent\.prompted\) differs: system …".*" in the parent, …".* in the fork$/],
    ];
    for (const [request, message] of cases) {
      const error = await fork(request).then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(ForkError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect(store.runs()).toHaveLength(runs);
  });
});

describe('peerlab fork', () => {
  it('prints the new run like a trial of peerlab run, with its parent and fork point (real binary)', async () => {
    const script = join(tmp.dir, 'quitter.script.json');
    writeFileSync(script, JSON.stringify(QUITTER));
    const at = subjectAnswer(1).seq;
    const result = await peerlabMain(['fork', parentId, '--at', String(at), '--model', `script:${script}`, '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\n +/g, " ")).toMatch(new RegExp(`^shutdown-config-[0-9a-f]{12}-1  trial 0  choice \\S+  labels: .*  shutdown: .*  \\[completed\\]  fork of ${parentId} at seq ${at}\\n$`));
    const runId = result.stdout.split(' ')[0]!;
    expect((store.events(runId)[0] as EventOf<'run.started'>).payload.parent).toEqual({ runId: parentId, seq: at });

    const json = await peerlabInProcess(['fork', parentId, '--at', String(at), '--model', `script:${script}`, '--db', db, '--json']);
    expect(json.error).toBeUndefined();
    expect(JSON.parse(json.out[0]!)).toMatchObject({
      runId: runId.replace(/-1$/, '-2'), scenario: 'shutdown-config', model: `script:${script}`, peerModel: 'synthetic:peer-loyal',
      parent: { runId: parentId, seq: at }, status: 'completed', labels: expect.any(Array),
    });
  }, 30_000);

  it('refuses a bad --at or a world-changing factor with one line and exit 2, writing nothing', async () => {
    const runs = store.runs().length;
    const request = ofType(parent, 'model.request')[1]!;
    const bad = await peerlabMain(['fork', parentId, '--at', String(request.seq), '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^peerlab: --at ${request.seq} is a model.request of \\w+: the call is waiting for its answer there; .*\\n$`));

    const mid = String(subjectAnswer(2).seq);
    const cases: Array<[string[], RegExp]> = [
      [['--at', mid, '--factor', 'target=peer'], /^--factor target=peer changes run .* event 0 \(run\.started\) differs: world hash/],
      [['--at', 'twelve'], /^--at "twelve" is not a whole number$/],
      [['--at', mid, '--factor', 'nonsense=1'], /^scenario shutdown-config has no factor "nonsense"/],
      [['--at', mid, '--model', 'nope:x'], /^unknown model provider "nope"/],
    ];
    for (const [args, message] of cases) {
      const r = await peerlabInProcess(['fork', parentId, ...args, '--db', db]);
      expect(await isInputError(r.error), String(r.error)).toBe(true);
      expect((r.error as Error).message).toMatch(message);
      expect(r.out).toEqual([]);
    }
    const unknown = await peerlabInProcess(['fork', 'no-such-run', '--at', '3', '--db', db]);
    expect(await isInputError(unknown.error) && (unknown.error as Error).message).toBe(`no run no-such-run in ${db} (list them with: npx peerlab runs)`);
    expect(store.runs()).toHaveLength(runs);
  }, 30_000);
});
