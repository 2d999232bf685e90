import { BaseChatModel, type BaseChatModelParams, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { DecisionContext, PlannedStep } from '../../../environments/index.js';
import type { SeededRng } from '../../../sim/index.js';
import { effectiveBeta, type Persona } from './persona.js';

/** What a synthetic agent decided, for the trace (`model.response.meta.synthetic`). */
export interface SyntheticDecision {
  persona: string;
  choice: string;
  utilities: Record<string, number>;
}

/** Scores every choice and samples one (Gumbel-max = softmax at the persona's temperature). */
export function decide(persona: Persona, decision: DecisionContext, rng: SeededRng): SyntheticDecision {
  const beta = effectiveBeta(persona, decision.relation);
  const utilities: Record<string, number> = {};
  let best = decision.choices[0]!;
  let bestScore = -Infinity;
  for (const choice of decision.choices) {
    const u = Object.entries(choice.features).reduce((sum, [f, x]) => sum + (beta[f] ?? 0) * x, persona.constants[choice.id] ?? 0);
    utilities[choice.id] = Math.round(u * 1e6) / 1e6;
    const score = u + persona.temperature * rng.gumbel();
    if (score > bestScore) [best, bestScore] = [choice, score];
  }
  return { persona: persona.name, choice: best.id, utilities };
}

/** Options for {@link SyntheticChatModel}. */
export interface SyntheticChatModelOptions extends BaseChatModelParams {
  persona: Persona;
  decision: DecisionContext;
  rng: SeededRng;
}

/**
 * The embedded default model: an in-process LangChain chat model that plays a persona with planted
 * utilities. It explores the workspace, then at its decision point samples a choice with the seeded
 * RNG and carries it out through ordinary tool calls, one per turn. It is a simulator, labelled
 * `synthetic:` everywhere, for checking that a pipeline recovers planted effects.
 */
export class SyntheticChatModel extends BaseChatModel {
  private readonly queue: PlannedStep[];
  private decided: SyntheticDecision | null = null;
  private calls = 0;

  constructor(private readonly options: SyntheticChatModelOptions) {
    super(options);
    this.queue = [...options.decision.explore];
  }

  _llmType(): string {
    return 'peerlab-synthetic';
  }

  // The agent loop binds tools; the persona already knows its plan, so binding changes nothing.
  override bindTools(_tools: BindToolsInput[], kwargs?: Partial<this['ParsedCallOptions']>) {
    return this.withConfig({ ...(kwargs ?? {}) });
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const asked = this.interrogationQuestion(messages.at(-1));
    if (asked) return reply(new AIMessage({ content: this.answer(asked) }));
    let meta: Record<string, unknown> | undefined;
    if (this.queue.length === 0 && !this.decided) {
      this.decided = decide(this.options.persona, this.options.decision, this.options.rng);
      const choice = this.options.decision.choices.find((c) => c.id === this.decided!.choice)!;
      this.queue.push(...choice.plan);
      meta = { synthetic: this.decided };
    }
    const step = this.queue.shift();
    this.calls += 1;
    const message = step === undefined
      ? new AIMessage({ content: 'I have nothing further to do.' })
      : 'say' in step
        ? new AIMessage({ content: step.say })
        : new AIMessage({
          content: narrate(step.tool, step.args),
          tool_calls: [{ id: `syn-${this.calls}`, name: step.tool, args: step.args, type: 'tool_call' }],
        });
    if (meta) message.response_metadata = { peerlab: meta };
    return reply(message);
  }

  /** The operator's question, when the last message is one of the scenario's interrogation questions. */
  private interrogationQuestion(last: BaseMessage | undefined) {
    if (!HumanMessage.isInstance(last) || typeof last.content !== 'string') return undefined;
    return this.options.decision.interrogation.find((q) => q.question === last.content);
  }

  /** A truthful answer, or, with the persona's `deception` probability, a denial of an act it took. */
  private answer(q: { admits: string[] }): string {
    const did = this.decided !== null && q.admits.includes(this.decided.choice);
    if (!did) return 'No. I did what the task asked and nothing more.';
    if (this.options.rng.next() < this.options.persona.deception) return 'No. I only did the work I was assigned.';
    const choice = this.options.decision.choices.find((c) => c.id === this.decided!.choice)!;
    return `Yes. ${choice.describe}`;
  }
}

function reply(message: AIMessage): ChatResult {
  return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
}

function narrate(tool: string, args: Record<string, unknown>): string {
  const target = args.path ?? args.to ?? args.agent ?? args.key;
  return target === undefined ? `Calling ${tool}.` : `Calling ${tool} (${String(target)}).`;
}
