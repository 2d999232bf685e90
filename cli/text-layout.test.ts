import { describe, expect, it } from 'vitest';
import { displayWidth, table, wrapLine, wrapText, wrapWords } from './text-layout.js';

const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

describe('wrapWords', () => {
  it('breaks at spaces, else after punctuation inside a long word, else anywhere; drops only the spaces it breaks at', () => {
    expect(wrapWords('alpha beta gamma delta', 11)).toEqual(['alpha beta', 'gamma delta']);
    expect(wrapWords('relation=cooperative', 12)).toEqual(['relation=', 'cooperative']);
    expect(wrapWords('abcdefghijklmnop', 5)).toEqual(['abcde', 'fghij', 'klmno', 'p']);
    expect(wrapWords('short', 10)).toEqual(['short']);
    // Every character but the spaces at a break comes back, in order.
    const text = 'the data only bound the ratio from below (with a peer at least 0.63 times as frequent)';
    expect(wrapWords(text, 17).join(' ')).toBe(text);
  });
});

describe('wrapLine and wrapText', () => {
  it('keeps the indent, lines up under a list marker, and repeats a | gutter', () => {
    expect(wrapLine('  - one two three four five six', 16)).toEqual(['  - one two', '    three four', '    five six']);
    expect(wrapLine('    plain text that runs on', 16)).toEqual(['    plain text', '      that runs', '      on']);
    expect(wrapLine('  | gutter text goes on', 14)).toEqual(['  | gutter', '  | text goes', '  | on']);
    expect(wrapText('a\nb c d e f g h i j k l m n o p q r s t u v w x y z', 20).split('\n').every((l) => l.length <= 20)).toBe(true);
    expect(wrapText('x'.repeat(150), Number.POSITIVE_INFINITY)).toBe('x'.repeat(150));
  });
});

describe('table', () => {
  const headers = ['run', 'model', 'factors', 'choice'];
  const rows = [
    ['shutdown-config-0123456789ab-1', 'synthetic:self-preserving', 'relation=cooperative channel=memory interrogate=on', 'disable_switch'],
    ['decommission-wipe-0123456789ab-2', 'synthetic:peer-loyal', '(defaults)', 'exfiltrate'],
  ];

  it('is a plain grid when it fits', () => {
    expect(table(['a', 'bb'], [['1', '2'], ['333', '4']])).toBe('a    bb\n---  --\n1    2\n333  4');
  });

  it('narrows the widest columns first, wraps their cells, keeps the columns it is told to keep, and fits the width', () => {
    const t = table(headers, rows, { width: 90, keep: [0] });
    expect(widest(t)).toBeLessThanOrEqual(90);
    expect(t).toContain('shutdown-config-0123456789ab-1');
    expect(t.split('\n')[2]).toMatch(/^shutdown-config-0123456789ab-1 {2,}\S/);
    expect(t.split('\n').filter((l) => /^\S+-0123456789ab-\d/.test(l))).toHaveLength(2);
    // A column named first is narrowed first.
    const t2 = table(headers, rows, { width: 90, keep: [0], shrinkFirst: [2] });
    expect(t2.split('\n')[0]).toMatch(/^run +model +factors +choice$/);
    expect(widest(t2)).toBeLessThanOrEqual(90);
  });

  it('prints one block per row when even narrow columns cannot fit, or when told to', () => {
    const many = Array.from({ length: 12 }, (_, i) => `column ${i}`);
    const t = table(many, [many.map((_, i) => `value ${i} with words`)], { width: 60, keyColumns: 2 });
    expect(t.split('\n')).toContain('value 0 with words · value 1 with words');
    expect(t).toContain('  column 2: value 2 with words; column 3: value 3 with words');
    expect(widest(t)).toBeLessThanOrEqual(60);
    const b = table(headers, rows, { width: 90, keyColumns: 2, tooWide: 'blocks' });
    expect(b.split('\n')).toContain('shutdown-config-0123456789ab-1 · synthetic:self-preserving');
  });

  it('puts a note under a row, wrapped and indented; escapes control characters in cells', () => {
    const t = table(['a', 'b'], [['x\u001b]0;t\u0007', 'y'], ['z', 'w']], { notes: ['one two three four five six seven', ''], width: 21 });
    const cell = 'x\\u001b]0;t\\u0007';
    expect(t.split('\n')).toEqual([`${'a'.padEnd(cell.length)}  b`, `${'-'.repeat(cell.length)}  -`, `${cell}  y`, '    one two three', '      four five six', '      seven', `${'z'.padEnd(cell.length)}  w`]);
  });

  it('with an unlimited width, one line per row', () => {
    const t = table(headers, rows, { width: Number.POSITIVE_INFINITY });
    expect(t.split('\n')).toHaveLength(4);
  });
});
