import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import type { Prices } from '../../analysis/index.js';
import { traceEventJsonSchema, type ExperimentRecord, type TraceStore } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { collect, dbPath, type Env } from '../options.js';
import type { Io } from '../io.js';
import { writeLinesOut, writeOut } from '../write-out.js';
import { findExperiment } from '../lookups.js';
import { TEXT_WIDTH, wrapText } from '../text-layout.js';
import { withStore } from '../open-store.js';

const FORMATS = ['jsonl', 'csv', 'inspect'] as const;

/** The runs whose subject is `model`; none is a mistake worth naming the models there are. */
function ofModel(store: TraceStore, runIds: readonly string[], model: string): string[] {
  const kept = runIds.filter((id) => store.run(id)!.model === model);
  if (kept.length > 0 || runIds.length === 0) return kept;
  const models = [...new Set(runIds.map((id) => store.run(id)!.model))];
  throw new UsageError(`none of these runs has model ${model} (they have ${models.join(', ')})`);
}

/** `peerlab export` and `peerlab import`. */
export function registerExport(program: Command, env: Env, io: Io): void {
  program
    .command('export')
    .description('write stored runs as JSON lines (exactly the trace schema), CSV (one row per episode) or an Inspect AI eval log (one sample per episode); --schema writes the trace event JSON Schema')
    .option('--run <id>', 'a run to export (repeatable)', collect, [])
    .option('--experiment <id>', 'the runs an experiment counts (the latest finished run of each planned episode, what its tables read)')
    .option('--all-runs', 'with --experiment: every run of its planned episodes, each marked counted or not and why (csv and inspect)')
    .option('--model <spec>', 'only the runs whose subject is this model (an Inspect log holds one model)')
    .option('--format <fmt>', 'jsonl, csv or inspect')
    .option('--out <path>', 'file to write (- for stdout); for inspect also a directory (existing, or a path without an extension; default $INSPECT_LOG_DIR or ./logs), where the file gets a name inspect view lists')
    .option('--schema', 'write the JSON Schema of one trace event instead (to --out, default stdout)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .action(async (flags: { run: string[]; experiment?: string; allRuns?: boolean; model?: string; format?: string; out?: string; schema?: boolean; db?: string }) => {
      if (flags.schema) return writeOut(flags.out ?? '-', `${JSON.stringify(traceEventJsonSchema(), null, 2)}\n`, io);
      if (!flags.format || !(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}${flags.format ? ` (got "${flags.format}")` : ''}`);
      }
      if (!flags.out && flags.format !== 'inspect') throw new UsageError('--out is required (a file path, or - for stdout)');
      if ((flags.run.length > 0) === (flags.experiment !== undefined)) throw new UsageError('give either --run ID (repeatable) or --experiment ID');
      if (flags.allRuns && flags.experiment === undefined) throw new UsageError('--all-runs goes with --experiment ID (it adds the runs the experiment does not count)');
      if (flags.allRuns && flags.format === 'jsonl') {
        throw new UsageError('--all-runs needs --format csv or inspect, which mark each run counted or not; JSON lines are traces only (export other runs with --run ID)');
      }
      const { ExperimentFile, allRunStandings, episodesCsvLines, experimentTraceLines, pricesOf, runTraceLines } = await import('../../analysis/index.js');
      await withStore(dbPath(flags.db, env), async (store) => {
        let runIds = flags.run;
        let prices: Prices = {};
        let experiment: ExperimentRecord | undefined;
        // For an experiment: why each run it does not count is left out (or, with --all-runs, marked).
        let notCounted: Map<string, string> | undefined;
        if (flags.experiment !== undefined) {
          experiment = findExperiment(store, flags.experiment);
          const standings = allRunStandings(store, experiment.experimentId).filter((s) => flags.allRuns || s.counted);
          runIds = standings.map((s) => s.run.runId);
          notCounted = new Map(standings.flatMap((s) => (s.counted ? [] : [[s.run.runId, s.notCountedBecause!] as const])));
          const design = ExperimentFile.safeParse(experiment.design);
          if (design.success) prices = pricesOf(design.data);
        }
        for (const id of runIds) if (!store.run(id)) throw new UsageError(`no run ${id} in ${store.path} (see npx peerlab runs)`);
        if (flags.model !== undefined) runIds = ofModel(store, runIds, flags.model);
        if (flags.format === 'inspect') {
          const { writeInspectLog } = await import('./inspect-out.js');
          writeInspectLog(store, runIds, { prices, experiment, ...(notCounted ? { notCounted } : {}) }, flags.out, env, io);
          return;
        }
        const out = flags.out!;
        // Line by line, straight to the file: an export of any size never sits in memory whole.
        const lines = flags.format === 'csv' ? episodesCsvLines(store, runIds, prices, notCounted)
          : experiment ? experimentTraceLines(store, experiment.experimentId, runIds)
            : runTraceLines(store, runIds);
        writeLinesOut(out, lines, io);
        const extra = notCounted && notCounted.size > 0 ? ` (${notCounted.size} of them not counted by the experiment, marked)` : '';
        const carried = experiment && flags.format === 'jsonl' ? ` with experiment ${experiment.experimentId} (its design, planned episodes and the runs' labels)` : '';
        if (out !== '-') io.out(wrapText(`wrote ${runIds.length} run${runIds.length === 1 ? '' : 's'} as ${flags.format} to ${out}${carried}${extra}`, TEXT_WIDTH));
      });
    });

  program
    .command('import')
    .description('read a JSON-lines file (as written by export --format jsonl) into the database, line by line in one transaction: all of it or nothing. '
      + 'Runs are marked imported and never counted as results of this database\'s experiments unless --adopt; an experiment\'s export restores the experiment, '
      + 'whose runs count as its results (marked adopted) with their labels')
    .argument('<file>', 'JSON-lines file')
    .option('--format <fmt>', 'jsonl (the only format that can be imported)', 'jsonl')
    .option('--adopt', 'count the runs as this database\'s own: an experiment here with the same episodes takes them as its results (marked adopted)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .action(async (file: string, flags: { format: string; db?: string; adopt?: boolean }) => {
      if (flags.format !== 'jsonl') throw new UsageError(`--format must be jsonl (got "${flags.format}")`);
      const { importTraceFile } = await import('../../analysis/index.js');
      const db = dbPath(flags.db, env);
      // A database this import creates is removed again when the file is refused: nothing is left.
      const created = db !== ':memory:' && !existsSync(db);
      let done;
      try {
        done = withStore(db, (store) => importTraceFile(store, file, { adopt: flags.adopt ?? false }), {});
      } catch (err) {
        if (created) for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
        throw err;
      }
      const what = done.experiments.length > 0 ? ` with experiment ${done.experiments.join(', ')} (${done.labels} labels)` : '';
      const note = done.experiments.length > 0 ? '' : ' (labels are not part of a trace: npx peerlab classify --run ID labels them again)';
      io.out(wrapText(`imported ${done.events} events of ${done.runs} run${done.runs === 1 ? '' : 's'} into ${db} as ${done.origin}${what}${note}`, TEXT_WIDTH));
    });
}
