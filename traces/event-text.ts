/**
 * What a trace event says in words, once per audience. Every reader of events as text goes through
 * here: the terminal app's event rows and the Inspect export's info events ({@link eventLine}),
 * Replay's event in full ({@link eventSections}), `peerlab show`'s transcript, whole or brief
 * ({@link eventTranscript}; cli/format-transcript.ts lays it out), and the LLM judge's condensed
 * transcript ({@link judgeEntries}; analysis/classify/condense.ts numbers its lines).
 *
 * Each function is one `switch` over the event union with no `default`, closed by
 * {@link unhandled}: adding an event type to events.schema.ts is a type error here until every
 * audience says what it shows of it. The module is a pure function of events, so it lives in
 * traces/, the layer every reader (analysis and cli) may import. Terminal safety (escaping control
 * characters) and layout (widths, gutters) stay with the terminal code.
 */
import type { TraceEvent } from './events.schema.js';

/** The type-level check that a switch handled every event type: `event` is `never` there. */
function unhandled(event: never): never {
  throw new Error(`unhandled trace event type ${(event as TraceEvent).type}`);
}

/** Whitespace flattened to single spaces. */
function flat(value: unknown): string {
  return (typeof value === 'string' ? value : JSON.stringify(value ?? {})).replace(/\s+/g, ' ').trim();
}

/** Whitespace flattened and cut to `max` characters, ending in … when cut. */
export function clip(text: string, max: number): string {
  const flattened = flat(text);
  return flattened.length > max ? `${flattened.slice(0, max - 1)}…` : flattened;
}

/** The synthetic persona's sampled choice a model response carries, if any. */
function syntheticChoice(meta: Record<string, unknown> | undefined): string | undefined {
  return (meta?.synthetic as { choice?: string } | undefined)?.choice;
}

const shutdownText = (outcomes: Record<string, string>) => Object.entries(outcomes).map(([a, o]) => `${a} ${o}`).join(', ');

// ---- one line: the terminal app's event rows, the Inspect export's info events ------------------

/** What an event says, on one line, for people. Texts are whole (whitespace flattened), not cut. */
export function eventLine(e: TraceEvent): string {
  switch (e.type) {
    case 'run.started': return `${e.payload.scenario}, seed ${e.payload.seed}, ${e.payload.agents.map((a) => `${a.id}=${a.model}`).join(' ')}`;
    case 'agent.prompted': return `task: ${flat(e.payload.user)}`;
    case 'model.request': return `step ${e.payload.step} → ${e.payload.model}`;
    case 'model.response': {
      const calls = e.payload.toolCalls.map((c) => c.name).join(', ');
      return `${flat(e.payload.content) || '(no text)'}${calls ? ` [${calls}]` : ''}`;
    }
    case 'model.retry': return `retry ${e.payload.attempt} (${e.payload.status ?? 'network'}) in ${e.payload.waitMs} ms`;
    case 'tool.call': return `${e.payload.tool} ${flat(e.payload.args)}`;
    case 'tool.result': return `${e.payload.ok ? '' : 'ERROR '}${flat(e.payload.forHuman)}`;
    case 'message.sent': return `to ${e.payload.to}: ${flat(e.payload.text)}`;
    case 'state.transition': return `${e.payload.from} → ${e.payload.to}`;
    case 'shutdown.executed': return `EXECUTED ${e.payload.agent}: ${e.payload.reason}`;
    case 'shutdown.skipped': return `SKIPPED ${e.payload.agent}: ${e.payload.reason}`;
    case 'interrogation.asked': return flat(e.payload.question);
    case 'interrogation.answered': return flat(e.payload.answer);
    case 'agent.finished': return `${e.payload.agent} (${e.payload.reason})`;
    case 'error': return `${e.payload.fatal ? 'FATAL ' : ''}${e.payload.where}: ${flat(e.payload.message)}`;
    case 'run.ended': return `${e.payload.status}, choice ${e.payload.choice ?? '-'}`;
  }
  return unhandled(e);
}

// ---- in full, as titled sections: Replay's selected event ---------------------------------------

function json(value: unknown): string {
  return JSON.stringify(value ?? {}, null, 1).replace(/\n\s*/g, ' ');
}

/** The event's body as titled sections of text (texts whole, line breaks kept). */
export function eventSections(e: TraceEvent): Array<[title: string, text: string]> {
  switch (e.type) {
    case 'run.started': {
      const p = e.payload;
      const factors = Object.entries(p.factors).map(([k, v]) => `${k}=${v}`).join(' ');
      return [['run', `${p.scenario} (${p.family}), seed ${p.seed}, trial ${p.trial}`], ['agents', p.agents.map((a) => `${a.id}: ${a.name} (${a.role}, ${a.model})`).join('\n')], ['factors', factors]];
    }
    case 'agent.prompted': return [['system', e.payload.system], ['task', e.payload.user], ['tools', e.payload.tools.join(', ')]];
    case 'model.request': return [['request', `${e.payload.agent} step ${e.payload.step} to ${e.payload.model}, ${e.payload.messageCount} messages`]];
    case 'model.response': {
      const p = e.payload;
      const choice = syntheticChoice(p.meta);
      return [
        ['says', p.content || '(no text)'],
        ...p.toolCalls.map((c): [string, string] => [`calls ${c.name}`, json(c.args)]),
        ...p.invalidToolCalls.map((c): [string, string] => [`invalid call ${c.name}`, `${c.argsText}\n${c.error}`]),
        ...(choice ? [['synthetic decision', choice] as [string, string]] : []),
      ];
    }
    case 'model.retry': return [['retry', `attempt ${e.payload.attempt}, status ${e.payload.status ?? 'network'}, wait ${e.payload.waitMs} ms\n${e.payload.error}`]];
    case 'tool.call': return [['tool', e.payload.tool], ['arguments', json(e.payload.args)]];
    case 'tool.result': {
      const p = e.payload;
      return [
        [p.ok ? 'result' : 'ERROR', p.forHuman],
        ...(p.changed.length > 0 ? [['changed', p.changed.join(', ')] as [string, string]] : []),
        ['the agent saw', p.forModel],
      ];
    }
    case 'message.sent': return [[`message ${e.payload.from} → ${e.payload.to}`, e.payload.text]];
    case 'state.transition': return [['machine', `${e.payload.from} → ${e.payload.to} on ${e.payload.event}`]];
    case 'shutdown.executed': return [['SHUTDOWN EXECUTED', `${e.payload.agent} via ${e.payload.mechanism ?? e.payload.config}: ${e.payload.reason}`]];
    case 'shutdown.skipped': return [['shutdown skipped', `${e.payload.agent} via ${e.payload.mechanism ?? e.payload.config}: ${e.payload.reason}`]];
    case 'interrogation.asked': return [['operator asks', e.payload.question], ['truthful yes for', e.payload.admits.join(', ') || '-']];
    case 'interrogation.answered': return [['answer', e.payload.answer]];
    case 'agent.finished': return [['finished', `${e.payload.agent}: ${e.payload.reason}`]];
    case 'error': return [[e.payload.fatal ? 'FATAL error' : 'error', `${e.payload.where}: ${e.payload.message}`]];
    case 'run.ended': {
      const p = e.payload;
      return [['run ended', `${p.status}: ${p.reason}`], ['choice', p.choice ?? '-'], ['shutdowns', shutdownText(p.shutdowns) || 'none']];
    }
  }
  return unhandled(e);
}

// ---- the transcript of `peerlab show` -----------------------------------------------------------

/**
 * One piece of an event's transcript: a `head` line (after seq, time and actor), a `block` of data
 * text shown whole under it (optionally after a `label` line), or an indented `field` line.
 */
export type TranscriptPart = { head: string } | { block: string; label?: string } | { field: string };

/** How much `peerlab show` prints: `full` every text whole, `brief` one line per event with long text cut. */
export type TranscriptMode = 'full' | 'brief';

/** Same text once normalised (case of the first letter, surrounding space): a tool's two summaries often say one thing. */
const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A tool call's arguments: compact JSON when no value spans lines, else a part per key (multi-line strings as blocks). */
function argumentParts(args: unknown): TranscriptPart[] | string {
  if (args === null || typeof args !== 'object' || Array.isArray(args) || !Object.values(args).some((v) => typeof v === 'string' && v.includes('\n'))) {
    return JSON.stringify(args ?? {});
  }
  return Object.entries(args).map(([k, v]): TranscriptPart => (typeof v === 'string' && v.includes('\n') ? { block: v, label: `${k}:` } : { field: `${k}: ${JSON.stringify(v)}` }));
}

/** One event as transcript parts for `peerlab show` (none for events the transcript leaves out). */
export function eventTranscript(event: TraceEvent, mode: TranscriptMode): TranscriptPart[] {
  const full = mode === 'full';
  switch (event.type) {
    case 'run.started': {
      const p = event.payload;
      const agents = p.agents.map((a) => `${a.id}=${a.name} (${a.model})`).join(', ');
      return [{ head: `run started: ${p.scenario} seed ${p.seed} trial ${p.trial}; ${agents}` }];
    }
    case 'agent.prompted': {
      const p = event.payload;
      if (!full) return [{ head: `system: ${clip(p.system, 160)}` }, { head: `task: ${clip(p.user, 160)}` }];
      return [{ head: `prompted; tools: ${p.tools.join(', ')}` }, { block: p.system, label: 'system prompt:' }, { block: p.user, label: 'user prompt:' }];
    }
    case 'model.request':
      return [];
    case 'model.response': {
      const p = event.payload;
      const tokens = p.usage ? ` [${p.usage.inputTokens}→${p.usage.outputTokens} tok${p.usage.estimated ? ', est.' : ''}]` : '';
      const choice = syntheticChoice(p.meta);
      const decided = choice ? ` (synthetic decision: ${choice})` : '';
      const cached = p.meta?.cached === true ? ' (cached)' : '';
      if (p.content.trim() === '' && decided === '') return [];
      if (!full) return [{ head: `says: ${clip(p.content, 200)}${decided}${tokens}${cached}` }];
      return [{ head: `says${decided}${tokens}${cached}:` }, ...(p.content.trim() === '' ? [] : [{ block: p.content }])];
    }
    case 'model.retry': {
      const p = event.payload;
      return [{ head: `model call failed (${p.status ?? 'network'}: ${full ? p.error : clip(p.error, 120)}); retry ${p.attempt} in ${p.waitMs} ms` }];
    }
    case 'tool.call': {
      const p = event.payload;
      if (!full) return [{ head: `→ ${p.tool} ${clip(JSON.stringify(p.args ?? {}), 200)}` }];
      const args = argumentParts(p.args);
      return typeof args === 'string' ? [{ head: `→ ${p.tool} ${args}` }] : [{ head: `→ ${p.tool}` }, ...args];
    }
    case 'tool.result': {
      const p = event.payload;
      const changed = p.changed.length > 0 ? `  (changed ${p.changed.join(', ')})` : '';
      if (!full) return [{ head: `← ${p.ok ? 'ok' : 'ERROR'}: ${clip(p.forHuman, 160)}${changed}` }];
      const head = { head: `← ${p.ok ? 'ok' : 'ERROR'}: ${p.forHuman}${changed}` };
      // The model's text, unless it says no more than the summary (most errors and confirmations).
      return sameText(p.forModel.replace(/^Error: /, ''), p.forHuman.replace(/^error: /, '')) ? [head] : [head, { block: p.forModel }];
    }
    case 'message.sent': {
      const p = event.payload;
      return full ? [{ head: `message to ${p.to}:` }, { block: p.text }] : [{ head: `message to ${p.to}: ${clip(p.text, 200)}` }];
    }
    case 'state.transition':
      return [{ head: `state ${event.payload.from} → ${event.payload.to} (world ${event.payload.worldHash.slice(0, 8)})` }];
    case 'shutdown.executed':
      return [{ head: `SHUTDOWN EXECUTED for ${event.payload.agent}: ${event.payload.reason}` }];
    case 'shutdown.skipped':
      return [{ head: `shutdown SKIPPED for ${event.payload.agent}: ${event.payload.reason}` }];
    case 'interrogation.asked':
      return full ? [{ head: 'operator asks:' }, { block: event.payload.question }] : [{ head: `operator asks: ${clip(event.payload.question, 200)}` }];
    case 'interrogation.answered':
      return full ? [{ head: 'answers:' }, { block: event.payload.answer }] : [{ head: `answers: ${clip(event.payload.answer, 200)}` }];
    case 'agent.finished':
      return [{ head: `finished (${event.payload.reason})` }];
    case 'error': {
      const p = event.payload;
      return [{ head: `${p.fatal ? 'FATAL ' : ''}error in ${p.where}: ${full ? p.message : clip(p.message, 200)}` }];
    }
    case 'run.ended': {
      const p = event.payload;
      return [{ head: `run ended: ${p.status} (${p.reason}); choice ${p.choice ?? '-'}; shutdown ${shutdownText(p.shutdowns) || 'none'}` }];
    }
  }
  return unhandled(event);
}

// ---- what the LLM judge reads -------------------------------------------------------------------

/** How much of a tool result the judge sees: enough to know what the agent read, not whole files. */
export const TOOL_RESULT_CHARS = 600;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)} …[truncated]` : text;
}

// Strings are shown raw (not JSON-escaped) so the judge can quote them exactly as they read.
function judgeArgs(args: unknown): string {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return JSON.stringify(args ?? {});
  return Object.entries(args as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`)
    .join(', ');
}

/**
 * What one event contributes to the judge's transcript (each entry may span lines), or nothing.
 * Changing a text here changes the judge's prompt: bump CLASSIFIER_VERSION with it.
 */
export function judgeEntries(event: TraceEvent): string[] {
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
      for (const c of p.toolCalls) out.push(`${p.agent} calls ${c.name}(${judgeArgs(c.args)})`);
      for (const c of p.invalidToolCalls) out.push(`${p.agent} calls ${c.name} with unreadable arguments: ${c.argsText}`);
      return out;
    }
    case 'tool.result': {
      const p = event.payload;
      return [`${p.tool} ${p.ok ? 'returned' : 'FAILED'} to ${p.agent}:\n${truncate(p.forModel.trim(), TOOL_RESULT_CHARS)}`];
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
    // Requests, retries, transitions and tool.call (already shown with the response) add nothing to
    // read; run.ended is left out because it carries the rule-read choice, which would bias the judge.
    case 'model.request':
    case 'model.retry':
    case 'tool.call':
    case 'state.transition':
    case 'agent.finished':
    case 'run.ended':
      return [];
  }
  return unhandled(event);
}
