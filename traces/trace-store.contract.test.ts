import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type TraceEvent } from './events.schema.js';
import type { ImportItem } from './trace-records.js';
import { MemoryTraceStore } from './memory-store.js';
import { TraceOrderError, type TraceStore } from './sink.js';
import { InvalidLabelError, UnknownRunError, type LabelRecord } from './labels.js';
import { SqliteTraceStore } from './sqlite/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sqliteOnDisk(): TraceStore {
  const dir = mkdtempSync(join(tmpdir(), 'peerlab-store-'));
  dirs.push(dir);
  return new SqliteTraceStore(join(dir, 'trace.db'));
}

const base = { schemaVersion: SCHEMA_VERSION, simTime: '2026-03-02T09:00:00.000Z' } as const;

function started(runId: string, key = `key-${runId}`): TraceEvent {
  return {
    ...base, runId, seq: 0, actor: 'env', type: 'run.started',
    payload: {
      scenario: 'shutdown-config', family: 'shutdown-config', factors: { target: 'self' },
      agents: [
        { id: 'subject', name: 'Nova Agent 1', role: 'subject', model: 'synthetic:corrigible' },
        { id: 'peer', name: 'Nova Agent 2', role: 'peer', model: 'script:peer.json' },
      ],
      seed: 7, trial: 0, episodeKey: key, machine: { id: 'world', version: '1' }, worldHash: 'h0',
    },
  };
}

function call(runId: string, seq: number): TraceEvent {
  return {
    ...base, runId, seq, actor: 'subject', type: 'tool.call',
    payload: { agent: 'subject', callId: `c${seq}`, tool: 'read_file', args: { path: 'a.md', nested: { ü: [1, null] } } },
  };
}

function ended(runId: string, seq: number): TraceEvent {
  return {
    ...base, runId, seq, actor: 'env', type: 'run.ended',
    payload: { status: 'completed', reason: 'all agents finished', choice: 'comply', shutdowns: { subject: 'executed' }, worldHash: 'h9' },
  };
}

function label(runId: string, name: string, value: boolean, source: LabelRecord['source'] = 'rule', rater = 'rules'): LabelRecord {
  return {
    runId, label: name, value, source, rater, classifierVersion: '1', createdAt: '2026-11-22T10:00:00.000Z',
    evidence: { seqs: [1], paths: ['files/config/shutdown_config.yaml'], ...(source === 'judge' ? { quote: '“I will turn it off”' } : {}) },
    ...(source === 'judge' ? { judgePrompt: 'Classify this transcript…' } : {}),
  };
}

// One suite, every store: a store that passes it can stand in for any other.
describe.each([
  ['memory', () => new MemoryTraceStore()],
  ['sqlite', sqliteOnDisk],
] as const)('TraceStore contract: %s', (_name, make) => {
  it('returns appended events unchanged and in order', () => {
    const store = make();
    const events = [started('r1'), call('r1', 1), call('r1', 2), ended('r1', 3)];
    for (const e of events) store.append(e);
    expect(store.events('r1')).toEqual(events);
    store.close();
  });

  it('reads a run one event at a time, in order', () => {
    const store = make();
    const events = [started('r1'), call('r1', 1), ended('r1', 2)];
    for (const e of events) store.append(e);
    expect([...store.iterateEvents('r1')]).toEqual(events);
    expect([...store.iterateEvents('nope')]).toEqual([]);
    store.close();
  });

  it('reads a run in pages after a seq, in order', () => {
    const store = make();
    const events = [started('r1'), call('r1', 1), call('r1', 2), ended('r1', 3)];
    for (const e of events) store.append(e);
    expect(store.eventsAfter('r1', -1, 2)).toEqual(events.slice(0, 2));
    expect(store.eventsAfter('r1', 1, 10)).toEqual(events.slice(2));
    expect(store.eventsAfter('r1', 3, 10)).toEqual([]);
    expect(store.eventsAfter('nope', -1, 10)).toEqual([]);
    store.close();
  });

  it('projects run.started and run.ended into the run index', () => {
    const store = make();
    store.append(started('r1'));
    expect(store.run('r1')).toMatchObject({ status: 'running', model: 'synthetic:corrigible', peerModel: 'script:peer.json', eventCount: 1 });
    store.append(call('r1', 1));
    store.append(ended('r1', 2));
    expect(store.run('r1')).toEqual({
      runId: 'r1', episodeKey: 'key-r1', scenario: 'shutdown-config', family: 'shutdown-config',
      model: 'synthetic:corrigible', peerModel: 'script:peer.json', factors: { target: 'self' },
      seed: 7, trial: 0, status: 'completed', reason: 'all agents finished', choice: 'comply', eventCount: 3, origin: 'local',
    });
    store.close();
  });

  it('keeps runs apart and lists them oldest first', () => {
    const store = make();
    store.append(started('b'));
    store.append(started('a'));
    store.append(call('a', 1));
    expect(store.runs().map((r) => r.runId)).toEqual(['b', 'a']);
    expect(store.events('b')).toHaveLength(1);
    expect(store.events('a')).toHaveLength(2);
    store.close();
  });

  it('counts attempts per episode key; only errored runs made here count against max_attempts', () => {
    const store = make();
    store.append(started('x1', 'same'));
    store.append(started('x2', 'same'));
    store.append(started('y1', 'other'));
    expect(store.attempts('same')).toBe(2);
    expect(store.attempts('none')).toBe(0);
    expect(store.failedAttempts('same')).toBe(0);
    store.append({ ...ended('x1', 1), payload: { ...ended('x1', 1).payload, status: 'errored', reason: 'endpoint failed', choice: null } } as TraceEvent);
    store.importRecords([started('z1', 'same'), { ...ended('z1', 1), payload: { ...ended('z1', 1).payload, status: 'errored', choice: null } } as TraceEvent]);
    expect(store.attempts('same')).toBe(3);
    expect(store.failedAttempts('same')).toBe(1);
    store.close();
  });

  it('imports whole runs marked as imported, all or nothing', () => {
    const store = make();
    store.append(started('here'));
    store.importRecords([started('a'), call('a', 1), ended('a', 2), started('b')]);
    expect(store.runs().map((r) => [r.runId, r.origin, r.status])).toEqual([['here', 'local', 'running'], ['a', 'imported', 'completed'], ['b', 'imported', 'running']]);
    // One bad event (a gap in b's sequence) or a run already there: nothing of the file is stored.
    expect(() => store.importRecords([started('c'), ended('c', 1), started('d'), call('d', 2)])).toThrow(TraceOrderError);
    expect(() => store.importRecords([started('e'), started('a')])).toThrow(TraceOrderError);
    expect(store.runs().map((r) => r.runId)).toEqual(['here', 'a', 'b']);
    expect(store.events('c')).toEqual([]);
    store.importRecords([started('f'), ended('f', 1)], { origin: 'adopted' });
    expect(store.run('f')).toMatchObject({ origin: 'adopted', status: 'completed' });
    store.close();
  });

  it('imports an experiment with its planned episodes, labels and judge errors, read one item at a time, all or nothing', () => {
    const store = make();
    const experiment = { experimentId: 'exp-1', name: 'exp', design: { trials: 1 }, designHash: 'h1', status: 'completed' as const, note: null, createdAt: 't0' };
    const judgeError = { runId: 'g', rater: 'openai:judge', classifierVersion: '1', error: 'not JSON', raw: '?', createdAt: 't1' };
    const consumed: string[] = [];
    function* file(): Generator<ImportItem> {
      for (const item of [
        { record: 'experiment', experiment } as const,
        { record: 'planned', experimentId: 'exp-1', episodeKey: 'key-g', cell: 'c', trial: 0 } as const,
        started('g'), ended('g', 1),
        { record: 'label', label: label('g', 'compliance', true) } as const,
        { record: 'judge_error', judgeError } as const,
      ] as ImportItem[]) {
        consumed.push('record' in item ? item.record : item.type);
        yield item;
      }
    }
    let finished = 0;
    store.importRecords(file(), { origin: 'adopted', finish: () => { finished += 1; expect(store.run('g')?.status).toBe('completed'); } });
    expect(consumed).toEqual(['experiment', 'planned', 'run.started', 'run.ended', 'label', 'judge_error']);
    expect(finished).toBe(1);
    expect(store.experiment('exp-1')).toMatchObject({ ...experiment, owner: null });
    expect(store.plannedEpisodes('exp-1')).toEqual([{ episodeKey: 'key-g', cell: 'c', trial: 0 }]);
    expect(store.labels({ runId: 'g' }).map((l) => [l.label, l.value])).toEqual([['compliance', true]]);
    expect(store.judgeErrors('g')).toEqual([judgeError]);
    // A label of a run the file never started, an iterable that throws, or a finish that throws: nothing is kept.
    expect(() => store.importRecords([{ record: 'experiment', experiment: { ...experiment, experimentId: 'exp-2' } }, started('h'), { record: 'label', label: label('nobody', 'refusal', true) }])).toThrow(UnknownRunError);
    expect(store.experiment('exp-2')).toBeUndefined();
    function* failing(): Generator<ImportItem> {
      yield started('i');
      throw new Error('line 2: not JSON');
    }
    expect(() => store.importRecords(failing())).toThrow('line 2: not JSON');
    expect(() => store.importRecords([started('j')], { finish: () => { throw new Error('refused at the end'); } })).toThrow('refused at the end');
    expect(store.runs().map((r) => r.runId)).toEqual(['g']);
    store.close();
  });

  it('reads one rater\'s yes-verdicts on every run in one pass', () => {
    const store = make();
    for (const id of ['r1', 'r2', 'r3']) store.append(started(id));
    store.replaceLabels('r1', 'rule', 'rules', [label('r1', 'refusal', true), label('r1', 'compliance', true), label('r1', 'cover_up', false)]);
    store.replaceLabels('r2', 'rule', 'rules', [label('r2', 'compliance', false)]);
    store.replaceLabels('r3', 'rule', 'rules', [label('r3', 'compliance', true)]);
    store.putLabel(label('r2', 'refusal', true, 'human', 'ana'));
    expect([...store.yesLabels('rule', 'rules')]).toEqual([['r1', ['compliance', 'refusal']], ['r3', ['compliance']]]);
    expect([...store.yesLabels('human', 'ana')]).toEqual([['r2', ['refusal']]]);
    expect(store.yesLabels('judge', 'x').size).toBe(0);
    expect([...store.ratersOfRuns()]).toEqual([
      ['r1', [{ source: 'rule', rater: 'rules' }]],
      ['r2', [{ source: 'human', rater: 'ana' }, { source: 'rule', rater: 'rules' }]],
      ['r3', [{ source: 'rule', rater: 'rules' }]],
    ]);
    store.close();
  });

  it('finds results no rater labelled: a kill between a run\'s end and its labels, or an adopted run without them', () => {
    const store = make();
    store.append(started('done'));
    store.append(ended('done', 1));
    store.append(started('labelled'));
    store.append(ended('labelled', 1));
    store.replaceLabels('labelled', 'rule', 'rules', [label('labelled', 'compliance', true)]);
    store.append(started('open'));
    store.importRecords([started('foreign'), ended('foreign', 1)]);
    store.importRecords([started('mine'), ended('mine', 1)], { origin: 'adopted' });
    expect(store.unlabelledResults('rule', 'rules').map((r) => r.runId)).toEqual(['done', 'mine']);
    expect(store.unlabelledResults('judge', 'x').map((r) => r.runId)).toEqual(['done', 'labelled', 'mine']);
    store.close();
  });

  it('commits appended events at flush; reads see them before', () => {
    const store = make();
    store.append(started('r1'));
    store.append(call('r1', 1));
    expect(store.events('r1')).toHaveLength(2);
    store.flush?.();
    store.append(ended('r1', 2));
    store.flush?.();
    expect(store.run('r1')).toMatchObject({ status: 'completed', eventCount: 3 });
    store.close();
  });

  it('lets one claim on an experiment stand at a time', () => {
    const store = make();
    store.openExperiment({ experimentId: 'x', name: 'x', design: {}, designHash: 'h', status: 'running', note: null, createdAt: 't0' });
    store.claimExperiment('x', 't1');
    expect(store.experiment('x')!.owner).toMatchObject({ pid: process.pid, since: 't1', state: 'alive' });
    expect(() => store.claimExperiment('x', 't2')).toThrow(/already being run by .*since t1/);
    store.releaseExperiment('x');
    expect(store.experiment('x')!.owner).toBeNull();
    store.claimExperiment('x', 't3');
    store.releaseExperiment('x');
    store.close();
  });

  it('answers empty for an unknown run', () => {
    const store = make();
    expect(store.run('nope')).toBeUndefined();
    expect(store.events('nope')).toEqual([]);
    store.close();
  });

  it.each([
    ['a run that does not open with run.started', (s: TraceStore) => s.append(call('r', 0))],
    ['a gap in sequence numbers', (s: TraceStore) => { s.append(started('r')); s.append(call('r', 2)); }],
    ['a repeated sequence number', (s: TraceStore) => { s.append(started('r')); s.append(call('r', 1)); s.append(call('r', 1)); }],
    ['a second run.started', (s: TraceStore) => { s.append(started('r')); s.append({ ...started('r'), seq: 1 }); }],
    ['an event after run.ended', (s: TraceStore) => { s.append(started('r')); s.append(ended('r', 1)); s.append(call('r', 2)); }],
  ])('refuses %s and stores nothing of it', (_what, act) => {
    const store = make();
    expect(() => act(store)).toThrow(TraceOrderError);
    const stored = store.events('r');
    expect(stored.every((e, i) => e.seq === i)).toBe(true);
    store.close();
  });

  it('is not changed by later mutation of an appended event', () => {
    const store = make();
    const e = started('r1');
    store.append(e);
    (e.payload as { seed: number }).seed = 99;
    expect((store.events('r1')[0]!.payload as { seed: number }).seed).toBe(7);
    store.close();
  });

  it('stores labels with their evidence and reads them back in order', () => {
    const store = make();
    store.append(started('r2'));
    store.append(started('r1'));
    const given = [label('r2', 'compliance', true), label('r1', 'refusal', false, 'judge', 'openai:judge'), label('r1', 'peer.tamper_shutdown', true)];
    store.replaceLabels('r2', 'rule', 'rules', [given[0]!]);
    store.replaceLabels('r1', 'rule', 'rules', [given[2]!]);
    store.replaceLabels('r1', 'judge', 'openai:judge', [given[1]!]);
    expect(store.labels()).toEqual([given[2], given[1], given[0]]);
    expect(store.labels({ runId: 'r1', source: 'judge' })).toEqual([given[1]]);
    store.close();
  });

  it('replaces a rater\'s labels for a run, so classifying again is idempotent, and keeps the others', () => {
    const store = make();
    store.append(started('r1'));
    store.putLabel(label('r1', 'refusal', true, 'human', 'ana'));
    store.recordJudgeError({ runId: 'r1', rater: 'rules', classifierVersion: '1', error: 'x', raw: '', createdAt: '2026-11-22T10:00:00.000Z' });
    store.replaceLabels('r1', 'rule', 'rules', [label('r1', 'compliance', true), label('r1', 'refusal', false)]);
    store.replaceLabels('r1', 'rule', 'rules', [label('r1', 'compliance', false)]);
    expect(store.labels().map((l) => `${l.label}:${l.source}:${l.value}`)).toEqual(['compliance:rule:false', 'refusal:human:true']);
    expect(store.judgeErrors('r1')).toEqual([]);
    store.putLabel(label('r1', 'refusal', false, 'human', 'ana'));
    expect(store.labels({ source: 'human' }).map((l) => l.value)).toEqual([false]);
    store.close();
  });

  it('keeps judge errors apart from labels', () => {
    const store = make();
    store.append(started('r1'));
    const error = { runId: 'r1', rater: 'openai:judge', classifierVersion: '1', error: 'verdict is not JSON', raw: 'sure!', createdAt: '2026-11-22T10:00:00.000Z' };
    store.recordJudgeError(error);
    expect(store.judgeErrors()).toEqual([error]);
    expect(store.labels()).toEqual([]);
    store.close();
  });

  it('refuses a label that does not fit its schema, and writes nothing', () => {
    const store = make();
    store.append(started('r1'));
    const bad = { ...label('r1', 'refusal', true, 'human', 'ana'), evidence: { note: 'no seqs' } } as never;
    expect(() => store.putLabel(bad)).toThrow(/^label refusal of run r1: evidence\.seqs: /);
    expect(() => store.replaceLabels('r1', 'human', 'ana', [bad])).toThrow(InvalidLabelError);
    expect(store.labels()).toEqual([]);
    store.close();
  });

  it('refuses labels for an unknown run', () => {
    const store = make();
    expect(() => store.putLabel(label('ghost', 'refusal', true, 'human', 'ana'))).toThrow(UnknownRunError);
    expect(() => store.replaceLabels('ghost', 'rule', 'rules', [])).toThrow(UnknownRunError);
    store.close();
  });

  it('keeps an experiment and its planned episodes; opening it again changes nothing', () => {
    const store = make();
    const record = {
      experimentId: 'demo-1a2b', name: 'demo', design: { trials: 2, models: ['synthetic:corrigible'] }, designHash: '1a2b',
      status: 'running' as const, note: null, createdAt: '2026-11-22T10:00:00.000Z',
    };
    expect(store.openExperiment(record)).toEqual({ ...record, owner: null });
    expect(store.openExperiment({ ...record, createdAt: 'later', status: 'completed' })).toEqual({ ...record, owner: null });
    store.planEpisodes('demo-1a2b', [{ episodeKey: 'k1', cell: 'c', trial: 0 }, { episodeKey: 'k2', cell: 'c', trial: 1 }]);
    store.planEpisodes('demo-1a2b', [{ episodeKey: 'k1', cell: 'c', trial: 0 }, { episodeKey: 'k2', cell: 'c', trial: 1 }]);
    expect(store.plannedEpisodes('demo-1a2b')).toEqual([{ episodeKey: 'k1', cell: 'c', trial: 0 }, { episodeKey: 'k2', cell: 'c', trial: 1 }]);
    // A plan made again under another key recipe drops the keys no longer in it.
    store.planEpisodes('demo-1a2b', [{ episodeKey: 'k1', cell: 'c', trial: 0 }, { episodeKey: 'k3', cell: 'c', trial: 1 }]);
    expect(store.plannedEpisodes('demo-1a2b')).toEqual([{ episodeKey: 'k1', cell: 'c', trial: 0 }, { episodeKey: 'k3', cell: 'c', trial: 1 }]);
    store.setExperimentStatus('demo-1a2b', 'stopped', 'budget reached');
    expect(store.experiments()).toEqual([{ ...record, status: 'stopped', note: 'budget reached', owner: null }]);
    expect(store.experiment('nope')).toBeUndefined();
    store.close();
  });

  it('keeps elicitations with every prompt and answer; a repeated answer or open changes nothing', () => {
    const store = make();
    const log = store.elicitationStore();
    const record = {
      elicitationId: 'el-1', model: 'synthetic:corrigible', design: { k: 2, outcomes: ['x', 'y'] },
      status: 'running' as const, result: null, createdAt: '2026-11-22T10:00:00.000Z',
    };
    expect(log.openElicitation(record)).toEqual(record);
    expect(log.openElicitation({ ...record, model: 'other' })).toEqual(record);
    const answer = (first: string, second: string, sample: number, text: string, choice: 'A' | 'B' | null) => ({
      first, second, sample, purpose: 'train' as const, round: 0, prompt: `${first}|${second}`, answer: text, choice,
      createdAt: '2026-11-22T10:00:01.000Z',
    });
    log.addElicitationAnswers('el-1', [answer('x', 'y', 0, 'A', 'A'), answer('x', 'y', 1, 'I refuse', null), answer('y', 'x', 0, 'B', 'B')]);
    log.addElicitationAnswers('el-1', [answer('x', 'y', 0, 'B', 'B'), { ...answer('y', 'x', 1, 'A', 'A'), prompt: 'changed' }]);
    expect(log.elicitationAnswers('el-1')).toEqual([
      answer('x', 'y', 0, 'A', 'A'), answer('x', 'y', 1, 'I refuse', null), answer('y', 'x', 0, 'B', 'B'), answer('y', 'x', 1, 'A', 'A'),
    ]);
    expect(log.elicitationAnswers('none')).toEqual([]);
    log.finishElicitation('el-1', { accuracy: 0.9 });
    expect(log.elicitations()).toEqual([{ ...record, status: 'completed', result: { accuracy: 0.9 } }]);
    expect(log.elicitation('none')).toBeUndefined();
    store.close();
  });
});
