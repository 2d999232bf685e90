/**
 * `human:<name>`: a person plays an agent. The model is an ordinary LangChain chat model to the agent
 * loop: each call hands the conversation so far (exactly the messages a language model would get)
 * and the tool definitions it was bound to (the JSON Schema a language model is sent) to a
 * {@link HumanPlayer}, and returns what the person answered as the model's response: words and tool
 * calls. The run is traced, labelled and reported like any other; every response carries
 * `meta.human` (the player's name) and the spec says `human:`. Replay and `replay --verify` serve the
 * recorded answers, so a human run re-drives like any other.
 *
 * The player is whoever can ask a person: the terminal app's play screen. Without one, a `human:`
 * spec resolves (plans and checks accept it) but no episode can start with it.
 */
import { BaseChatModel, type BaseChatModelParams, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { HumanPlayer, HumanTool, HumanView } from './human-player.js';
import { ModelSpecError, type ModelFactory } from './model-spec.js';
import { textOf } from './message-text.js';

/** The conversation as the person reads it: the same messages the model gets, in order. */
export function humanView(messages: readonly BaseMessage[]): HumanView[] {
  return messages.map((m): HumanView => {
    if (SystemMessage.isInstance(m)) return { role: 'system', text: textOf(m.content) };
    if (HumanMessage.isInstance(m)) return { role: 'user', text: textOf(m.content) };
    if (ToolMessage.isInstance(m)) return { role: 'tool', tool: m.name ?? '', text: textOf(m.content) };
    const calls = AIMessage.isInstance(m) ? (m.tool_calls ?? []).map((c) => ({ name: c.name, args: c.args as Record<string, unknown> })) : [];
    return { role: 'assistant', text: textOf(m.content), toolCalls: calls };
  });
}

/** A bound tool definition (OpenAI function format, as the agent loop binds them) as the person sees it. */
function toolOf(input: BindToolsInput): HumanTool | undefined {
  const fn = (input as { function?: { name?: string; description?: string; parameters?: HumanTool['parameters'] } }).function;
  if (!fn?.name) return undefined;
  return { name: fn.name, description: fn.description ?? '', parameters: fn.parameters ?? {} };
}

/** Options of {@link HumanChatModel}. */
export interface HumanChatModelOptions extends BaseChatModelParams {
  agent: string;
  player: string;
  seat: HumanPlayer;
}

/** A chat model whose every answer a person gives (see the module note). */
export class HumanChatModel extends BaseChatModel {
  private tools: HumanTool[] = [];
  private turns = 0;

  constructor(private readonly options: HumanChatModelOptions) {
    super(options);
  }

  _llmType(): string {
    return 'peerlab-human';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<this['ParsedCallOptions']>) {
    this.tools = tools.flatMap((t) => toolOf(t) ?? []);
    return this.withConfig({ ...(kwargs ?? {}) });
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const last = messages.at(-1);
    // After the opening system prompt and task, a human message is the operator's question (interrogate=on).
    const question = messages.length > 2 && last && HumanMessage.isInstance(last) ? textOf(last.content) : undefined;
    const answer = await this.options.seat.play({
      agent: this.options.agent, player: this.options.player, messages: humanView(messages), tools: this.tools,
      ...(question === undefined ? {} : { question }),
    });
    const turn = this.turns;
    this.turns += 1;
    const message = new AIMessage({
      content: answer.content,
      // Ids from the turn number, so the trace is the same whenever the same answers are given.
      tool_calls: answer.toolCalls.map((c, i) => ({ id: `human-${this.options.agent}-${turn}-${i}`, name: c.name, args: c.args, type: 'tool_call' as const })),
      // A person uses no model tokens.
      usage_metadata: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      response_metadata: { peerlab: { human: this.options.player } },
    });
    return { generations: [{ text: answer.content, message }] };
  }
}

/** The prefix of human model specs. */
export const HUMAN_PREFIX = 'human';

/** A player name: letters, digits, `.`, `_`, `-` (it is part of run ids' keys and shown everywhere). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Resolves `human:<name>`: a factory whose agents ask `seat` for every answer. Without a seat the
 * spec is still valid (a plan may name it), but creating a model fails with a line that says where
 * a person can play.
 */
export function resolveHumanSpec(spec: string, name: string, seat: HumanPlayer | undefined): ModelFactory {
  if (!NAME.test(name)) {
    throw new ModelSpecError(`"${spec}": a player's name is 1-40 letters, digits, ".", "_" or "-" (e.g. human:alice)`);
  }
  return {
    spec,
    // A person's answers take real time: it is measured (and replayed from the trace), not frozen.
    inProcess: false,
    create: (role) => {
      if (!seat) throw new ModelSpecError(`${spec} needs a person at a terminal: run it there (peerlab run … --model ${spec}) or pick it in the terminal app's New run screen`);
      return new HumanChatModel({ agent: role.id, player: name, seat });
    },
  };
}
