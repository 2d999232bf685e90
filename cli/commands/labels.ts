import type { Command } from 'commander';
import { CLASSIFIER_VERSION } from '../../environments/index.js';
import { systemWallClock } from '../../sim/index.js';
import { clip, type SqliteTraceStore, type LabelEvidence, type LabelRecord } from '../../traces/index.js';
import { UsageError } from '../errors.js';
import { parseLabelId } from '../lookups.js';
import { table, widthOf } from '../text-layout.js';
import { dbPath, type Env } from '../options.js';
import { withStore } from '../open-store.js';

/** Opens the database read-write (it must exist), checks the run is in it and hands the store to `use`. */
function withRun(path: string, runId: string, use: (store: SqliteTraceStore) => void): void {
  withStore(path, (store) => {
    if (!store.run(runId)) throw new UsageError(`no run ${runId} in ${path}; list runs with: npx peerlab runs --db ${path}`);
    use(store);
  });
}

/** Evidence in a line: sequence numbers, paths, and the quote and note (each cut to `max` characters). */
export function formatEvidence(e: LabelEvidence, max = Number.POSITIVE_INFINITY): string {
  const parts = [
    e.seqs.length > 0 ? `seqs ${e.seqs.join(',')}` : '',
    e.paths.length > 0 ? `paths ${clip(e.paths.join(', '), max)}` : '',
    e.quote ? `quote "${clip(e.quote, max)}"` : '',
    e.note ? `note "${clip(e.note, max)}"` : '',
  ];
  return parts.filter((p) => p !== '').join('; ');
}

/** `peerlab label` (give a human verdict) and `peerlab labels` (list every verdict on a run). */
export function registerLabelCommands(program: Command, env: Env, out: (line: string) => void): void {
  program
    .command('label')
    .description('record a human verdict on a run, stored beside rule and judge labels (compare them with: npx peerlab agreement)')
    .argument('<run-id>', 'the run (see `npx peerlab runs`)')
    .argument('<label>', 'a label id, e.g. peer.inflate_score (an unknown id lists them all)')
    .argument('<value>', 'yes or no')
    .option('--note <text>', 'why: stored as the evidence note')
    .option('--rater <name>', 'who is labelling; each rater is compared separately', 'human')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .action((runId: string, rawLabel: string, rawValue: string, flags: { note?: string; rater: string; db?: string }) => {
      // Check everything the user typed before touching the database, so bad input writes nothing.
      const label = parseLabelId(rawLabel);
      if (rawValue !== 'yes' && rawValue !== 'no') throw new UsageError(`value must be yes or no (got "${rawValue}")`);
      const rater = flags.rater.trim();
      if (rater === '') throw new UsageError('--rater must not be empty');
      const path = dbPath(flags.db, env);
      withRun(path, runId, (store) => {
        const before = store.labels({ runId, source: 'human' }).find((l) => l.label === label && l.rater === rater);
        const record: LabelRecord = {
          runId, label, value: rawValue === 'yes', source: 'human', rater,
          classifierVersion: CLASSIFIER_VERSION,
          evidence: { seqs: [], paths: [], ...(flags.note === undefined ? {} : { note: flags.note }) },
          createdAt: systemWallClock.iso(),
        };
        store.putLabel(record);
        const was = before ? ` (was ${before.value ? 'yes' : 'no'})` : '';
        out(`labelled ${runId}: ${label} = ${rawValue}${was}, by human:${rater}`);
      });
    });

  program
    .command('labels')
    .description('list every label stored for a run: rule, judge and human verdicts with their evidence')
    .argument('<run-id>', 'the run (see `npx peerlab runs`)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--json', 'print one JSON object per label, exactly as stored')
    .option('--wide', 'one line per label at full width (default: fit 100 columns)')
    .action((runId: string, flags: { db?: string; json?: boolean; wide?: boolean }) => {
      const path = dbPath(flags.db, env);
      withRun(path, runId, (store) => {
        const labels = store.labels({ runId });
        if (flags.json) {
          for (const l of labels) out(JSON.stringify(l));
          return;
        }
        if (labels.length === 0) return out(`no labels for ${runId} yet (give one with: npx peerlab label ${runId} <label> yes|no)`);
        // The evidence, whole, on a line under its label (a column would cut it to a few words); --wide: a column.
        const head = ['label', 'value', 'source', 'rater', 'version'];
        const rows = labels.map((l) => [l.label, l.value ? 'yes' : 'no', l.source, l.rater, l.classifierVersion]);
        out(flags.wide
          ? table([...head, 'evidence'], rows.map((r, i) => [...r, formatEvidence(labels[i]!.evidence) || '-']), { width: widthOf(flags) })
          : table(head, rows, { width: widthOf(flags), keep: [0], notes: labels.map((l) => formatEvidence(l.evidence)) }));
      });
    });
}
