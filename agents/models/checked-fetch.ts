/**
 * A check between the HTTP layer and the OpenAI client: a successful Chat Completions answer must be
 * JSON with at least one choice. Without it, a body cut short by a proxy surfaces as a JSON syntax
 * error and an empty `choices` as a TypeError deep inside LangChain; neither says what happened, and
 * neither would be retried. Here both become a {@link MalformedAnswerError}, which the retry layer
 * retries (see `classifyError`) and whose message names the fault.
 */

/** The endpoint answered 2xx, but not with a usable chat completion. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

import { BufferedResponse } from './node-http-fetch.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** What is wrong with a 2xx completion body, or undefined when it is usable. */
export function completionProblem(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return notJson(err, text);
  }
  return parsedCompletionProblem(body);
}

const notJson = (err: unknown, text: string) => `the endpoint's answer is not valid JSON (${(err as Error).message}; ${text.length} bytes)`;

/** What is wrong with a parsed 2xx completion body, or undefined when it is usable. */
function parsedCompletionProblem(body: unknown): string | undefined {
  const b = (body ?? {}) as { choices?: unknown; error?: { message?: unknown } };
  if (Array.isArray(b.choices) && b.choices.length > 0) return undefined;
  const said = typeof b.error?.message === 'string' ? `: ${b.error.message.slice(0, 200)}` : '';
  return `the endpoint answered without any choices${said}`;
}

/**
 * Wraps `fetch` so that a 2xx answer to `…/chat/completions` that is not JSON or has no choices
 * throws a {@link MalformedAnswerError} (the OpenAI client reports it as a connection error whose
 * `cause` is this error). Other answers pass through untouched.
 */
export function checkedCompletionFetch(fetch: Fetch): Fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok || !/\/chat\/completions(\?|$)/.test(urlOf(input))) return res;
    // A buffered answer can be read again (and keeps its parse for the client); a streamed one is
    // read from a copy.
    const problem = (res as unknown) instanceof BufferedResponse
      ? await res.json().then(parsedCompletionProblem, async (err: unknown) => notJson(err, await res.text()))
      : completionProblem(await res.clone().text());
    if (problem) throw new MalformedAnswerError(problem);
    return res;
  };
}
