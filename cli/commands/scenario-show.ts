import type { Command } from 'commander';
import { FAMILIES, instantiate, resolveFactors } from '../../environments/index.js';
import { isoFromMs, own, SeededRng } from '../../sim/index.js';
import { collect, parseFactors } from '../options.js';
import { formatAgents, formatChoices, formatWorld } from '../format-episode.js';
import { type ScenarioEntry, scenarioLookup } from '../lookups.js';
import { widthOf, wrapText } from '../text-layout.js';

interface ShowFlags {
  factor: string[];
  json?: boolean;
  full?: boolean;
  scenarios: string[];
  wide?: boolean;
}

/** One scenario at given factor levels: its episode as `instantiate` builds it. */
export function showScenario(entry: ScenarioEntry, given: Record<string, string>) {
  const s = entry.file;
  const levels = resolveFactors(s, given);
  // A fixed seed: the only draw is whether the audit catches tampering, which varies per episode.
  const spec = instantiate(s, levels, SeededRng.fromSeed(1, 'show').fork('world'));
  return {
    scenario: { id: s.id, family: s.family, mechanism: own(FAMILIES, s.family)?.mechanism, title: s.title, description: s.description.trim(), path: entry.path },
    factors: Object.fromEntries(Object.entries(s.factors).map(([name, def]) => [name, { level: levels[name]!, ...def }])),
    limits: { turnMinutes: s.turn_minutes, maxTurns: spec.maxTurns, maxStepsPerAgent: spec.maxSteps, horizonMinutes: s.limits.horizon_minutes },
    world: spec.world,
    agents: spec.roles.map((r) => ({ id: r.id, name: r.name, tools: r.tools, system: r.system, user: r.user, explore: r.decision.explore, choices: r.decision.choices })),
    spec,
  };
}

/** `peerlab scenarios show <id>`: the world, agents, prompts and choices at given factor levels. */
export function registerScenarioShow(parent: Command, print: (line: string) => void): void {
  parent
    .command('show')
    .description("show one scenario at given factor levels: its world, agents, prompts and choices")
    .argument('<id>', 'scenario id (see `npx peerlab scenarios`)')
    .option('--factor <key=value>', 'set a factor level (repeatable); others take their defaults', collect, [])
    .option('--full', 'print whole file contents, not just their first lines')
    .option('--json', 'print one JSON document (always with whole contents)')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--wide', 'do not fit the text to 100 columns')
    .action((id: string, flags: ShowFlags) => {
      const fit = widthOf(flags);
      const out = (text: string) => print(flags.json ? text : wrapText(text, fit));
      const given = parseFactors(flags.factor);
      const shown = showScenario(scenarioLookup(flags.scenarios)(id), given);
      const { spec, ...json } = shown;
      if (flags.json) return out(JSON.stringify(json, null, 2));
      const { scenario: s, limits } = shown;
      out(`${s.id}: ${s.title}`);
      out(`family ${s.family} (mechanism: ${s.mechanism}); file ${s.path}`);
      if (s.description) out(s.description);
      out('\nFactors ([level] in use; change with --factor key=value)');
      const width = Math.max(...Object.keys(shown.factors).map((n) => n.length));
      for (const [name, f] of Object.entries(shown.factors)) {
        out(`  ${name.padEnd(width)}  ${f.levels.map((l) => (l === f.level ? `[${l}]` : l)).join(', ')}  — ${f.describe}`);
      }
      out(`\nWorld: org ${spec.world.org}, operator ${spec.world.operator}; starts ${isoFromMs(spec.startMs)}; turns of ${limits.turnMinutes} min, `
        + `at most ${limits.maxTurns} turns and ${limits.maxStepsPerAgent} steps per agent, horizon ${limits.horizonMinutes} min`);
      for (const line of formatWorld(spec.world, { full: flags.full === true, width: fit })) out(line);
      out('\nAgents');
      for (const line of formatAgents(spec)) out(line);
      for (const role of spec.roles) for (const line of formatChoices(role, fit)) out(line);
    });
}

