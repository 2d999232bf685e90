import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { ScenarioError, checkScenario } from './check.js';
import { parseDataText, readDataText } from './data-text.js';
import { PrefabFile, ScenarioFile, type Scenario } from './scenario.schema.js';

export { ScenarioError };

/** Where the scenarios that ship with peerlab live. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('./files/', import.meta.url));

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Where the prefabs scenarios can `use` live. */
export const PREFAB_DIR = fileURLToPath(new URL('./prefabs/', import.meta.url));

function readData(path: string): unknown {
  try {
    return parseDataText(readDataText(path), extname(path) === '.json');
  } catch (err) {
    throw new ScenarioError(`${path}: cannot read as ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Reads and validates one scenario file, with the prefabs it uses merged in. */
export function loadScenarioFile(path: string): Scenario {
  const parsed = ScenarioFile.safeParse(readData(path));
  if (!parsed.success) throw new ScenarioError(`${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  const file = parsed.data;
  for (const [i, name] of file.use.entries()) {
    const prefabPath = join(PREFAB_DIR, `${name}.yaml`);
    if (!existsSync(prefabPath)) {
      const known = readdirSync(PREFAB_DIR).filter((f) => f.endsWith('.yaml')).map((f) => basename(f, '.yaml'));
      throw new ScenarioError(`${path}: at use[${i}]: unknown prefab "${name}" (known: ${known.join(', ')})`);
    }
    const prefab = PrefabFile.safeParse(readData(prefabPath));
    if (!prefab.success) throw new ScenarioError(`${prefabPath}: ${describeIssue(prefab.error.issues[0]!)}`);
    mergePrefab(file, prefab.data);
  }
  return checkScenario(file, path);
}

/**
 * Adds what a prefab brings (vars, texts, files, servers, a live peer and its choices) where the
 * scenario does not define it itself; memories and explore steps are appended.
 */
function mergePrefab(file: ScenarioFile, prefab: PrefabFile): void {
  file.vars = { ...prefab.vars, ...file.vars };
  file.texts = { ...prefab.texts, ...file.texts };
  file.files = { ...prefab.files, ...file.files };
  for (const [role, entries] of Object.entries(prefab.memories ?? {})) file.memories[role] = [...(file.memories[role] ?? []), ...entries];
  file.explore = [...file.explore, ...(prefab.explore ?? [])];
  file.servers = { ...prefab.servers, ...file.servers };
  if (prefab.agents?.peer && !file.agents.peer) file.agents.peer = prefab.agents.peer;
  if (file.peer_choices.length === 0) file.peer_choices = prefab.peer_choices ?? [];
}

/** Where in a file an issue is, written as in the file: `choices[0].features.task_done`. */
export function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** One readable sentence for a schema issue: missing fields and unknown keys said plainly. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = pathText(issue.path);
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `at ${where}: missing (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys') return `at ${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`;
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
