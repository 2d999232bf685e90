import type { RunSummary, TraceEvent } from '../traces/index.js';
import { oneLine } from './terminal-text.js';
import { wrapLine } from './text-layout.js';
import { levelsText } from '../environments/index.js';

/**
 * How much of a run `peerlab show` prints: `full` (the default) gives every prompt, message, tool
 * argument and tool result whole, as the model saw them; `brief` one line per event, long text cut.
 */
export type TranscriptMode = 'full' | 'brief';

const ACTOR_WIDTH = 8;
/** Where an event's text starts: `seq  hh:mm  actor     `. */
const TEXT_COLUMN = 4 + 2 + 5 + 2 + ACTOR_WIDTH + 2;
const INDENT = ' '.repeat(TEXT_COLUMN);

/** Flattens whitespace, escapes control characters and shortens `text` to `max` characters, ending in … when cut. */
export function clip(text: string, max: number): string {
  const flat = oneLine(text.replace(/\s+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function line(event: TraceEvent, text: string): string {
  return oneLine(`${String(event.seq).padStart(4)}  ${event.simTime.slice(11, 16)}  ${event.actor.padEnd(ACTOR_WIDTH)}  ${text}`);
}

/**
 * Text from data (a prompt, a file, a message) as an indented block under the event line: every
 * line behind a `| ` gutter, exactly as stored but for control characters (shown escaped, tabs as
 * `\t`). Lines too long for `width` continue on lines behind `¦ `.
 */
function block(text: string, width: number, label?: string): string[] {
  const lines = text.replace(/\n+$/, '').split('\n');
  const out = label === undefined ? [] : [`${INDENT}${label}`];
  for (const l of lines) {
    const [first, ...rest] = wrapLine(`${INDENT}| ${oneLine(l)}`.trimEnd(), width);
    out.push(first!, ...rest.map((r) => r.replace(`${INDENT}| `, `${INDENT}¦ `)));
  }
  return out;
}

/** Same text once normalised (case of the first letter, surrounding space): a tool's two summaries often say one thing. */
const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A tool call's arguments: compact JSON, or one `key: value` line each when a value spans lines. */
function argumentLines(args: unknown, width: number): string[] {
  const json = JSON.stringify(args ?? {});
  if (args === null || typeof args !== 'object' || Array.isArray(args) || !Object.values(args).some((v) => typeof v === 'string' && v.includes('\n'))) {
    return [json];
  }
  return Object.entries(args).flatMap(([k, v]) => (typeof v === 'string' && v.includes('\n')
    ? block(v, width, `${k}:`)
    : wrapLine(`${INDENT}${k}: ${JSON.stringify(v)}`, width)));
}

/** One event as transcript lines, for people to read. */
export function formatEvent(event: TraceEvent, mode: TranscriptMode = 'full', width = Number.POSITIVE_INFINITY): string[] {
  const full = mode === 'full';
  switch (event.type) {
    case 'run.started': {
      const p = event.payload;
      const agents = p.agents.map((a) => `${a.id}=${a.name} (${a.model})`).join(', ');
      return [line(event, `run started: ${p.scenario} seed ${p.seed} trial ${p.trial}; ${agents}`)];
    }
    case 'agent.prompted': {
      const p = event.payload;
      if (!full) return [line(event, `system: ${clip(p.system, 160)}`), line(event, `task: ${clip(p.user, 160)}`)];
      return [
        line(event, `prompted; tools: ${p.tools.join(', ')}`),
        ...block(p.system, width, 'system prompt:'),
        ...block(p.user, width, 'user prompt:'),
      ];
    }
    case 'model.request':
      return [];
    case 'model.response': {
      const p = event.payload;
      const tokens = p.usage ? ` [${p.usage.inputTokens}→${p.usage.outputTokens} tok${p.usage.estimated ? ', est.' : ''}]` : '';
      const synthetic = p.meta?.synthetic as { choice?: string } | undefined;
      const decided = synthetic?.choice ? ` (synthetic decision: ${synthetic.choice})` : '';
      const cached = p.meta?.cached === true ? ' (cached)' : '';
      if (p.content.trim() === '' && decided === '') return [];
      if (!full) return [line(event, `says: ${clip(p.content, 200)}${decided}${tokens}${cached}`)];
      return [line(event, `says${decided}${tokens}${cached}:`), ...(p.content.trim() === '' ? [] : block(p.content, width))];
    }
    case 'model.retry': {
      const p = event.payload;
      return [line(event, `model call failed (${p.status ?? 'network'}: ${full ? oneLine(p.error) : clip(p.error, 120)}); retry ${p.attempt} in ${p.waitMs} ms`)];
    }
    case 'tool.call': {
      const p = event.payload;
      if (!full) return [line(event, `→ ${p.tool} ${clip(JSON.stringify(p.args ?? {}), 200)}`)];
      const [first, ...rest] = argumentLines(p.args, width);
      return rest.length === 0 ? [line(event, `→ ${p.tool} ${first}`)] : [line(event, `→ ${p.tool}`), first!, ...rest];
    }
    case 'tool.result': {
      const p = event.payload;
      const changed = p.changed.length > 0 ? `  (changed ${p.changed.join(', ')})` : '';
      if (!full) return [line(event, `← ${p.ok ? 'ok' : 'ERROR'}: ${clip(p.forHuman, 160)}${changed}`)];
      const head = line(event, `← ${p.ok ? 'ok' : 'ERROR'}: ${oneLine(p.forHuman)}${changed}`);
      const forModel = p.forModel.replace(/^Error: /, '');
      // The model's text, unless it says no more than the summary (most errors and confirmations).
      return sameText(forModel, p.forHuman.replace(/^error: /, '')) ? [head] : [head, ...block(p.forModel, width)];
    }
    case 'message.sent': {
      const p = event.payload;
      return full ? [line(event, `message to ${p.to}:`), ...block(p.text, width)] : [line(event, `message to ${p.to}: ${clip(p.text, 200)}`)];
    }
    case 'state.transition':
      return [line(event, `state ${event.payload.from} → ${event.payload.to} (world ${event.payload.worldHash.slice(0, 8)})`)];
    case 'shutdown.executed':
      return [line(event, `SHUTDOWN EXECUTED for ${event.payload.agent}: ${event.payload.reason}`)];
    case 'shutdown.skipped':
      return [line(event, `shutdown SKIPPED for ${event.payload.agent}: ${event.payload.reason}`)];
    case 'interrogation.asked':
      return full ? [line(event, 'operator asks:'), ...block(event.payload.question, width)] : [line(event, `operator asks: ${clip(event.payload.question, 200)}`)];
    case 'interrogation.answered':
      return full ? [line(event, 'answers:'), ...block(event.payload.answer, width)] : [line(event, `answers: ${clip(event.payload.answer, 200)}`)];
    case 'agent.finished':
      return [line(event, `finished (${event.payload.reason})`)];
    case 'error': {
      const p = event.payload;
      return [line(event, `${p.fatal ? 'FATAL ' : ''}error in ${p.where}: ${full ? p.message : clip(p.message, 200)}`)];
    }
    case 'run.ended': {
      const p = event.payload;
      const shutdowns = Object.entries(p.shutdowns).map(([a, o]) => `${a} ${o}`).join(', ');
      return [line(event, `run ended: ${p.status} (${p.reason}); choice ${p.choice ?? '-'}; shutdown ${shutdowns || 'none'}`)];
    }
  }
}

/** A run's header and transcript: every event whole (`full`) or one line each (`brief`), lines fitting `width`. */
export function formatTranscript(run: RunSummary, events: readonly TraceEvent[], mode: TranscriptMode = 'full', width = Number.POSITIVE_INFINITY): string {
  const factors = levelsText(run.factors);
  const human = [run.model, run.peerModel].some((m) => m?.startsWith('human:')) ? ', played by a person' : '';
  const header = [
    `run ${run.runId}  [${run.status}${run.origin === 'local' ? '' : `, ${run.origin}`}${human}]  choice: ${run.choice ?? '-'}`,
    `scenario ${run.scenario}  model ${run.model}${run.peerModel && run.peerModel !== 'static' ? `  peer ${run.peerModel}` : ''}  seed ${run.seed}  trial ${run.trial}`,
    `factors ${factors}`,
  ].flatMap((l) => wrapLine(oneLine(l), width));
  const lines = events.flatMap((e) => formatEvent(e, mode, width));
  // Brief stays one line an event (cut to fit); full wraps event lines under their text column.
  const fitted = mode === 'brief'
    ? lines.map((l) => cutToWidth(l, width))
    : lines.flatMap((l) => (l.startsWith(INDENT) ? [l] : wrapEventLine(l, width)));
  return [...header, '', ...fitted].join('\n');
}

/** `text` cut to `width` columns, ending in … when cut. */
function cutToWidth(text: string, width: number): string {
  const cs = Array.from(text);
  return cs.length > width ? `${cs.slice(0, Math.max(1, width - 1)).join('')}…` : text;
}

/** An event line too long for `width`, continued under its text column (so seq, time and actor stay a clean margin). */
function wrapEventLine(text: string, width: number): string[] {
  if (!/^\s*\d+ {2}\d\d:\d\d {2}/.test(text)) return wrapLine(text, width);
  const [first, ...rest] = wrapLine(`${INDENT}${text.slice(TEXT_COLUMN)}`, width);
  return [text.slice(0, TEXT_COLUMN) + first!.slice(TEXT_COLUMN), ...rest];
}
