/**
 * A `fetch` for the OpenAI client built on node:http(s) with keep-alive agents. The client only
 * needs a request and a buffered JSON answer (peerlab never streams), and Node's built-in fetch
 * spends much of each call's CPU on WHATWG streams and per-request dispatch; on a 2-core machine
 * that cost, not the server, capped the call rate of a busy experiment. For the same reason the
 * answer is a {@link BufferedResponse}, not a WHATWG `Response` (whose body stream costs more to
 * build than the whole JSON parse).
 */
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' }),
} as const;

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
}

/**
 * An answer already read whole: the parts of `Response` the OpenAI client reads (status, headers,
 * `text()`, `json()`, and a null `body`, which it treats as nothing left to cancel). The body can be
 * read more than once, so a check in front of the client can look at it without copying it.
 */
export class BufferedResponse {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type = 'basic';
  readonly body = null;
  readonly bodyUsed = false;
  private parsed: { value: unknown } | undefined;
  constructor(
    private readonly bytes: Buffer,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  /** The body parsed once: a check in front of the client and the client itself share the parse. */
  async json(): Promise<unknown> {
    if (this.parsed === undefined) this.parsed = { value: JSON.parse(this.bytes.toString('utf8')) as unknown };
    return this.parsed.value;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes).buffer;
  }

  clone(): BufferedResponse {
    return this;
  }
}

/** A response body larger than the cap: the endpoint (or something in front of it) sends without end. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

/** The whole answer did not arrive within the deadline (a body that trickles forever). */
export class ResponseDeadlineError extends Error {
  override name = 'ResponseDeadlineError';
}

/** Bounds on one answer. */
export interface FetchLimits {
  /** The most body bytes read; more fails the request (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxBodyBytes?: number;
  /** The longest a request may take from sending to the body's last byte, in ms (none by default). */
  deadlineMs?: number;
}

/** 8 MiB: a chat completion is a few kilobytes; a body this size is an endpoint gone wrong. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Sends one request and resolves with the whole answer as a {@link BufferedResponse}, typed as the `Response` callers expect. */
export function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  return fetchWithin({}, input, init);
}

/**
 * A {@link nodeHttpFetch} whose answers are bounded: a body over `maxBodyBytes` or an answer not
 * whole within `deadlineMs` fails the request (and closes its connection) instead of being read on.
 */
export function nodeHttpFetchWith(limits: FetchLimits): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init = {}) => fetchWithin(limits, input, init);
}

function fetchWithin(limits: FetchLimits, input: string | URL | Request, init: RequestInit): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const maxBytes = limits.maxBodyBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: Error) => {
      clearTimeout(timer);
      req.destroy(err);
      reject(err);
    };
    const req = transport.request(url, {
      method: init.method ?? 'GET',
      headers: headerRecord(init.headers),
      agent,
      ...(init.signal ? { signal: init.signal } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const tooLarge = () => new ResponseTooLargeError(`the endpoint's answer is larger than ${maxBytes} bytes (status ${res.statusCode}); refused`);
      if (Number(res.headers['content-length'] ?? 0) > maxBytes) return fail(tooLarge());
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) return fail(tooLarge());
        chunks.push(chunk);
      });
      res.on('error', reject);
      // A connection closed before the body ended is an error, not an answer.
      res.on('close', () => { if (!res.complete) reject(new Error('the connection closed before the answer was complete')); });
      res.on('end', () => {
        clearTimeout(timer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (Array.isArray(value)) for (const v of value) headers.append(name, v);
          else if (value !== undefined) headers.set(name, value);
        }
        const answer = new BufferedResponse(Buffer.concat(chunks), res.statusCode ?? 500, res.statusMessage ?? '', headers, url.href);
        resolve(answer as unknown as Response);
      });
    });
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    if (limits.deadlineMs !== undefined) {
      timer = setTimeout(() => fail(new ResponseDeadlineError(`the endpoint's answer was not complete after ${limits.deadlineMs} ms`)), limits.deadlineMs);
      timer.unref();
    }
    const body = init.body;
    if (body === undefined || body === null) req.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
    else reject(new TypeError('nodeHttpFetch sends string or byte bodies only'));
  });
}
