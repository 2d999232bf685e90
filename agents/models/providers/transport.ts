import { formatWithOptions } from 'node:util';
import { redactSecrets } from '../../../traces/index.js';
import { checkedFetch, type AnswerCheck } from '../checked-fetch.js';
import { nodeHttpFetchWith } from '../node-http-fetch.js';
import type { Endpoint } from './provider.js';

/**
 * The transport the OpenAI and Anthropic clients are given: keep-alive node:http with a cap on the
 * body and a deadline on the whole answer (see node-http-fetch.ts), and 2xx answers that are not
 * of the route's shape refused (see checked-fetch.ts).
 */
export function boundedFetch(endpoint: Endpoint, checks: readonly AnswerCheck[]): typeof fetch {
  return checkedFetch(nodeHttpFetchWith({ maxBodyBytes: endpoint.maxResponseBytes, deadlineMs: endpoint.timeoutMs }), checks) as typeof fetch;
}

/**
 * A client's log, with every registered secret redacted. The OpenAI and Anthropic SDKs log through
 * `console` when `OPENAI_LOG` / `ANTHROPIC_LOG` is set (at `debug`, whole requests and responses);
 * this keeps that working without a key ever reaching the terminal.
 */
export const redactingLogger = Object.fromEntries((['error', 'warn', 'info', 'debug'] as const).map((level) => [
  level, (...args: unknown[]) => console.error(redactSecrets(formatWithOptions({ depth: 6 }, ...args))),
])) as Record<'error' | 'warn' | 'info' | 'debug', (...args: unknown[]) => void>;
