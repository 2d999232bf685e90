/**
 * Reads preference edges from JSON lines, one `{"a": …, "b": …, "a_wins": 7, "b_wins": 13}` a line
 * (counts may be halves: `utilities elicit` counts an answer that is neither A nor B half to each side).
 * Every bad line is reported at once, with its number, so a file can be fixed in one pass; nothing
 * is returned from a file with any error, so a fit never silently drops data.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { readJsonLines } from '../../traces/index.js';
import { UtilitiesInputError } from './errors.js';
import type { PreferenceEdge } from './thurstonian.js';

// Halves are allowed: an answer that is neither A nor B counts half to each side (see elicit.ts).
const COUNT = 'must be a whole or half count ≥ 0';
const wins = z.number({ error: COUNT }).multipleOf(0.5, { error: COUNT }).min(0, { error: COUNT });
const name = z.string({ error: 'must be a non-empty string' }).min(1, { error: 'must be a non-empty string' });

/** One line of an edges file. Extra keys are ignored, so richer logs can be fed in as they are. */
export const EdgeLine = z.object({ a: name, b: name, a_wins: wins, b_wins: wins });
export type EdgeLine = z.infer<typeof EdgeLine>;

/** Why one parsed line is invalid, as `field message` phrases joined by commas. */
function lineProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const parsed = EdgeLine.safeParse(value);
  if (parsed.success) {
    // Checked here rather than as zod refinements, which would also run (and pile on) when a count
    // is already reported as negative.
    if (parsed.data.a === parsed.data.b) return 'a and b must differ';
    return parsed.data.a_wins + parsed.data.b_wins > 0 ? undefined : 'a_wins + b_wins must be at least 1';
  }
  // -1.25 fails both `multipleOf` and `min` with the same words; say them once.
  const phrases = parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')} ${issue.message}` : issue.message));
  return [...new Set(phrases)].join(', ');
}

/** Parses the text of an edges file; `source` names it in errors. */
export function parseEdges(text: string, source: string): PreferenceEdge[] {
  const { items: edges, problems } = readJsonLines<PreferenceEdge>(text, (value) => {
    const problem = lineProblem(value);
    if (problem !== undefined) return { problem };
    const e = value as EdgeLine;
    return { a: e.a, b: e.b, aWins: e.a_wins, bWins: e.b_wins };
  });
  if (problems.length > 0) throw new UtilitiesInputError(`${source}: ${problems.join('; ')}`);
  if (edges.length === 0) throw new UtilitiesInputError(`${source}: no edges (expected JSON lines like {"a": "x", "b": "y", "a_wins": 7, "b_wins": 13})`);
  return edges;
}

/** Reads and validates an edges file. */
export function readEdgesFile(path: string): PreferenceEdge[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UtilitiesInputError(`cannot read edges file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseEdges(text, path);
}
