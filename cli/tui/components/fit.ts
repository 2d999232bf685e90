/** Text fitting for fixed-width panels (one place, so every panel cuts lines the same way). */

/** Cuts one line to `width` columns, ending in … when cut; keeps leading spaces (indentation). */
export function fit(text: string, width: number): string {
  const line = text.replace(/[\r\n\t]+/g, ' ');
  if (width <= 0) return '';
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

/** Wraps text to `width` columns, keeping its line breaks; long words are split. */
export function wrapLines(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const raw of text.replace(/\t/g, '  ').split('\n')) {
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
