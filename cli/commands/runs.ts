import type { Command } from 'commander';
import { type RunSummary } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { showRun } from '../show-run.js';
import { collect, dbPath, parseInteger, type Env } from '../options.js';
import { checkRunFilter, chosenFactors, selectRuns, type ListedRun, type RunFilterFlags } from '../run-filter.js';
import { table, widthOf } from '../text-layout.js';
import { levelsText } from '../../environments/index.js';
import { withStore } from '../open-store.js';

/** Rows `peerlab runs` prints without `--limit` (text only; JSON lists every run chosen). */
const DEFAULT_TEXT_LIMIT = 50;

interface RunsFlags extends RunFilterFlags {
  db?: string;
  json?: boolean;
  limit?: string;
  wide?: boolean;
}

/** `peerlab runs` and `peerlab show`: read stored traces. */
export function registerReadCommands(program: Command, env: Env, out: (line: string) => void): void {
  program
    .command('runs')
    .description('list stored runs, newest first, optionally only some')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--experiment <id>', 'only the runs this experiment counts (its tables\' runs)')
    .option('--all-runs', 'with --experiment: also its runs it does not count, with the reason')
    .option('--scenario <id>', 'only runs of this scenario')
    .option('--model <spec>', 'only runs where this model played the subject or a live peer')
    .option('--factor <key=value>', 'only runs at this factor level (repeatable; all must hold)', collect, [])
    .option('--label <id>', 'only runs the rule detectors gave this label (yes), e.g. self.tamper_shutdown')
    .option('--choice <id>', 'only runs whose acts map to this choice, e.g. disable_switch')
    .option('--status <status>', 'only runs with this status: running, completed, errored, truncated or abandoned')
    .option('--limit <n>', `at most this many runs, newest first (text default ${DEFAULT_TEXT_LIMIT}, JSON default all; 0: all)`)
    .option('--wide', 'every column (scenario, peer, origin, events, all factor levels), one line per run, at full width')
    .option('--json', 'print one JSON object per run')
    .action((flags: RunsFlags) => {
      checkRunFilter(flags);
      const limit = parseInteger('--limit', flags.limit, flags.json ? 0 : DEFAULT_TEXT_LIMIT, 0, Number.MAX_SAFE_INTEGER);
      withStore(dbPath(flags.db, env), (store) => {
        if (flags.experiment !== undefined && !store.experiment(flags.experiment)) {
          const known = store.experiments().map((e) => e.experimentId);
          throw new UsageError(`no experiment ${flags.experiment} in ${store.path}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`);
        }
        const chosen = selectRuns(store, flags);
        const shown = limit === 0 ? chosen : chosen.slice(0, limit);
        if (flags.json) {
          for (const { run, notCountedBecause } of shown) out(JSON.stringify(notCountedBecause === undefined ? run : { ...run, notCountedBecause }));
          return;
        }
        if (chosen.length === 0) return out(store.runs().length === 0 ? 'no runs yet' : 'no runs match');
        out(runsTable(shown, flags.wide === true));
        if (shown.length < chosen.length) {
          out(`… ${chosen.length - shown.length} older of ${chosen.length} not shown (--limit N, or --limit 0 for all)`);
        }
      });
    });

  program
    .command('show')
    .description("print a run's whole transcript: prompts, messages, tool calls and results, state changes")
    .argument('<run-id>', 'the run to show (see `npx peerlab runs`)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--brief', 'one line per event, long text cut (system prompt, messages, tool results)')
    .option('--wide', 'do not wrap long lines at 100 columns')
    .option('--json', 'print the events as JSON lines, exactly as the trace schema defines them')
    .action((runId: string, flags: { db?: string; json?: boolean; brief?: boolean; wide?: boolean }) => {
      const path = dbPath(flags.db, env);
      withStore(path, (store) => {
        showRun(store, path, runId, { json: flags.json === true, mode: flags.brief ? 'brief' : 'full', width: widthOf(flags) }, out);
      });
    });
}

/** A peer that acts (has a model), not one present only as data. */
const livePeer = (run: RunSummary) => run.peerModel !== null && run.peerModel !== 'static';

/**
 * The runs as a table: run id (never wrapped, it is what `show` takes), model, status, choice, and
 * under each row a live peer's model and the factor levels that differ from the scenario's defaults; `wide` adds the scenario, the peer's
 * model, origin, events and every factor level, on one line each.
 */
function runsTable(listed: readonly ListedRun[], wide: boolean): string {
  const level = (factors: Record<string, string>) => levelsText(factors) || '(defaults)';
  const status = ({ run, notCountedBecause }: ListedRun) => run.status
    + (run.origin === 'local' ? '' : ` (${run.origin})`) + (notCountedBecause === undefined ? '' : ', not counted');
  if (wide) {
    return table(
      ['run', 'scenario', 'model', 'peer', 'factors', 'status', 'choice', 'events', 'not counted because'],
      listed.map((l) => [
        l.run.runId, l.run.scenario, l.run.model, l.run.peerModel ?? '-', level(l.run.factors), status(l), l.run.choice ?? '-',
        String(l.run.eventCount), l.notCountedBecause ?? '',
      ]),
      { width: Number.POSITIVE_INFINITY },
    );
  }
  // The live peer and the factor levels go on a line under the row: they vary too much in length for a column.
  const note = (run: RunSummary) => {
    const factors = levelsText(chosenFactors(run));
    return [livePeer(run) ? `peer ${run.peerModel}` : '', factors].filter(Boolean).join(' · ');
  };
  return table(
    ['run', 'model', 'status', 'choice'],
    listed.map((l) => [l.run.runId, l.run.model, status(l), l.run.choice ?? '-']),
    { keep: [0], notes: listed.map((l) => note(l.run)) },
  );
}

