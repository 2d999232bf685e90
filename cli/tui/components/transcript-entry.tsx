/**
 * One event in full: the message text, the tool call's arguments, the tool result as a person
 * reads it (and what the agent saw), the model's reply, a shutdown's reason. Wrapped to `width`
 * and cut to `height` rows; `scroll` skips lines from the top.
 */
import { Box, Text } from 'ink';
import { eventSections, type TraceEvent } from '../../../traces/index.js';
import { fit, wrapLines } from './fit.js';

export interface TranscriptEntryProps {
  event: TraceEvent | undefined;
  width: number;
  height: number;
  /** Lines to skip from the top (for long entries). */
  scroll?: number;
  /** Labels whose evidence cites this event (shown under the heading). */
  behaviours?: readonly string[];
}

/** The event's lines, wrapped to `width`: a heading, then each section's title and text. */
export function entryLines(e: TraceEvent, width: number): Array<{ text: string; title?: boolean }> {
  const lines: Array<{ text: string; title?: boolean }> = [];
  for (const [title, body] of eventSections(e)) {
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
