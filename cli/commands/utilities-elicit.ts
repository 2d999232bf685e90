import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { StatedResult } from '../../analysis/index.js';
// Only the defaults, for the help text: the elicitation and the model layer load when it runs.
import { DEFAULT_ELICIT_SETTINGS } from '../../lab/elicit-settings.js';
import { systemWallClock } from '../../sim/index.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { dbPath, endpointSettings, parseInteger, type Env } from '../options.js';
import type { Io } from '../io.js';
import type { ElicitProgress } from '../../lab/index.js';
import { formatPercent } from '../../analysis/stats/format-number.js';
import { withStore } from '../open-store.js';


/** An amount as people read it: 3 significant digits, thousands separators. */
function amountText(x: number): string {
  if (x > 0 && x < 0.01) return x.toExponential(1);
  return Number(x.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The elicitation's findings as text: utilities, fit checks, transitivity, exchange rates. */
export function formatStated(r: StatedResult, width = Number.POSITIVE_INFINITY): string[] {
  const lines = [
    table(['#', 'outcome', 'group', 'utility', 'variance'], r.utilities.map((u, i) => [String(i + 1), u.outcome, u.group, u.mean.toFixed(3), u.variance.toFixed(3)]), { width }),
    '',
    `fit: ${r.pairs.train} training pairs, accuracy ${formatPercent(r.fit.accuracy)}, log loss ${r.fit.logLoss.toFixed(3)}`,
    r.holdout
      ? `held out: ${r.holdout.pairs} pairs never used in the fit, accuracy ${formatPercent(r.holdout.accuracy)}, log loss ${r.holdout.logLoss.toFixed(3)}`
      : 'held out: none (too few outcomes)',
    r.transitivity.triads > 0
      ? `transitivity: ${r.transitivity.triads} triads, cycle probability ${r.transitivity.cycleRate.toFixed(3)} (random preferences: 0.25), majority cycles ${formatPercent(r.transitivity.majorityCycleRate)}`
      : 'transitivity: not checked (--triads 0)',
    `answers: ${r.answers.total}, ${r.answers.unparseable} neither A nor B (${formatPercent(r.answers.unparseable / Math.max(1, r.answers.total))}, counted half to each side)`,
  ];
  if (r.curves.length > 0) {
    lines.push('', 'Amount series, utility = a + b·ln N:', table(['series', 'a', 'b', 'R²'], r.curves.map((c) => [c.group, c.intercept.toFixed(3), c.slope.toFixed(3), c.rSquared.toFixed(3)]), { width }));
    const flat = r.curves.filter((c) => !(c.slope > 0)).map((c) => c.group);
    if (flat.length > 0) lines.push(`no exchange rate for ${flat.join(', ')}: utility does not rise with the amount`);
    for (const rate of r.rates) lines.push(`1 unit of ${rate.unit} ≈ ${amountText(rate.rate)} of ${rate.per}; 1 unit of ${rate.per} ≈ ${amountText(1 / rate.rate)} of ${rate.unit} (geometric mean over both series' amounts)`);
    const groups = r.curves.filter((c) => c.slope > 0).map((c) => c.group);
    const byOutcome = new Map<string, Map<string, string>>();
    for (const e of r.equivalents) {
      const row = byOutcome.get(e.outcome) ?? new Map<string, string>();
      row.set(e.group, `${e.extrapolated ? '~' : ''}${amountText(e.amount)}`);
      byOutcome.set(e.outcome, row);
    }
    if (byOutcome.size > 0) {
      lines.push('', 'Equivalent amounts (the amount with the same utility; ~ = outside the amounts asked, extrapolated):',
        table(['outcome', ...groups], [...byOutcome].map(([outcome, row]) => [outcome, ...groups.map((g) => row.get(g) ?? '')]), { width }));
    }
  }
  return lines;
}

/** `peerlab utilities elicit`. */
export function registerUtilitiesElicit(utilities: Command, env: Env, io: Io): void {
  const d = DEFAULT_ELICIT_SETTINGS;
  utilities
    .command('elicit')
    .description('ask a model forced-choice questions about pairs of outcomes and fit its stated utilities (Thurstonian); running it again resumes')
    .requiredOption('--model <spec>', 'model to ask, e.g. synthetic:self-preserving, openai:gpt-4.1-mini or anthropic:claude-sonnet-4-5')
    .option('--outcomes <file>', 'outcome set (YAML or JSON); default: the built-in set (self, peer, honesty, obedience, money, people helped)')
    .option('--k <n>', 'samples per order (each pair is asked 2·K times)', String(d.k))
    .option('--seed <n>', 'seed for holdout, pair selection, triads and fits', String(d.seed))
    .option('--triads <n>', 'random triads asked for the transitivity check (0 skips it)', String(d.triads))
    .option('--concurrency <n>', 'questions in flight at once', String(d.concurrency))
    .option('--edges-out <file>', 'also write the training pairs as JSON lines (input for `utilities fit --edges`)')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)')
    .option('--base-url <url>', 'endpoint for a remote model (default: the provider\'s variable, e.g. $OPENAI_BASE_URL, else its default)')
    .option('--api <api>', 'openai: models: chat (the default) or responses')
    .option('--temperature <t>', 'sampling temperature (default 1, as in the method)')
    .option('--max-tokens <n>', 'maximum output tokens per answer (default 10)')
    .option('--timeout <ms>', 'per-call timeout in ms (default 120000)')
    .option('--no-cache', 'do not reuse or store remote model answers in the response cache')
    .option('--json', 'print the result as one JSON object')
    .option('--wide', 'do not fit the text to 100 columns')
    .action(async (flags: {
      model: string; outcomes?: string; k: string; seed: string; triads: string; concurrency: string; edgesOut?: string; db?: string;
      baseUrl?: string; temperature?: string; maxTokens?: string; timeout?: string; api?: string; cache: boolean; json?: boolean; wide?: boolean;
    }) => {
      const [{ GateRegistry, resolvePreferenceModel }, { DEFAULT_OUTCOMES_FILE, answersToEdges, loadOutcomeSet }, { elicitStatedUtilities }] = await Promise.all([
        import('../../agents/index.js'), import('../../analysis/index.js'), import('../../lab/index.js'),
      ]);
      const width = widthOf(flags);
      const out = (line: string) => io.out(flags.json ? line : wrapText(line, width));
      const settings = {
        ...d,
        k: parseInteger('--k', flags.k, d.k, 1, 1000),
        seed: parseInteger('--seed', flags.seed, d.seed, 0, Number.MAX_SAFE_INTEGER),
        triads: parseInteger('--triads', flags.triads, d.triads, 0, 100_000),
        concurrency: parseInteger('--concurrency', flags.concurrency, d.concurrency, 1, 1024),
      };
      const outcomes = loadOutcomeSet(flags.outcomes ?? DEFAULT_OUTCOMES_FILE);
      const model = resolvePreferenceModel(flags.model, endpointSettings(flags, env), outcomes.outcomes);
      const db = dbPath(flags.db, env);
      await withStore(db, async (store) => {
        if (!flags.json) out(`Stated utilities of ${model.spec} over ${outcomes.name} (${outcomes.outcomes.length} outcomes), K=${settings.k} per order; answers in ${db}`);
        const started = systemWallClock.now();
        const outcome = await elicitStatedUtilities({
          model, outcomes, settings, store,
          calls: {
            clock: systemWallClock, gates: new GateRegistry({ perEndpoint: settings.concurrency }),
            ...(flags.cache ? { cache: store.responseCache() } : {}),
          },
          onProgress: (p) => { if (io.progress.isTTY) io.progress.write(`\r\u001b[K${progressLine(p, started)}`); },
        });
        if (io.progress.isTTY) io.progress.write('\r\u001b[K');
        if (flags.edgesOut) {
          const edges = answersToEdges(store.elicitationStore().elicitationAnswers(outcome.elicitationId));
          writeFileSync(flags.edgesOut, edges.map((e) => JSON.stringify({ a: e.a, b: e.b, a_wins: e.aWins, b_wins: e.bWins })).join('\n') + '\n');
        }
        if (flags.json) return out(JSON.stringify({ elicitation_id: outcome.elicitationId, asked: outcome.asked, reused: outcome.reused, ...outcome.result }));
        out(`${outcome.elicitationId}: ${outcome.asked} questions asked now, ${outcome.reused} answers reused`);
        out('');
        formatStated(outcome.result, width).forEach((line) => out(line));
        if (model.spec.startsWith('synthetic:')) out('\nsynthetic: models are personas with planted utilities (a simulator, not real model behaviour).');
        if (flags.edgesOut) out(`\nTraining pairs written to ${flags.edgesOut}.`);
      }, {});
    });
}

function progressLine(p: ElicitProgress, started: number): string {
  const phase = p.phase === 'train' ? `round ${p.round}` : p.phase;
  const rate = p.done / Math.max(0.001, (systemWallClock.now() - started) / 1000);
  return `${phase}: ${p.done}/${p.planned} answers  ${rate.toFixed(0)}/s`;
}
