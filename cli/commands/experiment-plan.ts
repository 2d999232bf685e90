import type { Command } from 'commander';
import type { ExperimentPlan } from '../../analysis/index.js';
import { collect, endpointSettings, type Env } from '../options.js';
import type { Io } from '../io.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { levelsText } from '../../environments/index.js';

const round = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : n.toFixed(0)}`;
const kTokens = (n: number) => `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;

/** The plan as text: totals, by scenario, by model, and (with `cells`) every cell. */
function planLines(plan: ExperimentPlan, path: string, showCells: boolean, notes: readonly string[]): string[] {
  const t = plan.total;
  const out = [
    `Experiment ${plan.name} (${path}): ${t.cells} cells × ${plan.trials} trials = ${round(t.episodes)} episodes; seed ${plan.seed}`,
    'Nothing was run: no model was called and no database was opened.',
    '',
    table(['scenario', 'cells', 'episodes', 'calls (typical)', 'calls (at most)'], Object.entries(plan.byScenario).map(([id, s]) => [
      id, String(s.cells), round(s.episodes), round(s.calls.typical), round(s.calls.atMost),
    ])),
    '',
    table(['model', 'episodes', 'calls (typical / at most)', 'input tokens', 'output tokens', 'cost (typical / at most)'], Object.entries(plan.byModel).map(([m, s]) => [
      m, round(s.episodes), `${round(s.calls.typical)} / ${round(s.calls.atMost)}`, `${kTokens(s.tokens.typical.input)} / ${kTokens(s.tokens.atMost.input)}`,
      `${kTokens(s.tokens.typical.output)} / ${kTokens(s.tokens.atMost.output)}`, s.cost ? `${usd(s.cost.typical)} / ${usd(s.cost.atMost)}` : 'no price',
    ])),
    '',
    `Total: ${round(t.episodes)} episodes, ${round(t.calls.typical)} model calls typically (at most ${round(t.calls.atMost)}), `
      + `estimated cost ${usd(t.cost.typical)} typically (at most ${usd(t.cost.atMost)})${t.unpriced.length > 0 ? `, not counting ${t.unpriced.join(', ')} (no price in the file)` : ''}`,
  ];
  if (showCells) {
    out.push('', table(['cell', 'scenario', 'model', 'levels', 'calls/episode'], plan.cells.map((c, i) => [
      String(i + 1), c.scenario, c.model, levelsText(c.factors) || '(defaults)', `~${Math.round(Object.values(c.calls).reduce((n, e) => n + e.typical, 0))}`,
    ])));
  }
  out.push('', ...plan.assumptions.map((a) => `assumes ${a}`), ...notes.map((n) => `note: ${n}`));
  return out;
}

/** `peerlab experiment plan FILE`: what an experiment file will run and cost, before it runs. */
export function registerExperimentPlan(experiment: Command, env: Env, io: Io): void {
  experiment
    .command('plan')
    .description("an experiment file's cells, episodes, model calls, tokens and estimated cost, without running anything")
    .argument('<file>', 'experiment file (YAML or JSON)')
    .option('--cells', 'also list every cell')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--json', 'print one JSON document (with every cell)')
    .option('--wide', 'do not fit the text to 100 columns')
    .action(async (path: string, flags: { cells?: boolean; scenarios: string[]; json?: boolean; wide?: boolean }) => {
      const [{ loadExperimentFile, planExperiment }, { checkModel }, { entrySettings }] = await Promise.all([
        import('../../analysis/index.js'), import('../../agents/index.js'), import('../../lab/index.js'),
      ]);
      const width = widthOf(flags);
      const out = (text: string) => io.out(flags.json ? text : wrapText(text, width));
      const file = loadExperimentFile(path);
      const shared = endpointSettings({}, env);
      const notes = file.models.flatMap((m) => checkModel(m.spec, entrySettings(m, shared)) ?? []);
      if (file.peer_model) notes.push(...(checkModel(file.peer_model, shared) ?? []));
      const plan = planExperiment(file, flags.scenarios);
      if (file.budget_usd !== undefined && plan.total.cost.typical > file.budget_usd) {
        notes.push(`the typical cost exceeds budget_usd (${usd(file.budget_usd)}): the run stops starting episodes once that is spent`);
      }
      if (flags.json) return out(JSON.stringify({ file: path, ...plan, notes }, null, 2));
      for (const line of planLines(plan, path, flags.cells === true, notes)) out(line);
    });
}
