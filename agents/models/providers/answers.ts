import { AIMessage, type BaseMessage, type InvalidToolCall, type ToolCall } from '@langchain/core/messages';
import type { ToolCallIds } from './provider.js';
import { textOf } from '../message-text.js';

/**
 * Helpers for providers' `normalize`: an answer rebuilt as text plus tool calls, the form peerlab
 * keeps in histories, the response cache and (through the agent loop) the trace.
 */

/** What a normalized answer may change. */
export interface AnswerChanges {
  toolCalls?: ToolCall[];
  invalidToolCalls?: InvalidToolCall[];
  additionalKwargs?: AIMessage['additional_kwargs'];
  /** Drop the usage (a provider that reported none as zeros). */
  withoutUsage?: boolean;
}

/** `answer` with text content and `changes`; everything else (metadata, usage, id) kept. */
export function asTextAnswer(answer: AIMessage, changes: AnswerChanges = {}): AIMessage {
  return new AIMessage({
    content: textOf(answer.content),
    tool_calls: changes.toolCalls ?? answer.tool_calls ?? [],
    invalid_tool_calls: changes.invalidToolCalls ?? answer.invalid_tool_calls ?? [],
    additional_kwargs: changes.additionalKwargs ?? answer.additional_kwargs,
    response_metadata: answer.response_metadata,
    ...(answer.usage_metadata && !changes.withoutUsage ? { usage_metadata: answer.usage_metadata } : {}),
    ...(answer.id ? { id: answer.id } : {}),
  });
}

/**
 * The answer's tool calls under peerlab's ids (when `ids` is given), and what became of each old
 * id (a provider that keys other data by call id, such as Gemini's thought signatures, follows it).
 */
export function renamedCalls(answer: AIMessage, ids: ToolCallIds | undefined): { toolCalls: ToolCall[]; invalidToolCalls: InvalidToolCall[]; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const rename = (old: string | undefined, id: string): string => {
    if (old !== undefined) renamed.set(old, id);
    return id;
  };
  const toolCalls = (answer.tool_calls ?? []).map((c, i) => (ids ? { ...c, id: rename(c.id, ids.call(i)) } : c));
  const invalidToolCalls = (answer.invalid_tool_calls ?? []).map((c, i) => (ids ? { ...c, id: rename(c.id, ids.invalid(i)) } : c));
  return { toolCalls, invalidToolCalls, renamed };
}

/**
 * The history with each raw re-sent call (see ProviderClient.prepare) made an ordinary tool call,
 * for clients that read only `tool_calls`: so every tool answer in the history follows its call.
 * Arguments that are not a JSON object go as `{}` (these APIs take only objects); the tool answer
 * that follows tells the model what was wrong with what it sent.
 */
export function rawCallsAsToolCalls(messages: BaseMessage[]): BaseMessage[] {
  return messages.map((m) => {
    const raw = AIMessage.isInstance(m) && (m.tool_calls ?? []).length === 0 ? m.additional_kwargs?.tool_calls : undefined;
    if (!raw || raw.length === 0) return m;
    const { tool_calls: _raw, ...rest } = m.additional_kwargs;
    return new AIMessage({
      content: m.content, additional_kwargs: rest,
      tool_calls: raw.map((c) => ({ id: c.id, name: c.function.name, args: objectOrEmpty(c.function.arguments), type: 'tool_call' as const })),
    });
  });
}

function objectOrEmpty(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
