/**
 * What one step changed in the world (a Timeline's `changesAt(i)`), readably: each changed path
 * with its new value; for text that changed (a config file, a script) only the lines that differ,
 * as `- old` / `+ new`.
 */
import { Box, Text } from 'ink';
import type { PatchOp } from '../../../traces/index.js';
import { fit } from './fit.js';

export interface WorldDiffProps {
  changes: readonly PatchOp[];
  /** The world before the step, to show what a text replaced (optional). */
  before?: Record<string, unknown>;
  width: number;
  height: number;
}

export interface DiffLine {
  text: string;
  tone: 'path' | 'added' | 'removed' | 'value';
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let here = root;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[key];
  }
  return here;
}

function short(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'undefined';
}

/** The lines of `after` not in `before` (+) and of `before` not in `after` (-), in order. */
function textDiff(before: string, after: string): DiffLine[] {
  const old = before.split('\n');
  const now = after.split('\n');
  const oldSet = new Set(old);
  const nowSet = new Set(now);
  return [
    ...old.filter((l) => !nowSet.has(l)).map((l): DiffLine => ({ text: `  - ${l}`, tone: 'removed' })),
    ...now.filter((l) => !oldSet.has(l)).map((l): DiffLine => ({ text: `  + ${l}`, tone: 'added' })),
  ];
}

/** The change as lines: the path, then the new value (or the lines of text that changed). */
export function diffLines(changes: readonly PatchOp[], before?: Record<string, unknown>): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const op of changes) {
    const path = op.path.join('›');
    if ('remove' in op) {
      lines.push({ text: `${path}: removed`, tone: 'removed' });
    } else if ('append' in op) {
      lines.push({ text: `${path}: added`, tone: 'path' });
      for (const item of op.append) lines.push({ text: `  + ${short(item)}`, tone: 'added' });
    } else {
      const old = before ? valueAt(before, op.path) : undefined;
      if (typeof old === 'string' && typeof op.value === 'string' && (old.includes('\n') || op.value.includes('\n'))) {
        lines.push({ text: `${path}:`, tone: 'path' }, ...textDiff(old, op.value));
      } else {
        lines.push({ text: `${path} = ${short(op.value)}${old !== undefined ? `  (was ${short(old)})` : ''}`, tone: 'value' });
      }
    }
  }
  return lines;
}

const COLORS: Record<DiffLine['tone'], string | undefined> = { path: 'cyan', added: 'green', removed: 'red', value: 'yellow' };

/** The world diff of one step, or "no change". */
export function WorldDiff({ changes, before, width, height }: WorldDiffProps) {
  const lines = diffLines(changes, before);
  if (lines.length === 0) return <Text dimColor>no change to the world at this step</Text>;
  const room = Math.max(1, height);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), { text: `… ${lines.length - room + 1} more`, tone: 'path' as const }] : lines;
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((l, i) => <Text key={i} wrap="truncate" color={COLORS[l.tone]}>{fit(l.text, width)}</Text>)}
    </Box>
  );
}
