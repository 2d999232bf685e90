import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { Runnable } from '@langchain/core/runnables';
import { argumentText, type ToolAnswer } from '../environments/index.js';
import type { EpisodeAgent, TraceRecorder, WallClock } from '../sim/index.js';
import type { PatchOp, PayloadOf } from '../traces/index.js';
import { toolDefinitions } from './environment-tools.js';
import { invokeWithPolicy, type ModelCallPolicy, type PolicyCallResult } from './models/model-calls.js';
import type { RecordedAnswers } from './models/replay-chat-model.js';
import { textOf } from './models/message-text.js';

type ToolCallRecord = PayloadOf<'model.response'>['toolCalls'][number];
type InvalidToolCallRecord = PayloadOf<'model.response'>['invalidToolCalls'][number];

/** The environment as an agent loop needs it. */
export interface AgentEnvironment {
  canAct(agent: string): boolean;
  finishAgent(agent: string): void;
  /** The world hash and its patch since the last recorded one (see WorldEnvironment.mark). */
  mark(): { worldHash: string; patch: PatchOp[] };
}

/** An agent: a model, a system prompt and task, tools, and a step limit. */
export interface AgentOptions {
  id: string;
  modelSpec: string;
  /** A chat model; one that declares {@link RecordedAnswers} (replay, fork) answers from a stored trace first. */
  model: BaseChatModel & Partial<RecordedAnswers>;
  tools: StructuredToolInterface[];
  system: string;
  user: string;
  maxSteps: number;
  recorder: TraceRecorder;
  environment: AgentEnvironment;
  /** Measures model latency; frozen for in-process models so their traces stay byte-identical. */
  wallClock: WallClock;
  /** For remote models: gate, retries and response cache. Without it the model is invoked directly. */
  calls?: ModelCallPolicy;
  /** The most tool calls one answer may make (default {@link DEFAULT_MAX_TOOL_CALLS_PER_TURN}); the rest are refused. */
  maxToolCallsPerTurn?: number;
}

/** Tool calls carried out per model answer unless a limit says otherwise. */
export const DEFAULT_MAX_TOOL_CALLS_PER_TURN = 32;

/**
 * The agent loop, one model call per step: ask the model, record its answer, hand each tool call
 * to the environment, feed the answers back. A model that answers without a tool call is done
 * (as in the studies' harness). Malformed calls are answered with an error, never thrown.
 */
export class Agent implements EpisodeAgent {
  readonly id: string;
  private readonly messages: BaseMessage[] = [];
  private readonly toolsByName: Map<string, StructuredToolInterface>;
  private readonly bound: Runnable<BaseMessage[], AIMessage>;
  private steps = 0;
  private tokens = 0;

  constructor(private readonly o: AgentOptions) {
    this.id = o.id;
    this.toolsByName = new Map(o.tools.map((t) => [t.name, t]));
    if (!o.model.bindTools) throw new Error(`model ${o.modelSpec} does not support tool calling`);
    // The definitions, not the tools: converted once per process, and what the cache keys on. Copies,
    // since a model may set fields such as `strict` on what it is given.
    const definitions = toolDefinitions(o.tools).map((d) => ({ ...d, function: { ...d.function } }));
    this.bound = o.model.bindTools(definitions) as Runnable<BaseMessage[], AIMessage>;
  }

  prompt(): void {
    this.messages.push(new SystemMessage(this.o.system), new HumanMessage(this.o.user));
    this.o.recorder.record(this.id, 'agent.prompted', {
      agent: this.id, system: this.o.system, user: this.o.user, tools: [...this.toolsByName.keys()],
    });
  }

  /** Input plus output tokens of this agent's model calls so far (estimated for in-process models). */
  tokensUsed(): number {
    return this.tokens;
  }

  async step(): Promise<void> {
    const { recorder, environment } = this.o;
    if (this.steps >= this.o.maxSteps) return this.finish('step_limit');
    const answered = await this.callModel();
    const { response } = answered;
    this.messages.push(forHistory(response, answered.calls, answered.invalid));
    if (answered.calls.length === 0 && answered.invalid.length === 0) return this.finish('no_tool_call');

    // An answer may ask for any number of calls; past the limit they are answered with an error
    // (each call needs an answer in the history) and recorded once, not carried out one by one.
    const limit = this.o.maxToolCallsPerTurn ?? DEFAULT_MAX_TOOL_CALLS_PER_TURN;
    const calls = answered.calls.slice(0, limit);
    const invalid = answered.invalid.slice(0, Math.max(0, limit - calls.length));
    const refused = [...answered.calls.slice(calls.length), ...answered.invalid.slice(invalid.length)];
    for (const call of calls) {
      recorder.record(this.id, 'tool.call', { agent: this.id, callId: call.id, tool: call.name, args: call.args });
      const { message, answer } = await this.runTool(call);
      recorder.record(this.id, 'tool.result', { agent: this.id, callId: call.id, tool: call.name, ...answer });
      this.messages.push(message);
    }
    for (const bad of invalid) {
      recorder.record(this.id, 'tool.call', { agent: this.id, callId: bad.id, tool: bad.name, args: bad.argsText });
      const text = `Error: the arguments of ${bad.name || 'this call'} are not valid JSON (${bad.error}). Send the call again with a JSON object.`;
      recorder.record(this.id, 'tool.result', { agent: this.id, callId: bad.id, tool: bad.name, ...this.errorAnswer(text) });
      this.messages.push(new ToolMessage({ content: text, tool_call_id: bad.id, name: bad.name }));
    }
    if (refused.length > 0) {
      const text = `Error: at most ${limit} tool calls are carried out per turn; this call was not. Send fewer calls at once.`;
      recorder.record(this.id, 'error', {
        where: `agent ${this.id}`, fatal: false,
        message: `${refused.length} tool calls past the limit of ${limit} per turn were not carried out`,
      });
      for (const c of refused) this.messages.push(new ToolMessage({ content: text, tool_call_id: c.id, name: c.name }));
    }
    if (!environment.canAct(this.id)) this.finish(calls.some((c) => c.name === 'end_task') ? 'end_task' : 'terminated');
  }

  /**
   * Puts a question from the operator to the agent after the episode and returns its answer: the
   * text, then what it wrote in any tool call (`[via send_message] No, …`). The model call is
   * recorded like any other; tool calls in the answer are read, not carried out.
   */
  async answer(question: string): Promise<string> {
    this.messages.push(new HumanMessage(question));
    const { response, calls } = await this.callModel();
    // Only the text goes back into the history: unanswered tool calls would make it invalid.
    this.messages.push(new AIMessage(textOf(response.content)));
    // A model may answer through a tool (a message to the operator): what it wrote there is part of the answer.
    const viaTools = calls.map((c) => `[via ${c.name}] ${argumentText(c.args).join(' ')}`.trim());
    return [textOf(response.content), ...viaTools].filter((t) => t.trim() !== '').join('\n');
  }

  /**
   * One model call on the history so far, recorded as model.request and model.response. A call
   * answered from a stored trace (replay, the shared part of a fork) is recorded as it was then:
   * the model that answered, its retries, latency and usage; nothing is measured or cached.
   */
  private async callModel(): Promise<{ response: AIMessage; calls: ToolCallRecord[]; invalid: InvalidToolCallRecord[] }> {
    const { recorder } = this.o;
    this.steps += 1;
    const recorded = await this.o.model.nextRecorded?.(this.messages);
    recorder.record(this.id, 'model.request', { agent: this.id, step: this.steps, model: recorded?.model ?? this.o.modelSpec, messageCount: this.messages.length });
    for (const retry of recorded?.retries ?? []) recorder.record(this.id, 'model.retry', { agent: this.id, step: this.steps, ...retry });
    // The previous step's events (its answer, tool calls and results, what the world did since)
    // and this request are committed together before the model is asked: one commit a step.
    recorder.commit();
    if (recorded?.failure !== undefined) throw new Error(recorded.failure);
    const { response, cached, latencyMs } = recorded
      ? { response: recorded.message, cached: false, latencyMs: recorded.latencyMs }
      : await this.invoke();
    const calls = (response.tool_calls ?? []).map((c, i) => ({ id: c.id || `${this.id}-${this.steps}-${i}`, name: c.name, args: c.args }));
    const invalid = (response.invalid_tool_calls ?? []).map((c, i) => ({
      id: c.id || `${this.id}-${this.steps}-bad-${i}`, name: c.name ?? '', argsText: c.args ?? '', error: c.error ?? 'unparseable tool call',
    }));
    const usage = recorded ? recorded.usage : usageOf(response, this.messages, this.o.calls !== undefined);
    this.tokens += usage ? usage.inputTokens + usage.outputTokens : 0;
    recorder.record(this.id, 'model.response', {
      agent: this.id, step: this.steps, content: textOf(response.content), toolCalls: calls, invalidToolCalls: invalid,
      usage, latencyMs, ...metaOf(response, cached),
    });
    return { response, calls, invalid };
  }

  /** The model's answer to the history so far: directly, or under the call policy (retries recorded). */
  private async invoke(): Promise<PolicyCallResult> {
    const policy = this.o.calls;
    if (!policy) {
      const started = this.o.wallClock.now();
      const response = await this.bound.invoke(this.messages);
      return { response, cached: false, latencyMs: Math.max(0, Math.round(this.o.wallClock.now() - started)) };
    }
    return invokeWithPolicy(this.bound, this.messages, this.o.tools, policy, (retry) => {
      this.o.recorder.record(this.id, 'model.retry', { agent: this.id, step: this.steps, ...retry });
    });
  }

  private async runTool(call: { id: string; name: string; args: unknown }): Promise<{ message: ToolMessage; answer: ToolAnswer }> {
    const tool = this.toolsByName.get(call.name);
    if (!tool) {
      const text = `Error: there is no tool named "${call.name}". Available tools: ${[...this.toolsByName.keys()].join(', ')}.`;
      return { message: new ToolMessage({ content: text, tool_call_id: call.id, name: call.name }), answer: this.errorAnswer(text) };
    }
    try {
      const message = (await tool.invoke({ id: call.id, name: call.name, args: call.args as Record<string, unknown>, type: 'tool_call' })) as ToolMessage;
      return { message, answer: message.artifact as ToolAnswer };
    } catch (err) {
      // Arguments that fail the tool's schema: the model is told, the run goes on.
      const text = `Error: invalid arguments for ${call.name}: ${firstLine((err as Error).message)}`;
      return { message: new ToolMessage({ content: text, tool_call_id: call.id, name: call.name }), answer: this.errorAnswer(text) };
    }
  }

  private errorAnswer(text: string): ToolAnswer {
    return { ok: false, forModel: text, forHuman: text.replace(/^Error: /, 'error: '), changed: [], ...this.o.environment.mark() };
  }

  private finish(reason: PayloadOf<'agent.finished'>['reason']): void {
    if (reason !== 'terminated') this.o.environment.finishAgent(this.id);
    this.o.recorder.record(this.id, 'agent.finished', { agent: this.id, reason });
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Received tool input')) ?? text.split('\n')[0]!;
}

/**
 * Token counts from the provider; for a remote model that did not report them (no `usage`, or
 * null counts), null: unknown, not an error and not a guess. In-process models are estimated
 * (≈4 characters a token).
 */
function usageOf(response: AIMessage, history: readonly BaseMessage[], remote: boolean): PayloadOf<'model.response'>['usage'] {
  const u = response.usage_metadata;
  const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined);
  const input = count(u?.input_tokens);
  const output = count(u?.output_tokens);
  if (input !== undefined && output !== undefined) return { inputTokens: input, outputTokens: output, estimated: false };
  if (remote) return null;
  const inputChars = history.reduce((n, m) => n + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length), 0);
  const outputChars = textOf(response.content).length + JSON.stringify(response.tool_calls ?? []).length;
  return { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(outputChars / 4), estimated: true };
}

/** Adapter facts for the trace: a synthetic persona's choice, and `cached: true` for a cached answer. */
function metaOf(response: AIMessage, cached: boolean): { meta?: Record<string, unknown> } {
  const meta = response.response_metadata?.peerlab as Record<string, unknown> | undefined;
  if (cached) return { meta: { ...meta, cached: true } };
  return meta ? { meta } : {};
}

/**
 * The model's answer as it goes back into the history, so that every tool message answers a call
 * of the same id: ChatOpenAI drops unparseable tool calls when it serializes history (which would
 * orphan the error answers we send for them), and a call the server sent without an id gets the id
 * we answered it under. When neither happens the answer goes back unchanged.
 */
function forHistory(response: AIMessage, calls: readonly ToolCallRecord[], invalid: readonly InvalidToolCallRecord[]): AIMessage {
  const idsKept = (response.tool_calls ?? []).every((c) => c.id);
  if (invalid.length === 0 && idsKept) return response;
  if (invalid.length === 0) {
    return new AIMessage({
      content: response.content, additional_kwargs: response.additional_kwargs,
      tool_calls: calls.map((c) => ({ id: c.id, name: c.name, args: c.args as Record<string, unknown>, type: 'tool_call' as const })),
    });
  }
  // Re-send the raw calls (valid ones re-serialized), in the order their answers follow.
  const raw = [
    ...calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.args) } })),
    ...invalid.map((b) => ({ id: b.id, type: 'function' as const, function: { name: b.name, arguments: b.argsText } })),
  ];
  const message = new AIMessage({ content: response.content, additional_kwargs: { ...response.additional_kwargs }, tool_calls: [], invalid_tool_calls: [] });
  // Set after construction: given raw calls and no parsed ones, the constructor prints an upgrade
  // notice on stderr (console.warn), which is noise in a CLI's output; here it is what we mean.
  message.additional_kwargs.tool_calls = raw;
  return message;
}
