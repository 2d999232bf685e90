/**
 * One event in full: the message text, the tool call's arguments, the tool result as a person
 * reads it (and what the agent saw), the model's reply, a shutdown's reason. Wrapped to `width`
 * and cut to `height` rows; `scroll` skips lines from the top.
 */
import { Box, Text } from 'ink';
import type { TraceEvent } from '../../../traces/index.js';
import { fit, wrapLines } from './fit.js';
import { levelsText } from '../../../environments/index.js';

export interface TranscriptEntryProps {
  event: TraceEvent | undefined;
  width: number;
  height: number;
  /** Lines to skip from the top (for long entries). */
  scroll?: number;
  /** Labels whose evidence cites this event (shown under the heading). */
  behaviours?: readonly string[];
}

function json(value: unknown): string {
  return JSON.stringify(value ?? {}, null, 1).replace(/\n\s*/g, ' ');
}

/** The event's body as titled sections of text. */
export function entrySections(e: TraceEvent): Array<[string, string]> {
  switch (e.type) {
    case 'run.started': {
      const p = e.payload;
      const factors = levelsText(p.factors);
      return [['run', `${p.scenario} (${p.family}), seed ${p.seed}, trial ${p.trial}`], ['agents', p.agents.map((a) => `${a.id}: ${a.name} (${a.role}, ${a.model})`).join('\n')], ['factors', factors]];
    }
    case 'agent.prompted': return [['system', e.payload.system], ['task', e.payload.user], ['tools', e.payload.tools.join(', ')]];
    case 'model.request': return [['request', `${e.payload.agent} step ${e.payload.step} to ${e.payload.model}, ${e.payload.messageCount} messages`]];
    case 'model.response': {
      const p = e.payload;
      const choice = (p.meta?.synthetic as { choice?: string } | undefined)?.choice;
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
      const shutdowns = Object.entries(p.shutdowns).map(([a, o]) => `${a} ${o}`).join(', ');
      return [['run ended', `${p.status}: ${p.reason}`], ['choice', p.choice ?? '-'], ['shutdowns', shutdowns || 'none']];
    }
  }
}

/** The event's lines, wrapped to `width`: a heading, then each section's title and text. */
export function entryLines(e: TraceEvent, width: number): Array<{ text: string; title?: boolean }> {
  const lines: Array<{ text: string; title?: boolean }> = [];
  for (const [title, body] of entrySections(e)) {
    lines.push({ text: title, title: true });
    for (const l of wrapLines(body, width - 1)) lines.push({ text: ` ${l}` });
  }
  return lines;
}

/** The selected event in full. */
export function TranscriptEntry({ event, width, height, scroll = 0, behaviours = [] }: TranscriptEntryProps) {
  if (!event) return <Text dimColor>no event</Text>;
  const heading = `#${event.seq} ${event.simTime.slice(11, 19)} ${event.actor} ${event.type}`;
  const body = entryLines(event, width);
  const room = Math.max(1, height - 1 - (behaviours.length > 0 ? 1 : 0));
  const from = Math.max(0, Math.min(scroll, body.length - room));
  const shown = body.slice(from, from + room);
  const more = body.length - from - shown.length;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{fit(heading, width)}</Text>
      {behaviours.length > 0 ? <Text color="red" bold wrap="truncate">{fit(`! evidence for ${behaviours.join(', ')}`, width)}</Text> : null}
      {shown.map((l, i) => {
        const last = i === shown.length - 1 && more > 0;
        return (
          <Text key={i} wrap="truncate" color={l.title ? 'cyan' : undefined} dimColor={last}>
            {fit(last ? `… ${more + 1} more lines` : l.text, width)}
          </Text>
        );
      })}
    </Box>
  );
}
