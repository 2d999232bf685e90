import { AIMessage, type InvalidToolCall, type ToolCall } from '@langchain/core/messages';
import type { ToolCallIds } from './provider.js';

/**
 * Helpers for providers' `normalize`: an answer rebuilt as text plus tool calls, the form peerlab
 * keeps in histories, the response cache and (through the agent loop) the trace.
 */

/** The text parts of a message's content, joined (thinking, tool-use and other blocks left out). */
export function textOf(content: AIMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

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
