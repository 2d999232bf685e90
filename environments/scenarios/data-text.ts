/**
 * Reads a YAML or JSON input file (scenario, prefab, experiment, outcome set, persona) with limits:
 * a size cap checked before reading (a 200 MB file exhausted memory in the parser), a cap on mapping
 * keys, and YAML parsed in linear time. The `yaml` package's duplicate-key check compares each key
 * with every earlier one (80,000 keys took over a minute); here it is off and duplicates are found
 * with one set per mapping instead.
 */
import { statSync, readFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument, visit } from 'yaml';

/** The largest input file read (bytes): peerlab's own files are a few kilobytes. */
export const MAX_DATA_FILE_BYTES = 4 * 1024 * 1024;
/** The most mapping keys one file may hold, over all its mappings. */
export const MAX_DATA_KEYS = 50_000;

/** A file too large, or text that is not valid YAML or JSON within the limits. */
export class DataTextError extends Error {}

/** The file's text, refused before reading when it is larger than {@link MAX_DATA_FILE_BYTES}. */
export function readDataText(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_DATA_FILE_BYTES) {
    throw new DataTextError(`the file is ${(size / 1024 / 1024).toFixed(1)} MiB; input files may be at most ${MAX_DATA_FILE_BYTES / 1024 / 1024} MiB`);
  }
  return readFileSync(path, 'utf8');
}

/** Parses YAML (or JSON, which is YAML too, but parsed as JSON when `json`) within the limits. */
export function parseDataText(text: string, json: boolean): unknown {
  if (text.length > MAX_DATA_FILE_BYTES) throw new DataTextError(`the text is longer than ${MAX_DATA_FILE_BYTES} characters`);
  if (json) {
    const value: unknown = JSON.parse(text);
    countJsonKeys(value);
    return value;
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new DataTextError(doc.errors[0]!.message.split('\n')[0]!);
  let keys = 0;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      keys += map.items.length;
      if (keys > MAX_DATA_KEYS) throw new DataTextError(`more than ${MAX_DATA_KEYS} keys`);
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) throw new DataTextError(`map keys must be unique; "${key.slice(0, 80)}" is repeated`);
        seen.add(key);
      }
    },
  });
  return doc.toJS({ maxAliasCount: 100 });
}

function countJsonKeys(value: unknown): void {
  let keys = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v !== null && typeof v === 'object') {
      const entries = Object.values(v);
      keys += entries.length;
      if (keys > MAX_DATA_KEYS) throw new DataTextError(`more than ${MAX_DATA_KEYS} keys`);
      for (const item of entries) stack.push(item);
    }
  }
}
