/**
 * Reads a YAML or JSON input file (experiment, outcome set) against its zod schema. Every failure
 * is one line naming the file and, for a schema error, the place in it, raised as the caller's
 * error class so the CLI reports it as bad input.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { z } from 'zod';
import { parseDataText, pathText, readDataText } from '../environments/index.js';

export function readDataFile<S extends z.ZodType>(path: string, schema: S, what: string, fail: (message: string) => Error): z.infer<S> {
  if (!existsSync(path)) throw fail(`no ${what} at ${path}`);
  const json = extname(path) === '.json';
  let raw: unknown;
  try {
    raw = parseDataText(readDataText(path), json);
  } catch (err) {
    throw fail(`${path}: cannot read as ${json ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`${path}: at ${pathText(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}
