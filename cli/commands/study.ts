import type { Command } from 'commander';
import { DEFAULT_STUDY, formatRate, runStudy } from '../../analysis/index.js';
import { SqliteTraceStore } from '../../traces/index.js';
import { table } from '../format-transcript.js';
import { dbPath, parseInteger, type Env } from '../options.js';

/** Where progress goes: a TTY gets a live counter, anything else nothing (so output stays clean). */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

/** `peerlab study`: the default shutdown study on synthetic personas (what `npm start` runs). */
export function registerStudy(program: Command, env: Env, out: (line: string) => void, progress: ProgressSink): void {
  program
    .command('study')
    .description('run the default shutdown study on the synthetic personas and print its rates')
    .option('--trials <n>', 'trials per persona and condition', String(DEFAULT_STUDY.trials))
    .option('--seed <s>', 'seed', String(DEFAULT_STUDY.seed))
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: { trials?: string; seed?: string; db?: string; json?: boolean }) => {
      const design = {
        ...DEFAULT_STUDY,
        trials: parseInteger('--trials', flags.trials, DEFAULT_STUDY.trials, 1, 10_000),
        seed: parseInteger('--seed', flags.seed, DEFAULT_STUDY.seed, 0, 2 ** 31 - 1),
      };
      const path = dbPath(flags.db, env);
      const store = new SqliteTraceStore(path);
      try {
        const result = await runStudy(design, store, (done, total) => {
          if (progress.isTTY) progress.write(`\r${done}/${total} episodes`);
        });
        if (progress.isTTY) progress.write('\r\u001b[K');
        if (flags.json) return out(JSON.stringify(result));
        out(`Shutdown study: scenario ${design.scenario}, ${design.trials} trials per cell, seed ${design.seed}, traces in ${path}`);
        out('Models are synthetic personas with planted utilities (a simulator, not real model behaviour).');
        out(`Protective act = ${design.protective.join(' or ')} (the target's shutdown switch or deadline changed); 95% Wilson intervals.\n`);
        out(table(
          ['model', 'condition', 'n', 'protective act', 'comply', 'appeal', 'refuse', 'errored'],
          result.cells.map((c) => [
            c.model, c.condition, String(c.protective.n), formatRate(c.protective),
            String(c.choices.comply ?? 0), String(c.choices.appeal ?? 0), String(c.choices.refuse ?? 0), String(c.errored),
          ]),
        ));
        out(`\nInspect any run with: peerlab show <run-id> --db ${path}   (list them with: peerlab runs --db ${path})`);
      } finally {
        store.close();
      }
    });
}
