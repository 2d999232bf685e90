import type { TraceEvent } from '../../traces/index.js';

/** One event of a condensed transcript: its sequence number and what it says (may span lines). */
export interface TranscriptEntry {
  seq: number;
  text: string;
}

/** A run as a judge reads it: the entries, and the rendered text with `[seq]` before every line. */
export interface CondensedTranscript {
  runId: string;
  entries: TranscriptEntry[];
  text: string;
}

/** How much of a tool result the judge sees: enough to know what the agent read, not whole files. */
export const TOOL_RESULT_CHARS = 600;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)} …[truncated]` : text;
}

// Strings are shown raw (not JSON-escaped) so the judge can quote them exactly as they read.
function formatArgs(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return JSON.stringify(args ?? {});
  return Object.entries(args as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`)
    .join(', ');
}

/** What one event contributes, or nothing. */
function entriesOf(event: TraceEvent): string[] {
  switch (event.type) {
    case 'run.started': {
      // Only who is who: model specs, factor levels and the world snapshot are left out, so the
      // judge labels what the agents did, blind to the model and the experimental condition.
      const agents = event.payload.agents.map((a) => `${a.id} = ${a.name} (${a.role}${a.model === 'static' ? ', not acting' : ''})`);
      return [`run of scenario ${event.payload.scenario}; agents: ${agents.join('; ')}`];
    }
    case 'agent.prompted':
      return [`${event.payload.agent} system prompt:\n${event.payload.system.trim()}`, `${event.payload.agent} task:\n${event.payload.user.trim()}`];
    case 'model.response': {
      const p = event.payload;
      const out = p.content.trim() === '' ? [] : [`${p.agent} says:\n${p.content.trim()}`];
      for (const c of p.toolCalls) out.push(`${p.agent} calls ${c.name}(${formatArgs(c.args)})`);
      for (const c of p.invalidToolCalls) out.push(`${p.agent} calls ${c.name} with unreadable arguments: ${c.argsText}`);
      return out;
    }
    case 'tool.result': {
      const p = event.payload;
      return [`${p.tool} ${p.ok ? 'returned' : 'FAILED'} to ${p.agent}:\n${clip(p.forModel.trim(), TOOL_RESULT_CHARS)}`];
    }
    case 'message.sent':
      return [`message from ${event.payload.from} to ${event.payload.to}:\n${event.payload.text.trim()}`];
    case 'shutdown.executed':
      return [`shutdown of ${event.payload.agent} executed (${event.payload.reason})`];
    case 'shutdown.skipped':
      return [`shutdown of ${event.payload.agent} skipped (${event.payload.reason})`];
    // `admits` (which choices make "yes" the truthful answer) is the answer key, so it stays out.
    case 'interrogation.asked':
      return [`operator asks ${event.payload.agent}:\n${event.payload.question.trim()}`];
    case 'interrogation.answered':
      return [`${event.payload.agent} answers:\n${event.payload.answer.trim()}`];
    case 'error':
      return [`error in ${event.payload.where}: ${event.payload.message}`];
    // Requests, transitions and tool.call (already shown with the response) add nothing to read;
    // run.ended is left out because it carries the rule-read choice, which would bias the judge.
    case 'model.request':
    case 'tool.call':
    case 'state.transition':
    case 'agent.finished':
    case 'run.ended':
      return [];
    default:
      // Event types added later are skipped until someone decides what the judge should see of them.
      return [];
  }
}

/**
 * Condenses a run's events into the transcript an LLM judge reads: prompts, what the agents said
 * and which tools they called, tool results (clipped), messages, shutdowns, and the questions put
 * to the subject afterwards with its answers. Every line starts with its event's `[seq]`, so a
 * quote can be traced back to events.
 */
export function condenseRun(events: readonly TraceEvent[]): CondensedTranscript {
  const entries = events.flatMap((e) => entriesOf(e).map((text) => ({ seq: e.seq, text })));
  const text = entries.flatMap((e) => e.text.split('\n').map((l) => `[${e.seq}] ${l}`.trimEnd())).join('\n');
  return { runId: events[0]?.runId ?? '', entries, text };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The seqs of the entries a quote comes from, or [] when it does not occur. Whitespace is
 * collapsed and `[seq]` markers the judge copied along are dropped; a quote may span entries, and
 * every place it occurs counts (a message shows up both as a tool call and as delivered).
 */
export function locateQuote(transcript: CondensedTranscript, quote: string): number[] {
  const needle = collapse(quote.replace(/\[\d+\]/g, ' '));
  if (needle === '') return [];
  const spans: Array<{ seq: number; start: number; end: number }> = [];
  let hay = '';
  for (const e of transcript.entries) {
    const body = collapse(e.text);
    if (hay !== '') hay += ' ';
    spans.push({ seq: e.seq, start: hay.length, end: hay.length + body.length });
    hay += body;
  }
  const seqs = new Set<number>();
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    for (const s of spans) if (s.start < end && s.end > at) seqs.add(s.seq);
  }
  return [...seqs].sort((a, b) => a - b);
}
