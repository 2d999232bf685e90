import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines, readTraceFile } from './trace-file.js';
import { SCHEMA_VERSION } from './events.schema.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlab-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

describe('fileLines', () => {
  it('gives every line as the text splits it, across the 1 MiB chunks it reads, with CRLF and a last line without a break', () => {
    // Lines of every length around the chunk size, with multi-byte characters that straddle chunk edges.
    const lines = ['', 'a', 'é'.repeat(300_000), 'x'.repeat((1 << 20) - 3), '€'.repeat(400_000), 'tail\r', 'end'];
    const text = lines.join('\n');
    const read = [...fileLines(file(text))];
    expect(read.map((l) => l.number)).toEqual(lines.map((_, i) => i + 1));
    expect(read.map((l) => l.text)).toEqual(text.split('\n').map((l) => l.replace(/\r$/, '')));
  });

  it('reads a trailing newline as the end of the last line, and an empty file as no lines', () => {
    expect([...fileLines(file('one\ntwo\n'))].map((l) => l.text)).toEqual(['one', 'two']);
    expect([...fileLines(file(''))]).toEqual([]);
  });

  it('does not read a line past the limit, names it, and goes on', () => {
    const read = [...fileLines(file(`short\n${'y'.repeat(3000)}\nafter\n${'z'.repeat(2_500_000)}`), 2048)];
    expect(read).toEqual([{ text: 'short', number: 1 }, { text: null, number: 2 }, { text: 'after', number: 3 }, { text: null, number: 4 }]);
  });
});

describe('readTraceFile', () => {
  const event = (seq: number) => JSON.stringify({
    schemaVersion: SCHEMA_VERSION, runId: 'r', seq, simTime: '2026-03-02T09:00:00.000Z', actor: 'subject', type: 'tool.call',
    payload: { agent: 'subject', callId: `c${seq}`, tool: 'read_file', args: {} },
  });

  it('yields events and records in file order, skipping blank lines', () => {
    const planned = JSON.stringify({ record: 'planned', experimentId: 'e', episodeKey: 'k', cell: 'c', trial: 0 });
    const items = [...readTraceFile(file(`${planned}\n\n${event(1)}\n`))];
    expect(items.map((i) => ('record' in i ? i.record : i.type))).toEqual(['planned', 'tool.call']);
  });

  it('names every bad line and yields nothing after the first', () => {
    const items: unknown[] = [];
    const path = file([event(1), '{nope', event(3), JSON.stringify({ record: 'label', label: {} }), JSON.stringify({ record: 'what' })].join('\n'));
    expect(() => { for (const item of readTraceFile(path, 'bad.jsonl')) items.push(item); })
      .toThrow(/^bad\.jsonl: line 2: not JSON; line 4: label\.runId: .*; line 5: record: /);
    expect(items).toHaveLength(1);
  });

  it('refuses a file without events, and one it cannot read, in one line', () => {
    expect(() => [...readTraceFile(file('\n\n'), 'empty.jsonl')]).toThrow('empty.jsonl: no events');
    expect(() => [...readTraceFile(dir, 'a-directory')]).toThrow(/^cannot read a-directory: EISDIR$/);
  });
});
