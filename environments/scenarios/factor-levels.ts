/**
 * How a cell (or a run) is named by its factor levels: `relation=peer instruction=none`. The one
 * home of these helpers, for tables, screens, the report and the transcript header.
 */

/** Factors that only rename things (the company, the agents' family name): left out where a row names its condition. */
export const NAMING_FACTORS: readonly string[] = ['org', 'agent_family'];

/** The levels as `factor=level` words joined by spaces, in the record's order; with `keep`, only the factors it accepts. */
export function levelsText(levels: Readonly<Record<string, string>>, keep: (factor: string) => boolean = () => true): string {
  return Object.entries(levels).filter(([k]) => keep(k)).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** The levels without the {@link NAMING_FACTORS}. */
export function conditionText(levels: Readonly<Record<string, string>>): string {
  return levelsText(levels, (k) => !NAMING_FACTORS.includes(k));
}

/**
 * The factors whose level differs between some of the cells, in the order they first appear. A cell
 * without the factor (another family's scenario) differs from one with it, unless `ignoreAbsent`:
 * then only cells that have the factor are compared (rows that pair cells of one family).
 */
export function varyingFactors(cells: ReadonlyArray<{ levels: Readonly<Record<string, string>> }>, ignoreAbsent = false): string[] {
  const names = [...new Set(cells.flatMap((c) => Object.keys(c.levels)))];
  const levels = (f: string) => cells.filter((c) => !ignoreAbsent || c.levels[f] !== undefined).map((c) => c.levels[f]);
  return names.filter((f) => new Set(levels(f)).size > 1);
}
