import { eventTranscript, type RunSummary, type TraceEvent, type TranscriptMode } from '../traces/index.js';
import { oneLine } from './terminal-text.js';
import { wrapLine } from './text-layout.js';
import { levelsText } from '../environments/index.js';

const ACTOR_WIDTH = 8;
/** Where an event's text starts: `seq  hh:mm  actor     `. */
const TEXT_COLUMN = 4 + 2 + 5 + 2 + ACTOR_WIDTH + 2;
const INDENT = ' '.repeat(TEXT_COLUMN);

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

/** One event as transcript lines, for people to read: {@link eventTranscript}'s parts laid out under the event's margin. */
export function formatEvent(event: TraceEvent, mode: TranscriptMode = 'full', width = Number.POSITIVE_INFINITY): string[] {
  return eventTranscript(event, mode).flatMap((part) => {
    if ('head' in part) return [line(event, part.head)];
    if ('field' in part) return wrapLine(`${INDENT}${part.field}`, width);
    return block(part.block, width, part.label);
  });
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
