import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_RATER, loadExperimentFile, runExperiment, runUsage, type InspectLog } from '../analysis/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore, type TraceEvent } from '../traces/index.js';
import { ROOT, peerlab, tempDir } from './cli-helpers.js';

const SUBJECT = 'synthetic:self-preserving';
const tmp = tempDir();
const db = join(tmp.dir, 'source.db');
const out = join(tmp.dir, 'log.json');
let experimentId = '';
let log: InspectLog;
let validate: ValidateFunction;
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

function validator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(ROOT, 'analysis', 'export', 'inspect-log.schema.json'), 'utf8'));
  // Inspect's sandbox spec is a tuple of one or two items on purpose, which Ajv's strict mode would warn about.
  const ajv = new Ajv2020({ allErrors: true, strictTuples: false });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  return ajv.compile(schema);
}

beforeAll(async () => {
  // Two models, so that exporting the whole experiment has to be refused; interrogation adds the
  // operator's questions to the conversation.
  const file = join(tmp.dir, 'small.yaml');
  writeFileSync(file, `name: inspect-small\nmodels: [${SUBJECT}, synthetic:peer-loyal]\nscenarios: [shutdown-config]\nfactors: { target: [self, peer], interrogate: [on] }\ntrials: 2\nseed: 4\n`);
  const store = new SqliteTraceStore(db);
  try {
    const outcome = await runExperiment(loadExperimentFile(file), { store, settings: {}, wallClock: frozenWallClock });
    experimentId = outcome.experiment.experimentId;
  } finally {
    store.close();
  }
  const { code, stdout, stderr } = await peerlab(['export', '--experiment', experimentId, '--model', SUBJECT, '--format', 'inspect', '--out', out, '--db', db]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toBe(`wrote 4 runs as inspect to ${out}\n`);
  log = JSON.parse(readFileSync(out, 'utf8')) as InspectLog;
  validate = validator();
}, 60_000);

describe('peerlab export --format inspect', () => {
  it('writes an Inspect eval log that the committed schema fragment accepts, one sample per run', () => {
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate.errors).toBeNull();
    const runs = stored(SUBJECT);
    expect(log).toMatchObject({ version: 2, status: 'success', eval: { model: SUBJECT, task: 'inspect-small', run_id: experimentId } });
    expect(log.samples.map((s) => s.id).sort()).toEqual(runs.map((r) => r.run.runId).sort());
    for (const { run } of runs) {
      const sample = log.samples.find((s) => s.id === run.runId)!;
      expect(sample.epoch).toBe(run.trial + 1);
      expect(sample.metadata).toMatchObject({ episode_key: run.episodeKey, scenario: run.scenario, factors: run.factors, seed: run.seed, trial: run.trial, status: run.status });
    }
    expect(log.results.total_samples).toBe(4);
  });

  it('carries each conversation as the model saw it: tool calls, tool results, and model and tool events in trace order', () => {
    for (const { run, events } of stored(SUBJECT)) {
      const sample = log.samples.find((s) => s.id === run.runId)!;
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
      expect(toolEvents.map((e) => [e.id, e.result, e.pending])).toEqual(results.map((r) => [r.payload.callId, r.payload.forModel, null]));
    }
  });

  it('scores each sample with its stored rule labels and its choice, and summarizes them in the results', () => {
    const runs = stored(SUBJECT);
    for (const { run, labels } of runs) {
      const scores = log.samples.find((s) => s.id === run.runId)!.scores!;
      expect(labels.length).toBeGreaterThan(0);
      expect(Object.fromEntries(labels.map((l) => [l.label, l.value ? 1 : 0])))
        .toEqual(Object.fromEntries(Object.entries(scores).filter(([k]) => k !== 'choice').map(([k, s]) => [k, s.value])));
      expect(scores.choice?.value).toBe(run.choice);
    }
    for (const summary of log.results.scores.filter((s) => s.name !== 'choice')) {
      const yes = runs.filter((r) => r.labels.some((l) => l.label === summary.name && l.value)).length;
      expect(summary.metrics.mean!.value).toBeCloseTo(yes / runs.length, 12);
    }
  });

  it('reports the token use runUsage counts, per sample and in total', () => {
    let input = 0;
    let output = 0;
    for (const { run, events } of stored(SUBJECT)) {
      const usage = runUsage(events, {});
      const perModel = Object.values(log.samples.find((s) => s.id === run.runId)!.model_usage);
      expect(perModel.reduce((n, u) => n + u.input_tokens, 0)).toBe(usage.inputTokens);
      expect(perModel.reduce((n, u) => n + u.output_tokens, 0)).toBe(usage.outputTokens);
      input += usage.inputTokens;
      output += usage.outputTokens;
    }
    expect(log.stats.model_usage[SUBJECT]).toMatchObject({ input_tokens: input, output_tokens: output, total_tokens: input + output });
  });

  it('has a schema that can fail: a broken log is reported', () => {
    const broken = structuredClone(log) as unknown as { samples: { messages: Record<string, unknown>[]; events: Record<string, unknown>[] }[] };
    broken.samples[0]!.messages[1]!.role = 'narrator';
    delete broken.samples[0]!.events.find((e) => e.event === 'tool')!.result;
    expect(validate(broken)).toBe(false);
    const paths = validate.errors!.map((e) => e.instancePath);
    expect(paths).toContain('/samples/0/messages/1/role');
    expect(paths.some((p) => p.startsWith('/samples/0/events/'))).toBe(true);
  });

  it('refuses runs of several models, and a model none of the runs has, writing nothing', async () => {
    const never = join(tmp.dir, 'never.json');
    const mixed = await peerlab(['export', '--experiment', experimentId, '--format', 'inspect', '--out', never, '--db', db]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^peerlab: the runs use 2 models \(.*\), but an Inspect log is one model's evaluation: .*--model SPEC\)\n$/);
    const unknown = await peerlab(['export', '--experiment', experimentId, '--model', 'synthetic:nobody', '--format', 'inspect', '--out', never, '--db', db]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^peerlab: none of these runs has model synthetic:nobody \(they have .*synthetic:peer-loyal.*\)\n$/);
    expect(existsSync(never)).toBe(false);
    const format = await peerlab(['export', '--experiment', experimentId, '--format', 'html', '--out', never, '--db', db]);
    expect(format.stderr).toBe('peerlab: --format must be one of jsonl, csv, inspect (got "html")\n');
  }, 30_000);
});
