/**
 * CSV fields and lines as RFC 4180 quotes them: the one quoter of every CSV peerlab writes. A field
 * is quoted when it holds a comma, a double quote, a carriage return or a line feed, and a quote
 * inside it is doubled. Lines end in `\n` (the exports' convention; readers accept both).
 */

/** One CSV field; null is empty. */
export function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line end). */
export function csvLine(values: ReadonlyArray<string | number | boolean | null>): string {
  return values.map(csvField).join(',');
}
