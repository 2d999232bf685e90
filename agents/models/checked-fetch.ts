/**
 * A check between the HTTP layer and a provider's client: a successful answer must be JSON of the
 * shape the client reads (a Chat Completions answer with at least one choice, a Responses answer
 * with its `output`, an Anthropic message with its `content`). Without it, a body cut short by a
 * proxy surfaces as a JSON syntax error and an empty answer as a TypeError deep inside LangChain;
 * neither says what happened, and neither would be retried. Here both become a
 * {@link MalformedAnswerError}, which the retry layer retries (see `classifyError`) and whose
 * message names the fault.
 */

/** The endpoint answered 2xx, but not with a usable answer. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

import { BufferedResponse } from './node-http-fetch.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One route's check: what is wrong with a parsed 2xx body, or undefined when it is usable. */
export interface AnswerCheck {
  path: RegExp;
  problem(body: unknown): string | undefined;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

const notJson = (err: unknown, text: string) => `the endpoint's answer is not valid JSON (${(err as Error).message}; ${text.length} bytes)`;

/** The endpoint's own error message in a 2xx body, when it put one there. */
function said(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
}

/** Chat Completions: at least one choice. */
export const CHAT_COMPLETIONS: AnswerCheck = {
  path: /\/chat\/completions(\?|$)/,
  problem: (body) => {
    const choices = (body as { choices?: unknown } | null)?.choices;
    return Array.isArray(choices) && choices.length > 0 ? undefined : `the endpoint answered without any choices${said(body)}`;
  },
};

/** The OpenAI Responses API: an `output` list. */
export const RESPONSES: AnswerCheck = {
  path: /\/responses(\?|$)/,
  problem: (body) => (Array.isArray((body as { output?: unknown } | null)?.output) ? undefined : `the endpoint answered without an output list${said(body)}`),
};

/** The Anthropic Messages API: a message with a `content` list. */
export const ANTHROPIC_MESSAGES: AnswerCheck = {
  path: /\/v1\/messages(\?|$)/,
  problem: (body) => (Array.isArray((body as { content?: unknown } | null)?.content) ? undefined : `the endpoint answered without a content list${said(body)}`),
};

function problemOf(check: AnswerCheck, text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return notJson(err, text);
  }
  return check.problem(body);
}

/**
 * Wraps `fetch` so that a 2xx answer on a checked route that is not JSON or not of the route's
 * shape throws a {@link MalformedAnswerError} (the OpenAI and Anthropic clients report it as a
 * connection error whose `cause` is this error). Other answers pass through untouched.
 */
export function checkedFetch(fetch: Fetch, checks: readonly AnswerCheck[]): Fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok) return res;
    const url = urlOf(input);
    const check = checks.find((c) => c.path.test(url));
    if (!check) return res;
    // A buffered answer can be read again (and keeps its parse for the client); a streamed one is
    // read from a copy.
    const problem = (res as unknown) instanceof BufferedResponse
      ? await res.json().then((parsed) => check.problem(parsed), async (err: unknown) => notJson(err, await res.text()))
      : problemOf(check, await res.clone().text());
    if (problem) throw new MalformedAnswerError(problem);
    return res;
  };
}
