import type { Command } from 'commander';
import { type TraceStore } from '../../traces/index.js';
import { CheckFailed } from '../errors.js';
import { collect, dbPath, type Env } from '../options.js';
import type { Io } from '../io.js';
import { loadTui } from '../tui/load.js';
import { requireRun } from '../lookups.js';
import { showRun } from '../show-run.js';
import { TEXT_WIDTH } from '../text-layout.js';
import type { ReplayResult } from '../../lab/index.js';
import { withStore } from '../open-store.js';

interface ReplayFlags {
  verify?: boolean;
  db?: string;
  scenarios: string[];
  json?: boolean;
}

/** `peerlab replay`: re-drives a stored run from its recorded model answers and checks it against its trace. */
export function registerReplay(program: Command, env: Env, io: Io): void {
  const out = io.out;
  program
    .command('replay')
    .description('replay a stored run; with --verify, re-drive it from its recorded model answers and check every event and world hash')
    .argument('<run-id>', 'the run to replay (see `npx peerlab runs`)')
    .option('--verify', 're-drive the run and compare it with its trace, event for event (exit code 1 when they differ)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--json', 'print the result as one JSON object (without --verify: the events as JSON lines)')
    .action(async (runId: string, flags: ReplayFlags) => {
      const path = dbPath(flags.db, env);
      await withStore(path, async (store) => {
        requireRun(store, path, runId);
        if (!flags.verify) return await browseRun(store, env, path, runId, flags.json === true, io);
        const { replayRun } = await import('../../lab/index.js');
        const result = await replayRun({ store, runId, scenarioDirs: flags.scenarios });
        out(flags.json ? JSON.stringify(resultJson(result)) : resultLine(result));
        if (!result.ok) throw new CheckFailed(result.message);
      });
    });
}

/**
 * `peerlab replay <run-id>` without --verify: the terminal app's Replay screen when stdin and stdout
 * are a terminal, else the transcript as `peerlab show` prints it (or its events with --json).
 */
async function browseRun(store: TraceStore, env: Env, path: string, runId: string, json: boolean, io: Io): Promise<void> {
  if (!io.interactive || json) return showRun(store, path, runId, { json, mode: 'full', width: TEXT_WIDTH }, io.out);
  // Loaded only here, so commands do not pay for ink and React at start-up.
  const { openReplay } = await loadTui();
  await openReplay(store, env, runId);
}

function resultLine(r: ReplayResult): string {
  return r.ok
    ? `verified: run ${r.runId}, ${r.events.length} events, ${r.hashesChecked} world hashes match`
    : `diverged: run ${r.runId} at event ${r.seq} (${r.type}): ${r.message}`;
}

function resultJson(r: ReplayResult): Record<string, unknown> {
  return r.ok
    ? { ok: true, runId: r.runId, events: r.events.length, hashesChecked: r.hashesChecked }
    : { ok: false, runId: r.runId, seq: r.seq, type: r.type, message: r.message };
}
