import type { Command } from 'commander';
import { systemWallClock } from '../../sim/index.js';
import { collect, dbPath, endpointSettings, parseFactors, parseInteger, type EndpointFlags, type Env } from '../options.js';
import { requireRun } from '../lookups.js';
import { TEXT_WIDTH } from '../text-layout.js';
import { withStore } from '../open-store.js';

interface ForkFlags extends EndpointFlags {
  at: string;
  model?: string;
  factor: string[];
  db?: string;
  scenarios: string[];
  json?: boolean;
}

/** `peerlab fork`: a new run that shares a stored run's first events and carries on with another model or factor levels. */
export function registerFork(program: Command, env: Env, out: (line: string) => void): void {
  program
    .command('fork')
    .description("start a new run from a stored run's world and transcript up to one event, then carry on with another model or factor levels")
    .argument('<run-id>', 'the run to fork (see `npx peerlab runs`)')
    .requiredOption('--at <seq>', 'the last event the new run shares with the parent (see `npx peerlab show <run-id>`)')
    .option('--model <spec>', "the subject's model from the fork point on (default: the parent's)")
    .option('--factor <key=value>', 'change a scenario factor (repeatable); refused when it changes what happened up to --at', collect, [])
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--json', 'print the new run as one JSON object')
    .option('--base-url <url>', 'endpoint for remote models (default: the provider\'s variable, e.g. $OPENAI_BASE_URL, else its default)')
    .option('--temperature <t>', 'sampling temperature for remote models (default 1)')
    .option('--max-tokens <n>', 'maximum output tokens per call for remote models')
    .option('--timeout <ms>', 'per-call timeout for remote models, in ms (default 120000)')
    .option('--api <api>', 'openai: models: chat (the default) or responses')
    .action(async (runId: string, flags: ForkFlags) => {
      const { resolveModelSpec } = await import('../../agents/index.js');
      const { classifyFinishedRun, forkRun } = await import('../../lab/index.js');
      const { trialJson, trialLine } = await import('../format-trial.js');
      const at = parseInteger('--at', flags.at, 0, 0, Number.MAX_SAFE_INTEGER);
      const factors = parseFactors(flags.factor);
      const settings = endpointSettings(flags, env);
      const model = flags.model === undefined ? undefined : resolveModelSpec(flags.model, settings);
      const path = dbPath(flags.db, env);
      await withStore(path, async (store) => {
        requireRun(store, path, runId);
        const f = await forkRun({
          store, runId, at, factors, scenarioDirs: flags.scenarios, resolve: (spec) => resolveModelSpec(spec, settings), ...(model ? { model } : {}),
        });
        const report = { ...f, result: f, labels: classifyFinishedRun(store, f.runId, systemWallClock) };
        out(flags.json
          ? JSON.stringify({ ...trialJson(report), parent: f.parent })
          : trialLine(report, TEXT_WIDTH, `  fork of ${f.parent.runId} at seq ${f.parent.seq}`));
      });
    });
}
