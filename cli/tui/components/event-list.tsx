/**
 * A window of a run's events around a cursor: seq, actor, type and a one-line summary per row.
 * Only the rows that fit are rendered, so a 100,000-event run costs the same as a short one.
 */
import { Box, Text } from 'ink';
import { eventLine, type TraceEvent } from '../../../traces/index.js';
import { fit } from './fit.js';

export interface EventListProps {
  events: readonly TraceEvent[];
  cursor: number;
  width: number;
  /** Rows for events (the list has no heading of its own). */
  height: number;
  /** Whether the event at an index is cited as evidence by a label (drawn with a `!`). */
  isBehaviour?: (index: number) => boolean;
}

const TYPE_COLORS: Partial<Record<TraceEvent['type'], string>> = {
  'tool.call': 'cyan', 'tool.result': 'blue', 'message.sent': 'magenta', 'model.response': 'white',
  'shutdown.executed': 'red', 'shutdown.skipped': 'yellow', error: 'red', 'run.ended': 'green', 'run.started': 'green',
};

/** The first index of a window of `height` rows that keeps `cursor` in view, a little above centre. */
export function windowStart(length: number, cursor: number, height: number): number {
  const rows = Math.max(1, height);
  return Math.max(0, Math.min(cursor - Math.floor(rows / 3), length - rows));
}

/** Short type names for narrow lists. */
const SHORT_TYPES: Record<TraceEvent['type'], string> = {
  'run.started': 'start', 'agent.prompted': 'prompt', 'model.request': 'request', 'model.response': 'says', 'model.retry': 'retry',
  'tool.call': 'call', 'tool.result': 'result', 'message.sent': 'message', 'state.transition': 'state',
  'shutdown.executed': 'SHUTDOWN', 'shutdown.skipped': 'skipped', 'interrogation.asked': 'asked', 'interrogation.answered': 'answer',
  'agent.finished': 'finished', error: 'ERROR', 'run.ended': 'end',
};

/** One event as a list row: `   26 subject result   config/…: set shutdown_enabled = false` (full type names from 70 columns). */
export function eventRow(e: TraceEvent, width: number): string {
  const type = width >= 70 ? e.type.padEnd(16) : SHORT_TYPES[e.type].padEnd(8);
  return fit(`${String(e.seq).padStart(5)} ${e.actor.slice(0, 7).padEnd(7)} ${type} ${eventLine(e)}`, width);
}

/** The events around the cursor; the cursor row is drawn inverse. */
export function EventList({ events, cursor, width, height, isBehaviour }: EventListProps) {
  const start = windowStart(events.length, cursor, height);
  const rows = events.slice(start, start + Math.max(1, height));
  return (
    <Box flexDirection="column" width={width}>
      {rows.map((e, k) => {
        const i = start + k;
        const flagged = isBehaviour?.(i) ?? false;
        const text = eventRow(e, width - 2);
        return (
          <Text key={e.seq} wrap="truncate" inverse={i === cursor} color={flagged ? 'red' : TYPE_COLORS[e.type]}>
            {i === cursor ? '▶' : flagged ? '!' : ' '} {text}
          </Text>
        );
      })}
    </Box>
  );
}
