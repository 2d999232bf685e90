import { describe, expect, it } from 'vitest';
import { formatDifference, formatNumber, formatP, formatPercent, formatPercentValue, formatPoints } from './format-number.js';

describe('numbers as text (one rule everywhere)', () => {
  it('gives a sized number 0, 1 or 2 decimals by its size, negatives alike', () => {
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(123.45)).toBe('123');
    expect(formatNumber(-12.345)).toBe('-12.3');
    expect(formatNumber(0)).toBe('0.00');
  });

  it('prints infinities and NaN one way', () => {
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-∞');
    expect(formatNumber(Number.NaN)).toBe('n/a');
  });

  it('gives percentages, signed points (ASCII minus) and p-values', () => {
    expect(formatPercent(0.12345)).toBe('12.3%');
    expect(formatPercentValue(0.12345)).toBe('12.3');
    expect(formatPoints(0.05)).toBe('+5.0');
    expect(formatPoints(-0.05)).toBe('-5.0');
    expect(formatDifference({ estimate: 0.05, low: -0.012, high: 0.113 })).toBe('+5.0 pts [-1.2, +11.3]');
    expect(formatP(0.0004)).toBe('<0.001');
    expect(formatP(0.0456)).toBe('0.046');
  });
});
