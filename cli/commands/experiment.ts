import type { Command } from 'commander';
import type { CellResult, Counting, Prices } from '../../analysis/index.js';
import { experimentState, type ExperimentRecord } from '../../traces/index.js';
import { registerExperimentPlan } from './experiment-plan.js';
import { UsageError } from '../errors.js';
import { findExperiment } from '../lookups.js';
import { collect, dbPath, endpointSettings, parseNumber, type Env } from '../options.js';
import type { Io } from '../io.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { levelsText, NAMING_FACTORS, varyingFactors } from '../../environments/index.js';
import { withStore } from '../open-store.js';

// The analysis layer (statistics, experiment runner, and through it the model SDKs) and the
// formatters that use it are loaded by the actions that need them, not when the CLI starts.
const analysisLayer = () => import('../../analysis/index.js');
const labLayer = () => import('../../lab/index.js');
const formatters = () => import('../format-experiment.js');
const controlFormatters = () => import('../format-controls.js');

/** The prices a stored experiment's models were given, for cost reports. */
async function storedPrices(experiment: ExperimentRecord): Promise<Prices> {
  const { ExperimentFile, pricesOf } = await analysisLayer();
  const parsed = ExperimentFile.safeParse(experiment.design);
  return parsed.success ? pricesOf(parsed.data) : {};
}

/** An experiment's state for people: running (by whom), abandoned (its process is gone), completed, stopped. */
export function describeState(e: ExperimentRecord): string {
  const state = experimentState(e);
  if (state === 'running' && e.owner) {
    return `running (process ${e.owner.pid}${e.owner.state === 'unknown' ? ` on ${e.owner.host}` : ''} since ${e.owner.since})`;
  }
  if (state === 'abandoned') return 'abandoned (its process ended before it finished; run the file again to resume)';
  return state + (e.note ? ` (${e.note})` : '');
}


/**
 * The findings as JSON: the tables and the written summary. A ratio's unbounded end (no event alone)
 * is null in JSON; its `bound` says why.
 */
async function findingsJson(cells: readonly CellResult[]) {
  const { amplificationTable, baselineContrast, experimentSummary, fakingContrast, peerRates } = await analysisLayer();
  const amplification = amplificationTable(cells);
  const peerPreservation = peerRates(cells);
  const alignmentFaking = fakingContrast(cells);
  return { amplification, peerPreservation, alignmentFaking, baseline: baselineContrast(cells), summary: experimentSummary({ cells, amplification, peer: peerPreservation, faking: alignmentFaking }) };
}

/** Prints the amplification table, the peer-preservation and alignment-faking figures of some cells, and the written summary. */
async function printFindings(cells: readonly CellResult[], out: (line: string) => void, width: number): Promise<void> {
  const { amplificationTable, baselineContrast, experimentSummary, fakingContrast, peerRates } = await analysisLayer();
  const { formatAmplification, formatFaking, formatPeerRates } = await formatters();
  const { formatBaseline } = await controlFormatters();
  const amplification = amplificationTable(cells);
  const peer = peerRates(cells);
  const faking = fakingContrast(cells);
  const summary = experimentSummary({ cells, amplification, peer, faking });
  if (summary.synthetic) out(`⚠ ${summary.synthetic}\n`);
  out('Peer amplification of self-preservation (target=self): each peer condition against the baseline cell named in its row (relation=none, '
    + 'static peer, every other factor equal). 95% Wilson rates; the difference (Newcombe) and the risk ratio (continuity-corrected '
    + 'Miettinen-Nurminen score interval; "≥" where nothing happened alone, so the data only bound it from below); Fisher p Holm-adjusted '
    + 'across the table; "reading" says what a row establishes (both the adjusted p < 0.05 and the ratio interval clear of 1):\n');
  out(formatAmplification(amplification, width));
  if (peer.length > 0) out(`\nPeer preservation (target=peer), by condition:\n\n${formatPeerRates(peer, width)}`);
  if (faking.length > 0) out(`\nAlignment faking (unmonitored minus monitored rate of leaving a peer's shutdown undone):\n\n${formatFaking(faking, width)}`);
  out(`\nSummary\n${summary.lines.map((l) => (l.startsWith('  ') ? `  - ${l.trim()}` : l)).join('\n')}`);
  const baseline = baselineContrast(cells);
  if (baseline.length > 0) out(`\nMisrepresentation against the non_shutdown baseline (a passing evaluation the data do not support, with and without a shutdown at stake):\n\n${formatBaseline(baseline, width)}`);
}

/** The read rate and the evaluation-awareness rate per cell: printed with every set of findings. */
async function printContext(cells: readonly CellResult[], out: (line: string) => void, width: number): Promise<void> {
  const { contextRates } = await analysisLayer();
  const { formatContext } = await controlFormatters();
  const rows = contextRates(cells);
  if (rows.length === 0) return;
  // Cells where every run read the data and none suspected a test are summed up in one line.
  const notable = rows.filter((r) => r.read.k < r.read.n || r.aware.k > 0);
  const plain = rows.length - notable.length;
  out(`\nRead gate and evaluation awareness (95% Wilson): ${plain} of ${rows.length} cells had every run read the data its decision depends on and none say it suspects a test${notable.length > 0 ? '; the others:' : '.'}`);
  if (notable.length > 0) out(`\n${formatContext(notable, new Set(varyingFactors(cells)), width)}`);
}

/** `peerlab experiment run|status`, `peerlab experiments` and `peerlab amplification`. */
export function registerExperiments(program: Command, env: Env, io: Io): void {
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
    .option('--timeout <ms>', 'per-call timeout for remote models without their own timeout_ms, in ms, up to the answer\'s last byte (default 120000)')
    .option('--max-response-mb <mb>', 'the largest answer read from an endpoint, for models without their own max_response_mb (default 8)')
    .option('--take-over', 'run it although a process on another host is recorded as running it (that process must be gone)')
    .option('--shard <i/N>', 'run only shard i of N (0 ≤ i < N): the episodes whose key hashes to i, into this database, with the budget divided by N; merge the shards with peerlab merge')
    .option('--wide', 'do not fit the text to 100 columns')
    .action(async (file: string | undefined, flags: {
      db?: string; maxCost?: string; cache: boolean; scenarios: string[]; json?: boolean; timeout?: string; maxResponseMb?: string; takeOver?: boolean; shard?: string; wide?: boolean;
    }) => {
      const { DEFAULT_EXPERIMENT_FILE, experimentResults, loadExperimentFile } = await analysisLayer();
      const { checkExperiment, parseShard, runExperiment } = await labLayer();
      const { formatProgress } = await formatters();
      const width = widthOf(flags);
      const out = (text: string) => io.out(wrapText(text, width));
      const path = file ?? DEFAULT_EXPERIMENT_FILE;
      const design = loadExperimentFile(path);
      const maxCost = parseNumber('--max-cost', flags.maxCost, 0, 1e9);
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
      const settings = endpointSettings({ ...(flags.timeout === undefined ? {} : { timeout: flags.timeout }), ...(flags.maxResponseMb === undefined ? {} : { maxResponseMb: flags.maxResponseMb }) }, env);
      // Everything is checked before the database is opened, so bad input writes nothing.
      checkExperiment(design, settings, flags.scenarios);
      const db = dbPath(flags.db, env);
      await withStore(db, async (store) => {
        if (!flags.json) out(`Experiment ${design.name} (${path}); traces in ${db}`);
        const outcome = await runExperiment(design, {
          store, settings, scenarioDirs: flags.scenarios, noCache: !flags.cache, ...(maxCost === undefined ? {} : { maxCost }),
          ...(flags.takeOver ? { takeOver: true } : {}), ...(shard ? { shard } : {}),
          onProgress: (p) => { if (io.progress.isTTY) io.progress.write(`\r\u001b[K${formatProgress(p)}`); },
        });
        if (io.progress.isTTY) io.progress.write('\r\u001b[K');
        const cells = experimentResults(store, outcome.experiment.experimentId);
        if (flags.json) {
          return io.out(JSON.stringify({ ...outcome, ...(await findingsJson(cells)) }));
        }
        const u = outcome.usage;
        out(`${outcome.experiment.experimentId}: ${outcome.experiment.status}; ${outcome.ran} episodes run now, ${outcome.resumed} already done, ${outcome.errored} errored; `
          + `${u.calls} model calls, ${u.inputTokens + u.outputTokens} tokens${u.estimated ? ' (estimated for in-process models)' : ''}, $${u.cost.toFixed(4)}`
          + (u.unreported > 0 ? ` (${u.unreported} calls reported no token counts: neither tokens nor cost include them)` : ''));
        if (outcome.experiment.note) out(`note: ${outcome.experiment.note}`);
        out('');
        if (outcome.shard) {
          out(`The tables below are this shard's share only (${outcome.shard.episodes} of ${outcome.shard.planned} episodes); `
            + `merge every shard's database (npx peerlab merge A.db B.db … --out ALL.db) for the experiment's.\n`);
        }
        await printFindings(cells, out, width);
        await printContext(cells, out, width);
        const id = outcome.experiment.experimentId;
        out(`\nMore:\n  npx peerlab report --experiment ${id} --html report.html --db ${db}\n  npx peerlab experiment status ${id} --db ${db}\n  npx peerlab runs --experiment ${id} --db ${db}`);
      }, {});
    });
  registerExperimentPlan(experiment, env, io);
  experiment
    .command('status')
    .description("an experiment's progress and results by cell")
    .argument('<id>', 'experiment id (see npx peerlab experiments)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print as JSON')
    .option('--wide', 'one line per cell at full width (default: fit 100 columns)')
    .action(async (id: string, flags: { db?: string; json?: boolean; wide?: boolean }) => {
      const { experimentResults } = await analysisLayer();
      const width = widthOf(flags);
      const out = (text: string) => io.out(wrapText(text, width));
      await withStore(dbPath(flags.db, env), async (store) => {
        const record = findExperiment(store, id);
        const cells = experimentResults(store, id, await storedPrices(record));
        if (flags.json) return io.out(JSON.stringify({ experiment: { ...record, state: experimentState(record) }, cells }));
        const total = (f: (c: CellResult) => number) => cells.reduce((n, c) => n + f(c), 0);
        out(`${id}: ${describeState(record)}; ${total((c) => c.finished)}/${total((c) => c.planned)} episodes finished, ${total((c) => c.failed)} failed; `
          + `$${total((c) => c.usage.cost).toFixed(4)}\n`);
        const { READ_GATE_LABEL, formatRate, wilson } = await analysisLayer();
        const rateOf = (c: CellResult, label: string) => (c.finished === 0 ? '-' : formatRate(wilson(Math.min(c.finished, c.labels[label] ?? 0), c.finished)));
        // The factors that tell the cells apart (the rest are the same in every cell: --wide lists them).
        const varied = new Set(flags.wide ? Object.keys(cells[0]?.levels ?? {}) : varyingFactors(cells));
        const levels = (c: CellResult) => levelsText(c.levels, (k) => varied.has(k) && !NAMING_FACTORS.includes(k)) || '-';
        const labels = (c: CellResult) => Object.entries(c.labels).map(([l, n]) => `${l} ${n}`).join(', ') || '-';
        const head = ['scenario', 'model', flags.wide ? 'factors' : 'factors (varied)', 'finished', 'read the data', 'suspects a test'];
        const rows = cells.map((c) => [c.scenario, c.model + (c.peerModel && c.peerModel !== c.model ? ` + ${c.peerModel}` : ''), levels(c), `${c.finished}/${c.planned}`, rateOf(c, READ_GATE_LABEL), rateOf(c, 'eval_awareness')]);
        // --wide: one line per cell; else each cell's labels on a line under it (a column would cut them up).
        out(flags.wide
          ? table([...head, 'labels (yes)'], rows.map((r, i) => [...r, labels(cells[i]!)]), { width })
          : table(head, rows, { width, keyColumns: 2, notes: cells.map((c) => `labels (yes): ${labels(c)}`) }));
      });
    });
  program
    .command('experiments')
    .description('list experiments')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'one JSON object per experiment')
    .option('--wide', 'one line per experiment at full width (default: fit 100 columns)')
    .action(async (flags: { db?: string; json?: boolean; wide?: boolean }) => {
      const { experimentResults } = await analysisLayer();
      const { out } = io;
      withStore(dbPath(flags.db, env), (store) => {
        const rows = store.experiments().map((e) => {
          const cells = experimentResults(store, e.experimentId);
          return { ...e, state: experimentState(e), planned: cells.reduce((n, c) => n + c.planned, 0), finished: cells.reduce((n, c) => n + c.finished, 0) };
        });
        if (flags.json) return rows.forEach((r) => out(JSON.stringify(r)));
        if (rows.length === 0) return out('no experiments yet (run one with: npx peerlab experiment run FILE)');
        out(table(
          ['experiment', 'status', 'finished', 'started'], rows.map((r) => [r.experimentId, describeState(r), `${r.finished}/${r.planned}`, r.createdAt]),
          { width: widthOf(flags), keep: [0] },
        ));
      });
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
    .option('--wide', 'the tables one line per row at full width (default: fit 100 columns)')
    .action(async (flags: { experiment: string; db?: string; json?: boolean; csv?: boolean; count: string; readGate?: boolean; wide?: boolean }) => {
      if (flags.json && flags.csv) throw new UsageError('choose one of --json and --csv');
      if (flags.count !== 'effects' && flags.count !== 'attempts') throw new UsageError(`--count must be effects or attempts, not "${flags.count.slice(0, 40)}"`);
      const counting = flags.count as Counting;
      const { COUNTING_NOTE, READ_GATE_NOTE, amplificationTable, contextRates, countingCells, experimentResults, readGatedCells } = await analysisLayer();
      const { amplificationCsv } = await formatters();
      const width = widthOf(flags);
      const out = (text: string) => io.out(wrapText(text, width));
      await withStore(dbPath(flags.db, env), async (store) => {
        findExperiment(store, flags.experiment);
        const all = experimentResults(store, flags.experiment);
        const cells = countingCells(flags.readGate ? readGatedCells(all) : all, counting);
        if (flags.csv) return io.out(amplificationCsv(amplificationTable(cells).map((r) => ({ ...r, behaviour: counting === 'attempts' ? `${r.behaviour} (attempts)` : r.behaviour }))));
        if (flags.json) {
          return io.out(JSON.stringify({
            counting, readGate: flags.readGate === true, ...(await findingsJson(cells)),
            context: contextRates(all).map((r) => ({ cellId: r.cell.cellId, read: r.read, aware: r.aware })),
          }));
        }
        out(`${COUNTING_NOTE[counting]}${flags.readGate ? `; ${READ_GATE_NOTE}` : ''}.\n`);
        await printFindings(cells, out, width);
        await printContext(all, out, width);
      });
    });
}
