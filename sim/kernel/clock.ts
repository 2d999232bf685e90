/**
 * Simulated time for an episode. Environments and traces read time only from here, so a run's
 * timeline depends on its seed and its steps, never on the host clock.
 */
export class SimClock {
  private nowMs: number;

  /** @param startIso the simulated wall time at which the episode begins */
  constructor(startIso: string) {
    const ms = Date.parse(startIso);
    if (Number.isNaN(ms)) throw new Error(`invalid simulated start time: ${startIso}`);
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

/** Parses ISO-8601 to milliseconds; `undefined` when it is not a date. */
export function msFromIso(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
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
