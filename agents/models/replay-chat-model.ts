import { BaseChatModel, type BaseChatModelParams, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { PayloadOf, TraceEvent } from '../../traces/index.js';

/** A `model.retry` as the call went through it, without the agent and step it belongs to. */
export type RecordedRetry = Omit<PayloadOf<'model.retry'>, 'agent' | 'step'>;

/**
 * One model call of a stored trace, as the agent loop needs it to record the call again exactly:
 * the answer, and the facts about the call that a replay cannot measure (which model answered,
 * its latency, token usage and retries).
 */
export interface RecordedCall {
  /** The seq of the recorded `model.response`. */
  seq: number;
  /** The model spec that answered, from the call's `model.request`. */
  model: string;
  /** The answer, rebuilt: content, tool calls with their ids, invalid tool calls, and `meta` (as `response_metadata.peerlab`). */
  message: AIMessage;
  usage: PayloadOf<'model.response'>['usage'];
  latencyMs: number;
  retries: RecordedRetry[];
  /** The operator's question this call answered (interrogate=on), if it was one. */
  question?: string;
  /**
   * The call failed (e.g. the endpoint gave up after its retries): the error it ended with. Its
   * `message` is then empty, and the agent loop throws this again after recording the retries.
   */
  failure?: string;
}

/** The replayed run asked its model for something the trace does not hold: it diverged. */
export class ReplayDivergenceError extends Error {}

/**
 * The model calls one agent made in a stored trace, in order, up to and including event `through`
 * (a call counts when its `model.response` is at or before it). A call that got no answer and was
 * followed by an `error` event is a failed call.
 */
export function recordedCalls(events: readonly TraceEvent[], agent: string, through = Number.POSITIVE_INFINITY): RecordedCall[] {
  const calls: RecordedCall[] = [];
  let question: string | undefined;
  let open: { model: string; retries: RecordedRetry[]; question?: string } | undefined;
  for (const e of events) {
    if (e.seq > through) break;
    if (e.type === 'interrogation.asked' && e.payload.agent === agent) question = e.payload.question;
    if (e.type === 'model.request' && e.payload.agent === agent) {
      open = { model: e.payload.model, retries: [], ...(question === undefined ? {} : { question }) };
      question = undefined;
    }
    if (e.type === 'model.retry' && e.payload.agent === agent) {
      const { agent: _agent, step: _step, ...retry } = e.payload;
      open?.retries.push(retry);
    }
    if (e.type === 'error' && open) {
      calls.push({ seq: e.seq, model: open.model, message: new AIMessage(''), usage: null, latencyMs: 0, retries: open.retries, failure: e.payload.message });
      open = undefined;
    }
    if (e.type === 'model.response' && e.payload.agent === agent) {
      const p = e.payload;
      calls.push({
        seq: e.seq, model: open?.model ?? '', message: messageOf(p), usage: p.usage, latencyMs: p.latencyMs, retries: open?.retries ?? [],
        ...(open?.question === undefined ? {} : { question: open.question }),
      });
      open = undefined;
    }
  }
  return calls;
}

/** A recorded answer as the AIMessage the model gave (ids, arguments and unparseable calls as recorded). */
function messageOf(p: PayloadOf<'model.response'>): AIMessage {
  return new AIMessage({
    content: p.content,
    tool_calls: p.toolCalls.map((c) => ({ id: c.id, name: c.name, args: c.args as Record<string, unknown>, type: 'tool_call' as const })),
    invalid_tool_calls: p.invalidToolCalls.map((c) => ({ id: c.id, name: c.name, args: c.argsText, error: c.error, type: 'invalid_tool_call' as const })),
    ...(p.usage && !p.usage.estimated
      ? { usage_metadata: { input_tokens: p.usage.inputTokens, output_tokens: p.usage.outputTokens, total_tokens: p.usage.inputTokens + p.usage.outputTokens } }
      : {}),
    response_metadata: p.meta ? { peerlab: p.meta } : {},
  });
}

/**
 * What a model declares when it can answer calls from a stored trace (replay, the shared part of a
 * fork). The agent loop asks it before each call and records an answer it gives as it was recorded
 * (the model that answered, retries, latency, usage), measuring and caching nothing; `undefined`
 * means the model answers this call itself.
 */
export interface RecordedAnswers {
  nextRecorded(messages: readonly BaseMessage[]): Promise<RecordedCall | undefined>;
}

/** Options for {@link ReplayChatModel}. */
export interface ReplayChatModelOptions extends BaseChatModelParams {
  /** The agent whose calls these are (for messages). */
  agent: string;
  /** Its recorded calls, in order (see {@link recordedCalls}). */
  calls: readonly RecordedCall[];
  /**
   * The model that answers once the recorded calls run out (a fork). Without it, running out means
   * the replay diverged, and the model throws.
   */
  then?: BaseChatModel;
  /**
   * Let `then` answer each recorded call too and throw its answer away, so that an in-process model
   * carrying on after the fork point (same spec, same seeded randomness) is in the state it was in.
   */
  warm?: boolean;
}

/**
 * A chat model that answers with an agent's recorded `model.response`s, in order: content, tool
 * calls with their ids and arguments, invalid tool calls and meta. Interrogation answers are
 * recorded calls like any other (their `model.response` holds the text that `interrogation.answered`
 * repeats); the model checks that each is asked where the trace asked it. The agent loop reads
 * {@link nextRecorded} before it calls a model, so that a replayed call also reproduces the
 * recorded latency, usage and retries. Used by `replayRun` (alone) and `forkRun` (with `then`).
 */
export class ReplayChatModel extends BaseChatModel implements RecordedAnswers {
  private next = 0;
  private continuation?: Runnable<BaseMessage[], AIMessage>;

  constructor(private readonly options: ReplayChatModelOptions) {
    super(options);
  }

  _llmType(): string {
    return 'peerlab-replay';
  }

  /** Recorded calls not yet served. */
  remaining(): number {
    return this.options.calls.length - this.next;
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<this['ParsedCallOptions']>) {
    const then = this.options.then;
    if (then) {
      if (!then.bindTools) throw new Error(`the model that carries on after the recorded calls of ${this.options.agent} does not support tool calling`);
      this.continuation = then.bindTools(tools, kwargs) as Runnable<BaseMessage[], AIMessage>;
    }
    return this.withConfig({ ...(kwargs ?? {}) });
  }

  /**
   * The recorded answer to the agent's next call, or undefined once the record is used up and a
   * `then` model answers. Throws {@link ReplayDivergenceError} when the call does not fit the
   * record (a question where a step was recorded, or the reverse, or no answers left).
   */
  async nextRecorded(messages: readonly BaseMessage[]): Promise<RecordedCall | undefined> {
    const call = this.options.calls[this.next];
    const asked = askedQuestion(messages);
    if (!call) {
      if (this.options.then) return undefined;
      throw new ReplayDivergenceError(
        `replay of ${this.options.agent}: the trace holds ${this.options.calls.length} model answers and the replayed run asked for another (${asked === undefined ? 'a step' : 'an interrogation answer'})`,
      );
    }
    if (call.question !== asked) {
      const want = call.question === undefined ? 'a step' : `the answer to "${call.question}"`;
      const got = asked === undefined ? 'a step' : `an answer to "${asked}"`;
      throw new ReplayDivergenceError(`replay of ${this.options.agent}: model call ${this.next + 1} recorded ${want}, the replayed run asked for ${got}`);
    }
    this.next += 1;
    if (this.options.warm) await (this.continuation ?? this.options.then)?.invoke([...messages]);
    return call;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const call = await this.nextRecorded(messages);
    if (call?.failure !== undefined) throw new Error(call.failure);
    const message = call ? call.message : await (this.continuation ?? this.options.then)!.invoke(messages);
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }
}

/**
 * The operator's question when the history ends with one: a human message after the opening
 * system prompt and task (the agent loop appends questions only after the episode).
 */
function askedQuestion(messages: readonly BaseMessage[]): string | undefined {
  const last = messages.at(-1);
  if (messages.length <= 2 || !HumanMessage.isInstance(last)) return undefined;
  return typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
}
