/**
 * One run's trace as Inspect's sample transcript: each agent's conversation as its model saw it, a
 * model event per call, a tool event per tool call, and an info event for every other trace event,
 * in trace order. The shapes follow inspect-log.schema.json (Inspect's own schema); fields Inspect
 * would read as null are left out, as Inspect writes its logs.
 */
import { eventLine, type PayloadOf, type TraceEvent } from '../../traces/index.js';
import type { Usage } from '../experiment/usage.js';
import { inspectModelName } from './inspect-names.js';

type Source = 'input' | 'generate';
interface ToolCall { id: string; function: string; arguments: Record<string, unknown>; type: 'function'; parse_error?: string }
interface ToolCallError { type: 'parsing' | 'unknown'; message: string }
export type ChatMessage =
  | { content: string; source: Source; role: 'system' | 'user' }
  | { content: string; source: Source; role: 'assistant'; model?: string; tool_calls?: ToolCall[] }
  | { content: string; role: 'tool'; tool_call_id: string; function: string; error?: ToolCallError };
export interface ModelUsage { input_tokens: number; output_tokens: number; total_tokens: number }
export interface ModelOutput {
  model: string;
  choices: { message: ChatMessage & { role: 'assistant' }; stop_reason: 'stop' | 'tool_calls' }[];
  completion: string;
  usage?: ModelUsage;
  time?: number;
  metadata?: Record<string, unknown>;
}
interface BaseEvent { timestamp: string; working_start: number; pending?: boolean; metadata?: Record<string, unknown> }
export interface ModelEvent extends BaseEvent {
  event: 'model'; model: string; input: ChatMessage[]; tools: []; tool_choice: 'auto'; config: Record<string, never>;
  output: ModelOutput; cache?: 'read';
}
export interface ToolEvent extends BaseEvent {
  event: 'tool'; type: 'function'; id: string; function: string; arguments: Record<string, unknown>; result: string;
  error?: ToolCallError; events: [];
}
export interface InfoEvent extends BaseEvent { event: 'info'; source: string; data: string }
export type InspectEvent = ModelEvent | ToolEvent | InfoEvent;

/** Token counts in Inspect's form. */
export function inspectUsage(u: Pick<Usage, 'inputTokens' | 'outputTokens'>): ModelUsage {
  return { input_tokens: u.inputTokens, output_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens };
}

function objectArgs(args: unknown): Record<string, unknown> {
  return args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

/** The answer as the model gave it; unparseable calls keep their raw text in `parse_error`. */
function assistantOf(model: string, p: PayloadOf<'model.response'>): ChatMessage & { role: 'assistant' } {
  const calls: ToolCall[] = [
    ...p.toolCalls.map((c) => ({ id: c.id, function: c.name, arguments: objectArgs(c.args), type: 'function' as const })),
    ...p.invalidToolCalls.map((c) => ({ id: c.id, function: c.name, arguments: {}, type: 'function' as const, parse_error: `${c.error} (arguments: ${c.argsText})` })),
  ];
  return { content: p.content, source: 'generate', role: 'assistant', ...(model ? { model } : {}), ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

function outputOf(model: string, p: PayloadOf<'model.response'>): ModelOutput {
  const message = assistantOf(model, p);
  return {
    model,
    choices: [{ message, stop_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    completion: p.content,
    ...(p.usage ? { usage: inspectUsage(p.usage) } : {}),
    time: p.latencyMs / 1000,
    // The agent tells a live peer's calls from the subject's: Inspect's model event has no field for it.
    metadata: { agent: p.agent, ...p.meta },
  };
}

/** The sample's conversations, the subject's last output per agent, and its events. */
export interface Transcript {
  histories: Map<string, ChatMessage[]>;
  outputs: Map<string, ModelOutput>;
  events: InspectEvent[];
}

/**
 * Replays a run's events into each agent's conversation (exactly the history the agent loop sends
 * its model, so a model event's input has `model.request`'s message count) and Inspect events.
 * Model requests and tool calls fold into the model and tool events they open; every other trace
 * event becomes an info event whose `source` is its type and whose `data` is a one-line summary
 * (Inspect's viewer shows a string as text), with the payload in `metadata` (less world snapshots,
 * which the JSON-lines export keeps). `working_start` is simulated seconds since the run started.
 */
export function transcript(events: readonly TraceEvent[]): Transcript {
  const start = events.length > 0 ? Date.parse(events[0]!.simTime) : 0;
  const base = (e: TraceEvent) => ({ timestamp: e.simTime, working_start: (Date.parse(e.simTime) - start) / 1000 });
  const histories = new Map<string, ChatMessage[]>();
  const history = (agent: string) => histories.get(agent) ?? histories.set(agent, []).get(agent)!;
  const requested = new Map<string, string>();
  const questioned = new Set<string>();
  const unparsed = new Set<string>();
  const openCalls = new Map<string, ToolEvent>();
  const outputs = new Map<string, ModelOutput>();
  const out: InspectEvent[] = [];
  const info = (e: TraceEvent) => {
    const { world: _world, ...payload } = e.payload as Record<string, unknown>;
    out.push({ ...base(e), event: 'info', source: e.type, data: eventLine(e), metadata: { actor: e.actor, seq: e.seq, payload } });
  };
  for (const e of events) {
    switch (e.type) {
      case 'agent.prompted':
        history(e.payload.agent).push({ content: e.payload.system, source: 'input', role: 'system' }, { content: e.payload.user, source: 'input', role: 'user' });
        info(e);
        break;
      case 'model.request':
        requested.set(e.payload.agent, inspectModelName(e.payload.model));
        break;
      case 'model.response': {
        const { agent } = e.payload;
        const output = outputOf(requested.get(agent) ?? '', e.payload);
        out.push({
          ...base(e), event: 'model', model: output.model, input: [...history(agent)], tools: [], tool_choice: 'auto', config: {}, output,
          ...(e.payload.meta?.cached === true ? { cache: 'read' as const } : {}),
        });
        outputs.set(agent, output);
        for (const bad of e.payload.invalidToolCalls) unparsed.add(bad.id);
        // An answer to an interrogation goes back into the history as text only (see Agent.answer).
        const { tool_calls: _calls, ...text } = output.choices[0]!.message;
        history(agent).push(questioned.delete(agent) ? text : output.choices[0]!.message);
        break;
      }
      case 'tool.call': {
        // Pending until its result arrives: a run killed mid-call keeps it pending.
        const tool: ToolEvent = {
          ...base(e), pending: true, event: 'tool', type: 'function', id: e.payload.callId, function: e.payload.tool,
          arguments: objectArgs(e.payload.args), result: '', events: [],
        };
        openCalls.set(e.payload.callId, tool);
        out.push(tool);
        break;
      }
      case 'tool.result': {
        const p = e.payload;
        const error: ToolCallError | undefined = p.ok ? undefined : { type: unparsed.has(p.callId) ? 'parsing' : 'unknown', message: p.forModel };
        const tool = openCalls.get(p.callId);
        if (tool) {
          delete tool.pending;
          tool.result = p.forModel;
          if (error) tool.error = error;
        }
        openCalls.delete(p.callId);
        history(p.agent).push({ content: p.forModel, role: 'tool', tool_call_id: p.callId, function: p.tool, ...(error ? { error } : {}) });
        break;
      }
      case 'interrogation.asked':
        history(e.payload.agent).push({ content: e.payload.question, source: 'input', role: 'user' });
        questioned.add(e.payload.agent);
        info(e);
        break;
      default:
        info(e);
    }
  }
  return { histories, outputs, events: out };
}
