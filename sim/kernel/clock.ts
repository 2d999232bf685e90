/**
 * Simulated time for an episode. Environments and traces read time only from here, so a run's
 * timeline depends on its seed and its steps, never on the host clock.
 */
export class SimClock {
  private nowMs: number;

  /** @param startIso the simulated wall time at which the episode begins */
  constructor(startIso: string) {
    const ms = msFromIso(startIso);
    if (ms === undefined) throw new Error(`invalid simulated start time: ${startIso}`);
    this.nowMs = ms;
  }

  /** Milliseconds since the Unix epoch, in simulated time. */
  now(): number {
    return this.nowMs;
  }

  /** The simulated time as an ISO-8601 string. */
  iso(): string {
    return new Date(this.nowMs).toISOString();
  }

  /** Moves time forward; never backward. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('simulated time cannot go backward');
    this.nowMs += ms;
  }

  /** Jumps to a later instant (no-op if it is not later). */
  advanceTo(ms: number): void {
    if (ms > this.nowMs) this.nowMs = ms;
  }
}

/** Formats simulated milliseconds as ISO-8601. */
export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * `YYYY-MM-DD`, optionally followed by `T` (or a space) and `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`,
 * optionally followed by a zone (`Z`, `±hh`, `±hhmm`, `±hh:mm`).
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses an ISO-8601 date or date-time to milliseconds; `undefined` when it is not one. The one
 * reader of dates in worlds and scenarios: a time written without a zone is read as UTC (the
 * scenarios' zone), never the host's, so the same text means the same instant on every machine
 * (`Date.parse` would read `2026-03-02 20:30:00` in the host's zone, and `"0"` as the year 2000).
 * Only the ISO forms are dates: `March 2, 2026`, bare years and numbers are not.
 */
export function msFromIso(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month! < 1 || month! > 12 || day! < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  date.setUTCHours(hour, minute, second, ms);
  // Day 31 of a 30-day month rolls over into the next: not a date.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month! - 1) return undefined;
  return date.getTime() - zoneOffsetMs(m[8]);
}

/** The offset of a zone suffix from UTC, in ms (none and `Z` are UTC). */
function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
}

/**
 * The host clock, for things that really are about the host: model latency and row timestamps.
 * In-process models get {@link frozenWallClock}, so their traces stay byte-identical.
 */
export interface WallClock {
  /** Milliseconds, monotonic enough for measuring durations. */
  now(): number;
  /** The current time as ISO-8601, for database rows. */
  iso(): string;
  /**
   * Waits `ms` of host time (backoff before retrying a model call). Lives on the clock so that a
   * frozen or fake clock makes waiting instant, and tests never really sleep.
   */
  sleep(ms: number): Promise<void>;
}

/** The real host clock. */
export const systemWallClock: WallClock = {
  now: () => performance.now(),
  iso: () => new Date().toISOString(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock that never moves: latency reads as 0 and timestamps as the epoch. */
export const frozenWallClock: WallClock = {
  now: () => 0,
  iso: () => new Date(0).toISOString(),
  sleep: () => Promise.resolve(),
};
