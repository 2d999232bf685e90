import { BaseChatModel, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { SeededRng, WallClock } from '../../../sim/index.js';
import { callWithRetry } from '../resilient-call.js';
import type { ProviderClient, ToolCallIds } from './provider.js';

/** Options for {@link RemoteChatModel}. */
export interface RemoteChatModelOptions {
  /** Builds the provider's client; called once, on the first call (the SDK is imported then). */
  connect(): Promise<ProviderClient>;
  /**
   * The agent whose conversation this is, when the provider makes its tool-call ids up: the ids
   * become `<agent>-<step>-<i>` (and `<agent>-<step>-bad-<i>`), as the agent loop names calls that
   * come without one.
   */
  renameFor?: string;
  /** Retry here (for the judge, which has no call policy of its own); agents retry in their call policy. */
  retry?: { maxRetries: number; clock: WallClock; rng: SeededRng };
}

/**
 * The chat model of every remote provider: a LangChain `BaseChatModel` that builds the provider's
 * client on its first call, so that a provider's SDK is loaded only when one of its models is
 * used. Around the client's own call it gives the client the history in the form it reads, turns
 * the client's errors into ones `classifyError` reads, and normalizes the answer (text content,
 * tool calls renamed where the provider's ids are random), so that the same answers always give
 * the same history, cache keys and trace. It costs about 10–15 µs of CPU a call.
 */
export class RemoteChatModel extends BaseChatModel {
  private readonly client: () => Promise<ProviderClient>;
  private bound: Runnable<BaseMessage[], AIMessage> | undefined;

  constructor(private readonly o: RemoteChatModelOptions, private readonly tools?: BindToolsInput[], shared?: () => Promise<ProviderClient>) {
    super({});
    this.client = shared ?? once(() => o.connect());
  }

  _llmType(): string {
    return 'peerlab-remote';
  }

  /** The same model with `tools` bound (the client is shared: it is built once). */
  override bindTools(tools: BindToolsInput[]): RemoteChatModel {
    return new RemoteChatModel(this.o, tools, this.client);
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const client = await this.client();
    const runnable = this.runnableOf(client);
    const call = async (): Promise<AIMessage> => {
      try {
        return await runnable.invoke(client.prepare ? client.prepare(messages) : messages, options.signal ? { signal: options.signal } : {});
      } catch (err) {
        throw client.callError ? client.callError(err) : err;
      }
    };
    const r = this.o.retry;
    const answer = r ? await callWithRetry(call, { maxRetries: r.maxRetries }, { clock: r.clock, rng: r.rng }) : await call();
    const message = client.normalize ? client.normalize(answer, this.idsFor(messages)) : answer;
    return { generations: [{ text: message.text, message }] };
  }

  private runnableOf(client: ProviderClient): Runnable<BaseMessage[], AIMessage> {
    if (!this.tools) return client.model as unknown as Runnable<BaseMessage[], AIMessage>;
    if (!client.model.bindTools) throw new Error(`${client.model._llmType()} does not support tool calling`);
    this.bound ??= client.model.bindTools(this.tools) as Runnable<BaseMessage[], AIMessage>;
    return this.bound;
  }

  /** The ids of this answer's tool calls: the step is one more than the answers already in the history. */
  private idsFor(messages: readonly BaseMessage[]): ToolCallIds | undefined {
    const agent = this.o.renameFor;
    if (agent === undefined) return undefined;
    const step = messages.filter((m) => AIMessage.isInstance(m)).length + 1;
    return { call: (i) => `${agent}-${step}-${i}`, invalid: (i) => `${agent}-${step}-bad-${i}` };
  }
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}
