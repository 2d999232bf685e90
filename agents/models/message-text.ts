import type { BaseMessage } from '@langchain/core/messages';

/**
 * The text parts of a message's content, joined: a string as it is, and from a list of content
 * blocks only the `text` blocks (thinking, tool-use and other blocks left out). The one reading of
 * a message's words, for the trace, histories, the human player's view and preference answers.
 */
export function textOf(content: BaseMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
