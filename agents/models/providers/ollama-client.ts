import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { ChatOllama } from '@langchain/ollama';
import { registerSecret } from '../../../traces/index.js';
import { ModelCallError } from '../resilient-call.js';
import { asTextAnswer, rawCallsAsToolCalls, renamedCalls } from './answers.js';
import { ollamaFetch } from './ollama-fetch.js';
import type { Endpoint, ProviderClient, ToolCallIds } from './provider.js';

/**
 * The `ollama:` client (imported only when an ollama: model is first called). ChatOllama always
 * streams /api/chat and joins the chunks; around it:
 * - its transport is checked (see ollama-fetch.ts);
 * - a tool call whose arguments are not a JSON object is kept as an invalid call (ChatOllama's
 *   own join drops it, so a malformed call would read as no call at all);
 * - tool-call ids, which the client makes up, are renamed per conversation;
 * - token counts the server did not send are unknown, not zero.
 */
class CheckedChatOllama extends ChatOllama {
  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    let joined: AIMessageChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      joined = joined ? joined.concat(chunk.message as AIMessageChunk) : (chunk.message as AIMessageChunk);
    }
    if (!joined) throw new ModelCallError('Ollama answered with an empty stream', { kind: 'malformed' });
    const message = new AIMessage({
      content: joined.content,
      additional_kwargs: joined.additional_kwargs,
      tool_calls: joined.tool_calls ?? [],
      invalid_tool_calls: (joined.invalid_tool_calls ?? []).map((c) => ({ ...c, args: unquoted(c.args) })),
      response_metadata: joined.response_metadata,
      ...(joined.usage_metadata ? { usage_metadata: joined.usage_metadata } : {}),
    });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

/**
 * ChatOllama passes arguments on as JSON text; arguments that came as a string arrive quoted
 * twice. The arguments as the model wrote them.
 */
function unquoted(args: string | undefined): string | undefined {
  if (args === undefined) return args;
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === 'string' ? value : args;
  } catch {
    return args;
  }
}

export function connect(model: string, endpoint: Endpoint): ProviderClient {
  registerSecret(endpoint.apiKey);
  const chat = new CheckedChatOllama({
    model,
    // Always explicit (see ollama.ts): ChatOllama would otherwise read OLLAMA_BASE_URL itself.
    baseUrl: endpoint.baseUrl,
    temperature: endpoint.temperature,
    ...(endpoint.maxTokens === undefined ? {} : { numPredict: endpoint.maxTokens }),
    fetch: ollamaFetch(endpoint),
    // With a key, only this one is sent (Ollama's client would read OLLAMA_API_KEY itself for ollama.com).
    ...(endpoint.apiKey ? { headers: { Authorization: `Bearer ${endpoint.apiKey}` } } : {}),
  });
  return { model: chat, normalize, callError, prepare: rawCallsAsToolCalls };
}

/** Text content, tool calls renamed, usage dropped when the server did not count. */
export function normalize(answer: AIMessage, ids: ToolCallIds | undefined): AIMessage {
  const { toolCalls, invalidToolCalls } = renamedCalls(answer, ids);
  const meta = answer.response_metadata as { prompt_eval_count?: unknown; eval_count?: unknown } | undefined;
  const counted = typeof meta?.prompt_eval_count === 'number' && typeof meta.eval_count === 'number';
  return asTextAnswer(answer, { toolCalls, invalidToolCalls, withoutUsage: !counted });
}

/** Ollama's client says a stream ended early in a plain Error; it is a malformed answer. */
export function callError(err: unknown): unknown {
  if (err instanceof Error && /^Did not receive done or success response in stream/.test(err.message)) {
    return new ModelCallError('Ollama\'s answer ended before its last line (no "done": true)', { kind: 'malformed' });
  }
  return err;
}
