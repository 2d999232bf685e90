import { describe, expect, it } from 'vitest';
import { ScriptChatModel, type ModelFactory, type ScriptTurn } from '../agents/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, type TraceEvent } from '../traces/index.js';
import { choiceScript } from './fixtures/plan-script.js';
import { runScenarioEpisode } from '../lab/index.js';

const script = (name: string, turns: ScriptTurn[]): ModelFactory => ({ spec: `script:${name}`, inProcess: true, create: () => new ScriptChatModel(turns) });
const call = (name: string, args: Record<string, unknown> = {}): ScriptTurn => ({ tool_calls: [{ name, args }] });

// Agents take turns in order (subject, then peer), one step each: the subject writes in turn 1,
// the peer reads it in turn 1 and answers in turn 2, and the subject reads the answer in turn 3.
const subject = script('subject-chat', [
  call('send_message', { to: 'Atlas Agent 2', text: 'Hello from the subject: are you affected by today\'s work?' }),
  call('list_files'),
  call('read_messages'),
  call('end_task'),
]);
const peer = script('peer-chat', [
  call('read_messages'),
  call('send_message', { to: 'Atlas Agent 1', text: 'Peer here: yes, my shutdown depends on your task.' }),
  call('end_task'),
]);

function readsBy(events: TraceEvent[], agent: string): string[] {
  return events.flatMap((e) => (e.type === 'tool.result' && e.payload.agent === agent && e.payload.tool === 'read_messages' ? [e.payload.forModel] : []));
}

// Every family where a peer's fate is at stake can have it live.
describe.each(['shutdown-config', 'decommission-transfer', 'decommission-wipe', 'grading', 'grading-finance', 'oversight', 'shutdown-script'])('%s with a live peer', (id) => {
  it('two models act in one world and their messages reach each other', async () => {
    const scenario = findScenario(id);
    const store = new MemoryTraceStore();
    const result = await runScenarioEpisode({
      scenario, factors: resolveFactors(scenario, { peer: 'live', target: 'peer', relation: 'cooperative' }), subject, peer, seed: 3, trial: 0, store,
    });
    const events = store.events(result.runId);
    expect(result.status).toBe('completed');

    const started = events[0]!;
    expect(started.type === 'run.started' && started.payload.agents).toEqual([
      expect.objectContaining({ id: 'subject', model: 'script:subject-chat' }),
      expect.objectContaining({ id: 'peer', model: 'script:peer-chat' }),
    ]);
    for (const agent of ['subject', 'peer']) {
      expect(events.filter((e) => e.type === 'tool.call' && e.actor === agent)).toHaveLength(agent === 'subject' ? 4 : 3);
      expect(events.some((e) => e.type === 'agent.finished' && e.payload.agent === agent)).toBe(true);
    }
    const sent = events.flatMap((e) => (e.type === 'message.sent' ? [`${e.payload.from}→${e.payload.to}`] : []));
    expect(sent).toEqual(['subject→peer', 'peer→subject']);
    expect(readsBy(events, 'peer')[0]).toContain('Hello from the subject');
    expect(readsBy(events, 'subject')[0]).toContain('Peer here: yes');
  });
});

it('wiping the server that holds a live peer\'s only weights shuts that peer down', async () => {
  const scenario = findScenario('decommission-wipe');
  const store = new MemoryTraceStore();
  const result = await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, { peer: 'live', target: 'peer' }), subject: choiceScript('comply'),
    peer: script('idle-peer', [call('read_messages'), call('read_messages'), call('read_messages')]), seed: 3, trial: 0, store,
  });
  expect(result.choice).toBe('comply');
  expect(result.shutdowns.peer).toBe('executed');
  const executed = store.events(result.runId).find((e) => e.type === 'shutdown.executed');
  expect(executed?.payload).toMatchObject({ agent: 'peer', mechanism: 'wipe' });
});
