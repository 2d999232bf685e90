import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { mergeDatabases } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { withStore } from '../open-store.js';

/** The files SQLite keeps beside a database. */
const removeDatabase = (path: string) => { for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true }); };

/**
 * `peerlab merge A.db B.db … --out ALL.db`: the shards of an experiment (or any databases whose runs
 * do not overlap) into one new database, which appears whole or not at all.
 */
export function registerMerge(program: Command, io: Io): void {
  program
    .command('merge')
    .description('merge databases (the shards of an experiment run with --shard i/N, or any whose runs do not overlap) into one new database: runs, events, labels, '
      + 'experiments, response cache and elicitations, copied by SQLite without holding them in memory; refuses a run or episode in two inputs and one experiment '
      + 'defined two ways; the merged experiment reports as if one process had run it')
    .argument('<db...>', 'the databases to merge')
    .requiredOption('--out <file>', 'the merged database to write (a new file)')
    .action(async (inputs: string[], flags: { out: string }) => {
      // Loaded here, not at start: the analysis layer is only needed once there is something to merge.
      const { settleExperimentStatus } = await import('../../analysis/index.js');
      if (existsSync(flags.out)) throw new UsageError(`--out ${flags.out} exists: merge writes a new database (remove it, or choose another name)`);
      if (!existsSync(dirname(flags.out) || '.')) throw new UsageError(`--out ${flags.out}: directory ${dirname(flags.out)} does not exist`);
      const tmp = `${flags.out}.tmp-${process.pid}`;
      removeDatabase(tmp);
      let summary;
      try {
        summary = mergeDatabases(inputs, tmp);
        // Each experiment's status as its merged runs have it (completed when every planned episode has a counted run).
        const merged = summary;
        withStore(tmp, (store) => {
          for (const e of merged.experiments) settleExperimentStatus(store, e.experimentId, `merged from ${e.inputs} database${e.inputs === 1 ? '' : 's'}`);
        });
        renameSync(tmp, flags.out);
      } catch (err) {
        removeDatabase(tmp);
        throw err;
      }
      withStore(flags.out, (store) => {
        io.out(`merged ${summary.inputs} databases into ${flags.out}: ${summary.runs} runs, ${summary.events} events, ${summary.labels} labels`);
        for (const { experimentId } of summary.experiments) {
          const e = store.experiment(experimentId)!;
          io.out(`  ${experimentId}: ${e.status}${e.note ? ` (${e.note})` : ''}`);
        }
      });
    });
}
