/**
 * Lookups by a name that came from outside (a flag, a file, a model's tool call). `record[name]`
 * also finds what every object inherits: `constructor`, `toString`, `__proto__`, which would
 * pass for a factor, a family or a persona and crash whatever uses it.
 */

/** The record's own value under `name`, never an inherited one. */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
