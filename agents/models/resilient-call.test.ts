import { describe, expect, it } from 'vitest';
import { SeededRng, type WallClock } from '../../sim/index.js';
import { ModelCallError, RetryBudget, backoffMs, callWithRetry, classifyError, parseRetryAfter, type RetryInfo } from './resilient-call.js';

const NOW = Date.parse('2026-03-02T09:00:00.000Z');

/** A clock that records every sleep and never really waits. */
function fakeClock(): WallClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, iso: () => new Date(NOW).toISOString(), sleep: async (ms) => { sleeps.push(ms); } };
}

/** An error shaped like the OpenAI SDK's `APIError`: a status and fetch `Headers`. */
function httpError(status: number, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${status} canned failure`), { status, headers: new Headers(headers), ...extra });
}

/** A call that fails with `failures` in turn, then answers "ok"; counts its attempts. */
function flaky(failures: unknown[]): { fn: () => Promise<string>; attempts: () => number } {
  let n = 0;
  return {
    fn: async () => {
      const failure = failures[n++];
      if (failure !== undefined) throw failure;
      return 'ok';
    },
    attempts: () => n,
  };
}

describe('parseRetryAfter', () => {
  it('reads delay-seconds, fractions included', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter(' 0.25 ', NOW)).toBe(250);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP-date as the time left until then (0 when past)', () => {
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 08:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-3', NOW)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it.each([
    [429, true, true], [500, true, true], [502, true, true], [503, true, true], [408, true, false],
    [400, false, false], [401, false, false], [403, false, false], [404, false, false],
  ])('status %i: retryable %s, overload %s', (status, retryable, overload) => {
    expect(classifyError(httpError(status), NOW)).toMatchObject({ status, retryable, overload });
  });

  it('reads Retry-After from fetch Headers or a plain object', () => {
    expect(classifyError(httpError(429, { 'retry-after': '3' }), NOW).retryAfterMs).toBe(3000);
    const plain = Object.assign(new Error('x'), { status: 503, headers: { 'Retry-After': '2' } });
    expect(classifyError(plain, NOW).retryAfterMs).toBe(2000);
  });

  it('does not retry a 429 for an exhausted quota', () => {
    expect(classifyError(httpError(429, {}, { code: 'insufficient_quota' }), NOW).retryable).toBe(false);
    expect(classifyError(httpError(429, {}, { error: { code: 'insufficient_quota' } }), NOW).retryable).toBe(false);
  });

  it('reads the status where Ollama\'s client puts it (status_code)', () => {
    const ollama = Object.assign(new Error('server busy'), { name: 'ResponseError', status_code: 503 });
    expect(classifyError(ollama, NOW)).toMatchObject({ status: 503, retryable: true, overload: true });
    expect(classifyError(Object.assign(new Error('model not found'), { status_code: 404 }), NOW)).toMatchObject({ status: 404, retryable: false });
  });

  it('reads a ModelCallError by its kind: a header wait before a body wait, quotas and final failures not retried', () => {
    const http = (failure: ConstructorParameters<typeof ModelCallError>[1]) => classifyError(new ModelCallError('x', failure), NOW);
    expect(http({ kind: 'http', status: 429, retryAfter: '3', retryAfterMs: 9000 })).toEqual({ retryable: true, overload: true, status: 429, retryAfterMs: 3000 });
    expect(http({ kind: 'http', status: 429, retryAfterMs: 2000 })).toEqual({ retryable: true, overload: true, status: 429, retryAfterMs: 2000 });
    expect(http({ kind: 'http', status: 429, retryAfterMs: 2000, quota: true })).toEqual({ retryable: false, overload: false, status: 429 });
    expect(http({ kind: 'http', status: 400 })).toEqual({ retryable: false, overload: false, status: 400 });
    expect(http({ kind: 'network' })).toEqual({ retryable: true, overload: true, status: null });
    expect(http({ kind: 'malformed' })).toEqual({ retryable: true, overload: false, status: null });
    expect(http({ kind: 'final' })).toEqual({ retryable: false, overload: false, status: null });
  });

  it('does not retry a 429 for a spend limit', () => {
    expect(classifyError(httpError(429, {}, { message: '429 {"type":"error","error":{"type":"rate_limit_error","details":{"error_code":"enforced_spend_limit_reached"}}}' }), NOW).retryable).toBe(false);
  });

  it('retries connection failures and timeouts, not other errors', () => {
    const connection = Object.assign(new Error('Connection error.'), { name: 'APIConnectionError' });
    const timeout = Object.assign(new Error('Request timed out.'), { name: 'TimeoutError' });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    for (const e of [connection, timeout, reset]) expect(classifyError(e, NOW)).toMatchObject({ retryable: true, status: null });
    expect(classifyError(new TypeError('x is not a function'), NOW).retryable).toBe(false);
    expect(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }), NOW).retryable).toBe(false);
  });
});

describe('backoffMs', () => {
  it('draws uniformly below a ceiling that doubles per retry and stops at the maximum', () => {
    const rng = SeededRng.fromSeed(1);
    const s = { baseDelayMs: 500, maxDelayMs: 30_000 };
    for (let attempt = 1; attempt <= 10; attempt++) {
      const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
      const draws = Array.from({ length: 200 }, () => backoffMs(attempt, s, rng));
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThanOrEqual(ceiling);
      expect(Math.max(...draws)).toBeGreaterThan(ceiling * 0.8); // full jitter uses the whole range
    }
  });

  it('is the same for the same seed', () => {
    const a = SeededRng.fromSeed(9);
    const b = SeededRng.fromSeed(9);
    expect([1, 2, 3].map((n) => backoffMs(n, { baseDelayMs: 500, maxDelayMs: 30_000 }, a)))
      .toEqual([1, 2, 3].map((n) => backoffMs(n, { baseDelayMs: 500, maxDelayMs: 30_000 }, b)));
  });
});

describe('callWithRetry', () => {
  it('waits what Retry-After says, then succeeds', async () => {
    const clock = fakeClock();
    const retries: RetryInfo[] = [];
    const call = flaky([httpError(429, { 'retry-after': '1' }), httpError(429, { 'retry-after': '2' })]);
    const result = await callWithRetry(call.fn, {}, { rng: SeededRng.fromSeed(1), clock, onRetry: (r) => retries.push(r) });
    expect(result).toBe('ok');
    expect(call.attempts()).toBe(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(retries).toEqual([
      { attempt: 1, status: 429, waitMs: 1000, error: '429 canned failure' },
      { attempt: 2, status: 429, waitMs: 2000, error: '429 canned failure' },
    ]);
  });

  it('caps a very long Retry-After', async () => {
    const clock = fakeClock();
    await callWithRetry(flaky([httpError(503, { 'retry-after': '3600' })]).fn, { maxRetryAfterMs: 60_000 }, { rng: SeededRng.fromSeed(1), clock });
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('backs off exponentially with jitter when there is no Retry-After', async () => {
    const clock = fakeClock();
    const call = flaky([httpError(500), httpError(502), httpError(503), httpError(500)]);
    await callWithRetry(call.fn, { baseDelayMs: 100, maxDelayMs: 500 }, { rng: SeededRng.fromSeed(3), clock });
    expect(clock.sleeps).toHaveLength(4);
    clock.sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(Math.min(500, 100 * 2 ** i)));
  });

  it('throws a non-retryable error at once', async () => {
    const clock = fakeClock();
    const call = flaky([httpError(401), httpError(401)]);
    await expect(callWithRetry(call.fn, {}, { rng: SeededRng.fromSeed(1), clock })).rejects.toThrow('401 canned failure');
    expect(call.attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after maxRetries, saying how many were spent', async () => {
    const clock = fakeClock();
    const call = flaky(Array.from({ length: 10 }, () => httpError(503)));
    await expect(callWithRetry(call.fn, { maxRetries: 3 }, { rng: SeededRng.fromSeed(1), clock })).rejects.toThrow('503 canned failure (after 3 retries)');
    expect(call.attempts()).toBe(4);
  });

  it('with maxRetries 0 rethrows the first failure unchanged', async () => {
    const failure = httpError(500);
    await expect(callWithRetry(flaky([failure]).fn, { maxRetries: 0 }, { rng: SeededRng.fromSeed(1), clock: fakeClock() })).rejects.toBe(failure);
  });

  it('stops when the episode budget is spent', async () => {
    const budget = new RetryBudget(2);
    const clock = fakeClock();
    const ctx = { rng: SeededRng.fromSeed(1), clock, onRetry: (r: RetryInfo) => budget.take(r) };
    await callWithRetry(flaky([httpError(429), httpError(429)]).fn, {}, ctx);
    expect(budget.spent).toBe(2);
    await expect(callWithRetry(flaky([httpError(429)]).fn, {}, ctx)).rejects.toThrow(/gave up after 2 model-call retries in this episode \(last failure: 429/);
  });
});
