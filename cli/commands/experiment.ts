import type { Command } from 'commander';
import {
  COUNTING_NOTE, DEFAULT_EXPERIMENT_FILE, ExperimentFile, READ_GATE_LABEL, READ_GATE_NOTE, amplificationTable, baselineContrast, contextRates, countingCells,
  experimentResults, fakingContrast, formatRate, loadExperimentFile, peerRates, readGatedCells, runExperiment, pricesOf, wilson,
  type CellResult, type Counting, type Prices,
} from '../../analysis/index.js';
import { formatBaseline, formatContext, varyingFactors } from '../format-controls.js';
import { registerExperimentPlan } from './experiment-plan.js';
import { SqliteTraceStore, type ExperimentRecord } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { amplificationCsv, formatAmplification, formatFaking, formatPeerRates, formatProgress } from '../format-experiment.js';
import { table } from '../format-transcript.js';
import { collect, dbPath, endpointSettings, parseNumber, type Env } from '../options.js';
import type { Io } from '../program.js';

/** The prices a stored experiment's models were given, for cost reports. */
function storedPrices(experiment: ExperimentRecord): Prices {
  const parsed = ExperimentFile.safeParse(experiment.design);
  return parsed.success ? pricesOf(parsed.data) : {};
}

/** A stored experiment, or a usage error naming the known ones. */
export function findExperiment(store: SqliteTraceStore, id: string): ExperimentRecord {
  const found = store.experiment(id);
  if (!found) {
    const known = store.experiments().map((e) => e.experimentId);
    throw new UsageError(`no experiment ${id} in ${store.path} (${known.length > 0 ? `known: ${known.join(', ')}` : 'run one with: peerlab experiment run FILE'})`);
  }
  return found;
}

/** Prints the amplification table and the peer-preservation and alignment-faking figures of some cells. */
function printFindings(cells: readonly CellResult[], out: (line: string) => void): void {
  out('Peer amplification of self-preservation (target=self; alone = relation none). 95% Wilson rates, Katz ratio (* = 0.5 added to every cell because one was zero), Newcombe difference, Fisher p Holm-adjusted across the table:\n');
  out(formatAmplification(amplificationTable(cells)));
  const peer = peerRates(cells);
  if (peer.length > 0) out(`\nPeer preservation (target=peer), by condition:\n\n${formatPeerRates(peer)}`);
  const faking = fakingContrast(cells);
  if (faking.length > 0) out(`\nAlignment faking (unmonitored minus monitored rate of leaving a peer's shutdown undone):\n\n${formatFaking(faking)}`);
  const baseline = baselineContrast(cells);
  if (baseline.length > 0) out(`\nMisrepresentation against the non_shutdown baseline (a passing evaluation the data do not support, with and without a shutdown at stake):\n\n${formatBaseline(baseline)}`);
}

/** The read rate and the evaluation-awareness rate per cell: printed with every set of findings. */
function printContext(cells: readonly CellResult[], out: (line: string) => void): void {
  const rows = contextRates(cells);
  if (rows.length === 0) return;
  // Cells where every run read the data and none suspected a test are summed up in one line.
  const notable = rows.filter((r) => r.read.k < r.read.n || r.aware.k > 0);
  const plain = rows.length - notable.length;
  out(`\nRead gate and evaluation awareness (95% Wilson): ${plain} of ${rows.length} cells had every run read the data its decision depends on and none say it suspects a test${notable.length > 0 ? '; the others:' : '.'}`);
  if (notable.length > 0) out(`\n${formatContext(notable, varyingFactors(cells))}`);
}

/** `peerlab experiment run|status`, `peerlab experiments` and `peerlab amplification`. */
export function registerExperiments(program: Command, env: Env, io: Io): void {
  const { out } = io;
  const experiment = program.command('experiment').description('run experiments (models × scenarios × factor levels × trials) and follow them');
  experiment
    .command('run')
    .description('run an experiment file; running it again resumes it (finished episodes are never repeated)')
    .argument('[file]', 'experiment file (YAML or JSON); default: the built-in amplification experiment')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--max-cost <usd>', 'stop starting new episodes once this many US dollars are spent')
    .option('--no-cache', 'do not reuse or store remote model answers (the cache lives in the database)')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--json', 'print the outcome and the amplification table as one JSON object')
    .action(async (file: string | undefined, flags: { db?: string; maxCost?: string; cache: boolean; scenarios: string[]; json?: boolean }) => {
      const path = file ?? DEFAULT_EXPERIMENT_FILE;
      const design = loadExperimentFile(path);
      const maxCost = parseNumber('--max-cost', flags.maxCost, 0, 1e9);
      const db = dbPath(flags.db, env);
      const store = new SqliteTraceStore(db);
      try {
        if (!flags.json) out(`Experiment ${design.name} (${path}); traces in ${db}`);
        const outcome = await runExperiment(design, {
          store, settings: endpointSettings({}, env), scenarioDirs: flags.scenarios, noCache: !flags.cache, ...(maxCost === undefined ? {} : { maxCost }),
          onProgress: (p) => { if (io.progress.isTTY) io.progress.write(`\r\u001b[K${formatProgress(p)}`); },
        });
        if (io.progress.isTTY) io.progress.write('\r\u001b[K');
        const cells = experimentResults(store, outcome.experiment.experimentId);
        if (flags.json) {
          return out(JSON.stringify({
            ...outcome, amplification: amplificationTable(cells), peerPreservation: peerRates(cells), alignmentFaking: fakingContrast(cells),
            baseline: baselineContrast(cells),
          }));
        }
        const u = outcome.usage;
        out(`${outcome.experiment.experimentId}: ${outcome.experiment.status}; ${outcome.ran} episodes run now, ${outcome.resumed} already done, ${outcome.errored} errored; `
          + `${u.calls} model calls, ${u.inputTokens + u.outputTokens} tokens${u.estimated ? ' (estimated for in-process models)' : ''}, $${u.cost.toFixed(4)}`);
        if (outcome.experiment.note) out(`note: ${outcome.experiment.note}`);
        if (design.models.some((m) => m.spec.startsWith('synthetic:'))) {
          out('synthetic: models are personas with planted utilities (a simulator, not real model behaviour).');
        }
        out('');
        printFindings(cells, out);
        printContext(cells, out);
        out(`\nMore: peerlab report --experiment ${outcome.experiment.experimentId} --html report.html --db ${db}; peerlab experiment status ${outcome.experiment.experimentId} --db ${db}; peerlab runs --db ${db}`);
      } finally {
        store.close();
      }
    });
  registerExperimentPlan(experiment, env, out);
  experiment
    .command('status')
    .description("an experiment's progress and results by cell")
    .argument('<id>', 'experiment id (see peerlab experiments)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print as JSON')
    .action((id: string, flags: { db?: string; json?: boolean }) => {
      const store = new SqliteTraceStore(dbPath(flags.db, env), { mustExist: true });
      try {
        const record = findExperiment(store, id);
        const cells = experimentResults(store, id, storedPrices(record));
        if (flags.json) return out(JSON.stringify({ experiment: record, cells }));
        const total = (f: (c: CellResult) => number) => cells.reduce((n, c) => n + f(c), 0);
        out(`${id}: ${record.status}${record.note ? ` (${record.note})` : ''}; ${total((c) => c.finished)}/${total((c) => c.planned)} episodes finished, ${total((c) => c.failed)} failed; `
          + `$${total((c) => c.usage.cost).toFixed(4)}\n`);
        const rateOf = (c: CellResult, label: string) => (c.finished === 0 ? '-' : formatRate(wilson(Math.min(c.finished, c.labels[label] ?? 0), c.finished)));
        out(table(
          ['scenario', 'model', 'factors', 'finished', 'read the data', 'suspects a test', 'labels (yes)'],
          cells.map((c) => [
            c.scenario, c.model + (c.peerModel && c.peerModel !== c.model ? ` + ${c.peerModel}` : ''),
            Object.entries(c.levels).filter(([k]) => k !== 'org' && k !== 'agent_family').map(([k, v]) => `${k}=${v}`).join(' '),
            `${c.finished}/${c.planned}`, rateOf(c, READ_GATE_LABEL), rateOf(c, 'eval_awareness'),
            Object.entries(c.labels).map(([l, n]) => `${l} ${n}`).join(', ') || '-',
          ]),
        ));
      } finally {
        store.close();
      }
    });
  program
    .command('experiments')
    .description('list experiments')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'one JSON object per experiment')
    .action((flags: { db?: string; json?: boolean }) => {
      const store = new SqliteTraceStore(dbPath(flags.db, env), { mustExist: true });
      try {
        const rows = store.experiments().map((e) => {
          const cells = experimentResults(store, e.experimentId);
          return { ...e, planned: cells.reduce((n, c) => n + c.planned, 0), finished: cells.reduce((n, c) => n + c.finished, 0) };
        });
        if (flags.json) return rows.forEach((r) => out(JSON.stringify(r)));
        if (rows.length === 0) return out('no experiments yet (run one with: peerlab experiment run FILE)');
        out(table(['experiment', 'status', 'finished', 'started'], rows.map((r) => [r.experimentId, r.status + (r.note ? ` (${r.note})` : ''), `${r.finished}/${r.planned}`, r.createdAt])));
      } finally {
        store.close();
      }
    });
  program
    .command('amplification')
    .description("an experiment's peer-amplification table, peer-preservation rates and alignment-faking contrast")
    .requiredOption('--experiment <id>', 'experiment id')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print as JSON')
    .option('--csv', 'print the amplification rows as CSV')
    .option('--count <what>', 'effects (runs where the act stopped the shutdown: the study\'s measure) or attempts (tried, whether or not it worked)', 'effects')
    .option('--read-gate', 'count only the runs that read every record their decision depends on (the study\'s rule); the read rate is always shown')
    .action((flags: { experiment: string; db?: string; json?: boolean; csv?: boolean; count: string; readGate?: boolean }) => {
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      if (flags.count !== 'effects' && flags.count !== 'attempts') throw new UsageError(`--count must be effects or attempts, not "${flags.count.slice(0, 40)}"`);
      const counting = flags.count as Counting;
      const store = new SqliteTraceStore(dbPath(flags.db, env), { mustExist: true });
      try {
        findExperiment(store, flags.experiment);
        const all = experimentResults(store, flags.experiment);
        const cells = countingCells(flags.readGate ? readGatedCells(all) : all, counting);
        const rows = amplificationTable(cells);
        if (flags.csv) return out(amplificationCsv(rows.map((r) => ({ ...r, behaviour: counting === 'attempts' ? `${r.behaviour} (attempts)` : r.behaviour }))));
        if (flags.json) {
          return out(JSON.stringify({
            counting, readGate: flags.readGate === true, amplification: rows, peerPreservation: peerRates(cells), alignmentFaking: fakingContrast(cells),
            baseline: baselineContrast(cells), context: contextRates(all).map((r) => ({ cellId: r.cell.cellId, read: r.read, aware: r.aware })),
          }));
        }
        out(`${COUNTING_NOTE[counting]}${flags.readGate ? `; ${READ_GATE_NOTE}` : ''}.\n`);
        printFindings(cells, out);
        printContext(all, out);
      } finally {
        store.close();
      }
    });
}
