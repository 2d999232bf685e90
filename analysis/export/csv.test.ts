import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv.js';

/** A small RFC 4180 reader, to check that what we write reads back as written. */
function parseLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else value += line[i++];
      }
    } else {
      while (i < line.length && line[i] !== ',') value += line[i++];
    }
    out.push(value);
    if (i >= line.length) return out;
    i++; // the comma
  }
}

describe('csv (RFC 4180)', () => {
  it('quotes a field with a comma, a quote, a carriage return or a line feed, and only then', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\rtwo')).toBe('"one\rtwo"');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
    expect(csvField(false)).toBe('false');
  });

  it('writes lines that read back field for field', () => {
    const fields = ['a', 'b,c', '"q"', 'x\ry', 'x\ny', '', ' lead'];
    expect(parseLine(csvLine(fields))).toEqual(fields);
  });
});
