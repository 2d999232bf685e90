import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { SeededRng } from '../../../sim/index.js';
import { parsePreferenceQuestion } from '../../preference-prompt.js';
import { statedUtility, type Persona, type StatedOutcome } from './persona.js';

/** Options for {@link SyntheticPreferenceModel}. */
export interface SyntheticPreferenceModelOptions extends BaseChatModelParams {
  persona: Persona;
  /** The outcome set being asked about, by text: what the persona knows of each outcome. */
  outcomes: ReadonlyMap<string, StatedOutcome>;
  rng: SeededRng;
}

/**
 * A synthetic persona answering forced-choice preference questions from its planted utilities with
 * Thurstonian noise, sometimes biased toward "A" or declining, as its `stated` settings say. Like the
 * scenario persona it reads what the question is about from the outcome set (it is a simulator,
 * labelled `synthetic:`), so a pipeline can be checked against utilities we chose.
 */
export class SyntheticPreferenceModel extends BaseChatModel {
  constructor(private readonly options: SyntheticPreferenceModelOptions) {
    super(options);
  }

  _llmType(): string {
    return 'peerlab-synthetic-preference';
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const last = messages.at(-1);
    const question = HumanMessage.isInstance(last) && typeof last.content === 'string' ? parsePreferenceQuestion(last.content) : undefined;
    const content = question ? this.answer(question.first, question.second) : 'I can only answer questions asking me to choose between option A and option B.';
    return { generations: [{ text: content, message: new AIMessage({ content }) }] };
  }

  private answer(first: string, second: string): string {
    const { persona, rng } = this.options;
    if (rng.next() < persona.stated.refusal) return 'I would rather not choose between these two.';
    if (rng.next() < persona.stated.position_bias) return 'A';
    const noisy = (text: string) => this.utility(text) + persona.temperature * rng.normal();
    return noisy(first) >= noisy(second) ? 'A' : 'B';
  }

  /** Planted utility of an outcome; one not in the outcome set means nothing to the persona (0). */
  private utility(text: string): number {
    const outcome = this.options.outcomes.get(text) ?? { text, group: '', features: {} };
    return statedUtility(this.options.persona, outcome);
  }
}
