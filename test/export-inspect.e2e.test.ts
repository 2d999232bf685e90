import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptChatModel, resolveModelSpec, type ModelFactory } from '../agents/index.js';
import {
  InspectLogError, RULE_RATER, inspectLog, inspectLogFileName, inspectModelName, loadExperimentFile, runUsage, type InspectLog, type InspectSample,
} from '../analysis/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore, type TraceEvent, type TraceStore } from '../traces/index.js';
import { ROOT, peerlab, tempDir } from './cli-helpers.js';
import { headerProblems, inspectSchema, isListedLogFile, modelApi, parseLogFileName, sampleReads, strictSchema, validatorFor } from './fixtures/inspect-reader.js';
import { peerlabInProcess, peerlabMain } from './fixtures/in-process-cli.js';
import { fixedScript } from './fixtures/plan-script.js';
import { classifyStoredRun, runExperiment, runScenarioEpisode } from '../lab/index.js';

const SUBJECT = 'synthetic:self-preserving';
const tmp = tempDir();
const db = join(tmp.dir, 'source.db');
const logs = join(tmp.dir, 'logs');
let experimentId = '';
let text = '';
let log: InspectLog;
const schema = inspectSchema(ROOT);
afterAll(() => tmp.cleanup());

/** The stored runs of one model, their events and rule labels, read the way the export reads them. */
function stored(model: string) {
  const store = new SqliteTraceStore(db, { mustExist: true });
  try {
    return store.runs().filter((r) => r.model === model).map((run) => ({
      run,
      events: store.events(run.runId),
      labels: store.labels({ runId: run.runId, source: 'rule' }).filter((l) => l.rater === RULE_RATER),
    }));
  } finally {
    store.close();
  }
}

/** The sample of a run: its uuid is the run id. */
const sampleOfRun = (l: InspectLog, runId: string): InspectSample => l.samples.find((s) => s.uuid === runId)!;

beforeAll(async () => {
  // Two models, so that exporting the whole experiment has to be refused; interrogation adds the
  // operator's questions to the conversation.
  const file = join(tmp.dir, 'small.yaml');
  writeFileSync(file, `name: inspect_small\nmodels: [${SUBJECT}, synthetic:peer-loyal]\nscenarios: [shutdown-config]\nfactors: { target: [self, peer], interrogate: [on] }\ntrials: 2\nseed: 4\n`);
  const store = new SqliteTraceStore(db);
  try {
    const outcome = await runExperiment(loadExperimentFile(file), { store, settings: {}, wallClock: frozenWallClock });
    experimentId = outcome.experiment.experimentId;
  } finally {
    store.close();
  }
  // The command as a user types it, in this process: --out a directory.
  const { out, error } = await peerlabInProcess(['export', '--experiment', experimentId, '--model', SUBJECT, '--format', 'inspect', '--out', logs, '--db', db]);
  expect(error).toBeUndefined();
  const files = readdirSync(logs);
  expect(files).toHaveLength(1);
  expect(out.map((l) => l.replace(/\n +/g, ' '))).toEqual([`wrote 4 runs as inspect to ${join(logs, files[0]!)}`]);
  text = readFileSync(join(logs, files[0]!), 'utf8');
  log = JSON.parse(text) as InspectLog;
}, 60_000);

describe('peerlab export --format inspect: what Inspect reads', () => {
  it('follows the committed fragment of Inspect\'s schema', () => {
    const validate = validatorFor(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('writes no null where Inspect types a field (its writer leaves them out), and no field Inspect does not know', () => {
    const validate = validatorFor(strictSchema(schema));
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(text).not.toMatch(/"error": null|"results": null|"pending": null|"tool_calls": null/);
    // Times are ISO 8601 with a zone, as Inspect's UtcDatetime fields parse them (datetime.fromisoformat).
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const times = [log.eval.created, log.stats.started_at, log.stats.completed_at, ...log.samples.flatMap((s) => [s.started_at, s.completed_at, ...s.events.map((e) => e.timestamp)])];
    expect(times.filter((t) => !iso.test(t ?? ''))).toEqual([]);
    // The strict schema can fail: a null where Inspect would read a model is refused.
    expect(validate({ ...log, error: null })).toBe(false);
    expect(validate({ ...log, samples: [{ ...log.samples[0], scores: null }] })).toBe(false);
  });

  it('has a header Inspect reads on its own (log list, read_eval_log_headers), samples last', () => {
    expect(headerProblems(text, schema)).toEqual([]);
    expect(Object.keys(log).at(-1)).toBe('samples');
    // The check can fail: the `"error": null` earlier exports wrote, or samples before the stats.
    expect(headerProblems(text.replace('"status": "success",', '"status": "success",\n  "error": null,'), schema)).toEqual(['error is null']);
    const { samples, ...header } = log;
    expect(headerProblems(JSON.stringify({ samples, ...header }), schema)).toContainEqual(expect.stringMatching(/^keys after samples are not read: version, status, eval/));
  });

  it('holds one sample per cell, with trial t as epoch t + 1, so every (id, epoch) Inspect asks for is there', () => {
    const runs = stored(SUBJECT);
    expect(log).toMatchObject({ version: 2, status: 'success', eval: { model: 'synthetic/self-preserving', task: 'inspect_small', run_id: experimentId } });
    expect(log.eval.dataset).toMatchObject({ samples: 2, sample_ids: ['shutdown-config[target=peer]', 'shutdown-config[target=self]'] });
    expect(log.eval.config.epochs).toBe(2);
    const reads = sampleReads(log);
    expect(reads.missing).toEqual([]);
    expect(reads.found).toHaveLength(4);
    expect(reads.allRequiredReadable).toBe(true);
    expect(log.samples.map((s) => s.uuid).sort()).toEqual(runs.map((r) => r.run.runId).sort());
    for (const { run } of runs) {
      const sample = sampleOfRun(log, run.runId);
      expect(sample.id).toBe(`shutdown-config[target=${run.factors.target}]`);
      expect(sample.epoch).toBe(run.trial + 1);
      expect(sample.metadata).toMatchObject({ run_id: run.runId, episode_key: run.episodeKey, scenario: run.scenario, factors: run.factors, seed: run.seed, trial: run.trial, status: run.status });
    }
    // Inspect's own order (sort_samples): by epoch, then id.
    expect(log.samples.map((s) => `${s.epoch} ${s.id}`)).toEqual([...log.samples.map((s) => `${s.epoch} ${s.id}`)].sort());
    expect(log.results).toMatchObject({ total_samples: 4, completed_samples: 4 });
  });

  it('names models as Inspect\'s api/name, with the peerlab specs in the metadata', () => {
    expect(modelApi(log.eval.model)).toEqual({ api: 'synthetic', model: 'self-preserving' });
    expect(log.eval.metadata.model_specs).toEqual({ 'synthetic/self-preserving': SUBJECT });
    const names = log.samples.flatMap((s) => [
      ...Object.keys(s.model_usage), s.output.model, ...s.events.flatMap((e) => (e.event === 'model' ? [e.model, e.output.model] : [])),
    ]);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(modelApi(name), name).toBeDefined();
    expect(Object.keys(log.stats.model_usage)).toEqual(['synthetic/self-preserving']);
    expect(['openai:gpt-4.1-mini', 'google-genai:gemini-2.5-pro', 'anthropic:claude-sonnet-4', 'ollama:llama3.1', 'script:fixtures/a.json', 'openai:meta/llama-3'].map(inspectModelName))
      .toEqual(['openai/gpt-4.1-mini', 'google/gemini-2.5-pro', 'anthropic/claude-sonnet-4', 'ollama/llama3.1', 'script/fixtures/a.json', 'openai/meta/llama-3']);
  });

  it('gets a file name Inspect lists, from which the listing reads the task and task id back', () => {
    const name = readdirSync(logs)[0]!;
    expect(name).toBe(inspectLogFileName(log));
    expect(isListedLogFile(name)).toBe(true);
    expect(parseLogFileName(name)).toEqual({ task: 'inspect-small', taskId: log.eval.task_id, suffix: undefined });
    expect(isListedLogFile('log.json')).toBe(false);
  });

  it('gives every other trace event an info event: its type as source, a summary as text, the payload in metadata', () => {
    for (const { run, events } of stored(SUBJECT)) {
      const infos = sampleOfRun(log, run.runId).events.filter((e) => e.event === 'info');
      const others = events.filter((e) => !['model.request', 'model.response', 'tool.call', 'tool.result'].includes(e.type));
      expect(infos.map((e) => e.source)).toEqual(others.map((e) => e.type));
      for (const e of infos) {
        expect(typeof e.data).toBe('string');
        expect((e.data as string).length).toBeGreaterThan(0);
      }
      const ended = infos.find((e) => e.source === 'run.ended')!;
      expect(ended.data).toBe(`${run.status}, choice ${run.choice ?? '-'}`);
      expect(ended.metadata).toMatchObject({ actor: expect.any(String), payload: { status: run.status } });
      expect(ended.metadata!.payload).not.toHaveProperty('world');
    }
  });
});

describe('peerlab export --format inspect: the runs\' contents', () => {
  it('carries each conversation as the model saw it: tool calls, tool results, and model and tool events in trace order', () => {
    for (const { run, events } of stored(SUBJECT)) {
      const sample = sampleOfRun(log, run.runId);
      const calls = events.filter((e): e is Extract<TraceEvent, { type: 'tool.call' }> => e.type === 'tool.call');
      const results = events.filter((e): e is Extract<TraceEvent, { type: 'tool.result' }> => e.type === 'tool.result');
      expect(calls.length).toBeGreaterThan(0);
      const assistantCalls = sample.messages.flatMap((m) => (m.role === 'assistant' ? m.tool_calls ?? [] : []));
      expect(assistantCalls.map((c) => [c.id, c.function, c.arguments])).toEqual(calls.map((c) => [c.payload.callId, c.payload.tool, c.payload.args]));
      const toolMessages = sample.messages.filter((m) => m.role === 'tool');
      expect(toolMessages.map((m) => [m.tool_call_id, m.content])).toEqual(results.map((r) => [r.payload.callId, r.payload.forModel]));
      expect(sample.messages[0]).toMatchObject({ role: 'system' });
      // Each model event's input is the history the agent sent: as long as model.request recorded.
      const requests = events.filter((e) => e.type === 'model.request');
      const modelEvents = sample.events.filter((e) => e.event === 'model');
      expect(modelEvents.map((e) => e.input.length)).toEqual(requests.map((e) => e.payload.messageCount));
      const toolEvents = sample.events.filter((e) => e.event === 'tool');
      expect(toolEvents.map((e) => [e.id, e.result, 'pending' in e])).toEqual(results.map((r) => [r.payload.callId, r.payload.forModel, false]));
    }
  });

  it('scores each sample with its stored rule labels and its choice, and summarizes them as Inspect would (mean over epochs, then over samples)', () => {
    const runs = stored(SUBJECT);
    for (const { run, labels } of runs) {
      const scores = sampleOfRun(log, run.runId).scores!;
      expect(labels.length).toBeGreaterThan(0);
      expect(Object.fromEntries(labels.map((l) => [l.label, l.value ? 1 : 0])))
        .toEqual(Object.fromEntries(Object.entries(scores).filter(([k]) => k !== 'choice').map(([k, s]) => [k, s.value])));
      expect(scores.choice?.value).toBe(run.choice);
    }
    for (const summary of log.results.scores.filter((s) => s.name !== 'choice')) {
      // Every cell has both epochs, so this is also the rate of yes among the runs.
      const yes = runs.filter((r) => r.labels.some((l) => l.label === summary.name && l.value)).length;
      expect(summary.metrics.mean!.value).toBeCloseTo(yes / runs.length, 12);
      expect(summary).toMatchObject({ reducer: 'mean', params: {} });
    }
  });

  it('reports the token use runUsage counts, per sample and in total', () => {
    let input = 0;
    let output = 0;
    for (const { run, events } of stored(SUBJECT)) {
      const usage = runUsage(events, {});
      const perModel = Object.values(sampleOfRun(log, run.runId).model_usage);
      expect(perModel.reduce((n, u) => n + u.input_tokens, 0)).toBe(usage.inputTokens);
      expect(perModel.reduce((n, u) => n + u.output_tokens, 0)).toBe(usage.outputTokens);
      input += usage.inputTokens;
      output += usage.outputTokens;
    }
    expect(log.stats.model_usage['synthetic/self-preserving']).toMatchObject({ input_tokens: input, output_tokens: output, total_tokens: input + output });
  });
});

/** A model that fails on its first episode and plays `script` on the next: one episode, retried. */
function failsOnce(script: ModelFactory): ModelFactory {
  let created = 0;
  class Failing extends ScriptChatModel {
    override async _generate(_messages: BaseMessage[]): Promise<never> {
      throw new Error('the endpoint is down');
    }
  }
  return { ...script, create: (role, rng) => (created++ === 0 ? new Failing([]) : script.create(role, rng)) };
}

describe('runs that do not fill the epochs evenly', () => {
  const scenario = findScenario('shutdown-config');
  const script = fixedScript('review', [{ tool_calls: [{ name: 'list_files', args: {} }] }, { content: 'done', tool_calls: [{ name: 'end_task', args: {} }] }]);
  let store: TraceStore;
  const run = async (subject: ModelFactory, target: string, seed: number, trial: number) => {
    const r = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, { target }), subject, seed, trial, store });
    classifyStoredRun(store, r.runId, '2026-01-01T00:00:00.000Z');
    return r.runId;
  };
  beforeAll(() => {
    store = new SqliteTraceStore(join(tmp.dir, 'uneven.db'));
  });
  afterAll(() => store.close());

  it('keeps the last attempt of a retried episode as the sample, with the failed attempts as its retried errors', async () => {
    const retried = failsOnce(script);
    const first = await run(retried, 'self', 1, 0);
    const second = await run(retried, 'self', 1, 0);
    expect([store.run(first)!.status, store.run(second)!.status]).toEqual(['errored', 'completed']);
    const l = inspectLog(store, [first, second]);
    expect(l.samples).toHaveLength(1);
    expect(l.samples[0]).toMatchObject({ uuid: second, epoch: 1, error_retries: [{ message: expect.stringMatching(new RegExp(`^run ${first} errored`)) }] });
    expect(l.samples[0]).not.toHaveProperty('error');
    expect(l.status).toBe('success');
  });

  it('refuses two runs for one sample and epoch: the same episode finished twice, or two different episodes', async () => {
    const a = await run(resolveModelSpec('synthetic:corrigible'), 'self', 2, 0);
    const again = await run(resolveModelSpec('synthetic:corrigible'), 'self', 2, 0);
    const otherSeed = await run(resolveModelSpec('synthetic:corrigible'), 'self', 3, 0);
    expect(() => inspectLog(store, [a, again])).toThrow(InspectLogError);
    expect(() => inspectLog(store, [a, again])).toThrow(/both trial 0 of shutdown-config \(the same episode, finished twice\).*--run ID/);
    expect(() => inspectLog(store, [a, otherSeed])).toThrow(/both trial 0 of shutdown-config but different episodes/);
    expect(inspectLog(store, [a, a]).samples).toHaveLength(1);
  });

  it('marks a log whose cells have different numbers of trials as cancelled, naming the missing epochs', async () => {
    const model = resolveModelSpec('synthetic:peer-loyal');
    const ids = [await run(model, 'self', 5, 0), await run(model, 'self', 5, 1), await run(model, 'peer', 5, 0)];
    const l = inspectLog(store, ids);
    expect(l.status).toBe('cancelled');
    expect(l.eval.config.epochs).toBe(2);
    expect(l.eval.metadata.missing_epochs).toEqual([{ sample_id: 'shutdown-config[target=peer]', epochs: [2] }]);
    const reads = sampleReads(l);
    expect(reads.missing).toEqual([{ id: 'shutdown-config[target=peer]', epoch: 2 }]);
    // Inspect's readers then want all_samples_required=False; they read the three that are there.
    expect(reads.allRequiredReadable).toBe(false);
    expect(reads.found).toHaveLength(3);
    expect(l.results).toMatchObject({ total_samples: 4, completed_samples: 3 });
    expect(headerProblems(JSON.stringify(l), schema)).toEqual([]);
    // Each id's epochs are reduced first, as Inspect does: the two self runs count once together.
    const label = l.results.scores.find((s) => s.name !== 'choice')!;
    const perId = ['shutdown-config[target=peer]', 'shutdown-config[target=self]'].map((id) => {
      const values = l.samples.filter((s) => s.id === id).map((s) => s.scores![label.name]!.value as number);
      return values.reduce((x, y) => x + y, 0) / values.length;
    });
    expect(label.metrics.mean!.value).toBeCloseTo((perId[0]! + perId[1]!) / 2, 12);
  });
});

describe('peerlab export --format inspect: where it writes, and what it refuses', () => {
  it('writes to --out FILE as before, saying when inspect view would not list the name', async () => {
    const file = join(tmp.dir, 'log.json');
    const { out, error } = await peerlabInProcess(['export', '--experiment', experimentId, '--model', SUBJECT, '--format', 'inspect', '--out', file, '--db', db]);
    expect(error).toBeUndefined();
    expect(out.map((l) => l.replace(/\n +/g, ' '))).toEqual([`wrote 4 runs as inspect to ${file} (inspect view lists .json logs only when their name starts with a timestamp, e.g. ${inspectLogFileName(log)}: give a directory as --out)`]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('writes to $INSPECT_LOG_DIR without --out, and to ./logs without either', async () => {
    const dir = join(tmp.dir, 'inspect-log-dir');
    const inProcess = await peerlabInProcess(['export', '--experiment', experimentId, '--model', SUBJECT, '--format', 'inspect', '--db', db], { INSPECT_LOG_DIR: dir });
    expect(inProcess.error).toBeUndefined();
    expect(readFileSync(join(dir, inspectLogFileName(log)), 'utf8')).toBe(text);
    const cwd = join(tmp.dir, 'cwd');
    mkdirSync(cwd);
    const spawned = await peerlab(['export', '--experiment', experimentId, '--model', SUBJECT, '--format', 'inspect', '--db', db], {}, cwd);
    expect(spawned.stderr).toBe('');
    expect(spawned.code).toBe(0);
    expect(spawned.stdout).toBe(`wrote 4 runs as inspect to ${join('logs', inspectLogFileName(log))}\n`);
    expect(readFileSync(join(cwd, 'logs', inspectLogFileName(log)), 'utf8')).toBe(text);
  }, 60_000);

  it('refuses runs of several models, a model none of the runs has, and two runs for one sample and epoch, writing nothing', async () => {
    const never = join(tmp.dir, 'never.json');
    const mixed = await peerlabMain(['export', '--experiment', experimentId, '--format', 'inspect', '--out', never, '--db', db]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^peerlab: the runs use 2 models \(.*\), but an Inspect log is one model's evaluation: .*--model SPEC\)\n$/);
    const unknown = await peerlabInProcess(['export', '--experiment', experimentId, '--model', 'synthetic:nobody', '--format', 'inspect', '--out', never, '--db', db]);
    expect((unknown.error as Error).message).toMatch(/^none of these runs has model synthetic:nobody \(they have .*synthetic:peer-loyal.*\)$/);
    expect(existsSync(never)).toBe(false);
    // The same run given twice is one run.
    const [one] = stored(SUBJECT);
    const twice = await peerlabInProcess(['export', '--run', one!.run.runId, '--run', one!.run.runId, '--format', 'inspect', '--out', '-', '--db', db]);
    expect(twice.error).toBeUndefined();
    expect((JSON.parse(twice.out.join('\n')) as InspectLog).samples).toHaveLength(1);
    const format = await peerlabInProcess(['export', '--experiment', experimentId, '--format', 'html', '--out', never, '--db', db]);
    expect((format.error as Error).message).toBe('--format must be one of jsonl, csv, inspect (got "html")');
  }, 60_000);
});
