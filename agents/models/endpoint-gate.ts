/**
 * Concurrency limits for remote model calls: one adaptive gate per endpoint, and an optional global
 * limit shared by every endpoint. A gate admits at most `limit` calls at a time; an overloaded
 * endpoint (429, 5xx) halves its limit, and calls that succeed grow it back one at a time (AIMD,
 * as TCP does), so a run slows down for a struggling server instead of hammering it.
 */

/** A FIFO counting semaphore whose limit may change while calls are waiting. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private currentLimit: number) {
    if (!Number.isInteger(currentLimit) || currentLimit < 1) throw new RangeError(`a concurrency limit must be a whole number ≥ 1 (got ${currentLimit})`);
  }

  /** How many holders it admits at once. */
  get limit(): number {
    return this.currentLimit;
  }

  /** How many hold it now (may exceed `limit` just after the limit shrank). */
  get inUse(): number {
    return this.active;
  }

  /** How many wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; call `release()` once when done with it. */
  acquire(): Promise<void> {
    if (this.active < this.currentLimit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.active -= 1;
    this.drain();
  }

  /** Changes the limit. Holders above a smaller limit keep their slots; nobody new is admitted until they leave. */
  setLimit(limit: number): void {
    this.currentLimit = limit;
    this.drain();
  }

  private drain(): void {
    while (this.active < this.currentLimit && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()!();
    }
  }
}

/** How an admitted call ended, as far as the endpoint's health goes. */
export type CallOutcome = 'ok' | 'overloaded' | 'failed';

/** A slot held by one call attempt; `done` must be called exactly once. */
export interface GatePermit {
  done(outcome: CallOutcome): void;
}

/**
 * The gate of one endpoint. Starts at `max`; an `overloaded` outcome halves the limit (never below
 * 1); after `limit` successes in a row it grows by 1, up to `max`. `failed` outcomes (a 400, a bad
 * key) say nothing about load and leave the limit alone.
 */
export class EndpointGate {
  private readonly slots: Semaphore;
  private streak = 0;
  /** Bumped at each decrease: a call admitted before it was judged under the old limit. */
  private epoch = 0;

  constructor(readonly max: number, private readonly global?: Semaphore) {
    this.slots = new Semaphore(max);
  }

  /** The current limit of concurrent calls to this endpoint. */
  get limit(): number {
    return this.slots.limit;
  }

  /** Calls in flight to this endpoint. */
  get inFlight(): number {
    return this.slots.inUse;
  }

  /**
   * Waits for a slot at this endpoint, then (if there is one) in the global limit. The endpoint
   * slot comes first so that a call queued behind a slow endpoint never holds a global slot that a
   * call to a healthy endpoint could use.
   */
  async acquire(): Promise<GatePermit> {
    await this.slots.acquire();
    if (this.global) await this.global.acquire();
    const epoch = this.epoch;
    let finished = false;
    return {
      done: (outcome) => {
        if (finished) return;
        finished = true;
        this.global?.release();
        this.slots.release();
        this.settle(outcome, epoch);
      },
    };
  }

  /** Runs `fn` in a slot; `judge` maps its error to an outcome (default: `failed`). */
  async run<T>(fn: () => Promise<T>, judge: (err: unknown) => CallOutcome = () => 'failed'): Promise<T> {
    const permit = await this.acquire();
    try {
      const value = await fn();
      permit.done('ok');
      return value;
    } catch (err) {
      permit.done(judge(err));
      throw err;
    }
  }

  private settle(outcome: CallOutcome, epoch: number): void {
    if (outcome === 'ok') {
      this.streak += 1;
      if (this.streak >= this.slots.limit && this.slots.limit < this.max) {
        this.slots.setLimit(this.slots.limit + 1);
        this.streak = 0;
      }
      return;
    }
    if (outcome === 'failed') return;
    this.streak = 0;
    // A burst of 429s from calls that were all in flight together is one signal, not many: only a
    // call admitted since the last decrease may halve the limit again.
    if (epoch !== this.epoch) return;
    this.epoch += 1;
    this.slots.setLimit(Math.max(1, Math.floor(this.slots.limit / 2)));
  }
}

/** Limits for a {@link GateRegistry}. */
export interface GateLimits {
  /** Concurrent calls per endpoint (the gate's starting and largest limit). */
  perEndpoint: number;
  /** Concurrent calls over all endpoints together; unlimited when absent. */
  global?: number;
  /** Other per-endpoint limits, by base URL (an experiment's `max_concurrency` per model). */
  endpoints?: Readonly<Record<string, number>>;
}

/** One {@link EndpointGate} per base URL, all sharing an optional global limit. */
export class GateRegistry {
  private readonly gates = new Map<string, EndpointGate>();
  private readonly global?: Semaphore;

  constructor(readonly limits: GateLimits) {
    if (!Number.isInteger(limits.perEndpoint) || limits.perEndpoint < 1) throw new RangeError(`per-endpoint concurrency must be a whole number ≥ 1 (got ${limits.perEndpoint})`);
    if (limits.global !== undefined) this.global = new Semaphore(limits.global);
  }

  /** The gate of an endpoint, made on first use. Trailing slashes do not make a second endpoint. */
  gate(baseUrl: string): EndpointGate {
    const key = baseUrl.replace(/\/+$/, '');
    let gate = this.gates.get(key);
    if (!gate) {
      const own = Object.entries(this.limits.endpoints ?? {}).find(([url]) => url.replace(/\/+$/, '') === key)?.[1];
      gate = new EndpointGate(own ?? this.limits.perEndpoint, this.global);
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** Current limits by endpoint, for progress displays. */
  snapshot(): Record<string, { limit: number; inFlight: number }> {
    return Object.fromEntries([...this.gates].map(([url, g]) => [url, { limit: g.limit, inFlight: g.inFlight }]));
  }
}
