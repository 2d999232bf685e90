import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { intervalChart, type IntervalRow } from './charts.js';

const row = (label: string, estimate: number, low: number, high: number, open?: IntervalRow['open']): IntervalRow =>
  ({ label, estimate, low, high, open, group: 'm', href: `#${label}`, title: label });

describe('intervalChart', () => {
  it('draws a one-sided ratio as a bracket and a dashed arrow off the axis, with no dot and no finite bar', () => {
    const svg = intervalChart({
      rows: [row('finite', 4, 2, 8), row('lower-only', Number.POSITIVE_INFINITY, 1.5, Number.POSITIVE_INFINITY, 'high'), row('nothing', Number.NaN, 0, Number.POSITIVE_INFINITY, 'both')],
      scale: 'log', domain: [0.01, 100], reference: 1, xLabel: 'ratio', groups: ['m'],
    });
    const { document } = parseHTML(`<html><body>${svg}</body></html>`);
    // One dot: only the finite row has an estimate to mark.
    expect(document.querySelectorAll('circle')).toHaveLength(1);
    // Marks carry their hover title inside, so a mark's text starts with what it shows.
    const texts = [...document.querySelectorAll('text')].map((t) => t.textContent ?? '');
    expect(texts.filter((t) => t.startsWith('['))).toEqual(['[lower-only']);
    expect(texts.filter((t) => t.startsWith('no events'))).toEqual(['no events: nothing to comparenothing']);
    // The lower-bound row's line is dashed and ends in an arrow marker; no path reaches Infinity.
    const dashed = [...document.querySelectorAll('[stroke-dasharray="5,3"]')];
    expect(dashed.length).toBeGreaterThan(0);
    expect(svg).toContain('marker-end');
    expect(svg).not.toMatch(/Infinity|NaN/);
  });
});
