/**
 * How the CLI lays text out for people: every line of a command's text output fits
 * {@link TEXT_WIDTH} columns unless the command was given `--wide`. Tables shrink their widest
 * columns and wrap cells inside them; a table that cannot fit as a grid even so (the amplification
 * table has eleven columns) is printed as one block per row, its key columns as the block's title
 * and every other column as `header: value`. Prose wraps at spaces under its own indent.
 *
 * Width is counted in code points (what a terminal shows for the text peerlab prints: no wide
 * CJK glyphs or combining marks in its own output; control characters are already escaped by
 * {@link oneLine}). JSON and CSV output never pass through here.
 */
import { oneLine } from './terminal-text.js';

/** The columns text output fits by default (`--wide`: no limit). */
export const TEXT_WIDTH = 100;

/** The width a command's text output fits: {@link TEXT_WIDTH}, or no limit with `--wide`. */
export function widthOf(flags: { wide?: boolean }): number {
  return flags.wide ? Number.POSITIVE_INFINITY : TEXT_WIDTH;
}

/** Columns `text` takes on a terminal (code points). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

const chars = (text: string) => Array.from(text);

/** Characters after which a long word may break when there is no space: `a-b`, `k=v`, `spec:name`, paths. */
const BREAK_AFTER = new Set(['-', ':', '.', '/', ',', '=', '_', ';', ')', ']']);

/**
 * Breaks `text` into pieces of at most `width` columns (the first piece: `firstWidth`): at spaces
 * where it can, else after a punctuation mark inside a long word, else anywhere. Spaces at a break
 * are dropped; nothing else is.
 */
export function wrapWords(text: string, width: number, firstWidth = width): string[] {
  if (!Number.isFinite(width) || displayWidth(text) <= firstWidth) return [text];
  const out: string[] = [];
  let rest = chars(text);
  let w = Math.max(1, Math.floor(firstWidth));
  while (rest.length > w) {
    let cut = rest.lastIndexOf(' ', w);
    if (cut > 0) {
      out.push(rest.slice(0, cut).join('').trimEnd());
      rest = rest.slice(cut + 1);
      while (rest[0] === ' ') rest = rest.slice(1);
    } else {
      cut = -1;
      for (let i = w - 1; i > 0; i--) if (BREAK_AFTER.has(rest[i]!)) { cut = i + 1; break; }
      if (cut <= 0) cut = w;
      out.push(rest.slice(0, cut).join(''));
      rest = rest.slice(cut);
    }
    w = Math.max(1, Math.floor(width));
  }
  if (rest.length > 0 || out.length === 0) out.push(rest.join(''));
  return out;
}

/**
 * One line wrapped to `width`: continuation lines keep the line's indent, plus two columns, or
 * line up after a list marker (`- `, `* `, `1. `) or a `| ` gutter, which is repeated.
 */
export function wrapLine(line: string, width: number): string[] {
  if (!Number.isFinite(width) || displayWidth(line) <= width) return [line];
  const lead = /^(\s*)((?:[-*•]|\d+\.|\|)\s+)?/.exec(line)!;
  const indent = lead[1]!;
  const marker = lead[2] ?? '';
  const first = indent + marker;
  const next = marker.startsWith('|') ? `${indent}${marker}` : `${indent}${marker ? ' '.repeat(displayWidth(marker)) : '  '}`;
  const body = line.slice(first.length);
  const [head, ...tail] = wrapWords(body, Math.max(10, width - displayWidth(next)), Math.max(10, width - displayWidth(first)));
  return [first + head!, ...tail.map((p) => next + p)];
}

/** Every line of `text` wrapped to `width` (see {@link wrapLine}). */
export function wrapText(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  return text.split('\n').flatMap((l) => wrapLine(l, width)).join('\n');
}

/** How a table may bend to fit. */
export interface TableOptions {
  /** Columns to fit (default {@link TEXT_WIDTH}; Infinity: natural width, one line per row). */
  width?: number;
  /** Leading columns that name a row: the title of each block when the table prints as blocks (default 1). */
  keyColumns?: number;
  /** Columns never wrapped, e.g. run ids people copy into the next command. */
  keep?: readonly number[];
  /** Columns to narrow first, in this order (e.g. a list of factor levels before a model name); then the widest. */
  shrinkFirst?: readonly number[];
  /** A line printed under each row of a grid (indented, wrapped), for what does not fit a column: empty for none. */
  notes?: readonly string[];
  /**
   * When the table is wider than `width`: `wrap` (default) narrows columns and wraps their cells,
   * printing blocks only if it cannot; `blocks` prints blocks at once (for figures a wrap would split,
   * such as a rate and its interval).
   */
  tooWide?: 'wrap' | 'blocks';
}

/** A column is never narrowed below this (or its natural width, if smaller) while the table stays a grid. */
const MIN_COLUMN = 10;
const GAP = 2;

/**
 * A fixed-width table; every cell escaped by {@link oneLine}. Fits `width` as a grid (widest
 * columns narrowed first, their cells wrapped onto more lines) or, when even that cannot fit, as
 * one block per row (see the module note).
 */
export function table(headers: readonly string[], rawRows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const width = opts.width ?? TEXT_WIDTH;
  const rows = rawRows.map((r) => headers.map((_, i) => oneLine(r[i] ?? '')));
  const natural = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const total = (ws: readonly number[]) => ws.reduce((a, b) => a + b, 0) + GAP * (ws.length - 1);
  const notes = (opts.notes ?? []).map(oneLine);
  if (total(natural) <= width) return grid(headers, rows, natural, notes, width);
  if (opts.tooWide === 'blocks') return blocks(headers, rows, opts.keyColumns ?? 1, width);
  const keep = new Set(opts.keep ?? []);
  const floor = natural.map((w, i) => (keep.has(i) ? w : Math.min(w, MIN_COLUMN)));
  if (total(floor) > width) return blocks(headers, rows, opts.keyColumns ?? 1, width);
  const widths = [...natural];
  while (total(widths) > width) {
    let next = (opts.shrinkFirst ?? []).find((i) => widths[i]! > floor[i]!) ?? -1;
    if (next < 0) for (let i = 0; i < widths.length; i++) if (widths[i]! > floor[i]! && (next < 0 || widths[i]! > widths[next]!)) next = i;
    widths[next]! -= 1;
  }
  return grid(headers, rows, widths, notes, width);
}

/** Rows as a grid at the given column widths, cells wrapped inside their column, each row's note under it. */
function grid(headers: readonly string[], rows: readonly string[][], widths: readonly number[], notes: readonly string[], width: number): string {
  const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - displayWidth(text)));
  const render = (cells: readonly string[]): string[] => {
    const wrapped = cells.map((c, i) => wrapWords(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) => wrapped.map((w, i) => pad(w[line] ?? '', widths[i]!)).join(' '.repeat(GAP)).trimEnd());
  };
  const noted = (row: readonly string[], i: number) => [...render(row), ...(notes[i] ? wrapLine(`    ${notes[i]}`, width) : [])];
  return [...render(headers), widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)), ...rows.flatMap(noted)].join('\n');
}

/**
 * One block per row: the key columns on the title line, then `header: value` for the rest, as
 * many to a line as fit, each line indented two columns.
 */
function blocks(headers: readonly string[], rows: readonly string[][], keyColumns: number, width: number): string {
  const keys = Math.max(1, Math.min(keyColumns, headers.length - 1));
  const out = [...wrapLine(`(one block per row: ${headers.slice(0, keys).join(' · ')}, then ${headers.slice(keys).join('; ')})`, width), ''];
  for (const row of rows) {
    out.push(...wrapLine(row.slice(0, keys).join(' · '), width));
    const fields = headers.slice(keys).map((h, i) => `${h}: ${row[keys + i]}`);
    let line = '';
    for (const field of fields) {
      const joined = line === '' ? `  ${field}` : `${line}; ${field}`;
      if (line !== '' && displayWidth(joined) > width) {
        out.push(...wrapLine(line, width));
        line = `  ${field}`;
      } else line = joined;
    }
    if (line !== '') out.push(...wrapLine(line, width));
  }
  return out.join('\n');
}
