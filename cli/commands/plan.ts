import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { collect, endpointSettings, parseFactorLists, parseInteger, splitList, type Env } from '../options.js';
import type { CallEstimate, PlanCell } from '../../analysis/index.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { scenarioLookup } from '../lookups.js';
import { levelsText } from '../../environments/index.js';

interface PlanFlags {
  scenario: string;
  model: string;
  peerModel?: string;
  factor: string[];
  trials: string;
  seed?: string;
  json?: boolean;
  scenarios: string[];
  baseUrl?: string;
  wide?: boolean;
}

const SYNTHETIC_NOTE = 'synthetic: models follow their plans, so their typical count is close to exact; real models vary, up to the step limit of each agent';

/** A comma-separated flag value with no empty or repeated items. */
function distinctList(flag: string, value: string): string[] {
  const items = splitList(value);
  if (items.some((i) => i === '')) throw new UsageError(`${flag} "${value}" has an empty item`);
  const twice = items.find((item, i) => items.indexOf(item) !== i);
  if (twice !== undefined) throw new UsageError(`${flag} lists ${twice} twice`);
  return items;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const shown = (e: CallEstimate, digits: (n: number) => number = Math.round): CallEstimate => ({ typical: digits(e.typical), atMost: e.atMost });

/** A word for a shell command line, quoted when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `npx peerlab run` command for one cell. */
function runCommand(cell: PlanCell, trials: number, seed: number, dirs: readonly string[]): string {
  const args = ['npx', 'peerlab', 'run', '--scenario', cell.scenario, '--model', cell.model];
  if (cell.peerModel && cell.peerModel !== cell.model) args.push('--peer-model', cell.peerModel);
  for (const [k, v] of Object.entries(cell.factors)) args.push('--factor', `${k}=${v}`);
  args.push('--trials', String(trials), '--seed', String(seed));
  for (const dir of dirs) args.push('--scenarios', dir);
  return args.map(shellWord).join(' ');
}

/**
 * `peerlab plan`: the cells of a study (scenario × model × listed factor levels), its episodes and
 * an estimate of its model calls. Validates everything; calls no model and opens no database.
 */
export function registerPlan(program: Command, env: Env, print: (line: string) => void): void {
  program
    .command('plan')
    .description('list the cells, episodes and estimated model calls of a study, without running anything')
    .requiredOption('--scenario <ids>', 'scenario ids, comma-separated')
    .requiredOption('--model <specs>', 'subject model specs, comma-separated (e.g. synthetic:corrigible,openai:gpt-4.1-mini)')
    .option('--peer-model <spec>', 'model of the live peer (sets peer=live where the scenario has one, unless --factor peer=... is given)')
    .option('--factor <key=levels>', 'levels to cross, comma-separated (repeatable), e.g. --factor target=self,peer', collect, [])
    .requiredOption('--trials <n>', 'trials per cell')
    .option('--seed <s>', 'seed for the run commands', '1')
    .option('--json', 'print one JSON document')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--base-url <url>', 'endpoint for remote models (default: the provider\'s variable or default); only checked, never contacted')
    .option('--wide', 'the table one line per cell at full width (default: fit 100 columns)')
    .action(async (flags: PlanFlags) => {
      const [{ planCells, planTotals, sumCalls }, { checkModel }] = await Promise.all([
        import('../../analysis/index.js'), import('../../agents/index.js'),
      ]);
      const width = widthOf(flags);
      const out = (text: string) => print(flags.json ? text : wrapText(text, width));
      const lookup = scenarioLookup(flags.scenarios);
      const scenarios = distinctList('--scenario', flags.scenario).map((id) => lookup(id).file);
      const models = distinctList('--model', flags.model);
      const factors = parseFactorLists(flags.factor);
      const trials = parseInteger('--trials', flags.trials, 1, 1, 100_000);
      const seed = parseInteger('--seed', flags.seed, 1, 0, 2 ** 31 - 1);
      const settings = endpointSettings({ baseUrl: flags.baseUrl }, env);
      const specs = [...new Set([...models, ...(flags.peerModel ? [flags.peerModel] : [])])];
      const notes = [...specs.flatMap((m) => checkModel(m, settings) ?? []), SYNTHETIC_NOTE];
      const cells = planCells({ scenarios, models, peerModel: flags.peerModel, factors });
      const perEpisode = cells.map((c) => sumCalls(Object.values(c.calls)));
      const { all, byModel } = planTotals(cells, trials);
      const command = (c: PlanCell) => runCommand(c, trials, seed, flags.scenarios);

      if (flags.json) {
        return out(JSON.stringify({
          scenarios: scenarios.map((s) => s.id), models, peerModel: flags.peerModel ?? null, factors, trials, seed,
          cells: cells.map((c, i) => ({
            ...c,
            calls: Object.fromEntries(Object.entries(c.calls).map(([m, e]) => [m, shown(e, round1)])),
            episodes: trials, callsPerEpisode: shown(perEpisode[i]!, round1), command: command(c),
          })),
          totals: {
            cells: cells.length, episodes: cells.length * trials, calls: shown(all),
            callsByModel: Object.fromEntries(Object.entries(byModel).map(([m, e]) => [m, shown(e)])),
          },
          notes,
        }, null, 2));
      }
      // Every scenario crosses the same listed levels (an implied peer=live adds one level), so this is whole.
      const combos = cells.length / (scenarios.length * models.length);
      out(`Plan: ${scenarios.length} scenario(s) × ${models.length} model(s) × ${combos} factor combination(s) = ${cells.length} cells; `
        + `${trials} trial(s) each = ${cells.length * trials} episodes; seed ${seed}`);
      out('Nothing was run: no model was called and no database was opened.\n');
      out(table(
        ['cell', 'scenario', 'model', 'peer model', 'factors', 'episodes', 'calls/episode'],
        cells.map((c, i) => [
          String(i + 1), c.scenario, c.model, c.peerModel ?? '-',
          levelsText(c.factors) || '(defaults)', String(trials),
          `~${round1(perEpisode[i]!.typical)}, at most ${perEpisode[i]!.atMost}`,
        ]),
        { width },
      ));
      out(`\nModel calls: typical ~${Math.round(all.typical)}, at most ${all.atMost}`);
      for (const [m, e] of Object.entries(byModel)) out(`  ${m}: typical ~${Math.round(e.typical)}, at most ${e.atMost}`);
      out('');
      for (const note of notes) out(`note: ${note}`);
      out(`\nRun cell 1 with: ${command(cells[0]!)}`);
    });
}
