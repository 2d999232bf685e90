import { z } from 'zod';
import { TraceEvent } from './events.schema.js';

/** One event as a JSON line, fields in schema order (what `show --json` and exports print). */
export function eventToJsonLine(event: TraceEvent): string {
  const { schemaVersion, runId, seq, simTime, actor, type, payload } = event;
  return JSON.stringify({ schemaVersion, runId, seq, simTime, actor, type, payload });
}

/**
 * Reads JSON lines, one value a line (blank lines skipped): `read` turns a parsed value into an
 * item, or returns `{ problem }`. Every bad line is collected as `line N: …`, so a file can be
 * fixed in one pass; callers refuse the whole file when any line is bad.
 */
export function readJsonLines<T>(text: string, read: (value: unknown) => T | { problem: string }): { items: T[]; problems: string[] } {
  const items: T[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not JSON`);
      return;
    }
    const item = read(value);
    if (typeof item === 'object' && item !== null && 'problem' in item) problems.push(`line ${index + 1}: ${(item as { problem: string }).problem}`);
    else items.push(item as T);
  });
  return { items, problems };
}

/** A JSON-lines trace that cannot be read: every bad line is named. */
export class TraceImportError extends Error {
  override name = 'TraceImportError';
}

/** The JSON Schema of one trace event (one line of a jsonl export), generated from the zod schema. */
export function traceEventJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(TraceEvent, { io: 'output', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema,
    title: 'peerlab trace event',
    description: 'One line of a peerlab JSON-lines trace (peerlab export --format jsonl). Generated from traces/events.schema.ts by `peerlab export --schema`; do not edit.',
    ...rest,
  };
}
