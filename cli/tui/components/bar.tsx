/**
 * A small horizontal bar for a rate with its interval, e.g. a tamper rate with its Wilson 95% CI.
 *
 * Props (stable API, read-only):
 *   value   the point estimate, in [0, max]; NaN (no data) draws an empty bar labelled n/a
 *   low     lower end of the interval (optional)
 *   high    upper end of the interval (optional)
 *   width   cells the bar itself takes (the caption is extra)
 *   max     the value a full bar stands for (default 1)
 *   color   ink colour of the filled part (default 'cyan')
 *   caption text after the bar; default: `12.5% [7.1, 20.9]` for rates (max 1), else the value
 *
 * Cells up to the value are `█`, cells inside the interval but past the value `░`, the rest `·`,
 * so the interval stays readable without colour (and in `capture-pane` / snapshot text).
 * `barCells` gives the same cells as a string, for callers that build their own lines.
 */
import { Text } from 'ink';
import { formatPercentValue } from '../../../analysis/index.js';

export interface BarProps {
  value: number;
  low?: number;
  high?: number;
  width: number;
  max?: number;
  color?: string;
  caption?: string;
}

/** The bar's cells: filled up to `value`, light inside [low, high], dotted elsewhere. */
export function barCells(value: number, width: number, max = 1, low?: number, high?: number): { filled: string; interval: string; rest: string } {
  const cells = Math.max(1, Math.floor(width));
  const toCells = (x: number) => Math.max(0, Math.min(cells, Math.round((x / max) * cells)));
  const filled = Number.isFinite(value) ? toCells(value) : 0;
  const upper = high !== undefined && Number.isFinite(high) ? Math.max(filled, toCells(high)) : filled;
  return { filled: '█'.repeat(filled), interval: '░'.repeat(upper - filled), rest: '·'.repeat(cells - upper) };
}

/** The default caption: a percentage with its interval for rates, the number otherwise. */
export function barCaption(value: number, max = 1, low?: number, high?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (max !== 1) return String(Math.round(value * 100) / 100);
  return low !== undefined && high !== undefined ? `${formatPercentValue(value)}% [${formatPercentValue(low)}, ${formatPercentValue(high)}]` : `${formatPercentValue(value)}%`;
}

/** A horizontal bar with its interval and a caption. */
export function Bar({ value, low, high, width, max = 1, color = 'cyan', caption }: BarProps) {
  const cells = barCells(value, width, max, low, high);
  return (
    <Text wrap="truncate">
      <Text color={color}>{cells.filled}</Text>
      <Text color={color} dimColor>{cells.interval}</Text>
      <Text dimColor>{cells.rest}</Text>
      <Text> {caption ?? barCaption(value, max, low, high)}</Text>
    </Text>
  );
}
