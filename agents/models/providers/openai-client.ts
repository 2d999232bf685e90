import { ChatOpenAI } from '@langchain/openai';
import { registerSecret } from '../../../traces/index.js';
import { CHAT_COMPLETIONS, RESPONSES } from '../checked-fetch.js';
import type { Endpoint, ProviderClient } from './provider.js';
import { boundedFetch, redactingLogger } from './transport.js';

/**
 * The `openai:` client (imported only when an openai: model is first called): `ChatOpenAI` over the
 * Chat Completions API, or the Responses API with the setting `api: responses`.
 */

/**
 * A ChatOpenAI client for `model` at `endpoint`. It makes one attempt per call: retries happen in
 * peerlab's call policy, where they are bounded and traced. The key goes to the client only.
 */
export function createChatOpenAI(model: string, endpoint: Endpoint): ChatOpenAI {
  // Whatever the endpoint echoes back, this key is never written anywhere (see traces/secrets.ts).
  registerSecret(endpoint.apiKey);
  return new ChatOpenAI({
    model,
    apiKey: endpoint.apiKey,
    // Always an explicit base URL: without one ChatOpenAI would route to a hosted gateway when
    // LANGSMITH_GATEWAY=true.
    configuration: { baseURL: endpoint.baseUrl, fetch: boundedFetch(endpoint, [CHAT_COMPLETIONS, RESPONSES]), logger: redactingLogger },
    temperature: endpoint.temperature,
    maxTokens: endpoint.maxTokens,
    timeout: endpoint.timeoutMs,
    maxRetries: 0,
    useResponsesApi: endpoint.options.api === 'responses',
  });
}

/** The client module's entry point (see ClientModule). */
export function connect(model: string, endpoint: Endpoint): ProviderClient {
  return { model: createChatOpenAI(model, endpoint) };
}
