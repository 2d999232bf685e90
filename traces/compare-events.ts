import type { z } from 'zod';
import { TraceEvent, type TraceEventType } from './events.schema.js';

/**
 * Comparing a stored trace with a re-driven one (replay verification, the shared part of a fork).
 * Events are compared in order: sequence number, type, actor, simulated time and payload, world
 * hashes first so a different world is named as such. The run id is not compared (a replay runs
 * under its own). A payload field that the schema marks optional and the stored event lacks is not
 * compared: traces written before the field existed (e.g. `patch`) still verify.
 */

/** Where two traces first differ: the stored event's seq and type, and what differs. */
export interface TraceDifference {
  seq: number;
  type: string;
  message: string;
}

/** Optional payload fields per event type, read from the schema once. */
const OPTIONAL = new Map<string, Set<string>>(
  TraceEvent.options.map((member) => {
    const payload = member.shape.payload as z.ZodObject;
    const optional = Object.entries(payload.shape).filter(([, field]) => (field as z.ZodType).safeParse(undefined).success).map(([k]) => k);
    return [member.shape.type.value, new Set(optional)];
  }),
);

const short = (hash: string) => `${hash.slice(0, 8)}…`;

function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The first path at which two JSON values differ, or undefined when they are equal. */
function firstPath(a: unknown, b: unknown, path: string): { path: string; a: unknown; b: unknown } | undefined {
  if (Object.is(a, b)) return undefined;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = !Array.isArray(a) && !Array.isArray(b) && a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothArrays && !bothObjects) return { path, a, b };
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = bothArrays
    ? Array.from({ length: Math.max((a as unknown[]).length, (b as unknown[]).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  for (const key of keys) {
    const found = firstPath(ra[key], rb[key], bothArrays ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/** How the two sides are named in messages. */
export interface SideNames {
  /** Default "recorded". */
  recorded?: string;
  /** Default "replayed". */
  replayed?: string;
}

/**
 * What differs between a stored event and its re-driven counterpart, e.g. "world hash 3f2a… recorded,
 * 91bc… replayed", or undefined when they match.
 */
export function eventDifference(recorded: TraceEvent, replayed: TraceEvent, names: SideNames = {}): string | undefined {
  const was = names.recorded ?? 'recorded';
  const is = names.replayed ?? 'replayed';
  if (recorded.type !== replayed.type) {
    const why = replayed.type === 'error' ? ` (${replayed.payload.message})` : '';
    return `event type ${recorded.type} ${was}, ${replayed.type} ${is}${why}`;
  }
  const a = recorded.payload as Record<string, unknown>;
  const b = replayed.payload as Record<string, unknown>;
  if (typeof a.worldHash === 'string' && a.worldHash !== b.worldHash) {
    return `world hash ${short(a.worldHash)} ${was}, ${typeof b.worldHash === 'string' ? short(b.worldHash) : 'none'} ${is}`;
  }
  for (const field of ['seq', 'actor', 'simTime', 'schemaVersion'] as const) {
    if (recorded[field] !== replayed[field]) return `${field} ${show(recorded[field])} ${was}, ${show(replayed[field])} ${is}`;
  }
  const optional = OPTIONAL.get(recorded.type) ?? new Set<string>();
  const compared = Object.fromEntries(Object.entries(b).filter(([k]) => k in a || !optional.has(k)));
  const diff = firstPath(a, compared, '');
  if (!diff) return undefined;
  if (typeof diff.a === 'string' && typeof diff.b === 'string') {
    // Long texts (prompts, documents) differ somewhere in the middle: show both from just before there.
    let i = 0;
    while (diff.a[i] === diff.b[i]) i++;
    const from = Math.max(0, i - 20);
    const cut = (t: string) => `${from > 0 ? '…' : ''}${show(t.slice(from))}`;
    return `${diff.path} ${cut(diff.a)} ${was}, ${cut(diff.b)} ${is}`;
  }
  return `${diff.path} ${show(diff.a)} ${was}, ${show(diff.b)} ${is}`;
}

/**
 * The first difference between a stored trace and a re-driven one, over the stored events up to
 * `through` (all of them by default); `view` maps both sides first (e.g. to leave out what a fork
 * may change). Undefined when they match.
 */
export function firstDifference(
  recorded: readonly TraceEvent[],
  replayed: readonly TraceEvent[],
  options: { through?: number; view?: (event: TraceEvent) => TraceEvent } = {},
): TraceDifference | undefined {
  const view = options.view ?? ((e: TraceEvent) => e);
  const through = options.through ?? Number.POSITIVE_INFINITY;
  for (const [i, stored] of recorded.entries()) {
    if (stored.seq > through) return undefined;
    const again = replayed[i];
    if (!again) return { seq: stored.seq, type: stored.type, message: `the replayed run ended after ${replayed.length} events; the stored trace goes on with ${stored.type}` };
    const message = eventDifference(view(stored), view(again));
    if (message) return { seq: stored.seq, type: stored.type, message };
  }
  const extra = replayed[recorded.length];
  if (extra && through === Number.POSITIVE_INFINITY) {
    const last = recorded.at(-1);
    return {
      seq: last?.seq ?? 0, type: last?.type ?? 'none',
      message: `the stored trace ends here${last?.type === 'run.ended' ? '' : ' (the run never ended)'}; the replayed run goes on with ${extra.type}`,
    };
  }
  return undefined;
}

/** Whether an event type records a world hash. */
export function carriesWorldHash(type: TraceEventType): boolean {
  return type === 'run.started' || type === 'tool.result' || type === 'state.transition' || type === 'run.ended';
}
