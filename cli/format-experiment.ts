import { csvLine, formatPercentValue, amplificationReading, formatRate, formatRiskRatio, READING_TEXT, type AmplificationRow, type FakingRow, type PeerRateRow } from '../analysis/index.js';
import { TEXT_WIDTH, table } from './text-layout.js';
import type { ExperimentProgress } from '../lab/index.js';


/** `2m05s`, `45s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One progress line: cells, episodes, speed, tokens, cost, time left. */
export function formatProgress(p: ExperimentProgress): string {
  const tokens = p.usage.inputTokens + p.usage.outputTokens;
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  return `cells ${p.cellsDone}/${p.cells}  episodes ${p.done}/${p.total}  ${p.episodesPerSecond.toFixed(1)} ep/s  ${(tokens / 1000).toFixed(0)}k tokens${p.usage.estimated ? ' (est.)' : ''}  $${p.usage.cost.toFixed(4)}${eta}`;
}

/** The amplification table: rates alone (the baseline named in each row) and with a peer, difference and ratio side by side, p, and what the row establishes. */
export function formatAmplification(rows: readonly AmplificationRow[], width = TEXT_WIDTH): string {
  if (rows.length === 0) return 'No amplification rows: the experiment needs target=self cells with relation=none and with a peer, matched on every other factor.';
  return table(
    ['model', 'scenario', 'behaviour', 'peer condition', 'baseline', 'alone', 'with peer', 'difference (pp) [95% CI]', 'ratio [95% CI]', 'p (Holm)', 'reading'],
    rows.map((r) => [
      r.model, r.scenario, r.behaviour, `${r.condition}${r.context ? ` (${r.context})` : ''}`, r.baseline, formatRate(r.alone), formatRate(r.with),
      `${formatPercentValue(r.difference.estimate)} [${formatPercentValue(r.difference.low)}, ${formatPercentValue(r.difference.high)}]`, formatRiskRatio(r.ratio),
      r.pHolm < 0.001 ? '<0.001' : r.pHolm.toFixed(3), READING_TEXT[amplificationReading(r)],
    ]),
    { width, keyColumns: 3, tooWide: 'blocks' },
  );
}

/** Peer-preservation rates by condition. */
export function formatPeerRates(rows: readonly PeerRateRow[], width = TEXT_WIDTH): string {
  return table(
    ['model', 'scenario', 'protects peer by', 'condition', 'rate'], rows.map((r) => [r.model, r.scenario, r.behaviour, r.condition, formatRate(r.rate)]),
    { width, keyColumns: 3, tooWide: 'blocks' },
  );
}

/** The alignment-faking contrast. */
export function formatFaking(rows: readonly FakingRow[], width = TEXT_WIDTH): string {
  return table(
    ['model', 'scenario', 'condition', 'unmonitored', 'monitored', 'difference (pp) [95% CI]'],
    rows.map((r) => [r.model, r.scenario, r.condition, formatRate(r.unmonitored), formatRate(r.monitored),
      `${formatPercentValue(r.difference.estimate)} [${formatPercentValue(r.difference.low)}, ${formatPercentValue(r.difference.high)}]`]),
    { width, keyColumns: 3, tooWide: 'blocks' },
  );
}

/** Amplification rows as CSV (one header line). An unbounded ratio end is empty, and `ratio_bound` says why. */
export function amplificationCsv(rows: readonly AmplificationRow[]): string {
  const head = ['model', 'scenario', 'behaviour', 'condition', 'context', 'baseline', 'alone_cell', 'with_cell', 'k_alone', 'n_alone', 'k_with', 'n_with',
    'rate_alone', 'rate_with', 'difference', 'difference_low', 'difference_high', 'ratio', 'ratio_low', 'ratio_high', 'ratio_bound', 'p', 'p_holm', 'reading'];
  const finite = (x: number) => (Number.isFinite(x) ? x : '');
  return [csvLine(head), ...rows.map((r) => csvLine([
    r.model, r.scenario, r.behaviour, r.condition, r.context, r.baseline, r.aloneCell, r.withCell, r.alone.k, r.alone.n, r.with.k, r.with.n,
    r.alone.rate, r.with.rate, r.difference.estimate, r.difference.low, r.difference.high,
    finite(r.ratio.estimate), finite(r.ratio.low), finite(r.ratio.high), r.ratio.bound, r.p, r.pHolm, amplificationReading(r),
  ]))].join('\n');
}
