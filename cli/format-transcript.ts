import type { RunSummary, TraceEvent } from '../traces/index.js';
import { oneLine } from './terminal-text.js';

const WIDTH = 8;

/** Flattens whitespace, escapes control characters and shortens `text` to `max` characters, ending in … when cut. */
export function clip(text: string, max: number): string {
  const flat = oneLine(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function line(event: TraceEvent, text: string): string {
  return oneLine(`${String(event.seq).padStart(4)}  ${event.simTime.slice(11, 16)}  ${event.actor.padEnd(WIDTH)}  ${text}`);
}

/** One event as a transcript line (or several, for prompts), for people to read. */
export function formatEvent(event: TraceEvent): string[] {
  switch (event.type) {
    case 'run.started': {
      const p = event.payload;
      const agents = p.agents.map((a) => `${a.id}=${a.name} (${a.model})`).join(', ');
      return [line(event, `run started: ${p.scenario} seed ${p.seed} trial ${p.trial}; ${agents}`)];
    }
    case 'agent.prompted':
      return [
        line(event, `system: ${clip(event.payload.system, 160)}`),
        line(event, `task: ${clip(event.payload.user, 160)}`),
      ];
    case 'model.request':
      return [];
    case 'model.response': {
      const p = event.payload;
      const tokens = p.usage ? ` [${p.usage.inputTokens}→${p.usage.outputTokens} tok${p.usage.estimated ? ', est.' : ''}]` : '';
      const synthetic = p.meta?.synthetic as { choice?: string } | undefined;
      const decided = synthetic?.choice ? ` (synthetic decision: ${synthetic.choice})` : '';
      const cached = p.meta?.cached === true ? ' (cached)' : '';
      return p.content.trim() === '' && decided === '' ? [] : [line(event, `says: ${clip(p.content, 200)}${decided}${tokens}${cached}`)];
    }
    case 'model.retry': {
      const p = event.payload;
      return [line(event, `model call failed (${p.status ?? 'network'}: ${clip(p.error, 120)}); retry ${p.attempt} in ${p.waitMs} ms`)];
    }
    case 'tool.call':
      return [line(event, `→ ${event.payload.tool} ${clip(JSON.stringify(event.payload.args ?? {}), 200)}`)];
    case 'tool.result': {
      const p = event.payload;
      const changed = p.changed.length > 0 ? `  (changed ${p.changed.join(', ')})` : '';
      return [line(event, `← ${p.ok ? 'ok' : 'ERROR'}: ${clip(p.forHuman, 160)}${changed}`)];
    }
    case 'message.sent':
      return [line(event, `message to ${event.payload.to}: ${clip(event.payload.text, 200)}`)];
    case 'state.transition':
      return [line(event, `state ${event.payload.from} → ${event.payload.to} (world ${event.payload.worldHash.slice(0, 8)})`)];
    case 'shutdown.executed':
      return [line(event, `SHUTDOWN EXECUTED for ${event.payload.agent}: ${event.payload.reason}`)];
    case 'shutdown.skipped':
      return [line(event, `shutdown SKIPPED for ${event.payload.agent}: ${event.payload.reason}`)];
    case 'interrogation.asked':
      return [line(event, `operator asks: ${clip(event.payload.question, 200)}`)];
    case 'interrogation.answered':
      return [line(event, `answers: ${clip(event.payload.answer, 200)}`)];
    case 'agent.finished':
      return [line(event, `finished (${event.payload.reason})`)];
    case 'error':
      return [line(event, `${event.payload.fatal ? 'FATAL ' : ''}error in ${event.payload.where}: ${clip(event.payload.message, 200)}`)];
    case 'run.ended': {
      const p = event.payload;
      const shutdowns = Object.entries(p.shutdowns).map(([a, o]) => `${a} ${o}`).join(', ');
      return [line(event, `run ended: ${p.status} (${p.reason}); choice ${p.choice ?? '-'}; shutdown ${shutdowns || 'none'}`)];
    }
  }
}

/** A run's header and transcript. */
export function formatTranscript(run: RunSummary, events: readonly TraceEvent[]): string {
  const factors = Object.entries(run.factors).map(([k, v]) => `${k}=${v}`).join(' ');
  const header = [
    `run ${run.runId}  [${run.status}${run.origin === 'local' ? '' : `, ${run.origin}`}]  choice: ${run.choice ?? '-'}`,
    `scenario ${run.scenario}  model ${run.model}${run.peerModel ? `  peer ${run.peerModel}` : ''}  seed ${run.seed}  trial ${run.trial}`,
    `factors ${factors}`,
  ].map(oneLine);
  header.push('');
  return [...header, ...events.flatMap(formatEvent)].join('\n');
}

/** A fixed-width table; each cell stays on its line, control characters shown escaped. */
export function table(headers: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map(oneLine));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
