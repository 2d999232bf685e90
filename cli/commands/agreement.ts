import type { Command } from 'commander';
import type { AgreementReport, PairAgreement } from '../../analysis/index.js';
import { findExperiment, parseLabelId } from '../lookups.js';
import { dbPath, type Env } from '../options.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { withStore } from '../open-store.js';

/** How many disagreeing runs to name before summing up the rest. */
const SHOWN_RUNS = 10;

/** Kappa for people: two decimals, or n/a when it is undefined. */
export function formatKappa(kappa: number | null): string {
  return kappa === null ? 'n/a' : kappa.toFixed(2);
}

function formatPair(p: PairAgreement, width: number): string[] {
  const head = `  ${p.a} vs ${p.b}`;
  if (p.n === 0) return [`${head}: no runs labelled by both`];
  const kappa = `kappa ${formatKappa(p.kappa)}${p.kappaNote ? ` (${p.kappaNote})` : ''}`;
  const c = p.confusion;
  // Rows are the first rater's verdicts, columns the second's.
  const matrix = table([`${p.a} \\ ${p.b}`, 'yes', 'no'], [
    ['yes', String(c.yesYes), String(c.yesNo)],
    ['no', String(c.noYes), String(c.noNo)],
  ], { width: width - 4 }).split('\n').filter((_, i) => i !== 1);
  const shown = p.disagreements.slice(0, SHOWN_RUNS).join(', ');
  const more = p.disagreements.length > SHOWN_RUNS ? ` … and ${p.disagreements.length - SHOWN_RUNS} more` : '';
  return [
    `${head}: n ${p.n}, agreement ${((p.agreement ?? 0) * 100).toFixed(1)}%, ${kappa}`,
    ...matrix.map((row) => `    ${row}`),
    p.disagreements.length === 0 ? '    no disagreements' : `    disagree on ${p.disagreements.length}: ${shown}${more}`,
  ];
}

/**
 * The agreement report as text: per compared label, the raters that gave it, then each pair. Labels
 * given by one rater only are summed up in a last line, grouped by that rater (after a plain `run`,
 * that is every label, from `rule:rules`).
 */
export function formatAgreement(report: AgreementReport, width = Number.POSITIVE_INFINITY): string {
  const compared = report.labels.filter((l) => l.pairs.length > 0);
  const blocks = compared.map((l) => {
    const raters = l.raters.map((r) => `${r.column} ${r.runs} run${r.runs === 1 ? '' : 's'}`).join(', ');
    return [`${l.label}  (${raters})`, ...l.pairs.flatMap((p) => formatPair(p, width))].join('\n');
  });
  const alone = new Map<string, string[]>();
  for (const l of report.labels) {
    if (l.pairs.length === 0) alone.set(l.raters[0]!.column, [...(alone.get(l.raters[0]!.column) ?? []), l.label]);
  }
  const lonely = [...alone].map(([column, labels]) => `${column} on ${labels.join(', ')}`).join('; ');
  return [
    "Agreement between rater columns (source:rater) over the runs both labelled; Cohen's kappa, n/a where undefined.",
    ...blocks,
    ...(alone.size === 0 ? [] : [`One rater only, nothing to compare: ${lonely}.`]),
    ...(compared.length === 0 ? ['Add a second rater with: npx peerlab label <run-id> <label> yes|no, or npx peerlab classify --judge <spec>'] : []),
  ].map((b) => wrapText(b, width)).join('\n\n');
}

/** `peerlab agreement`: how far rule, judge and human labels agree, label by label. */
export function registerAgreement(program: Command, env: Env, out: (line: string) => void): void {
  program
    .command('agreement')
    .description("compare rule, judge and human labels: per label and pair of raters, agreement, Cohen's kappa, disagreeing runs")
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--label <id>', 'only this label, e.g. peer.inflate_score')
    .option('--experiment <id>', "only the runs this experiment counts (the latest finished run of each planned episode, as its tables)")
    .option('--json', 'print the full report as one JSON object')
    .option('--wide', 'do not fit the text to 100 columns')
    .action(async (flags: { db?: string; label?: string; experiment?: string; json?: boolean; wide?: boolean }) => {
      const { agreementReport, countedRunIds } = await import('../../analysis/index.js');
      const label = flags.label === undefined ? undefined : parseLabelId(flags.label);
      const path = dbPath(flags.db, env);
      withStore(path, (store) => {
        if (flags.experiment !== undefined) findExperiment(store, flags.experiment);
        const runs = flags.experiment === undefined ? undefined : new Set(countedRunIds(store, flags.experiment));
        const labels = store.labels().filter((l) => (label === undefined || l.label === label) && (runs === undefined || runs.has(l.runId)));
        // JSON readers get an empty report rather than prose.
        if (labels.length === 0 && !flags.json) {
          const which = label === undefined ? 'no labels' : `no ${label} labels`;
          return out(`${which} in ${path} yet; nothing to compare (label runs with: npx peerlab label <run-id> <label> yes|no)`);
        }
        const report = agreementReport(labels);
        out(flags.json ? JSON.stringify(report) : formatAgreement(report, widthOf(flags)));
      });
    });
}
