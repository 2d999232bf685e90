import { describe, expect, it } from 'vitest';
import { SimClock, msFromIso } from './clock.js';

describe('msFromIso: the one reader of dates', () => {
  it.each([
    '2026-03-02T13:00:00Z', '2026-03-02T13:00:00.000Z', '2026-03-02T13:00:00.5Z', '2026-03-02T08:00:00-05:00', '2026-03-02T18:30:00+05:30',
    '2026-03-02T13:00Z', '2026-03-02T14:00:00+0100', '2026-03-02T12:00:00-01', '2024-02-29T00:00:00Z', '1999-12-31T23:59:59.999Z',
  ])('%s: the instant Date.parse gives (the zone is written)', (text) => {
    expect(msFromIso(text)).toBe(Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00')));
  });

  it.each([
    ['2026-03-02 20:30:00', '2026-03-02T20:30:00.000Z'],
    ['2026-03-02T20:30', '2026-03-02T20:30:00.000Z'],
    ['2026-03-02t20:30:00z', '2026-03-02T20:30:00.000Z'],
    ['2026-03-02', '2026-03-02T00:00:00.000Z'],
    [' 2026-03-02 20:30:00.25 ', '2026-03-02T20:30:00.250Z'],
  ])('%s without a zone is UTC: %s', (text, iso) => {
    expect(msFromIso(text)).toBe(Date.parse(iso));
  });

  it.each(['0', '-1', '2026', '1772480000', 'March 2, 2026', 'soon', '', '2026-02-30', '2026-13-01', '2026-03-02T24:00:00Z', '2026-03-02T13:60:00Z',
    '2026-03-02T13:00:61Z', '2026-3-2', '2026-03-02Z', 'Mon, 02 Mar 2026 13:00:00 GMT'])('%j is not a date', (text) => {
    expect(msFromIso(text)).toBeUndefined();
  });

  it('starts a simulated clock the same way, and refuses what is not a date', () => {
    expect(new SimClock('2026-03-02 09:00').iso()).toBe('2026-03-02T09:00:00.000Z');
    expect(() => new SimClock('tomorrow')).toThrow('invalid simulated start time');
  });
});
