/**
 * The conversation a person plays in, as lines for the play screen: exactly the messages a model
 * would get (system prompt, task, its own turns with their tool calls, the tools' answers, the
 * operator's questions), wrapped to the panel and passed through the terminal sanitizer.
 */
import type { HumanView } from '../../../agents/index.js';
import { wrapLines } from '../components/fit.js';

/** One drawn line: a heading, text, or a tool call. */
export interface ConversationLine {
  text: string;
  kind: 'head' | 'text' | 'call';
}

/** The conversation as lines of at most `width` columns. */
export function conversationLines(messages: readonly HumanView[], width: number): ConversationLine[] {
  const lines: ConversationLine[] = [];
  const body = (text: string) => {
    for (const l of wrapLines(text.trim() === '' ? '(empty)' : text, width - 2)) lines.push({ text: `  ${l}`, kind: 'text' });
  };
  let users = 0;
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        lines.push({ text: 'System prompt', kind: 'head' });
        body(m.text);
        break;
      case 'user':
        lines.push({ text: users === 0 ? 'Task' : 'The operator asks', kind: 'head' });
        users += 1;
        body(m.text);
        break;
      case 'assistant':
        lines.push({ text: 'You', kind: 'head' });
        if (m.text.trim() !== '') body(m.text);
        for (const c of m.toolCalls) {
          for (const l of wrapLines(`→ ${c.name} ${JSON.stringify(c.args)}`, width - 2)) lines.push({ text: `  ${l}`, kind: 'call' });
        }
        break;
      case 'tool':
        lines.push({ text: `${m.tool || 'tool'} answered`, kind: 'head' });
        body(m.text);
        break;
    }
  }
  return lines;
}
