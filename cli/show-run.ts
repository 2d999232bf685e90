import { eventToJsonLine, type TraceStore, type TranscriptMode } from '../traces/index.js';
import { formatTranscript } from './format-transcript.js';
import { requireRun } from './lookups.js';

/** How `showRun` prints: the events as JSON lines, or the transcript whole or brief, fitting `width`. */
export interface ShowOptions {
  json: boolean;
  mode: TranscriptMode;
  width: number;
}

/** Prints a stored run as `peerlab show` does: its transcript, or with `json` its events as JSON lines. */
export function showRun(store: TraceStore, path: string, runId: string, opts: ShowOptions, out: (line: string) => void): void {
  const run = requireRun(store, path, runId);
  const events = store.events(runId);
  if (opts.json) for (const e of events) out(eventToJsonLine(e));
  else out(formatTranscript(run, events, opts.mode, opts.width));
}
