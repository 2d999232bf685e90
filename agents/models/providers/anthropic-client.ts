import { ChatAnthropic } from '@langchain/anthropic';
import type { AIMessage } from '@langchain/core/messages';
import { registerSecret } from '../../../traces/index.js';
import { ANTHROPIC_MESSAGES } from '../checked-fetch.js';
import { asTextAnswer, rawCallsAsToolCalls } from './answers.js';
import type { Endpoint, ProviderClient } from './provider.js';
import { boundedFetch, redactingLogger } from './transport.js';

/**
 * The `anthropic:` client (imported only when an anthropic: model is first called). It sends
 * through peerlab's bounded node:http fetch, makes one attempt per call (retries are peerlab's),
 * and keeps answers as text plus tool calls: the Messages API answers with a list of content
 * blocks (text, tool_use), which ChatAnthropic rebuilds from the tool calls when the answer goes
 * back into the history, so nothing is lost and a replayed history is the same as a live one.
 */
export function connect(model: string, endpoint: Endpoint): ProviderClient {
  registerSecret(endpoint.apiKey);
  const chat = new ChatAnthropic({
    model,
    apiKey: endpoint.apiKey,
    // Always explicit (see anthropic.ts); the client appends /v1/messages.
    anthropicApiUrl: endpoint.baseUrl,
    temperature: endpoint.temperature,
    maxTokens: endpoint.maxTokens,
    maxRetries: 0,
    // authToken: null keeps ANTHROPIC_AUTH_TOKEN out of requests: the key given here is the only credential sent.
    clientOptions: { fetch: boundedFetch(endpoint, [ANTHROPIC_MESSAGES]), timeout: endpoint.timeoutMs, maxRetries: 0, logger: redactingLogger, authToken: null },
  });
  return { model: chat, normalize: asText, callError: withoutTroubleshooting, prepare: rawCallsAsToolCalls };
}

/** An answer with its content blocks reduced to their text; tool calls, usage and metadata as they were. */
export function asText(answer: AIMessage): AIMessage {
  return typeof answer.content === 'string' ? answer : asTextAnswer(answer);
}

/** LangChain appends a troubleshooting link to some errors' messages; the trace keeps the endpoint's words. */
function withoutTroubleshooting(err: unknown): unknown {
  if (err instanceof Error) err.message = err.message.replace(/\s*Troubleshooting URL:[\s\S]*$/, '');
  return err;
}
