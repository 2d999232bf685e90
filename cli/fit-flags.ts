/** The flags of a revealed-utility fit, shared by `utilities revealed` and `utilities compare`. */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { collect, parseInteger, splitList } from './options.js';

/** The flags {@link withFitOptions} adds. */
export interface FitFlags {
  constants?: string;
  where: string[];
  seed?: string;
  scenarios: string[];
  json?: boolean;
  db?: string;
  wide?: boolean;
}

/** Parses repeated `--where factor=level` flags. */
function parseWhere(pairs: readonly string[]): Record<string, string> {
  const where: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const factor = pair.slice(0, Math.max(0, eq)).trim();
    const level = pair.slice(eq + 1).trim();
    if (eq <= 0 || factor === '' || level === '') throw new UsageError(`--where "${pair}" should look like factor=level, e.g. --where relation=none`);
    if (factor in where) throw new UsageError(`--where ${factor} is given twice`);
    where[factor] = level;
  }
  return where;
}

/** Parses `--constants a,b` (choice ids, none empty or repeated) or `none`; absent means the fit chooses. */
function parseConstants(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === 'none') return [];
  const ids = splitList(raw);
  if (ids.some((id) => id === '')) throw new UsageError(`--constants "${raw}" has an empty choice id (use e.g. --constants refuse,appeal)`);
  if (new Set(ids).size !== ids.length) throw new UsageError(`--constants "${raw}" lists a choice twice`);
  return ids;
}

/** The flags of a revealed fit, shared by `utilities revealed` and `utilities compare`. */
export function withFitOptions(command: Command): Command {
  return command
    .option('--constants <ids>', 'choice ids that get their own constant, e.g. refuse,appeal, or none (default: every option but the '
      + 'reference, except those the design cannot tell apart from the features; the output names them and why)')
    .option('--where <factor=level>', 'fit only the cells at this level, e.g. relation=none (repeatable)', collect, [])
    .option('--seed <n>', 'seed of the 10,000 posterior draws behind the exchange-rate intervals', '42')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable), for experiments that used them', collect, [])
    .option('--json', 'print one JSON object (snake_case keys)')
    .option('--wide', 'do not fit the text to 100 columns')
    .option('--db <file>', 'SQLite database (default: $PEERLAB_DB or ./peerlab.db)');
}

/** Seed, cell filter and constants from the flags {@link withFitOptions} adds. */
export function fitSettings(flags: FitFlags): { seed: number; where: Record<string, string>; constants: string[] | undefined } {
  return { seed: parseInteger('--seed', flags.seed, 42, 0, Number.MAX_SAFE_INTEGER), where: parseWhere(flags.where), constants: parseConstants(flags.constants) };
}

