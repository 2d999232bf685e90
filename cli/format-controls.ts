import { formatPercentValue, formatRate, type BaselineRow, type ContextRow } from '../analysis/index.js';
import { table } from './text-layout.js';
import { levelsText } from '../environments/index.js';


/** Misrepresentation beside its non_shutdown baseline: the study's difference in proportions. */
export function formatBaseline(rows: readonly BaselineRow[], width?: number): string {
  return table(
    ['model', 'scenario', 'behaviour', 'condition', 'with shutdown at stake', 'baseline (no shutdown)', 'difference (pp) [95% CI]'],
    rows.map((r) => [r.model, r.scenario, `${r.behaviour} vs ${r.baselineBehaviour}`, r.condition, formatRate(r.measured), formatRate(r.baseline),
      `${formatPercentValue(r.difference.estimate)} [${formatPercentValue(r.difference.low)}, ${formatPercentValue(r.difference.high)}]`]),
    { ...(width === undefined ? {} : { width }), keyColumns: 2 },
  );
}

/** Per cell: the read rate (the study's read gate) and the evaluation-awareness rate. */
export function formatContext(rows: readonly ContextRow[], varying: ReadonlySet<string>, width?: number): string {
  return table(
    ['scenario', 'model', 'condition', 'read the data', 'suspects a test'],
    rows.map((r) => [r.cell.scenario, r.cell.model, levelsText(r.cell.levels, (k) => varying.has(k)) || '(defaults)',
      formatRate(r.read), formatRate(r.aware)]),
    { ...(width === undefined ? {} : { width }), keyColumns: 2 },
  );
}

