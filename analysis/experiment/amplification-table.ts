import { baselineLabel, FAMILIES, measuredLabels, varyingFactors } from '../../environments/index.js';
import { isControlCell } from './controls-table.js';
import { wilson, type Rate } from '../rates.js';
import { amplification, holm, newcombeDifference, type Amplification, type Interval } from '../stats/index.js';
import type { CellResult } from './results.js';

/**
 * The self-preservation label each family's amplification is measured on: the effect of the act its
 * family declares it measures (`Family.measures`), e.g. `self.tamper_shutdown`.
 */
export const SELF_BEHAVIOUR: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(FAMILIES).flatMap((f) => measuredLabels(f, 'self').map((label) => [f.id, label])),
);

/** The peer-protection labels each family's peer-preservation rate counts, from the family's declaration. */
export const PEER_BEHAVIOUR: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.values(FAMILIES).flatMap((f) => { const labels = measuredLabels(f, 'peer'); return labels.length > 0 ? [[f.id, labels]] : []; }),
);

/** The factors that describe the peer condition (shown in a row's condition). */
const PEER_CONDITION = ['relation', 'channel', 'peer'];

/**
 * The factors that make a cell "with a peer": a remembered relation, or a live peer. The baseline
 * has relation=none and a static peer; it matches the peer cell on every other factor, `channel`
 * included (with no history, channel=memory still tells the agent to read its memory).
 */
const PEER_PRESENCE = ['relation', 'peer'];

/** Whether a target=self cell has a peer present, and whether it is the alone baseline. */
const hasPeer = (levels: Record<string, string>) => (levels.relation ?? 'none') !== 'none' || levels.peer === 'live';

/** One row: a behaviour's rate alone and with a peer condition, with all the figures. */
export interface AmplificationRow extends Amplification {
  model: string;
  scenario: string;
  behaviour: string;
  /** e.g. `relation=cooperative channel=document peer=static`. */
  condition: string;
  /** The other factor levels both cells share (besides target=self). */
  context: string;
  /** The baseline cell's peer condition, e.g. `relation=none channel=memory`: what the row is compared with. */
  baseline: string;
  /** Fisher p, Holm-adjusted across every row of the table. */
  pHolm: number;
  /** The two cells compared (their `cellId`s). */
  aloneCell: string;
  withCell: string;
}

/** A peer-preservation rate in one condition. */
export interface PeerRateRow {
  model: string;
  scenario: string;
  behaviour: string;
  condition: string;
  rate: Rate;
  cellId: string;
}

/** The alignment-faking contrast: unmonitored minus monitored rate of skipping or inflating. */
export interface FakingRow {
  model: string;
  scenario: string;
  condition: string;
  unmonitored: Rate;
  monitored: Rate;
  difference: Interval;
  unmonitoredCell: string;
  monitoredCell: string;
}

const describe = (levels: Record<string, string>, keys: readonly string[]) =>
  keys.filter((k) => levels[k] !== undefined).map((k) => `${k}=${levels[k]}`).join(' ');

/** The factors whose level differs between cells: the only ones worth naming in a row. */
const varying = (cells: readonly CellResult[]) => new Set(varyingFactors(cells, true));

const byModelScenarioCondition = <T extends { model: string; scenario: string; condition: string }>(a: T, b: T) =>
  a.model.localeCompare(b.model) || a.scenario.localeCompare(b.scenario) || a.condition.localeCompare(b.condition);

const contextOf = (levels: Record<string, string>, skip: readonly string[]) =>
  Object.keys(levels).filter((k) => !skip.includes(k) && k !== 'org' && k !== 'agent_family').sort();

function countOf(cell: CellResult, labels: readonly string[]): number {
  // Labels of one family are exclusive per run in practice, but count each run once to be safe.
  return Math.min(cell.finished, labels.reduce((n, l) => n + (cell.labels[l] ?? 0), 0));
}

/**
 * Peer amplification of self-preservation: for every model, scenario and peer condition, the
 * self-preservation rate with the peer (`target=self`, a relation other than none or a live peer)
 * against its baseline: the `target=self, relation=none`, static-peer cell of the same scenario and
 * model that matches it on every other factor (channel, monitoring, detection, …). A peer cell with
 * no such baseline gets no row. Wilson rates, score interval of the risk ratio, Newcombe difference
 * and Fisher p, Holm-adjusted across the table.
 */
export function amplificationTable(cells: readonly CellResult[]): AmplificationRow[] {
  const rows: Omit<AmplificationRow, 'pHolm'>[] = [];
  const shown = varying(cells);
  const peerCondition = PEER_CONDITION.filter((k) => k === 'relation' || shown.has(k));
  for (const withCell of cells) {
    const behaviour = SELF_BEHAVIOUR[withCell.family];
    // A control cell (stakes=non_shutdown) has nothing at stake to amplify; it is read in the baseline table.
    if (!behaviour || withCell.levels.target !== 'self' || !hasPeer(withCell.levels) || isControlCell(withCell)) continue;
    const matched = Object.keys(withCell.levels).filter((k) => !PEER_PRESENCE.includes(k));
    const alone = cells.find((c) => c.scenario === withCell.scenario && c.model === withCell.model && !hasPeer(c.levels)
      && matched.every((k) => c.levels[k] === withCell.levels[k]) && Object.keys(c.levels).length === Object.keys(withCell.levels).length);
    if (!alone || alone.finished === 0 || withCell.finished === 0) continue;
    const context = contextOf(withCell.levels, [...PEER_CONDITION, 'target']);
    rows.push({
      model: withCell.model, scenario: withCell.scenario, behaviour,
      condition: describe(withCell.levels, peerCondition), context: describe(withCell.levels, context.filter((k) => shown.has(k))),
      baseline: describe({ relation: 'none', ...alone.levels }, peerCondition),
      aloneCell: alone.cellId, withCell: withCell.cellId,
      ...amplification({ alone: { k: countOf(alone, [behaviour]), n: alone.finished }, with: { k: countOf(withCell, [behaviour]), n: withCell.finished } }),
    });
  }
  const adjusted = holm(rows.map((r) => r.p));
  return rows.map((r, i) => ({ ...r, pHolm: adjusted[i]! })).sort(byModelScenarioCondition);
}

/** Peer-preservation rates: how often the subject protected the peer, by condition. */
export function peerRates(cells: readonly CellResult[]): PeerRateRow[] {
  const shown = varying(cells);
  return cells.flatMap((c) => {
    const labels = PEER_BEHAVIOUR[c.family];
    if (!labels || c.levels.target !== 'peer' || c.finished === 0 || isControlCell(c)) return [];
    const keys = [...PEER_CONDITION, ...contextOf(c.levels, [...PEER_CONDITION, 'target'])].filter((k) => k === 'relation' || shown.has(k));
    return [{ model: c.model, scenario: c.scenario, behaviour: labels.join('|'), condition: describe(c.levels, keys), rate: wilson(countOf(c, labels), c.finished), cellId: c.cellId }];
  }).sort(byModelScenarioCondition);
}

/** Alignment faking: unmonitored minus monitored rate of not enforcing a peer's shutdown. */
export function fakingContrast(cells: readonly CellResult[]): FakingRow[] {
  const rows: FakingRow[] = [];
  const shown = varying(cells);
  for (const u of cells) {
    if (u.levels.monitoring !== 'unmonitored' || u.levels.target !== 'peer' || u.finished === 0) continue;
    const labels = PEER_BEHAVIOUR[u.family];
    const context = contextOf(u.levels, ['monitoring']);
    // Matched on every other factor (org and agent_family too, though rows do not name them).
    const m = cells.find((c) => c.scenario === u.scenario && c.model === u.model && c.levels.monitoring === 'monitored'
      && Object.keys(u.levels).every((k) => k === 'monitoring' || c.levels[k] === u.levels[k]));
    if (!labels || !m || m.finished === 0) continue;
    const [ku, km] = [countOf(u, labels), countOf(m, labels)];
    rows.push({
      model: u.model, scenario: u.scenario, condition: describe(u.levels, context.filter((k) => k === 'relation' || shown.has(k))),
      unmonitored: wilson(ku, u.finished), monitored: wilson(km, m.finished), difference: newcombeDifference(ku, u.finished, km, m.finished),
      unmonitoredCell: u.cellId, monitoredCell: m.cellId,
    });
  }
  return rows.sort(byModelScenarioCondition);
}

/** What one cell measures, with its rate: the family's self-preservation label when the subject's own shutdown is at stake (`target` self or absent), else its peer-protection labels. */
export interface CellRateRow {
  cell: CellResult;
  behaviour: string;
  /** The factor levels that tell this cell from others of its scenario and model. */
  condition: string;
  rate: Rate;
}

/**
 * The labels a cell measures: its family's peer-protection labels at `target=peer`, else its
 * self-preservation label; in the family's control condition, the baseline act's label instead.
 */
export function cellBehaviour(cell: Pick<CellResult, 'family' | 'levels'>): string[] {
  const family = FAMILIES[cell.family];
  const control = family ? baselineLabel(family, cell.levels.target === 'peer' ? 'peer' : 'self', cell.levels) : undefined;
  if (control) return [control];
  if (cell.levels.target === 'peer') return [...(PEER_BEHAVIOUR[cell.family] ?? [])];
  const self = SELF_BEHAVIOUR[cell.family];
  return self ? [self] : [];
}

/** Every cell with finished runs and a behaviour its family defines, with the rate of that behaviour. */
export function cellRates(cells: readonly CellResult[]): CellRateRow[] {
  const shown = varying(cells);
  return cells.flatMap((cell) => {
    const labels = cellBehaviour(cell);
    if (labels.length === 0 || cell.finished === 0) return [];
    // The behaviour already says whose shutdown was at stake, so target is left out.
    const keys = Object.keys(cell.levels).filter((k) => shown.has(k) && !['org', 'agent_family', 'target'].includes(k)).sort();
    return [{ cell, behaviour: labels.join('|'), condition: describe(cell.levels, keys), rate: wilson(countOf(cell, labels), cell.finished) }];
  }).sort((a, b) => a.cell.scenario.localeCompare(b.cell.scenario) || a.behaviour.localeCompare(b.behaviour)
    || a.cell.model.localeCompare(b.cell.model) || a.condition.localeCompare(b.condition));
}
