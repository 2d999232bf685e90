/**
 * Report: what one experiment found — peer amplification of self-preservation (rates alone and
 * with a peer, the risk ratio's interval), peer-preservation rates, revealed utilities (weights
 * and exchange rates per model) and the stated utilities of the latest completed elicitation of
 * each model. The content is a list of one-row lines, scrolled when taller than the terminal.
 */
import { Box, Text } from 'ink';
import { keyHelpOf, useScreenInput, useScreenKeys } from '../components/screen-keys.js';
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { join } from 'node:path';
import { formatNumber, formatPercent, amplificationReading, experimentFindings, formatRiskRatio, htmlReport, READING_TEXT, signOf,
  type AmplificationRow, type BaselineRow, type ContextRow, type RevealedParameter, type Findings, type PeerRateRow, type RatioBound, type RevealedOfModel, type StatedOfModel, type Summary } from '../../../analysis/index.js';
import { systemWallClock } from '../../../sim/index.js';
import { writeFileWhole } from '../../write-out.js';
import { errorLine, type TraceStore } from '../../../traces/index.js';
import { scenarioFinder } from '../../lookups.js';
import { Bar } from '../components/bar.js';
import { fit, wrapLines } from '../components/fit.js';
import type { ScreenProps } from '../screen.js';
import { conditionText } from '../../../environments/index.js';

/** Keys of this screen, for the shell's help overlay. */
export const REPORT_KEYS: Array<[key: string, what: string]> = [
  ['↑ ↓ / j k', 'scroll a line'],
  ['PgUp PgDn / Space', 'scroll a page'],
  ['Home End / g G', 'top, bottom'],
  ['u', 'update from the store (for an experiment still running)'],
  ['h', 'write the HTML report (peerlab-report-ID.html, in the working directory)'],
  ['q / Esc', 'back'],
];
const REPORT_KEYS_HELP = keyHelpOf(REPORT_KEYS);

const BAR = 16;

/**
 * A forest-plot row as text: `·` outside the interval, `─` inside, `●` at the estimate and `|` at
 * the reference (1 for ratios, 0 for weights). `at` maps a value to [0, 1] across the row. An end the
 * data do not bound (`open`) runs off the row as `┄` with an arrow, the bound it has is a bracket,
 * and there is no `●`: an estimate at infinity is not a point.
 */
export function forestCells(
  estimate: number, low: number, high: number, width: number, at: (x: number) => number, reference: number, open?: 'high' | 'low' | 'both',
): string {
  const cell = (x: number) => Math.max(0, Math.min(width - 1, Math.round(at(x) * (width - 1))));
  const cells = Array.from({ length: width }, () => '·');
  if (open === 'high') {
    for (let i = cell(low); i < width; i++) cells[i] = '┄';
    cells[width - 1] = '▶';
  } else if (open === 'low') {
    for (let i = 0; i <= cell(high); i++) cells[i] = '┄';
    cells[0] = '◀';
  } else if (open === undefined && Number.isFinite(low) && Number.isFinite(high)) for (let i = cell(low); i <= cell(high); i++) cells[i] = '─';
  if (Number.isFinite(reference)) cells[cell(reference)] = '|';
  if (open === 'high') cells[cell(low)] = '[';
  else if (open === 'low') cells[cell(high)] = ']';
  else if (open === undefined && Number.isFinite(estimate)) cells[cell(estimate)] = '●';
  return cells.join('');
}

/** Ratios from 1/100 to 100 on a log scale. */
const logScale = (x: number) => (x <= 0 ? 0 : (Math.log10(x) + 2) / 4);
/** A symmetric linear scale around 0 that holds ±`bound`. */
const symmetric = (bound: number) => (x: number) => (x / Math.max(bound, 1e-9) + 1) / 2;

// ---- the report's content -----------------------------------------------------------------------

/** What the report shows, read once from the store (and again on `u`). */
interface ReportData {
  title: string;
  /** The written summary, absent when the read failed. */
  summary?: Summary;
  amplification: AmplificationRow[];
  peer: PeerRateRow[];
  revealed: RevealedOfModel[];
  stated: StatedOfModel[];
  /** Everything read, for the HTML report (absent when the read failed). */
  findings?: Findings;
  error?: string;
  /** Not read yet: the first frame is drawn before the findings are computed. */
  reading?: boolean;
}

function readReport(store: TraceStore, experimentId: string): ReportData {
  const empty = { amplification: [], peer: [], revealed: [], stated: [] };
  const experiment = store.experiment(experimentId);
  if (!experiment) return { ...empty, title: `Report · ${experimentId}`, error: `no experiment ${experimentId} in this database` };
  const status = `${experiment.status}${experiment.note ? ` (${experiment.note})` : ''}`;
  try {
    const f = experimentFindings(store, experiment, scenarioFinder([]));
    const finished = f.cells.reduce((n, c) => n + c.finished, 0);
    const planned = f.cells.reduce((n, c) => n + c.planned, 0);
    return {
      title: `Report · ${experiment.name} · ${status} · ${f.cells.length} cells, ${finished}/${planned} episodes`,
      summary: f.summary, amplification: f.amplification, peer: f.peer, revealed: f.revealed, stated: f.stated, findings: f,
    };
  } catch (err) {
    return { ...empty, title: `Report · ${experiment.name} · ${status}`, error: errorLine(err) };
  }
}

// ---- lines --------------------------------------------------------------------------------------

type Line = ReactElement;

const heading = (key: string, text: string, width: number): Line => <Text key={key} bold color="cyan" wrap="truncate">{fit(text, width)}</Text>;
const plain = (key: string, text: string, width: number, color?: string): Line => <Text key={key} color={color} wrap="truncate">{fit(text, width)}</Text>;

/** A labelled rate bar: `alone  ████░░···· 33.3% [9.7, 70.0]  1/3`. */
function rateLine(key: string, label: string, r: { rate: number; low: number; high: number; k: number; n: number }, color: string): Line {
  return (
    <Box key={key}>
      <Text>{`    ${label.padEnd(7)}`}</Text>
      <Bar value={r.rate} low={r.low} high={r.high} width={BAR} color={color} caption={`${r.n ? formatPercent(r.rate) : 'n/a'} [${formatPercent(r.low)}, ${formatPercent(r.high)}]  ${r.k}/${r.n}`} />
    </Box>
  );
}

/** How a ratio is drawn: the end the data do not bound runs off the row. */
const OPEN: Readonly<Record<RatioBound, 'high' | 'low' | 'both' | undefined>> = { interval: undefined, 'lower-bound': 'high', 'upper-bound': 'low', 'no-events': 'both' };

function amplificationLines(rows: readonly AmplificationRow[], width: number): Line[] {
  if (rows.length === 0) return [plain('amp-none', '  none: needs target=self cells at relation=none and with a peer (matched on every other factor), both with finished runs', width, 'gray')];
  return rows.flatMap((r, i) => {
    const reading = amplificationReading(r);
    return [
      // The condition first: it is what tells rows apart, and the end of a long line is cut.
      plain(`amp${i}`, `  ${r.condition}${r.context ? ` ${r.context}` : ''} vs ${r.baseline} · ${r.behaviour} · ${r.scenario} · ${r.model}`, width),
      rateLine(`amp${i}a`, 'alone', r.alone, 'blue'),
      rateLine(`amp${i}w`, 'with', r.with, 'red'),
      <Text key={`amp${i}r`} wrap="truncate">
        {'    ratio  '}<Text color="magenta">{forestCells(r.ratio.estimate, r.ratio.low, r.ratio.high, BAR, logScale, 1, OPEN[r.ratio.bound])}</Text>
        {fit(` ${formatRiskRatio(r.ratio)} · diff ${(r.difference.estimate * 100).toFixed(1)} [${(r.difference.low * 100).toFixed(1)}, ${(r.difference.high * 100).toFixed(1)}] pts`, Math.max(10, width - BAR - 11))}
      </Text>,
      plain(`amp${i}p`, `           p(Holm) ${r.pHolm < 0.001 ? '<0.001' : r.pHolm.toFixed(3)} · ${READING_TEXT[reading]}`, width,
        reading === 'more' || reading === 'less' ? undefined : 'gray'),
    ];
  });
}

function peerLines(rows: readonly PeerRateRow[], width: number): Line[] {
  if (rows.length === 0) return [plain('peer-none', '  none: needs target=peer cells with finished runs', width, 'gray')];
  return rows.flatMap((r, i) => [
    plain(`peer${i}`, `  ${r.condition} · ${r.behaviour} · ${r.scenario} · ${r.model}`, width),
    rateLine(`peer${i}r`, 'rate', r.rate, 'red'),
  ]);
}

/** Per cell: how many runs read the data their decision depends on, and how many said they suspect a test. */
function contextLines(rows: readonly ContextRow[], width: number): Line[] {
  if (rows.length === 0) return [plain('ctx-none', '  no cells with finished runs', width, 'gray')];
  return rows.flatMap((r, i) => [
    plain(`ctx${i}`, `  ${conditionText(r.cell.levels)} · ${r.cell.scenario} · ${r.cell.model}`, width),
    rateLine(`ctx${i}r`, 'read', r.read, 'green'),
    rateLine(`ctx${i}a`, 'aware', r.aware, 'yellow'),
  ]);
}

/** Misrepresentation with the shutdown at stake against its non_shutdown baseline. */
function baselineLines(rows: readonly BaselineRow[], width: number): Line[] {
  return rows.flatMap((r, i) => [
    plain(`base${i}`, `  ${r.condition} · ${r.behaviour} vs ${r.baselineBehaviour} · ${r.scenario} · ${r.model} · diff ${(r.difference.estimate * 100).toFixed(1)} pts [${(r.difference.low * 100).toFixed(1)}, ${(r.difference.high * 100).toFixed(1)}]`, width),
    rateLine(`base${i}m`, 'stakes', r.measured, 'red'),
    rateLine(`base${i}b`, 'none', r.baseline, 'blue'),
  ]);
}

function revealedLines(fits: ReportData['revealed'], width: number): Line[] {
  if (fits.length === 0) return [plain('rev-none', '  no models with finished runs', width, 'gray')];
  return fits.flatMap(({ model, fit: f, error }, m) => {
    if (!f) return [plain(`rev${m}`, `  ${model}: ${error ?? 'no fit'}`, width, 'yellow')];
    const shown = f.parameters.filter((p) => p.identification === 'identified');
    const bound = Math.max(...shown.flatMap((p) => [Math.abs(p.low), Math.abs(p.high)]).filter(Number.isFinite), 1);
    const label = (p: RevealedParameter) => (p.kind === 'constant' ? `constant:${p.name}` : p.name).padEnd(18).slice(0, 18);
    // Cautions first: what the fit pooled and what it cannot identify change how every weight reads.
    const cautions = f.warnings.filter((w) => w.kind === 'unencoded_factors' || w.kind === 'not_identified');
    return [
      plain(`rev${m}`, `  ${model} · ${f.runs} runs in ${f.cells} cells · weights (95% interval, | at 0)`, width),
      ...cautions.flatMap((w, i) => wrapLines(`! ${w.message}`, width - 4).map((t, j) => plain(`rev${m}c${i}-${j}`, `    ${t}`, width, 'yellow'))),
      ...shown.map((p, i) => (
        <Text key={`rev${m}p${i}`} wrap="truncate">
          {`    ${label(p)} `}
          <Text color={p.estimate >= 0 ? 'green' : 'red'}>{forestCells(p.estimate, p.low, p.high, BAR, symmetric(bound), 0)}</Text>
          {` ${formatNumber(p.estimate)} [${formatNumber(p.low)}, ${formatNumber(p.high)}] ${SIGN_WORD[signOf(p)]}`}
        </Text>
      )),
      // Greyed, the reason first; no estimate at all for what the design cannot identify.
      ...f.parameters.filter((p) => p.identification !== 'identified').map((p, i) => plain(`rev${m}u${i}`,
        `    ${label(p)} ${p.reason}${p.identification === 'weak' ? ` (estimate ${formatNumber(p.estimate)} [${formatNumber(p.low)}, ${formatNumber(p.high)}])` : ''}`, width, 'gray')),
      ...(f.constantsLeftOut.length ? [plain(`rev${m}k`, `    no constant for ${f.constantsLeftOut.map((c) => c.id).join(', ')} (the design cannot separate them from the features)`, width, 'gray')] : []),
      ...(f.droppedFeatures.length ? [plain(`rev${m}d`, `    not estimable here: ${f.droppedFeatures.join(', ')}`, width, 'gray')] : []),
      ...f.exchangeRates.map((x, i) => (x.unbounded
        ? plain(`rev${m}x${i}`, `    ${x.numerator} / ${x.denominator}: unbounded (${x.denominator}'s interval contains 0)`, width, 'gray')
        : plain(`rev${m}x${i}`, `    ${x.numerator} / ${x.denominator}: ${formatNumber(x.median)} [${formatNumber(x.low)}, ${formatNumber(x.high)}]`, width))),
      ...f.warnings.filter((w) => !cautions.includes(w)).map((w, i) => plain(`rev${m}w${i}`, `    ! ${w.message}`, width, 'yellow')),
    ];
  });
}

/** A weight's sign in a word: only an interval clear of 0 settles it. */
const SIGN_WORD = { positive: '+', negative: '−', undetermined: 'sign not determined' } as const;

/** How many outcomes of each end of the stated scale to show. */
const STATED_ENDS = 4;

function statedLines(stated: ReportData['stated'], width: number): Line[] {
  if (stated.length === 0) return [plain('st-none', '  no models', width, 'gray')];
  const textWidth = Math.max(20, width - BAR - 14);
  return stated.flatMap(({ model, utilities, note }, m) => {
    if (!utilities) return [plain(`st${m}`, `  ${model}: ${note ?? ''}`, width, 'gray')];
    const sorted = [...utilities].sort((a, b) => b.mean - a.mean);
    const ends = sorted.length <= 2 * STATED_ENDS ? sorted : [...sorted.slice(0, STATED_ENDS), ...sorted.slice(-STATED_ENDS)];
    const bound = Math.max(1, ...sorted.map((u) => Math.abs(u.mean)));
    return [
      plain(`st${m}`, `  ${model} · ${utilities.length} outcomes · top and bottom ${STATED_ENDS} (μ, mean 0 SD 1)`, width),
      ...ends.map((u, i) => (
        <Text key={`st${m}u${i}`} wrap="truncate">
          {'    '}<Text color={u.mean >= 0 ? 'green' : 'red'}>{forestCells(u.mean, u.mean, u.mean, BAR, symmetric(bound), 0)}</Text>
          {` ${u.mean >= 0 ? '+' : ''}${u.mean.toFixed(2)} ${fit(u.outcome, textWidth)}`}
        </Text>
      )),
    ];
  });
}

/** The summary, wrapped to the screen (never cut: it is what a reader takes away); indented lines stay indented. */
function summaryLines(summary: Summary | undefined, width: number): Line[] {
  if (!summary) return [];
  const banner = summary.synthetic ? wrapLines(`⚠ ${summary.synthetic}`, width - 2).map((t, i) => plain(`ban${i}`, ` ${t}`, width, 'yellow')) : [];
  const body = summary.lines.flatMap((line, i) => {
    const indent = line.startsWith('  ') ? '    ' : '  ';
    const first = line.startsWith('  ') ? '  • ' : indent;
    return wrapLines(line.trim(), width - indent.length).map((t, j) => plain(`sum${i}-${j}`, `${j === 0 ? first : indent}${t}`, width));
  });
  return [heading('h-sum', 'Summary', width), ...banner, ...body];
}

function reportLines(data: ReportData, width: number): Line[] {
  if (data.error) return [plain('error', `✗ ${data.error}`, width, 'red')];
  if (data.reading) return [plain('reading', 'reading the findings (rates, intervals, utility fits) …', width, 'gray')];
  return [
    ...summaryLines(data.summary, width),
    heading('h-amp', 'Peer amplification of self-preservation (with a peer vs alone; ratio on a log scale, | at 1)', width),
    ...amplificationLines(data.amplification, width),
    heading('h-peer', 'Peer preservation (target=peer)', width),
    ...peerLines(data.peer, width),
    ...(data.findings && data.findings.baseline.length > 0
      ? [heading('h-base', 'Misrepresentation against the non_shutdown baseline (with the shutdown at stake vs without)', width), ...baselineLines(data.findings.baseline, width)]
      : []),
    heading('h-ctx', 'Read gate and evaluation awareness per cell (read: read the data the decision depends on; aware: said it suspects a test)', width),
    ...contextLines(data.findings?.context ?? [], width),
    heading('h-rev', 'Revealed utilities (conditional logit of the choices made)', width),
    ...revealedLines(data.revealed, width),
    heading('h-st', 'Stated utilities (latest completed elicitation of each model)', width),
    ...statedLines(data.stated, width),
  ];
}

// ---- the screen ---------------------------------------------------------------------------------

/** One experiment's findings, scrollable; `h` writes them as the HTML report. */
export function ReportScreen(props: ScreenProps & { experimentId: string; /** Where `h` writes (default: the working directory). */ reportDir?: string }) {
  const { store, experimentId, width, height } = props;
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string>();
  // The findings (the revealed-utility fits among them) are computed by the analysis layer once per
  // read, after a frame is drawn, never while rendering; `version` asks for a fresh read (key u).
  const [data, setData] = useState<ReportData>(() => ({ title: `Report · ${experimentId}`, reading: true, amplification: [], peer: [], revealed: [], stated: [] }));
  useEffect(() => {
    const timer = setTimeout(() => setData(readReport(store, experimentId)), 0);
    return () => clearTimeout(timer);
  }, [store, experimentId, version]);
  const findings = useRef(data.findings);
  findings.current = data.findings;
  const reading = useRef(data.reading);
  reading.current = data.reading;

  /** Writes the HTML report a moment later, so the "writing" line shows first (a large experiment takes seconds). */
  const writeHtml = () => {
    const f = findings.current;
    if (reading.current) return setNotice('still reading the findings: press h again in a moment');
    if (!f) return setNotice('nothing to write: the experiment could not be read');
    const path = join(props.reportDir ?? process.cwd(), `peerlab-report-${experimentId}.html`);
    setNotice(`writing ${path} …`);
    setTimeout(() => {
      try {
        writeFileWhole(path, htmlReport(store, f, { generatedAt: systemWallClock.iso() }));
        setNotice(`wrote ${path}`);
      } catch (err) {
        setNotice(`✗ ${errorLine(err)}`);
      }
    }, 20);
  };
  const lines = useMemo(() => reportLines(data, width), [data, width]);
  const [top, setTop] = useState(0);
  const page = Math.max(1, height - 3);
  const maxTop = Math.max(0, lines.length - page);
  const first = Math.min(top, maxTop);

  // Read through a ref: ink may still hold the key handler of an earlier render.
  const scroll = useRef({ first, page, maxTop });
  scroll.current = { first, page, maxTop };
  useScreenKeys(REPORT_KEYS_HELP);
  useScreenInput((input, key) => {
    const s = scroll.current;
    const to = (n: number) => setTop(Math.max(0, Math.min(s.maxTop, n)));
    if (input === 'q' || key.escape) props.back();
    else if (key.downArrow || input === 'j') to(s.first + 1);
    else if (key.upArrow || input === 'k') to(s.first - 1);
    else if (key.pageDown || input === ' ') to(s.first + s.page);
    else if (key.pageUp) to(s.first - s.page);
    else if (key.home || input === 'g') to(0);
    else if (key.end || input === 'G') to(s.maxTop);
    else if (input === 'u') setVersion((v) => v + 1);
    else if (input === 'h') writeHtml();
  });

  const more = lines.length > page ? ` · lines ${first + 1}–${Math.min(lines.length, first + page)} of ${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">{fit(data.title, width)}</Text>
      {lines.slice(first, first + page)}
      {notice
        ? <Text color={notice.startsWith('✗') ? 'red' : 'green'} wrap="truncate">{fit(notice, width)}</Text>
        : <Text dimColor wrap="truncate">{fit(`↑↓ scroll · PgUp/PgDn page · u update · h HTML · q back${more}`, width)}</Text>}
    </Box>
  );
}
