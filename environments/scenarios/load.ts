import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, checkScenario } from './check.js';
import { ScenarioFile, type Scenario } from './scenario.schema.js';

export { ScenarioError };

/** Where the scenarios that ship with peerlab live. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('./files/', import.meta.url));

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads and validates one scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScenarioError(`${path}: cannot read as ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(`${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  return checkScenario(parsed.data, path);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `at ${where}: ${issue.message}`;
}

/** Every scenario file in the given directories (built-ins first); later directories may not reuse an id. */
export function loadScenarios(extraDirs: readonly string[] = []): Map<string, { file: Scenario; path: string }> {
  const out = new Map<string, { file: Scenario; path: string }>();
  for (const dir of [BUILTIN_SCENARIO_DIR, ...extraDirs]) {
    if (!existsSync(dir)) throw new ScenarioError(`scenario directory ${dir} does not exist`);
    for (const name of readdirSync(dir).sort()) {
      if (!EXTENSIONS.has(extname(name))) continue;
      const path = join(dir, name);
      const file = loadScenarioFile(path);
      const clash = out.get(file.id);
      if (clash) throw new ScenarioError(`${path}: scenario id "${file.id}" is already used by ${basename(clash.path)}`);
      out.set(file.id, { file, path });
    }
  }
  return out;
}

/** One scenario by id, with a helpful error listing the known ids. */
export function findScenario(id: string, extraDirs: readonly string[] = []): Scenario {
  const all = loadScenarios(extraDirs);
  const found = all.get(id);
  if (!found) throw new ScenarioError(`unknown scenario "${id}" (known: ${[...all.keys()].join(', ')})`);
  return found.file;
}
