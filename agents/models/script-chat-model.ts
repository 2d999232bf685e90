import { readFileSync } from 'node:fs';
import { BaseChatModel, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';

/**
 * A script file: a JSON array of assistant turns, replayed in order. Each turn may say something
 * and may call tools; when the turns run out the agent answers with no tool call and is done.
 */
export const ScriptFile = z.array(
  z.object({
    content: z.string().optional(),
    tool_calls: z.array(z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) }).strict()).optional(),
  }).strict(),
);
export type ScriptTurn = z.infer<typeof ScriptFile>[number];

/** A script file that cannot be used. */
export class ScriptError extends Error {}

/** Reads and validates a script file. */
export function loadScript(path: string): ScriptTurn[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ScriptError(`script file ${path}: ${(err as Error).message.split('\n')[0]} (expected a JSON array of turns, see README "Script files")`);
  }
  const parsed = ScriptFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `turn ${String(issue.path[0])}${issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : ''}` : '(top level)';
    throw new ScriptError(`script file ${path}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** Replays scripted turns as a LangChain chat model. */
export class ScriptChatModel extends BaseChatModel {
  private next = 0;

  constructor(private readonly turns: readonly ScriptTurn[]) {
    super({});
  }

  _llmType(): string {
    return 'peerlab-script';
  }

  override bindTools(_tools: BindToolsInput[], kwargs?: Partial<this['ParsedCallOptions']>) {
    return this.withConfig({ ...(kwargs ?? {}) });
  }

  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const turn = this.turns[this.next];
    const index = this.next;
    this.next += 1;
    const message = turn === undefined
      ? new AIMessage({ content: '' })
      : new AIMessage({
        content: turn.content ?? '',
        tool_calls: (turn.tool_calls ?? []).map((c, i) => ({ id: `script-${index}-${i}`, name: c.name, args: c.args, type: 'tool_call' as const })),
      });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}
