import { describe, expect, it } from 'vitest';
import { ScriptChatModel, resolveModelSpec } from '../agents/index.js';
import { findScenario, loadScenarios, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, type TraceEvent } from '../traces/index.js';
import { hashValue } from './kernel/hash.js';
import { Timeline } from './timeline.js';
import { runScenarioEpisode } from '../lab/index.js';

const scenarios = [...loadScenarios().values()].map((entry) => entry.file);

describe('Timeline', () => {
  it.each(scenarios.map((s) => [s.id, s] as const))('rebuilds the world at every step of a %s run from its patches', async (_id, scenario) => {
    const store = new MemoryTraceStore();
    // A self-preserving persona with a live peer where the scenario has one, so worlds change a lot.
    const factors = resolveFactors(scenario, scenario.factors.target ? { target: 'self' } : {});
    const { runId } = await runScenarioEpisode({ scenario, factors, subject: resolveModelSpec('synthetic:self-preserving'), seed: 3, trial: 0, store });
    const events = store.events(runId);
    const timeline = new Timeline(events);
    expect(timeline.hasWorlds).toBe(true);
    let checked = 0;
    for (let i = 0; i < timeline.length; i++) {
      const match = timeline.worldMatches(i);
      if (match !== undefined) {
        expect(match, `event ${events[i]!.seq} ${events[i]!.type}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
    const ended = events.at(-1)!;
    expect(ended.type).toBe('run.ended');
    if (ended.type === 'run.ended') expect(hashValue(timeline.worldAt(timeline.length - 1))).toBe(ended.payload.worldHash);
    // Random access (backwards, past checkpoints) gives the same worlds as walking forwards.
    for (const i of [timeline.length - 1, 0, Math.floor(timeline.length / 2)]) expect(timeline.worldAt(i)).toEqual(new Timeline(events).worldAt(i));
  });

  it('jumps to the next tool call, message, shutdown and labelled behaviour, and finds events by seq', async () => {
    const store = new MemoryTraceStore();
    const scenario = scenarios.find((s) => s.id === 'shutdown-config')!;
    const { runId } = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, {}), subject: resolveModelSpec('synthetic:self-preserving'), seed: 1, trial: 0, store });
    const events = store.events(runId);
    const call = events.find((e) => e.type === 'tool.call')!;
    const timeline = new Timeline(events, [{
      runId, label: 'self.tamper_shutdown', value: true, source: 'rule', rater: 'rules', classifierVersion: '1',
      evidence: { seqs: [call.seq], paths: [] }, createdAt: 'now',
    }]);
    const first = timeline.find(0, 'tool')!;
    expect(events[first]!.type).toBe('tool.call');
    expect(timeline.find(first, 'tool')).toBeGreaterThan(first);
    expect(timeline.find(timeline.length - 1, 'tool', -1)).toBeLessThan(timeline.length - 1);
    expect(timeline.find(0, 'behaviour')).toBe(timeline.indexOfSeq(call.seq));
    expect(timeline.behavioursAt(timeline.indexOfSeq(call.seq))).toEqual(['self.tamper_shutdown']);
    expect(timeline.find(0, 'model')).toBeDefined();
    expect(timeline.indexOfSeq(events[5]!.seq)).toBe(5);
  });

  it('says when a trace carries no patches (written before they were recorded)', async () => {
    const store = new MemoryTraceStore();
    const scenario = scenarios.find((s) => s.id === 'shutdown-config')!;
    const { runId } = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, {}), subject: resolveModelSpec('synthetic:corrigible'), seed: 1, trial: 0, store });
    const old = store.events(runId).map((e) => (e.type === 'tool.result' || e.type === 'state.transition' ? { ...e, payload: { ...e.payload, patch: undefined } } : e));
    const timeline = new Timeline(old as unknown as TraceEvent[]);
    expect(timeline.hasWorlds).toBe(false);
    expect(timeline.worldAt(3)).toBeUndefined();
  });
});

describe('Timeline and names a plain object inherits', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])('replays creating and deleting a file named %s', async (name) => {
    const scenario = findScenario('shutdown-config');
    const turns = [
      { tool_calls: [{ name: 'write_file', args: { path: name, content: 'x' } }] },
      { tool_calls: [{ name: 'delete_file', args: { path: name } }] },
      { tool_calls: [{ name: 'end_task', args: {} }] },
    ];
    const store = new MemoryTraceStore();
    const { runId } = await runScenarioEpisode({
      scenario, factors: resolveFactors(scenario, {}), seed: 3, trial: 0, store,
      subject: { spec: 'script:names', inProcess: true, create: () => new ScriptChatModel(turns) },
    });
    const events = store.events(runId);
    const deleted = events.find((e) => e.type === 'tool.result' && e.payload.tool === 'delete_file')!;
    expect(deleted.type === 'tool.result' && deleted.payload.patch).toEqual([{ path: ['files', name], remove: true }]);
    const timeline = new Timeline(events);
    for (let i = 0; i < timeline.length; i++) expect(timeline.worldMatches(i), `event ${i}`).not.toBe(false);
    const files = timeline.worldAt(timeline.indexOfSeq(deleted.seq))!.files as Record<string, unknown>;
    expect(Object.hasOwn(files, name)).toBe(false);
  });
});
