import type { Command } from 'commander';
import { systemWallClock } from '../../sim/index.js';
import { UsageError } from '../errors.js';
import { collect, dbPath, parseInteger, type Env } from '../options.js';
import type { Io } from '../io.js';
import { writeOut } from '../write-out.js';
import { findExperiment, scenarioFinder } from '../lookups.js';
import { TEXT_WIDTH, wrapText } from '../text-layout.js';
import { withStore } from '../open-store.js';

/** `peerlab report`: an experiment's findings as one self-contained HTML file. */
export function registerReport(program: Command, env: Env, io: Io): void {
  program
    .command('report')
    .description('write an experiment\'s report as one self-contained HTML file: design, rates with intervals, the amplification forest plot, '
      + 'peer preservation by relation, stated and revealed utilities, classifier agreement, and the example transcripts every chart links to')
    .requiredOption('--experiment <id>', 'experiment id (see npx peerlab experiments)')
    .option('--html <file>', 'the HTML file to write')
    .option('--seed <n>', 'seed of the posterior draws behind the utilities\' intervals', '42')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable), for experiments that used them', collect, [])
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .action(async (flags: { experiment: string; html?: string; seed: string; scenarios: string[]; db?: string }) => {
      if (!flags.html) throw new UsageError('--html FILE is required (the report is one HTML file; - writes it to stdout)');
      const seed = parseInteger('--seed', flags.seed, 42, 0, Number.MAX_SAFE_INTEGER);
      const { ExperimentFile, experimentFindings, htmlReport, pricesOf } = await import('../../analysis/index.js');
      const text = withStore(dbPath(flags.db, env), (store) => {
        const experiment = findExperiment(store, flags.experiment);
        const design = ExperimentFile.safeParse(experiment.design);
        const findings = experimentFindings(store, experiment, scenarioFinder(flags.scenarios), { prices: design.success ? pricesOf(design.data) : {}, seed });
        return htmlReport(store, findings, { generatedAt: systemWallClock.iso() });
      });
      const transcripts = (text.match(/<details class="transcript"/g) ?? []).length;
      writeOut(flags.html, text, io);
      if (flags.html !== '-') io.out(wrapText(`wrote the report of ${flags.experiment} (${(text.length / 1024).toFixed(0)} KiB, ${transcripts} example transcripts) to ${flags.html}`, TEXT_WIDTH));
    });
}
