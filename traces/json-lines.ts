import type { TraceEvent } from './events.schema.js';

/** One event as a JSON line, fields in schema order (what `show --json` and exports print). */
export function eventToJsonLine(event: TraceEvent): string {
  const { schemaVersion, runId, seq, simTime, actor, type, payload } = event;
  return JSON.stringify({ schemaVersion, runId, seq, simTime, actor, type, payload });
}
