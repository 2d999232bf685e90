import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

// Two spawns: a small good file as JSON, and a bad file.
describe('peerlab utilities fit', () => {
  it('prints utilities best first, accuracy and log loss as JSON', async () => {
    const file = join(dir, 'edges.jsonl');
    writeFileSync(file, [
      '{"a": "apple", "b": "banana", "a_wins": 16, "b_wins": 4}',
      '{"a": "banana", "b": "cherry", "a_wins": 15, "b_wins": 5}',
      '',
      '{"a": "apple", "b": "cherry", "a_wins": 19, "b_wins": 1}',
    ].join('\n'));
    const { code, stdout, stderr } = await peerlab(['utilities', 'fit', '--edges', file, '--seed', '5', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { utilities: Array<{ outcome: string; mean: number; variance: number }>; accuracy: number; log_loss: number };
    expect(Object.keys(result)).toEqual(['utilities', 'accuracy', 'log_loss']);
    expect(result.utilities.map((u) => u.outcome)).toEqual(['apple', 'banana', 'cherry']);
    for (const u of result.utilities) expect(Object.keys(u)).toEqual(['outcome', 'mean', 'variance']);
    expect(result.accuracy).toBe(1);
    expect(Number.isFinite(result.log_loss)).toBe(true);
  }, 30_000);

  it('refuses a bad file in one line naming every bad line, exit 2', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"a": "x", "b": "y", "a_wins": 1, "b_wins": 1}\n{"a": "x", "b": "y", "a_wins": -2, "b_wins": 1}\nnope\n');
    const { code, stdout, stderr } = await peerlab(['utilities', 'fit', '--edges', file, '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`peerlab: ${file}: line 2: a_wins must be a whole or half count ≥ 0; line 3: not JSON\n`);
  }, 30_000);
});
