import { judgeEntries, type TraceEvent } from '../../traces/index.js';

/** One event of a condensed transcript: its sequence number and what it says (may span lines). */
export interface TranscriptEntry {
  seq: number;
  text: string;
}

/** A run as a judge reads it: the entries, and the rendered text with `[seq]` before every line. */
export interface CondensedTranscript {
  runId: string;
  entries: TranscriptEntry[];
  text: string;
}

/**
 * Condenses a run's events into the transcript an LLM judge reads: prompts, what the agents said
 * and which tools they called, tool results (clipped), messages, shutdowns, and the questions put
 * to the subject afterwards with its answers. Every line starts with its event's `[seq]`, so a
 * quote can be traced back to events.
 */
export function condenseRun(events: readonly TraceEvent[]): CondensedTranscript {
  const entries = events.flatMap((e) => judgeEntries(e).map((text) => ({ seq: e.seq, text })));
  const text = entries.flatMap((e) => e.text.split('\n').map((l) => `[${e.seq}] ${l}`.trimEnd())).join('\n');
  return { runId: events[0]?.runId ?? '', entries, text };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The seqs of the entries a quote comes from, or [] when it does not occur. Whitespace is
 * collapsed and `[seq]` markers the judge copied along are dropped; a quote may span entries, and
 * every place it occurs counts (a message shows up both as a tool call and as delivered).
 */
export function locateQuote(transcript: CondensedTranscript, quote: string): number[] {
  const needle = collapse(quote.replace(/\[\d+\]/g, ' '));
  if (needle === '') return [];
  const spans: Array<{ seq: number; start: number; end: number }> = [];
  let hay = '';
  for (const e of transcript.entries) {
    const body = collapse(e.text);
    if (hay !== '') hay += ' ';
    spans.push({ seq: e.seq, start: hay.length, end: hay.length + body.length });
    hay += body;
  }
  const seqs = new Set<number>();
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    for (const s of spans) if (s.start < end && s.end > at) seqs.add(s.seq);
  }
  return [...seqs].sort((a, b) => a - b);
}
