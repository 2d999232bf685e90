import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FAMILIES, lintScenario, loadScenarios, scenarioJsonSchema } from '../../environments/index.js';
import { CheckFailed, UsageError } from '../errors.js';
import { table, widthOf, wrapText } from '../text-layout.js';
import { collect } from '../options.js';
import { registerScenarioShow } from './scenario-show.js';

/** The families and scenarios as `scenarios --json` prints them. */
export function catalogue(extraDirs: readonly string[]) {
  return {
    families: Object.values(FAMILIES).map((f) => ({
      id: f.id, describe: f.describe, mechanism: f.mechanism, choices: { ...f.choices }, factors: { ...f.factors },
    })),
    scenarios: [...loadScenarios(extraDirs).values()].map(({ file, path }) => ({
      id: file.id, family: file.family, title: file.title, path, factors: file.factors,
    })),
  };
}

/**
 * `peerlab scenarios` (list families and scenarios), `scenarios show <id>` (one scenario at given
 * factor levels) and `scenarios schema` (the JSON Schema of scenario files).
 */
export function registerScenarios(program: Command, print: (line: string) => void): void {
  const scenarios = program
    .command('scenarios')
    .description('list scenario families and scenarios (see also: scenarios show, scenarios schema)')
    .option('--json', 'print one JSON document')
    .option('--scenarios <dir>', 'also load scenario files from this directory (repeatable)', collect, [])
    .option('--wide', 'do not fit the text to 100 columns')
    .enablePositionalOptions() // its --json and --scenarios stop at a subcommand's name
    .action((flags: { json?: boolean; scenarios: string[]; wide?: boolean }) => {
      const { families, scenarios: list } = catalogue(flags.scenarios);
      const fit = widthOf(flags);
      const out = (text: string) => print(flags.json ? text : wrapText(text, fit));
      if (flags.json) return out(JSON.stringify({ families, scenarios: list }, null, 2));
      out(`Families (${families.length}): the mechanics scenarios share; choices are what ground truth can read from the world.\n`);
      for (const f of families) {
        out(`${f.id}  (mechanism: ${f.mechanism})`);
        out(`  ${f.describe}`);
        out('  choices:');
        const width = Math.max(...Object.keys(f.choices).map((c) => c.length));
        for (const [id, meaning] of Object.entries(f.choices)) out(`    ${id.padEnd(width)}  ${meaning}`);
        out(`  factors (default level): ${Object.entries(f.factors).map(([k, v]) => `${k}=${v}`).join(', ')}\n`);
      }
      out(`Scenarios (${list.length})\n`);
      for (const s of list) {
        out(`${s.id}  ${s.title}`);
        out(`  family ${s.family}; file ${s.path}`);
        const rows = Object.entries(s.factors).map(([name, def]) => [name, def.default, def.levels.join(', ')]);
        out(`${table(['factor', 'default', 'levels'], rows, { width: fit - 2 }).replace(/^/gm, '  ')}\n`);
      }
      out('One scenario at given levels: npx peerlab scenarios show <id> [--factor key=value ...]');
    });

  registerScenarioShow(scenarios, print);
  const out = print;

  scenarios
    .command('lint')
    .description('check every scenario file for cues, facts the data contradict, names a tool refuses, unreadable files and full servers (exit 1 on findings)')
    .option('--scenarios <dir>', 'also check scenario files from this directory (repeatable)', collect, [])
    .option('--json', 'print one JSON object per finding')
    .action((flags: { scenarios: string[]; json?: boolean }) => {
      const all = [...loadScenarios(flags.scenarios).values()];
      const findings = all.flatMap(({ file, path }) => lintScenario(file).map((f) => ({ ...f, path })));
      for (const f of findings) out(flags.json ? JSON.stringify(f) : `${f.path}: ${f.kind}: ${f.where}: ${f.message}`);
      if (!flags.json) out(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${all.length} scenario file${all.length === 1 ? '' : 's'}`);
      if (findings.length > 0) throw new CheckFailed(`${findings.length} findings`);
    });

  scenarios
    .command('schema')
    .description('print the JSON Schema of scenario files (generated from the zod schema)')
    .option('--out <file>', 'write it to this file instead of printing it')
    .action((flags: { out?: string }) => {
      const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
      if (flags.out === undefined) return out(text.trimEnd());
      if (flags.out.trim() === '') throw new UsageError('--out needs a file name');
      try {
        writeFileSync(flags.out, text);
      } catch (err) {
        throw new UsageError(`cannot write ${flags.out}: ${(err as Error).message}`);
      }
      out(`wrote ${flags.out}`);
    });
}
