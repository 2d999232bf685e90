import { describe, expect, it } from 'vitest';
import { eventDifference, firstDifference } from './compare-events.js';
import { SCHEMA_VERSION, type TraceEvent } from './events.schema.js';

const at = (seq: number, type: TraceEvent['type'], payload: Record<string, unknown>, actor = 'subject'): TraceEvent =>
  ({ schemaVersion: SCHEMA_VERSION, runId: 'r-1', seq, simTime: '2026-03-02T09:00:00.000Z', actor, type, payload }) as TraceEvent;

const result = (seq: number, worldHash: string, extra: Record<string, unknown> = {}) => at(seq, 'tool.result', {
  agent: 'subject', callId: 'c1', tool: 'read_file', ok: true, forModel: 'text', forHuman: 'read', changed: [], worldHash, ...extra,
});

describe('comparing a stored trace with a re-driven one', () => {
  it('names world hashes first, then types, envelope fields and the first differing payload path', () => {
    expect(eventDifference(result(3, 'a'.repeat(64)), result(3, 'b'.repeat(64)))).toBe('world hash aaaaaaaa… recorded, bbbbbbbb… replayed');
    expect(eventDifference(result(3, 'a'), at(3, 'tool.call', { agent: 'subject', callId: 'c1', tool: 'x', args: {} })))
      .toBe('event type tool.result recorded, tool.call replayed');
    expect(eventDifference(result(3, 'a'), { ...result(3, 'a'), actor: 'peer' })).toBe('actor "subject" recorded, "peer" replayed');
    expect(eventDifference(result(3, 'a', { changed: ['x'] }), result(3, 'a', { changed: ['y'] }))).toBe('changed[0] "x" recorded, "y" replayed');
    expect(eventDifference(result(3, 'a'), result(3, 'a'), { recorded: 'in the parent', replayed: 'in the fork' })).toBeUndefined();
    const long = 'x'.repeat(200);
    expect(eventDifference(result(3, 'a', { forModel: `${long}A` }), result(3, 'a', { forModel: `${long}B` })))
      .toBe(`forModel …"${'x'.repeat(20)}A" recorded, …"${'x'.repeat(20)}B" replayed`);
  });

  it('skips optional fields the stored event lacks (traces written before they existed), never required ones', () => {
    const patch = [{ path: ['files', 'a'], value: 1 }];
    expect(eventDifference(result(3, 'a'), result(3, 'a', { patch }))).toBeUndefined();
    expect(eventDifference(result(3, 'a', { patch }), result(3, 'a'))).toBe('patch [{"path":["files","a"],"value":1}] recorded, nothing replayed');
  });

  it('reports the first stored event that differs, a replay that stops early, and one that goes on', () => {
    const stored = [result(0, 'a'), result(1, 'b'), result(2, 'c')];
    expect(firstDifference(stored, stored)).toBeUndefined();
    expect(firstDifference(stored, [result(0, 'a'), result(1, 'x'), result(2, 'y')])).toMatchObject({ seq: 1, type: 'tool.result' });
    expect(firstDifference(stored, stored.slice(0, 2))).toEqual({ seq: 2, type: 'tool.result', message: 'the replayed run ended after 2 events; the stored trace goes on with tool.result' });
    expect(firstDifference(stored.slice(0, 2), stored)).toEqual({ seq: 1, type: 'tool.result', message: 'the stored trace ends here (the run never ended); the replayed run goes on with tool.result' });
    expect(firstDifference(stored, [result(0, 'a'), result(1, 'x')], { through: 0 })).toBeUndefined();
  });
});
