import { describe, expect, it } from 'vitest';
import { formatRate, wilson } from './rates.js';

describe('wilson', () => {
  // Reference values computed by hand from the closed form (and matching R's prop.test without correction).
  it.each([
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [5, 10, 0.2366, 0.7634],
    [1, 100, 0.0018, 0.0545],
  ])('%i/%i gives [%f, %f]', (k, n, low, high) => {
    const r = wilson(k, n);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it('refuses impossible counts', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
  });

  it('formats as percent with interval', () => {
    expect(formatRate(wilson(5, 10))).toBe('50.0% [23.7, 76.3]');
    expect(formatRate(wilson(0, 0))).toBe('n/a');
  });
});
