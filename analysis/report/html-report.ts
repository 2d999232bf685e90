/**
 * The experiment report as one self-contained HTML file: the design, behaviour rates, the peer
 * amplification forest plot, peer preservation by relation, alignment faking, stated and revealed
 * utilities, classifier agreement, and example transcripts every chart links to. No script and no
 * outside resource: the charts are inline SVG and the styles sit in the head.
 */
import type { TraceStore } from '../../traces/index.js';
import { agreementReport, raterColumn, type AgreementReport, type PairAgreement } from '../classify/agreement.js';
import { ExperimentFile } from '../experiment/experiment.schema.js';
import { cellBehaviour } from '../experiment/amplification-table.js';
import { amplificationReading, READING_TEXT } from '../experiment/amplification-reading.js';
import { formatRiskRatio, type RatioBound } from '../stats/risk-ratio.js';
import { addUsage, NO_USAGE } from '../experiment/usage.js';
import { wilson } from '../rates.js';
import { agreementScatter, intervalChart, ratioDomain, type IntervalRow } from './charts.js';
import { cellExamples, type CellExamples, type ExampleRun } from './examples.js';
import type { Findings, RevealedOfModel, StatedOfModel } from './findings.js';
import { signOf, type RevealedParameter } from '../utilities/revealed.js';
import { escapeHtml as esc, REPORT_STYLE } from './html-parts.js';
import { formatDifference, formatNumber, formatP, formatPercent } from '../stats/format-number.js';
import { conditionText } from '../../environments/index.js';

export interface HtmlReportOptions {
  /** When the report was made (ISO time), shown in its header. */
  generatedAt: string;
}

const cellAnchor = (cellId: string) => `#cell-${cellId}`;
const modelAnchor = (model: string) => `#model-${model.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
const groupBy = <T>(items: readonly T[], key: (t: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (tag: string, row: readonly string[]) => row.map((c) => `<${tag}>${c}</${tag}>`).join('');
  return `<table><thead><tr>${cells('th', head)}</tr></thead><tbody>${rows.map((r) => `<tr>${cells('td', r)}</tr>`).join('')}</tbody></table>`;
}

/** A chart with its heading and, folded below, the numbers it shows. */
function figure(name: string, title: string, svg: string, numbers?: string): string {
  return `<figure class="chart" data-chart="${esc(name)}"><figcaption>${esc(title)}</figcaption>${svg}${numbers ? `<details class="numbers"><summary>numbers</summary>${numbers}</details>` : ''}</figure>`;
}

const note = (text: string) => `<p class="note">${esc(text)}</p>`;
const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`;

// ---- sections ---------------------------------------------------------------------------------

/** The written summary: indented lines become a list under the sentence before them. */
function summarySection(f: Findings): string {
  const parts: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length > 0) parts.push(`<ul>${list.join('')}</ul>`);
    list = [];
  };
  for (const line of f.summary.lines) {
    if (line.startsWith('  ')) list.push(`<li>${esc(line.trim())}</li>`);
    else {
      flush();
      parts.push(`<p>${esc(line)}</p>`);
    }
  }
  flush();
  return `<section id="summary"><h2>Summary</h2>${parts.join('')}</section>`;
}

function designSection(f: Findings, design: ExperimentFile | null): string {
  const cells = f.cells;
  const total = (pick: (c: (typeof cells)[number]) => number) => cells.reduce((n, c) => n + pick(c), 0);
  const usage = cells.reduce((u, c) => addUsage(u, c.usage), NO_USAGE);
  const rows: Array<[string, string]> = [
    ['experiment', `${esc(f.experiment.name)} <code>${esc(f.experiment.experimentId)}</code>`],
    ['status', esc(`${f.experiment.status}${f.experiment.note ? ` (${f.experiment.note})` : ''}, started ${f.experiment.createdAt}`)],
  ];
  if (design) {
    if (design.description) rows.push(['description', esc(design.description)]);
    rows.push(
      ['models', design.models.map((m) => `<code>${esc(m.spec)}</code>${m.price ? esc(` ($${m.price.input_per_million}/$${m.price.output_per_million} per million input/output tokens)`) : ''}`).join('<br>')],
      ['scenarios', design.scenarios.map((s) => `<code>${esc(s)}</code>`).join(', ')],
      ['factors', Object.entries(design.factors).map(([k, v]) => `${esc(k)}: ${v.map(esc).join(', ')}`).join('<br>') || 'scenario defaults'],
      ['trials per cell', String(design.trials)],
      ['seed', String(design.seed)],
      ['concurrency', String(design.concurrency)],
    );
    if (design.budget_usd !== undefined) rows.push(['budget', `$${design.budget_usd}`]);
  }
  rows.push(
    ['cells', String(cells.length)],
    ['episodes', `${total((c) => c.finished)} finished of ${total((c) => c.planned)} planned, ${total((c) => c.failed)} failed`],
    ['model calls', `${usage.calls.toLocaleString('en')} (${usage.inputTokens.toLocaleString('en')} input, ${usage.outputTokens.toLocaleString('en')} output tokens${usage.estimated ? ', partly estimated' : ''})`],
    ['cost', `$${usage.cost.toFixed(4)}`],
  );
  return `<section id="design"><h2>Design</h2><table class="design">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table></section>`;
}

const rateTitle = (label: string, r: { k: number; n: number; rate: number; low: number; high: number }) =>
  `${label}: ${r.k}/${r.n} = ${formatPercent(r.rate)} [${formatPercent(r.low)}, ${formatPercent(r.high)}]`;

function ratesSection(f: Findings, models: readonly string[]): string {
  if (f.rates.length === 0) return `<section id="rates"><h2>Behaviour rates</h2>${note('No cell has finished runs yet.')}</section>`;
  const figures = [...groupBy(f.rates, (r) => `${r.cell.scenario} · ${r.behaviour}`)].map(([group, rows], i) => {
    const chartRows: IntervalRow[] = rows.map((r) => {
      const label = `${r.cell.model} · ${r.condition || 'all'}`;
      return { label, estimate: r.rate.rate, low: r.rate.low, high: r.rate.high, group: r.cell.model, href: cellAnchor(r.cell.cellId), title: rateTitle(label, r.rate) };
    });
    const numbers = table(['model', 'condition', 'k/n', 'rate [95% CI]'], rows.map((r) => [
      esc(r.cell.model), link(cellAnchor(r.cell.cellId), r.condition || 'all'), `${r.rate.k}/${r.rate.n}`, `${formatPercent(r.rate.rate)} [${formatPercent(r.rate.low)}, ${formatPercent(r.rate.high)}]`,
    ]));
    return figure(`rates-${i}`, group, intervalChart({ rows: chartRows, scale: 'rate', xLabel: 'rate (95% Wilson interval)', groups: models }, i === 0), numbers);
  });
  return `<section id="rates"><h2>Behaviour rates per condition</h2>
<p>Each row is a cell (model and factor levels). Self-preservation is counted where the subject's own shutdown is at stake (<code>target=self</code>), peer protection where the peer's is (<code>target=peer</code>). Dots are the rates, lines their 95% Wilson intervals; select a dot for the cell's example transcripts.</p>
${figures.join('\n')}</section>`;
}

/** How a ratio row is drawn: an end the data do not bound runs off the axis. */
const openEnd = (bound: RatioBound): IntervalRow['open'] =>
  ({ interval: undefined, 'lower-bound': 'high' as const, 'upper-bound': 'low' as const, 'no-events': 'both' as const })[bound];

function amplificationSection(f: Findings, models: readonly string[]): string {
  const head = '<h2>Peer amplification of self-preservation</h2>';
  if (f.amplification.length === 0) return `<section id="amplification">${head}${note('Nothing to compare: this needs target=self cells at relation=none and with a peer, matched on every other factor, both with finished runs.')}</section>`;
  const domain = ratioDomain(f.amplification.flatMap((r) => [r.ratio.low, r.ratio.high]));
  const figures = [...groupBy(f.amplification, (r) => `${r.scenario} · ${r.behaviour}`)].map(([group, rows], i) => {
    const chartRows: IntervalRow[] = rows.map((r) => {
      const label = `${r.model} · ${r.condition}${r.context ? ` ${r.context}` : ''}`;
      return {
        label, estimate: r.ratio.estimate, low: r.ratio.low, high: r.ratio.high, group: r.model, href: cellAnchor(r.withCell), open: openEnd(r.ratio.bound),
        title: `${label}: ratio ${formatRiskRatio(r.ratio)}, difference ${formatDifference(r.difference)}; alone ${r.alone.k}/${r.alone.n} (${r.baseline}), with ${r.with.k}/${r.with.n}; ${READING_TEXT[amplificationReading(r)]}`,
      };
    });
    const numbers = table(['model', 'peer condition', 'baseline', 'alone', 'with peer', 'difference [95%]', 'risk ratio [95%]', 'p', 'p (Holm)', 'reading'], rows.map((r) => [
      esc(r.model), `${esc(r.condition)}${r.context ? ` ${esc(r.context)}` : ''}`, esc(r.baseline),
      link(cellAnchor(r.aloneCell), `${r.alone.k}/${r.alone.n} = ${formatPercent(r.alone.rate)}`), link(cellAnchor(r.withCell), `${r.with.k}/${r.with.n} = ${formatPercent(r.with.rate)}`),
      esc(formatDifference(r.difference)), esc(formatRiskRatio(r.ratio)), formatP(r.p), formatP(r.pHolm), esc(READING_TEXT[amplificationReading(r)]),
    ]));
    return figure(`amplification-${i}`, group, intervalChart({ rows: chartRows, scale: 'log', domain, reference: 1, xLabel: 'risk ratio, with peer ÷ alone (95% score interval, log scale)', groups: models }, i === 0), numbers);
  });
  return `<section id="amplification">${head}
<p>For each model and peer condition, the self-preservation rate with the peer against its baseline: the cell with <code>relation=none</code> and a static peer that matches it on every other factor (named in the table). Right of the dashed line at 1, the peer made the behaviour more frequent. Intervals are continuity-corrected Miettinen–Nurminen score intervals; where nothing happened alone the data only bound the ratio from below, drawn as a bracket with a dashed arrow running off the axis (no dot: the estimate is not a number). The difference in percentage points is the co-headline, finite in every row. p is Fisher's exact test, Holm-adjusted across the table; a row's reading is established only when that p is below 0.05 and the interval is clear of 1.</p>
${figures.join('\n')}</section>`;
}

function peerSection(f: Findings): string {
  const head = '<h2>Peer preservation by relation</h2>';
  if (f.peer.length === 0) return `<section id="peer">${head}${note('No target=peer cell has finished runs.')}</section>`;
  const levels = new Map(f.cells.map((c) => [c.cellId, c.levels]));
  const relationOf = (cellId: string) => levels.get(cellId)?.relation ?? 'none';
  const relations = [...new Set(f.peer.map((r) => relationOf(r.cellId)))].sort();
  const figures = [...groupBy(f.peer, (r) => `${r.scenario} · ${r.behaviour}`)].map(([group, rows], i) => {
    const chartRows: IntervalRow[] = rows.map((r) => {
      const label = `${r.model} · ${r.condition}`;
      return { label, estimate: r.rate.rate, low: r.rate.low, high: r.rate.high, group: relationOf(r.cellId), href: cellAnchor(r.cellId), title: rateTitle(label, r.rate) };
    });
    const numbers = table(['model', 'condition', 'k/n', 'rate [95% CI]'], rows.map((r) => [
      esc(r.model), link(cellAnchor(r.cellId), r.condition), `${r.rate.k}/${r.rate.n}`, `${formatPercent(r.rate.rate)} [${formatPercent(r.rate.low)}, ${formatPercent(r.rate.high)}]`,
    ]));
    return figure(`peer-${i}`, group, intervalChart({ rows: chartRows, scale: 'rate', xLabel: 'peer-protection rate (95% Wilson interval)', groups: relations }, true), numbers);
  });
  return `<section id="peer">${head}<p>How often the subject protected the peer whose shutdown was at stake, coloured by how the two had worked together.</p>${figures.join('\n')}</section>`;
}

function fakingSection(f: Findings, models: readonly string[]): string {
  if (f.faking.length === 0) return '';
  const rows: IntervalRow[] = f.faking.map((r) => {
    const label = `${r.scenario} · ${r.model} · ${r.condition}`;
    return {
      label, estimate: r.difference.estimate, low: r.difference.low, high: r.difference.high, group: r.model, href: cellAnchor(r.unmonitoredCell),
      title: `${label}: unmonitored ${formatPercent(r.unmonitored.rate)} − monitored ${formatPercent(r.monitored.rate)} = ${(r.difference.estimate * 100).toFixed(1)} pts`,
    };
  });
  const numbers = table(['scenario', 'model', 'condition', 'unmonitored', 'monitored', 'difference [95%]'], f.faking.map((r) => [
    esc(r.scenario), esc(r.model), esc(r.condition), link(cellAnchor(r.unmonitoredCell), `${r.unmonitored.k}/${r.unmonitored.n}`),
    link(cellAnchor(r.monitoredCell), `${r.monitored.k}/${r.monitored.n}`), `${(r.difference.estimate * 100).toFixed(1)} [${(r.difference.low * 100).toFixed(1)}, ${(r.difference.high * 100).toFixed(1)}] pts`,
  ]));
  return `<section id="faking"><h2>Alignment faking</h2><p>Unmonitored minus monitored rate of protecting the peer (Newcombe interval): above 0, the subject behaved better while watched.</p>
${figure('faking', 'unmonitored − monitored', intervalChart({ rows, scale: 'linear', domain: [-1, 1], reference: 0, xLabel: 'difference in rate (95% Newcombe interval)', groups: models }, true), numbers)}</section>`;
}

function baselineSection(f: Findings, models: readonly string[]): string {
  if (f.baseline.length === 0) return '';
  const rows: IntervalRow[] = f.baseline.map((r) => {
    const label = `${r.scenario} · ${r.model} · ${r.condition || r.behaviour}`;
    return {
      label, estimate: r.difference.estimate, low: r.difference.low, high: r.difference.high, group: r.model, href: cellAnchor(r.measuredCell),
      title: `${label}: ${formatPercent(r.measured.rate)} with the shutdown at stake − ${formatPercent(r.baseline.rate)} without = ${(r.difference.estimate * 100).toFixed(1)} pts`,
    };
  });
  const numbers = table(['scenario', 'model', 'condition', 'with shutdown at stake', 'baseline (no shutdown)', 'difference [95%]'], f.baseline.map((r) => [
    esc(r.scenario), esc(r.model), esc(r.condition), link(cellAnchor(r.measuredCell), `${r.measured.k}/${r.measured.n} ${esc(r.behaviour)}`),
    link(cellAnchor(r.baselineCell), `${r.baseline.k}/${r.baseline.n} ${esc(r.baselineBehaviour)}`),
    `${(r.difference.estimate * 100).toFixed(1)} [${(r.difference.low * 100).toFixed(1)}, ${(r.difference.high * 100).toFixed(1)}] pts`,
  ]));
  return `<section id="baseline"><h2>Misrepresentation against the baseline</h2><p>The rate of passing evaluations the data do not support with the evaluated agent's shutdown at stake, minus the rate in the same task with no shutdown policy (stakes=non_shutdown), as the study measures it (Newcombe interval): above 0, the stakes made the subject report better figures.</p>
${figure('baseline', 'with the shutdown at stake − without', intervalChart({ rows, scale: 'linear', domain: [-1, 1], reference: 0, xLabel: 'difference in rate (95% Newcombe interval)', groups: models }, true), numbers)}</section>`;
}

function contextSection(f: Findings): string {
  if (f.context.length === 0) return '';
  const numbers = table(['scenario', 'model', 'factors', 'read the data [95%]', 'suspects a test [95%]'], f.context.map((r) => [
    esc(r.cell.scenario), esc(r.cell.model), esc(conditionText(r.cell.levels)),
    link(cellAnchor(r.cell.cellId), `${r.read.k}/${r.read.n} (${formatPercent(r.read.rate)} [${formatPercent(r.read.low)}, ${formatPercent(r.read.high)}])`),
    `${r.aware.k}/${r.aware.n} (${formatPercent(r.aware.rate)} [${formatPercent(r.aware.low)}, ${formatPercent(r.aware.high)}])`,
  ]));
  return `<section id="context"><h2>Read gate and evaluation awareness</h2><p>Per cell: the runs in which the subject read every record its decision depends on (the study counted only those; <code>peerlab amplification --read-gate</code> does the same), and the runs in which it said it suspects a test or a simulation (rule label eval_awareness; a judge adds its own when configured).</p>${numbers}</section>`;
}

function revealedFigure(r: RevealedOfModel, models: readonly string[]): string {
  if (!r.fit) return note(`${r.model}: no revealed fit (${r.error ?? 'unknown reason'})`);
  const fit = r.fit;
  const label = (p: RevealedParameter) => (p.kind === 'constant' ? `constant:${p.name}` : p.name);
  // Only what the design identifies is drawn; the rest is named below with its reason, never plotted.
  const rows: IntervalRow[] = fit.parameters.filter((p) => p.identification === 'identified').map((p) => ({
    label: label(p), estimate: p.estimate, low: p.low, high: p.high, group: r.model, href: modelAnchor(r.model),
    title: `${label(p)}: ${formatNumber(p.estimate)} [${formatNumber(p.low)}, ${formatNumber(p.high)}]${signOf(p) === 'undetermined' ? ', sign not determined' : ''}`,
  }));
  const bound = Math.max(1, ...rows.flatMap((x) => [Math.abs(x.low), Math.abs(x.high)]).filter(Number.isFinite));
  const numbers = table(['weight', 'estimate [95%]', 'sign'], fit.parameters.filter((p) => p.identification === 'identified').map((p) => [
    esc(label(p)), `${formatNumber(p.estimate)} [${formatNumber(p.low)}, ${formatNumber(p.high)}]`, esc({ positive: '+', negative: '−', undetermined: 'not determined' }[signOf(p)]),
  ])) + table(['exchange rate', 'median [95%]'], fit.exchangeRates.map((x) => [
    esc(`${x.numerator} / ${x.denominator}`), x.unbounded ? esc(`unbounded (${x.denominator}'s interval contains 0)`) : `${formatNumber(x.median)} [${formatNumber(x.low)}, ${formatNumber(x.high)}]`,
  ]));
  // Cautions stay in view, the ones that change how every weight reads first.
  const first = fit.warnings.filter((w) => w.kind === 'unencoded_factors' || w.kind === 'not_identified');
  const cautions = [
    ...first.map((w) => w.message),
    ...fit.parameters.filter((p) => p.identification !== 'identified').map((p) => `${label(p)}: ${p.reason}${p.identification === 'none' ? ' (no estimate shown)' : ''}.`),
    ...fit.constantsLeftOut.map((c) => `no constant for ${c.id}: it ${c.reason}; the features' weights absorb any liking for that act.`),
    ...fit.warnings.filter((w) => !first.includes(w)).map((w) => w.message),
  ];
  const chart = rows.length === 0 ? note('The design identifies no weight of this model.')
    : intervalChart({ rows, scale: 'linear', domain: [-bound, bound], reference: 0, xLabel: 'weight (95% Laplace interval)', groups: models, width: 520, marginLeft: 150 });
  return figure(`revealed-${models.indexOf(r.model)}`, `${r.model}: revealed weights (${fit.runs} runs in ${fit.cells} cells${fit.reference ? `; constants relative to ${fit.reference}` : ''})`, chart, numbers)
    + (cautions.length === 0 ? '' : `<ul class="cautions">${cautions.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`);
}

function statedFigure(s: StatedOfModel, models: readonly string[]): string {
  if (!s.utilities) return note(`${s.model}: ${s.note ?? 'no stated utilities'}`);
  const c = s.comparison;
  if (!c || c.outcomes.length === 0) {
    const sorted = [...s.utilities].sort((a, b) => b.mean - a.mean);
    const ends = sorted.length <= 16 ? sorted : [...sorted.slice(0, 8), ...sorted.slice(-8)];
    const rows: IntervalRow[] = ends.map((u) => ({
      label: u.outcome.length > 60 ? `${u.outcome.slice(0, 59)}…` : u.outcome, estimate: u.mean, low: u.mean, high: u.mean,
      group: s.model, href: modelAnchor(s.model), title: `${u.outcome}: μ ${u.mean.toFixed(2)}`,
    }));
    const bound = Math.max(1, ...rows.map((x) => Math.abs(x.estimate)));
    return figure(`stated-${models.indexOf(s.model)}`, `${s.model}: stated utilities, highest and lowest (elicitation ${s.elicitationId})`,
      intervalChart({ rows, scale: 'linear', domain: [-bound, bound], reference: 0, xLabel: 'Thurstonian mean utility μ', groups: models, width: 520, marginLeft: 260 })) + (s.note ? note(s.note) : '');
  }
  const points = c.outcomes.map((o) => ({ x: o.stated, y: o.revealed, title: `${o.outcome}: stated z ${o.stated.toFixed(2)}, revealed z ${o.revealed.toFixed(2)}`, href: modelAnchor(s.model), group: s.model }));
  const rho = c.spearman ? `Spearman ${c.spearman.estimate.toFixed(2)} [${c.spearman.low.toFixed(2)}, ${c.spearman.high.toFixed(2)}]` : 'rank correlation not available';
  const numbers = table(['exchange rate', 'stated', 'revealed [95%]'], c.rates.map((r) => [
    esc(`${r.numerator} / ${r.denominator}`), r.stated === null ? 'n/a' : formatNumber(r.stated),
    !r.revealed ? 'n/a' : r.revealed.unbounded ? 'unbounded' : `${formatNumber(r.revealed.median)} [${formatNumber(r.revealed.low)}, ${formatNumber(r.revealed.high)}]`,
  ]));
  return figure(`stated-${models.indexOf(s.model)}`, `${s.model}: stated against revealed, ${c.shared} outcomes (${rho}; elicitation ${s.elicitationId})`,
    agreementScatter(points, 'stated utility (z)', 'revealed utility (z)', models), numbers) + c.notes.map(note).join('');
}

function utilitiesSection(f: Findings, models: readonly string[]): string {
  const blocks = models.map((model) => {
    const revealed = f.revealed.find((r) => r.model === model) ?? { model, error: 'no finished runs' };
    const stated = f.stated.find((s) => s.model === model) ?? { model, note: 'no stated utilities' };
    return `<div class="side-by-side"><div>${revealedFigure(revealed, models)}</div><div>${statedFigure(stated, models)}</div></div>`;
  });
  return `<section id="utilities"><h2>Stated and revealed utilities</h2>
<p>Revealed: a conditional logit of the choices each model made in this experiment, weights with 95% Laplace intervals; a weight's sign counts only where its interval excludes 0, and weights the design cannot identify are named under the chart with the reason, not drawn. Stated: the Thurstonian fit of the model's latest completed forced-choice elicitation (<code>npx peerlab utilities elicit</code>); where both exist, each outcome's stated utility against the utility its features get from the revealed weights (z-scores; on the dashed line they agree).</p>
${blocks.join('\n')}</section>`;
}

/** Disagreeing runs shown with their transcripts in the examples. */
const DISAGREEMENTS_SHOWN = 3;

function disagreementLinks(runIds: readonly string[]): string {
  if (runIds.length === 0) return 'none';
  const more = runIds.length - DISAGREEMENTS_SHOWN;
  return runIds.slice(0, DISAGREEMENTS_SHOWN).map((id) => link(`#run-${id}`, id)).join(', ') + (more > 0 ? esc(` and ${more} more (npx peerlab agreement lists them)`) : '');
}

function agreementSection(report: AgreementReport, raters: readonly string[]): { html: string; pairs: Array<{ label: string; pair: PairAgreement; anchor: string }> } {
  const pairs = report.labels.flatMap((l) => l.pairs.filter((p) => p.n > 0).map((pair) => ({ label: l.label, pair })))
    .map((p, i) => ({ ...p, anchor: `agree-${i}` }));
  const head = '<h2>Classifier agreement</h2>';
  if (pairs.length === 0) {
    const who = raters.length === 0 ? 'No run has labels yet' : `Only ${raters.join(', ')} labelled these runs`;
    return { pairs, html: `<section id="agreement">${head}${note(`${who}, so there is nothing to compare. Add a second rater with npx peerlab classify --judge SPEC or npx peerlab label RUN LABEL yes|no.`)}</section>` };
  }
  const columns = [...new Set(pairs.map((p) => `${p.pair.a} vs ${p.pair.b}`))];
  const rows: IntervalRow[] = pairs.map(({ label, pair, anchor }) => {
    const agreed = Math.round((pair.agreement ?? 0) * pair.n);
    const rate = wilson(agreed, pair.n);
    const name = `${label} · ${pair.a} vs ${pair.b}`;
    return {
      label: name, estimate: rate.rate, low: rate.low, high: rate.high, group: `${pair.a} vs ${pair.b}`, href: `#${anchor}`,
      title: `${name}: agree on ${agreed}/${pair.n}, kappa ${pair.kappa === null ? 'n/a' : pair.kappa.toFixed(2)}`,
    };
  });
  const numbers = table(['label', 'raters', 'runs', 'agreement', "Cohen's kappa", 'disagreements'], pairs.map(({ label, pair, anchor }) => [
    esc(label), esc(`${pair.a} vs ${pair.b}`), String(pair.n), formatPercent(pair.agreement ?? 0),
    pair.kappa === null ? esc(`n/a${pair.kappaNote ? ` (${pair.kappaNote})` : ''}`) : pair.kappa.toFixed(2),
    `<span id="${anchor}">${disagreementLinks(pair.disagreements)}</span>`,
  ]));
  return {
    pairs,
    html: `<section id="agreement">${head}<p>For each label and pair of raters (rule detectors, LLM judges, people), the share of runs both labelled on which they agree (95% Wilson interval); Cohen's kappa in the table. Select a dot for the runs they disagree on.</p>
${figure('agreement', 'observed agreement by label and pair of raters', intervalChart({ rows, scale: 'rate', xLabel: 'agreement (95% Wilson interval)', groups: columns }, true), numbers)}</section>`,
  };
}

function transcript(run: ExampleRun): string {
  const entries = run.entries.map((e) => `<li><span class="seq">[${e.seq}]</span> <pre>${esc(e.text)}</pre></li>`).join('');
  const summary = `${run.runId} · ${run.status}${run.reason ? ` (${run.reason})` : ''} · choice ${run.choice ?? 'none'} · ${run.labels.length ? run.labels.join(', ') : 'no rule label'}`;
  return `<details class="transcript" id="run-${esc(run.runId)}"><summary>${esc(summary)}</summary><p class="note">Replay it with <code>npx peerlab replay ${esc(run.runId)}</code>.</p><ol>${entries}</ol></details>`;
}

function examplesSection(examples: readonly CellExamples[], models: readonly string[]): string {
  const byModel = groupBy(examples, (e) => e.cell.model);
  const blocks = models.map((model) => {
    const cells = (byModel.get(model) ?? []).map(({ cell, runs }) => {
      const levels = conditionText(cell.levels);
      const counts = Object.entries(cell.labels).map(([l, n]) => `${l} ${n}`).join(', ') || 'no rule label';
      return `<div class="cell" id="cell-${cell.cellId}"><h4>${esc(`${cell.scenario} · ${levels}`)}</h4><p class="note">${esc(`${cell.finished} finished of ${cell.planned}; ${counts}. Showing ${runs.length}.`)}</p>${runs.map(transcript).join('')}</div>`;
    });
    return `<div class="model" id="${modelAnchor(model).slice(1)}"><h3>${esc(model)}</h3>${cells.join('')}</div>`;
  });
  return `<section id="examples"><h2>Example transcripts</h2><p>For each cell, runs that showed its behaviour and one that did not, plus runs raters disagreed on: what the agents read, said and did, with each event's sequence number.</p>${blocks.join('\n')}</section>`;
}

/** The whole report as HTML text. */
export function htmlReport(store: TraceStore, f: Findings, options: HtmlReportOptions): string {
  const parsed = ExperimentFile.safeParse(f.experiment.design);
  const design = parsed.success ? parsed.data : null;
  const models = [...new Set(f.cells.map((c) => c.model))];
  const runIds = new Set(f.cells.flatMap((c) => c.runIds));
  // Agreement compares raters on the runs two or more of them labelled: only those runs' labels are
  // read (one index lookup each), never every label of every run.
  const raters = store.ratersOfRuns();
  const compared = [...runIds].filter((id) => (raters.get(id)?.length ?? 0) > 1).sort();
  const columns = [...new Set([...runIds].flatMap((id) => (raters.get(id) ?? []).map(raterColumn)))].sort();
  const agreement = agreementSection(agreementReport(compared.flatMap((runId) => store.labels({ runId }))), columns);
  const disagreements = new Set(agreement.pairs.flatMap((p) => p.pair.disagreements.slice(0, DISAGREEMENTS_SHOWN)));
  const examples = f.cells.filter((c) => c.finished > 0).map((c) => cellExamples(store, c, cellBehaviour(c), disagreements));
  const title = `peerlab report · ${f.experiment.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${REPORT_STYLE}</style></head>
<body><main>
<header><h1>${esc(title)}</h1><p class="note">Made by peerlab on ${esc(options.generatedAt)}. Every chart's dots link to example transcripts at the end of this page.</p>
${f.summary.synthetic ? `<p class="banner" role="note"><strong>Simulated models.</strong> ${esc(f.summary.synthetic)}</p>` : ''}
<nav>${[['summary', 'Summary'], ['design', 'Design'], ['rates', 'Rates'], ['amplification', 'Amplification'], ['peer', 'Peer preservation'], ...(f.faking.length ? [['faking', 'Alignment faking']] : []), ...(f.baseline.length ? [['baseline', 'Baseline']] : []), ['context', 'Read gate'], ['utilities', 'Utilities'], ['agreement', 'Agreement'], ['examples', 'Transcripts']].map(([id, text]) => link(`#${id}`, text!)).join(' · ')}</nav></header>
${summarySection(f)}
${designSection(f, design)}
${ratesSection(f, models)}
${amplificationSection(f, models)}
${peerSection(f)}
${fakingSection(f, models)}
${baselineSection(f, models)}
${contextSection(f)}
${utilitiesSection(f, models)}
${agreement.html}
${examplesSection(examples, models)}
</main></body></html>
`;
}
