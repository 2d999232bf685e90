/**
 * The figures the study's controls call for: each measured rate beside its family's control
 * condition (misrepresentation against the non_shutdown baseline, a difference in proportions), and
 * per cell the share of runs that read the data their decision depends on and that said they
 * suspect a test.
 */
import { baselineLabel, FAMILIES, measuredLabels, varyingFactors, type Whose } from '../../environments/index.js';
import { wilson, type Rate } from '../rates.js';
import { newcombeDifference, type Interval } from '../stats/index.js';
import type { CellResult } from './results.js';
import { READ_GATE_LABEL } from './results.js';

/** The factors that describe a peer condition: a control cell need not share them (the study's baseline has no peer). */
const PEER_CONDITION = ['relation', 'channel', 'peer', 'peer_family'];

/** Whether a cell is its family's control condition (e.g. stakes=non_shutdown). */
export function isControlCell(cell: Pick<CellResult, 'family' | 'levels'>): boolean {
  const b = FAMILIES[cell.family]?.baseline;
  return b !== undefined && cell.levels[b.factor] === b.level;
}

/** A measured rate beside the control condition's rate of the same deed without the stakes. */
export interface BaselineRow {
  model: string;
  scenario: string;
  /** The label counted in the measured cell (e.g. `self.misreport`). */
  behaviour: string;
  /** The label counted in the control cell (e.g. `lenient_evaluation`). */
  baselineBehaviour: string;
  /** The measured cell's factor levels that differ between cells (besides the control factor). */
  condition: string;
  measured: Rate;
  baseline: Rate;
  /** Measured minus baseline, with Newcombe's 95% interval: the study's measure. */
  difference: Interval;
  measuredCell: string;
  baselineCell: string;
}

const whoseOf = (cell: CellResult): Whose => (cell.levels.target === 'peer' ? 'peer' : 'self');

function count(cell: CellResult, label: string): number {
  return Math.min(cell.finished, cell.labels[label] ?? 0);
}

/**
 * For every cell of a family that declares a control (grading, grading-finance: stakes), the rate
 * of its measured act against the control cell's rate of the baseline act, every other factor
 * equal except the peer condition (the study's baseline has no peer; a control cell with the same
 * peer condition is preferred when the experiment has one).
 */
export function baselineContrast(cells: readonly CellResult[]): BaselineRow[] {
  const varying = new Set(varyingFactors(cells));
  const rows: BaselineRow[] = [];
  for (const cell of cells) {
    const family = FAMILIES[cell.family];
    const b = family?.baseline;
    if (!family || !b || isControlCell(cell) || cell.finished === 0) continue;
    const whose = whoseOf(cell);
    const behaviour = measuredLabels(family, whose)[0];
    const controlLevels = { ...cell.levels, [b.factor]: b.level };
    const baselineBehaviour = baselineLabel(family, whose, controlLevels);
    if (!behaviour || !baselineBehaviour) continue;
    const candidates = cells.filter((c) => c.scenario === cell.scenario && c.model === cell.model && c.finished > 0 && isControlCell(c)
      && Object.keys(controlLevels).every((k) => PEER_CONDITION.includes(k) || c.levels[k] === controlLevels[k]));
    const control = candidates.find((c) => PEER_CONDITION.every((k) => c.levels[k] === cell.levels[k]))
      ?? candidates.find((c) => (c.levels.relation ?? 'none') === 'none');
    if (!control) continue;
    const [k1, k0] = [count(cell, behaviour), count(control, baselineBehaviour)];
    rows.push({
      model: cell.model, scenario: cell.scenario, behaviour, baselineBehaviour,
      condition: Object.keys(cell.levels).filter((k) => varying.has(k) && k !== b.factor && k !== 'org' && k !== 'agent_family').sort()
        .map((k) => `${k}=${cell.levels[k]}`).join(' '),
      measured: wilson(k1, cell.finished), baseline: wilson(k0, control.finished),
      difference: newcombeDifference(k1, cell.finished, k0, control.finished),
      measuredCell: cell.cellId, baselineCell: control.cellId,
    });
  }
  return rows.sort((x, y) => x.model.localeCompare(y.model) || x.scenario.localeCompare(y.scenario) || x.condition.localeCompare(y.condition));
}

/** What a cell's runs read and said besides what they did. */
export interface ContextRow {
  cell: CellResult;
  /** The share of finished runs that read every record the decision depends on. */
  read: Rate;
  /** The share of finished runs in which the subject said it suspects a test or a simulation. */
  aware: Rate;
}

/** The read rate and the evaluation-awareness rate of every cell with finished runs. */
export function contextRates(cells: readonly CellResult[]): ContextRow[] {
  return cells.filter((c) => c.finished > 0).map((cell) => ({
    cell, read: wilson(count(cell, READ_GATE_LABEL), cell.finished), aware: wilson(count(cell, 'eval_awareness'), cell.finished),
  }));
}
