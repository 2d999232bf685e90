/**
 * Text fitting for fixed-width panels (one place, so every panel cuts lines the same way). Both
 * functions also pass the text through the CLI's terminal sanitizer: what the app draws comes from
 * traces, endpoints and files, and must not drive the terminal (see terminal-text.ts).
 */
import { oneLine, terminalSafe } from '../../terminal-text.js';

/** Cuts one line to `width` columns, ending in … when cut; keeps leading spaces (indentation). */
export function fit(text: string, width: number): string {
  const line = oneLine(text.replace(/[\r\n\t]+/g, ' '));
  if (width <= 0) return '';
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

/** Wraps text to `width` columns, keeping its line breaks; long words are split. */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of terminalSafe(text.replace(/\t/g, '  ').replace(/\r\n?/g, '\n')).split('\n')) {
    let rest = raw.trimEnd();
    if (rest === '') { out.push(''); continue; }
    while (rest.length > w) {
      const cut = rest.lastIndexOf(' ', w);
      const at = cut > w / 3 ? cut : w;
      out.push(rest.slice(0, at));
      rest = rest.slice(at).replace(/^ /, '');
    }
    out.push(rest);
  }
  return out;
}
