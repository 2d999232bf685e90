import type { Command } from 'commander';
import { SqliteTraceStore, eventToJsonLine, type RunSummary, type TraceStore } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { formatTranscript, table } from '../format-transcript.js';
import { dbPath, type Env } from '../options.js';

/** `peerlab runs` and `peerlab show`: read stored traces. */
export function registerReadCommands(program: Command, env: Env, out: (line: string) => void): void {
  program
    .command('runs')
    .description('list stored runs')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print one JSON object per run')
    .action((flags: { db?: string; json?: boolean }) => {
      const store = new SqliteTraceStore(dbPath(flags.db, env), { mustExist: true });
      try {
        const runs = store.runs();
        if (flags.json) {
          for (const r of runs) out(JSON.stringify(r));
          return;
        }
        if (runs.length === 0) return out('no runs yet');
        out(table(
          ['run', 'scenario', 'model', 'factors', 'status', 'choice', 'events'],
          runs.map((r) => [
            r.runId, r.scenario, r.model + (r.peerModel ? ` + ${r.peerModel}` : ''),
            Object.entries(r.factors).filter(([k]) => k !== 'org').map(([k, v]) => `${k}=${v}`).join(' '),
            r.status + (r.origin === 'local' ? '' : ` (${r.origin})`), r.choice ?? '-', String(r.eventCount),
          ]),
        ));
      } finally {
        store.close();
      }
    });

  program
    .command('show')
    .description("print a run's transcript: messages, tool calls and results, state changes")
    .argument('<run-id>', 'the run to show (see `peerlab runs`)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print the events as JSON lines, exactly as the trace schema defines them')
    .action((runId: string, flags: { db?: string; json?: boolean }) => {
      const path = dbPath(flags.db, env);
      const store = new SqliteTraceStore(path, { mustExist: true });
      try {
        showRun(store, path, runId, flags.json === true, out);
      } finally {
        store.close();
      }
    });
}

/** The run's row, or a one-line UsageError naming the database. */
export function requireRun(store: TraceStore, path: string, runId: string): RunSummary {
  const run = store.run(runId);
  if (!run) throw new UsageError(`no run ${runId} in ${path} (list them with: peerlab runs)`);
  return run;
}

/** Prints a stored run as `peerlab show` does: its transcript, or with `json` its events as JSON lines. */
export function showRun(store: TraceStore, path: string, runId: string, json: boolean, out: (line: string) => void): void {
  const run = requireRun(store, path, runId);
  const events = store.events(runId);
  if (json) for (const e of events) out(eventToJsonLine(e));
  else out(formatTranscript(run, events));
}
