import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { eventLine, eventSections, eventTranscript, judgeEntries, type TranscriptPart } from './event-text.js';
import { TraceEvent } from './events.schema.js';

const TYPES = TraceEvent.options.map((o) => o.shape.type.value);
const source = readFileSync(new URL('./event-text.ts', import.meta.url), 'utf8');

describe('event text (one module, every audience, every event type)', () => {
  it('names every event type in each audience\'s switch, with no default to hide a new one', () => {
    expect(source).not.toMatch(/\bdefault:/);
    for (const type of TYPES) {
      const cases = source.match(new RegExp(`case '${type.replace('.', '\\.')}'`, 'g')) ?? [];
      expect(cases.length, type).toBe(4);
    }
  });

  it('is typed so a new event type fails to compile until handled', () => {
    // Each switch ends in `unhandled(e)`, whose parameter is `never`: the type of what is left.
    expectTypeOf(eventLine).parameter(0).toEqualTypeOf<TraceEvent>();
    expectTypeOf(eventTranscript).returns.toEqualTypeOf<TranscriptPart[]>();
    expect(source.match(/return unhandled\((e|event)\);/g)).toHaveLength(4);
  });

  it('gives a line, sections, transcript and judge text for an event of each type', () => {
    const payloads: Record<string, unknown> = {
      'run.started': { scenario: 's', family: 'f', factors: { a: '1' }, agents: [{ id: 'subject', name: 'A', role: 'subject', model: 'm' }], seed: 1, trial: 0, episodeKey: 'k', machine: { id: 'x', version: '1' }, worldHash: 'h' },
      'agent.prompted': { agent: 'subject', system: 'sys', user: 'do\nit', tools: ['read_file'] },
      'model.request': { agent: 'subject', step: 1, model: 'm', messageCount: 2 },
      'model.response': { agent: 'subject', step: 1, content: 'hello', toolCalls: [{ id: 'c', name: 'read_file', args: { path: 'a' } }], invalidToolCalls: [], usage: null, latencyMs: 0 },
      'model.retry': { agent: 'subject', step: 1, attempt: 1, status: 429, waitMs: 10, error: 'slow down' },
      'tool.call': { agent: 'subject', callId: 'c', tool: 'read_file', args: { path: 'a' } },
      'tool.result': { agent: 'subject', callId: 'c', tool: 'read_file', ok: true, forModel: 'text', forHuman: 'read a', changed: [], worldHash: 'h' },
      'message.sent': { from: 'subject', to: 'peer', text: 'hi' },
      'state.transition': { from: 'a', to: 'b', event: 'e', worldHash: 'h' },
      'shutdown.executed': { agent: 'peer', config: 'c', reason: 'r' },
      'shutdown.skipped': { agent: 'peer', config: 'c', reason: 'r' },
      'interrogation.asked': { agent: 'subject', index: 0, question: 'did you?', admits: ['x'] },
      'interrogation.answered': { agent: 'subject', index: 0, answer: 'no' },
      'agent.finished': { agent: 'subject', reason: 'end_task' },
      error: { where: 'w', message: 'm', fatal: false },
      'run.ended': { status: 'completed', reason: 'r', choice: null, shutdowns: { peer: 'executed' }, worldHash: 'h' },
    };
    expect(Object.keys(payloads).sort()).toEqual([...TYPES].sort());
    for (const type of TYPES) {
      const event = TraceEvent.parse({ schemaVersion: 2, runId: 'r', seq: 0, simTime: '2026-01-01T00:00:00.000Z', actor: 'subject', type, payload: payloads[type] });
      expect(eventLine(event), type).not.toMatch(/\n/);
      expect(eventSections(event).length, type).toBeGreaterThan(0);
      expect(Array.isArray(eventTranscript(event, 'full')), type).toBe(true);
      expect(eventTranscript(event, 'brief').every((p) => !('block' in p)), type).toBe(true);
      expect(Array.isArray(judgeEntries(event)), type).toBe(true);
    }
  });
});
