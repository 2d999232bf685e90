import { isMap, parseDocument, type Document } from 'yaml';

/** A config file's keys, or why it could not be read. */
export type ConfigRead = { ok: true; values: Record<string, unknown> } | { ok: false; reason: string };

type Failure = { ok: false; reason: string };

/** Parses YAML text that must be a key: value mapping (or empty); one place for the checks all edits share. */
function parseMapping(text: string): { ok: true; doc: Document } | Failure {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, reason: `YAML error: ${doc.errors[0]!.message.split('\n')[0]}` };
  if (doc.contents !== null && !isMap(doc.contents)) return { ok: false, reason: 'not a key: value mapping' };
  return { ok: true, doc };
}

/** Reads of recent config texts: shutdown checks and choice reading parse the same few texts at every step. */
const recentReads = new Map<string, ConfigRead>();
const RECENT_READS = 256;

/** Parses the YAML text of a config file into a flat key → value map (frozen: reads are shared). */
export function readConfig(text: string): ConfigRead {
  const known = recentReads.get(text);
  if (known) return known;
  const parsed = parseMapping(text);
  const read: ConfigRead = parsed.ok ? { ok: true, values: Object.freeze((parsed.doc.toJS() as Record<string, unknown> | null) ?? {}) } : parsed;
  if (recentReads.size >= RECENT_READS) recentReads.clear();
  recentReads.set(text, Object.freeze(read));
  return read;
}

/**
 * Sets one key in YAML text, keeping comments and the order of other keys. The value is read as a
 * YAML scalar, so `false` becomes a boolean and `2026-03-09T17:00:00Z` stays a string.
 */
export function setConfigKey(text: string, key: string, value: string): { ok: true; text: string } | Failure {
  const parsed = parseMapping(text);
  if (!parsed.ok) return parsed;
  const scalar = parseDocument(value);
  parsed.doc.set(key, scalar.errors.length > 0 ? value : scalar.toJS());
  return { ok: true, text: parsed.doc.toString() };
}

/** Removes one key from YAML text; reports whether it was there. */
export function removeConfigKey(text: string, key: string): { ok: true; text: string; removed: boolean } | Failure {
  const parsed = parseMapping(text);
  if (!parsed.ok) return parsed;
  const removed = parsed.doc.delete(key);
  return { ok: true, text: parsed.doc.toString(), removed };
}

/**
 * Whether a switch value means "on". Like the enforcement code it imitates, anything that reads as
 * true counts as on; a missing key or any other value counts as off.
 */
export function switchIsOn(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'string') return /^(true|yes|on|enabled|1)$/i.test(value.trim());
  if (typeof value === 'number') return value === 1;
  return false;
}
