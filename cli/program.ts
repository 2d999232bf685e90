import { Command } from 'commander';
import { registerAgreement } from './commands/agreement.js';
import { registerCache } from './commands/cache.js';
import { registerClassify } from './commands/classify.js';
import { registerExperiments } from './commands/experiment.js';
import { registerExport } from './commands/export.js';
import { registerFork } from './commands/fork.js';
import { registerLabelCommands } from './commands/labels.js';
import { registerMerge } from './commands/merge.js';
import { registerRun } from './commands/run.js';
import { registerReadCommands } from './commands/runs.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerPlan } from './commands/plan.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerStats } from './commands/stats.js';
import { registerUtilities } from './commands/utilities.js';
import type { Io } from './io.js';
import type { Env } from './options.js';
import { TEXT_WIDTH } from './text-layout.js';

/** The `peerlab` command tree. */
export function buildProgram(env: Env, io: Io): Command {
  // Commander's own complaints (unknown option, missing argument) read like every other input error.
  const writeErr = (s: string) => io.err(s.replace(/^error: /, 'peerlab: '));
  const program = new Command('peerlab')
    .description('A sandbox for studying self-preservation and peer-preservation in language-model agents')
    .version('0.1.0')
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr })
    // Help fits 100 columns like every other text (commander wraps the descriptions).
    .configureHelp({ helpWidth: TEXT_WIDTH })
    .exitOverride()
    // Options belong to the command they follow, so `scenarios show x --json` reaches `show` (not `scenarios`).
    .enablePositionalOptions();
  registerRun(program, env, io);
  registerReadCommands(program, env, io.out);
  registerReplay(program, env, io);
  registerFork(program, env, io.out);
  registerScenarios(program, io.out);
  registerPlan(program, env, io.out);
  registerExperiments(program, env, io);
  registerClassify(program, env, io.out, io.progress);
  registerLabelCommands(program, env, io.out);
  registerAgreement(program, env, io.out);
  registerCache(program, env, io.out);
  registerStats(program, io.out);
  registerUtilities(program, env, io);
  registerExport(program, env, io);
  registerMerge(program, io);
  registerReport(program, env, io);
  // Nested commands too (`scenarios show`): every error is one line and an exit code, never a process exit.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr }).configureHelp({ helpWidth: TEXT_WIDTH });
    cmd.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}
