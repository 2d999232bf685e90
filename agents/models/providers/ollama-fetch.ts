import { ModelCallError } from '../resilient-call.js';
import type { Endpoint } from './provider.js';

/**
 * The fetch `ChatOllama` is given. Ollama's client reads a streamed body of JSON lines and throws
 * away what it cannot use: an error answer becomes a `ResponseError` with no headers (and a
 * `console.log` on stdout when its body is not JSON), a line that is not JSON is skipped with a
 * warning on stderr. Here instead:
 * - an error status becomes a ModelCallError with the status, the server's message and its
 *   `Retry-After`;
 * - the whole answer must arrive within the endpoint's timeout and stay under its size cap;
 * - every line must be JSON, a line with an `error` (a failure mid-answer) fails the call, and the
 *   stream must end with its `done` line; otherwise the call fails, to be retried.
 */
export function ollamaFetch(endpoint: Endpoint, base: typeof fetch = fetch): typeof fetch {
  return async (input, init = {}) => {
    const deadline = AbortSignal.timeout(endpoint.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const res = await base(input, { ...init, signal });
    if (!res.ok) throw await statusError(res);
    if (!res.body) return res;
    return new Response(res.body.pipeThrough(checkedLines(endpoint.maxResponseBytes)), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

async function statusError(res: Response): Promise<ModelCallError> {
  const text = await res.text().catch(() => '');
  let message = text.trim();
  try {
    const error = (JSON.parse(text) as { error?: unknown }).error;
    if (typeof error === 'string') message = error;
  } catch {
    // not JSON: the text as it came
  }
  const retryAfter = res.headers.get('retry-after');
  return new ModelCallError(`Ollama error ${res.status}: ${message.slice(0, 500) || res.statusText || '(no message)'}`, {
    kind: 'http', status: res.status, ...(retryAfter === null ? {} : { retryAfter }),
  });
}

/** Passes the body through unchanged while checking its size and its lines. */
function checkedLines(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let received = 0;
  let pending = '';
  let done = false;
  const check = (line: string): void => {
    if (line.trim() === '') return;
    let value: { error?: unknown; done?: unknown };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw new ModelCallError(`Ollama's answer has a line that is not JSON (${line.length} characters)`, { kind: 'malformed' });
    }
    if (value.error !== undefined) throw new ModelCallError(`Ollama failed mid-answer: ${String(value.error).slice(0, 500)}`, { kind: 'network' });
    if (value.done === true) done = true;
  };
  return new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > maxBytes) throw new ModelCallError(`the endpoint's answer is larger than ${maxBytes} bytes; refused`, { kind: 'network' });
      const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(check);
      controller.enqueue(chunk);
    },
    flush() {
      check(pending + decoder.decode());
      if (!done) throw new ModelCallError('Ollama\'s answer ended before its last line (no "done": true)', { kind: 'malformed' });
    },
  });
}
