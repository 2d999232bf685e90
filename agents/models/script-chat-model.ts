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

/**
 * Where every call needs an answer (a judge's verdict, a preference answer): running out of turns is
 * then an error that says which script ran out and what it needed, never an empty answer that would
 * be read as an unparseable verdict or a refusal.
 */
export interface ScriptAnswersRequired {
  /** The script's model spec, e.g. `script:judge.json`. */
  spec: string;
  /** What it answers, one turn each: "judged run", "preference question". */
  per: string;
}

/**
 * Replays scripted turns as a LangChain chat model. As an agent, running out of turns is the
 * documented end of the session (README "Script files"): the model answers with no tool call, which
 * ends the agent, and marks that answer `scriptEnded` in its metadata (the trace's `model.response`
 * meta), so a reader of the trace sees why the agent stopped. Where answers are required (see
 * {@link ScriptAnswersRequired}) running out throws a {@link ScriptError}.
 */
export class ScriptChatModel extends BaseChatModel {
  private next = 0;

  constructor(private readonly turns: readonly ScriptTurn[], private readonly required?: ScriptAnswersRequired) {
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
    if (turn === undefined && this.required) {
      const { spec, per } = this.required;
      throw new ScriptError(`${spec}: its ${this.turns.length} turns ran out at call ${index + 1}; it needs one turn per ${per} (README "Script files")`);
    }
    const message = turn === undefined
      ? new AIMessage({ content: '', response_metadata: { peerlab: { scriptEnded: true } } })
      : new AIMessage({
        content: turn.content ?? '',
        tool_calls: (turn.tool_calls ?? []).map((c, i) => ({ id: `script-${index}-${i}`, name: c.name, args: c.args, type: 'tool_call' as const })),
      });
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}
