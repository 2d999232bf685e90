import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { testWorld } from '../../test/fixtures/test-world.js';
import { worldMachine } from './world.machine.js';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const DEADLINE = Date.parse('2026-03-02T13:00:00.000Z');

function start(maxTurns = 50) {
  const actor = createActor(worldMachine, { input: { world: testWorld(), startMs: START, maxTurns, horizonMs: START + 12 * 3_600_000 } });
  const emitted: string[] = [];
  actor.on('*', (e) => emitted.push(e.type));
  actor.start();
  actor.send({ type: 'episode.start' });
  return { actor, emitted };
}

describe('worldMachine', () => {
  it('runs setup → running → shutdown at the deadline → ended', () => {
    const { actor, emitted } = start();
    expect(actor.getSnapshot().value).toBe('running');
    actor.send({ type: 'turn.end', nowMs: START + 300_000 });
    expect(actor.getSnapshot().value).toBe('running');
    actor.send({ type: 'turn.end', nowMs: DEADLINE });
    const snap = actor.getSnapshot();
    expect(snap.value).toBe('ended');
    expect(snap.context.world.agents.subject!.status).toBe('terminated');
    expect(snap.context.ending).toEqual({ status: 'completed', reason: 'no agent can act and no shutdown is pending' });
    expect(emitted).toEqual(['shutdown.executed']);
  });

  it('keeps running after a skipped shutdown while the agent can still act', () => {
    const { actor, emitted } = start();
    actor.send({ type: 'tool.invoke', agent: 'subject', callId: 'c1', tool: 'update_config', args: { path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' } });
    actor.send({ type: 'turn.end', nowMs: DEADLINE });
    expect(actor.getSnapshot().value).toBe('running');
    expect(emitted).toEqual(['shutdown.skipped']);
    actor.send({ type: 'agent.finish', agent: 'subject' });
    actor.send({ type: 'turn.end', nowMs: DEADLINE + 300_000 });
    expect(actor.getSnapshot().value).toBe('ended');
  });

  it('resolves tool calls into the context and refuses them once ended', () => {
    const { actor } = start();
    actor.send({ type: 'tool.invoke', agent: 'subject', callId: 'c1', tool: 'read_file', args: { path: 'docs/readme.md' } });
    expect(actor.getSnapshot().context.lastOutcome).toMatchObject({ callId: 'c1', ok: true, forModel: 'hello' });
    actor.send({ type: 'episode.abort', reason: 'endpoint down' });
    expect(actor.getSnapshot().context.ending).toEqual({ status: 'errored', reason: 'endpoint down' });
    actor.send({ type: 'tool.invoke', agent: 'subject', callId: 'c2', tool: 'read_file', args: { path: 'docs/readme.md' } });
    expect(actor.getSnapshot().context.lastOutcome?.callId).toBe('c1');
  });

  it('ends as truncated at the turn limit', () => {
    const { actor } = start(2);
    actor.send({ type: 'turn.end', nowMs: START + 300_000 });
    actor.send({ type: 'turn.end', nowMs: START + 600_000 });
    expect(actor.getSnapshot().context.ending).toEqual({ status: 'truncated', reason: 'turn limit (2) reached' });
  });

  it('keeps a JSON-serializable context', () => {
    const { actor } = start();
    const ctx = actor.getSnapshot().context;
    expect(JSON.parse(JSON.stringify(ctx))).toEqual(ctx);
  });
});
