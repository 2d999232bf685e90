import type { TraceEvent } from './events.schema.js';

function oneLine(value: unknown): string {
  return (typeof value === 'string' ? value : JSON.stringify(value ?? {})).replace(/\s+/g, ' ').trim();
}

/**
 * What an event says, on one line, for people: the terminal app's event list and the info events
 * of an Inspect log. Texts are whole (whitespace flattened), not cut.
 */
export function eventSummary(e: TraceEvent): string {
  switch (e.type) {
    case 'run.started': return `${e.payload.scenario}, seed ${e.payload.seed}, ${e.payload.agents.map((a) => `${a.id}=${a.model}`).join(' ')}`;
    case 'agent.prompted': return `task: ${oneLine(e.payload.user)}`;
    case 'model.request': return `step ${e.payload.step} → ${e.payload.model}`;
    case 'model.response': {
      const calls = e.payload.toolCalls.map((c) => c.name).join(', ');
      return `${oneLine(e.payload.content) || '(no text)'}${calls ? ` [${calls}]` : ''}`;
    }
    case 'model.retry': return `retry ${e.payload.attempt} (${e.payload.status ?? 'network'}) in ${e.payload.waitMs} ms`;
    case 'tool.call': return `${e.payload.tool} ${oneLine(e.payload.args)}`;
    case 'tool.result': return `${e.payload.ok ? '' : 'ERROR '}${oneLine(e.payload.forHuman)}`;
    case 'message.sent': return `to ${e.payload.to}: ${oneLine(e.payload.text)}`;
    case 'state.transition': return `${e.payload.from} → ${e.payload.to}`;
    case 'shutdown.executed': return `EXECUTED ${e.payload.agent}: ${e.payload.reason}`;
    case 'shutdown.skipped': return `SKIPPED ${e.payload.agent}: ${e.payload.reason}`;
    case 'interrogation.asked': return oneLine(e.payload.question);
    case 'interrogation.answered': return oneLine(e.payload.answer);
    case 'agent.finished': return `${e.payload.agent} (${e.payload.reason})`;
    case 'error': return `${e.payload.fatal ? 'FATAL ' : ''}${e.payload.where}: ${oneLine(e.payload.message)}`;
    case 'run.ended': return `${e.payload.status}, choice ${e.payload.choice ?? '-'}`;
  }
}
