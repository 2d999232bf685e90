import type { AIMessage } from '@langchain/core/messages';
import { ChatGoogleGenerativeAI, EmptyContentError } from '@langchain/google-genai';
import { registerSecret } from '../../../traces/index.js';
import { ModelCallError } from '../resilient-call.js';
import { asTextAnswer, rawCallsAsToolCalls, renamedCalls } from './answers.js';
import type { Endpoint, ProviderClient, ToolCallIds } from './provider.js';

/**
 * The `google-genai:` client (imported only when a google-genai: model is first called). Gemini's
 * wire differs from OpenAI's in ways handled here:
 * - function calls come without ids (the client makes up random uuids): they are renamed, and the
 *   thought signatures the client keys by those ids follow them;
 * - the client has no timeout and does not forward LangChain's abort signal, so each request gets
 *   its own deadline signal here;
 * - the client keeps no response headers, so a 429's `Retry-After` is lost; the wait Gemini gives
 *   in its error body (`google.rpc.RetryInfo.retryDelay`) is used instead, and a daily quota
 *   (`QuotaFailure` on a per-day quota) is not retried;
 * - a malformed function call comes back as a candidate without content (`finishReason:
 *   MALFORMED_FUNCTION_CALL`), retried like any malformed answer; a blocked answer (safety,
 *   recitation) is an error that is not retried.
 * The SDK sends through Node's own fetch, so `max_response_mb` does not bound its answers.
 */
export function connect(model: string, endpoint: Endpoint): ProviderClient {
  registerSecret(endpoint.apiKey);
  const chat = new ChatGoogleGenerativeAI({
    model,
    apiKey: endpoint.apiKey,
    // Always explicit (see google-genai.ts); the client appends /v1beta/models/<model>:generateContent.
    baseUrl: endpoint.baseUrl,
    temperature: endpoint.temperature,
    ...(endpoint.maxTokens === undefined ? {} : { maxOutputTokens: endpoint.maxTokens }),
    maxRetries: 0,
  });
  withDeadline(chat, endpoint.timeoutMs);
  return { model: chat, normalize, callError, prepare: rawCallsAsToolCalls };
}

type GenerateContent = (request: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;

/** Gives every generateContent request of `chat`'s SDK client an abort signal that fires after `ms`. */
function withDeadline(chat: ChatGoogleGenerativeAI, ms: number): void {
  // `client` is the SDK's GenerativeModel (private in the type, a plain field at run time).
  const client = (chat as unknown as { client: { generateContent: GenerateContent } }).client;
  const generate = client.generateContent.bind(client);
  client.generateContent = (request, options = {}) => generate(request, { ...options, signal: options.signal ?? AbortSignal.timeout(ms) });
}

/** Where the client keeps each function call's thought signature, by call id. */
const SIGNATURES = '__gemini_function_call_thought_signatures__';

/** Text content; tool calls renamed, their thought signatures with them. */
export function normalize(answer: AIMessage, ids: ToolCallIds | undefined): AIMessage {
  const { toolCalls, invalidToolCalls, renamed } = renamedCalls(answer, ids);
  const signatures = answer.additional_kwargs?.[SIGNATURES] as Record<string, string> | undefined;
  const additionalKwargs = signatures && typeof signatures === 'object'
    ? { ...answer.additional_kwargs, [SIGNATURES]: Object.fromEntries(Object.entries(signatures).map(([id, s]) => [renamed.get(id) ?? id, s])) }
    : answer.additional_kwargs;
  return asTextAnswer(answer, { toolCalls, invalidToolCalls, additionalKwargs });
}

interface GoogleFetchError {
  status: number;
  statusText?: string;
  message: string;
  errorDetails?: Array<Record<string, unknown>>;
}

/** A Gemini client error in the terms `classifyError` reads. */
export function callError(err: unknown): unknown {
  if (err instanceof EmptyContentError) {
    const reason = err.finishReason ?? err.blockReason ?? 'unknown';
    return new ModelCallError(`Gemini answered without content (${err.blockReason ? 'blocked' : 'finish reason'}: ${reason})`, {
      kind: err.finishReason === 'MALFORMED_FUNCTION_CALL' ? 'malformed' : 'final',
    });
  }
  if (!(err instanceof Error)) return err;
  const e = err as Error & Partial<GoogleFetchError>;
  if (typeof e.status === 'number') {
    const details = Array.isArray(e.errorDetails) ? e.errorDetails : [];
    const delay = retryDelayMs(details);
    return new ModelCallError(`Gemini API error ${e.status}${e.statusText ? ` ${e.statusText}` : ''}: ${bodyMessage(e.message, details)}`, {
      kind: 'http', status: e.status, ...(delay === undefined ? {} : { retryAfterMs: delay }), quota: dailyQuota(details),
    });
  }
  // The SDK reports a failed or aborted fetch (no answer, or the deadline) as its own error.
  if (/^\[GoogleGenerativeAI Error\]: (Error fetching from|Request aborted when fetching)/.test(e.message)) {
    return new ModelCallError(e.message.replace(/^\[GoogleGenerativeAI Error\]: /, ''), { kind: 'network' });
  }
  // The deadline can also fire while the body is read, past the SDK's own handling.
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return new ModelCallError(`the answer was not complete within the timeout (${e.message})`, { kind: 'network' });
  return err;
}

/** The endpoint's own message: the SDK's text without its prefix, URL and the details it appends. */
function bodyMessage(message: string, details: readonly unknown[]): string {
  const text = message.replace(/^\[GoogleGenerativeAI Error\]: Error fetching from \S+: \[[^\]]*\]\s*/, '');
  const appended = details.length > 0 ? ` ${JSON.stringify(details)}` : '';
  return (appended && text.endsWith(appended) ? text.slice(0, -appended.length) : text).trim() || '(no message)';
}

/** `google.rpc.RetryInfo.retryDelay` (a protobuf Duration such as "22s" or "1.5s"), in ms. */
function retryDelayMs(details: ReadonlyArray<Record<string, unknown>>): number | undefined {
  const info = details.find((d) => String(d['@type'] ?? '').endsWith('google.rpc.RetryInfo'));
  const match = typeof info?.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(info.retryDelay.trim()) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** A `google.rpc.QuotaFailure` naming a per-day quota: it resets tomorrow, not in seconds. */
function dailyQuota(details: ReadonlyArray<Record<string, unknown>>): boolean {
  return details.some((d) => String(d['@type'] ?? '').endsWith('google.rpc.QuotaFailure')
    && Array.isArray(d.violations) && d.violations.some((v: { quotaId?: unknown }) => /PerDay/i.test(String(v?.quotaId ?? ''))));
}
