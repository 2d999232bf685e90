import { msFromIso, type SeededRng, type WallClock } from '../../sim/index.js';

/**
 * Retries of remote model calls. Rate limits (429), server errors (5xx), timeouts and dropped
 * connections are retried after a wait: the server's `Retry-After` when it sends one, else
 * exponential backoff with full jitter (a uniform draw in [0, base·2^n], capped), so that many
 * clients that failed together do not come back together. Anything else (400, 401, 404, an
 * exhausted quota) throws at once: waiting would not change the answer.
 */

/** How often and how long to retry one call. */
export interface RetrySettings {
  /** Retries after the first attempt (default 6). */
  maxRetries: number;
  /** The backoff ceiling of the first retry, doubled for each one after (default 500 ms). */
  baseDelayMs: number;
  /** The largest backoff ceiling (default 30 s). */
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; longer hints are cut to this (default 2 min). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/** One retry about to happen, as recorded in a `model.retry` event. */
export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** The HTTP status of the failure, or null for a network error or timeout. */
  status: number | null;
  waitMs: number;
  /** The failure, on one line. */
  error: string;
}

/** What an error says about retrying. */
export interface ErrorClass {
  retryable: boolean;
  /** The endpoint is overloaded (429, 5xx, timeout): its concurrency should shrink. */
  overload: boolean;
  status: number | null;
  /** The server's `Retry-After`, in ms, when it sent one. */
  retryAfterMs?: number;
}

/**
 * How a provider module reports a failed call whose SDK does not say it in the OpenAI SDK's terms
 * (an HTTP status on `status`, the headers on `headers`): what kind of failure it was, and the
 * server's own wait when it gave one (a `Retry-After` header, or a delay in the error body).
 * {@link classifyError} turns it into a retry decision by the same rules as every other error.
 */
export class ModelCallError extends Error {
  override name = 'ModelCallError';
  constructor(message: string, readonly failure: CallFailure) {
    super(message);
  }
}

/** What a {@link ModelCallError} says about the failure. */
export interface CallFailure {
  /**
   * `http`: the endpoint answered with an error status; `network`: no answer (refused, reset, timed
   * out); `malformed`: a 2xx answer that is not a usable one; `final`: nothing that waiting changes.
   */
  kind: 'http' | 'network' | 'malformed' | 'final';
  status?: number;
  /** The `Retry-After` header as sent (delay-seconds or an HTTP-date). */
  retryAfter?: string;
  /** A wait the server gave in its error body (e.g. Gemini's `RetryInfo.retryDelay`), in ms. */
  retryAfterMs?: number;
  /** A 429 for an exhausted quota or spend limit: waiting will not help. */
  quota?: boolean;
}

const MALFORMED = 'MalformedAnswerError';
const NETWORK_NAMES = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'TimeoutError', 'FetchError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Reads an error thrown by a chat model. The OpenAI SDK (which `@langchain/openai` rethrows,
 * adding fields) puts the HTTP status on `status` and the response headers on `headers` (a fetch
 * `Headers`); connection failures have no status and are named `APIConnectionError`, timeouts
 * arrive renamed `TimeoutError`.
 */
export function classifyError(err: unknown, nowEpochMs: number): ErrorClass {
  if (err instanceof ModelCallError) return classifyFailure(err.failure, nowEpochMs);
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  // Ollama's client puts the status on `status_code`.
  const status = [e.status, e.statusCode, e.status_code].find((s): s is number => typeof s === 'number') ?? null;
  if (status !== null) {
    // A 429 for an exhausted quota, a billing problem or a spend limit will not go away by waiting.
    const quota = status === 429 && (codeOf(e) === 'insufficient_quota' || QUOTA_TEXT.test(String(e.message ?? '')));
    return httpClass(status, quota, headerOf(e.headers, 'retry-after'), undefined, nowEpochMs);
  }
  const name = typeof e.name === 'string' ? e.name : '';
  const cause = (e.cause ?? {}) as Record<string, unknown>;
  // A 2xx answer that is not a usable completion (cut short, not JSON, no choices): worth another
  // try, but not a sign of overload. The OpenAI client wraps it as a connection error's cause.
  if (name === MALFORMED || cause.name === MALFORMED || name === 'SyntaxError') return { retryable: true, overload: false, status: null };
  const network = NETWORK_NAMES.has(name) || NETWORK_NAMES.has(String(e.constructor && (e.constructor as { name?: string }).name))
    || NETWORK_CODES.has(String(e.code)) || NETWORK_CODES.has(String(cause.code));
  return { retryable: network, overload: network, status: null };
}

const QUOTA_TEXT = /insufficient[_ ]quota|billing|spend[_ ]limit/i;

/** The retry decision for an HTTP error status. */
function httpClass(status: number, quota: boolean, retryAfter: string | undefined, retryAfterMs: number | undefined, nowEpochMs: number): ErrorClass {
  const overload = (status === 429 && !quota) || status >= 500;
  const retryable = overload || status === 408;
  const wait = retryable ? parseRetryAfter(retryAfter, nowEpochMs) ?? retryAfterMs : undefined;
  return { retryable, overload, status, ...(wait === undefined ? {} : { retryAfterMs: wait }) };
}

/** The retry decision for a failure a provider module reported as a {@link ModelCallError}. */
function classifyFailure(f: CallFailure, nowEpochMs: number): ErrorClass {
  switch (f.kind) {
    case 'http':
      return httpClass(f.status ?? 500, f.quota === true, f.retryAfter, f.retryAfterMs, nowEpochMs);
    case 'network':
      return { retryable: true, overload: true, status: null };
    case 'malformed':
      return { retryable: true, overload: false, status: f.status ?? null };
    case 'final':
      return { retryable: false, overload: false, status: f.status ?? null };
  }
}

/** A `Retry-After` value in ms: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowEpochMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date names its day and month ("Wed, 21 Oct 2026 07:28:00 GMT"); without letters,
  // Date.parse would read a stray "-3" as the year -3.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowEpochMs);
}

/** Full-jitter backoff before retry `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, s: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, rng: SeededRng): number {
  const ceiling = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(rng.next() * ceiling);
}

/** What {@link callWithRetry} needs besides the settings. */
export interface RetryContext {
  /** Draws the jitter; seeded, so a replayed failure waits the same. */
  rng: SeededRng;
  /** Sleeps between attempts and dates `Retry-After`; a frozen clock makes waits instant. */
  clock: WallClock;
  /** Called before each wait, e.g. to record a `model.retry` event; throwing from it gives up. */
  onRetry?(info: RetryInfo): void;
}

/**
 * Calls `fn` until it succeeds, retrying retryable failures up to `maxRetries` times. The last
 * error is rethrown (its message notes the retries spent); a non-retryable one at once.
 */
export async function callWithRetry<T>(fn: (attempt: number) => Promise<T>, settings: Partial<RetrySettings>, ctx: RetryContext): Promise<T> {
  const s = { ...DEFAULT_RETRY, ...settings };
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const cls = classifyError(err, epochMs(ctx.clock));
      if (!cls.retryable) throw err;
      if (attempt >= s.maxRetries) throw gaveUp(err, attempt);
      const retry = attempt + 1;
      const waitMs = cls.retryAfterMs !== undefined ? Math.min(cls.retryAfterMs, s.maxRetryAfterMs) : backoffMs(retry, s, ctx.rng);
      ctx.onRetry?.({ attempt: retry, status: cls.status, waitMs, error: oneLine(err) });
      await ctx.clock.sleep(waitMs);
    }
  }
}

/**
 * The retries all the calls of one episode may spend together, so that an endpoint that keeps
 * failing ends the episode (as errored, with a clear reason) instead of stalling an experiment.
 */
export class RetryBudget {
  private used = 0;

  constructor(readonly max: number) {}

  /** Retries spent so far. */
  get spent(): number {
    return this.used;
  }

  /** Spends one retry, or throws when the budget is gone. */
  take(info: RetryInfo): void {
    if (this.used >= this.max) {
      throw new Error(`gave up after ${this.max} model-call retries in this episode (last failure: ${info.error})`);
    }
    this.used += 1;
  }
}

/**
 * An error on one line, for traces and messages. A wrapped cause is named too: the OpenAI client
 * reports every transport failure as "Connection error." and keeps what happened in `cause`.
 */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? withCause(err) || err.name : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** An error's message with its cause's, or just the cause's when it is a malformed answer. */
function withCause(err: Error): string {
  const cause = err.cause;
  if (!(cause instanceof Error) || !cause.message || err.message.includes(cause.message)) return err.message;
  return cause.name === MALFORMED ? cause.message : `${err.message} (${cause.message})`;
}

function gaveUp(err: unknown, retries: number): unknown {
  if (!(err instanceof Error)) return err;
  err.message = `${withCause(err)}${retries === 0 ? '' : ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})`}`;
  return err;
}

function epochMs(clock: WallClock): number {
  return msFromIso(clock.iso()) ?? 0;
}

function codeOf(e: Record<string, unknown>): string | undefined {
  if (typeof e.code === 'string') return e.code;
  const inner = e.error as Record<string, unknown> | undefined;
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => string | null } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : String(h[key]);
}
