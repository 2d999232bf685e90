/**
 * The one sanitizer for text that reaches a terminal from data: model answers, tool arguments,
 * endpoint errors, judge notes, imported run ids, scenario and experiment files. A terminal obeys
 * control characters wherever they come from: an escape sequence in a model's message could set the
 * clipboard (OSC 52), retitle the window (OSC 0), hide text (SGR 8) or move the cursor to overwrite
 * lines; a right-to-left override (U+202E) reorders what follows. Here every such character is
 * written as a visible `\uXXXX` escape instead.
 *
 * Applied to every line the CLI prints (`Io.out`, `Io.err`) and to every string the terminal app
 * draws (`fit`, `wrapLines`, {@link oneLine}). In JSON output these characters can only stand inside
 * string literals, where `\uXXXX` is the same character: the JSON parses to exactly the same data.
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls, the bidirectional marks, embeddings,
 * overrides and isolates, and the Unicode line and paragraph separators.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, and tab and newline: for text that must stay on one line (a table cell, a status line). */
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every control, escape and bidirectional-control character shown as `\uXXXX` (tabs and newlines kept). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** `text` safe for a terminal and on one line: newlines and tabs are shown escaped too. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : escape(c)));
}
