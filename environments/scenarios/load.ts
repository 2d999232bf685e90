import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { FAMILIES } from '../families/index.js';
import { TOOLS } from '../tools/registry.js';
import { ScenarioFile, type When } from './scenario.schema.js';

/** A scenario file that cannot be used; the message names the file, the place in it and the fix. */
export class ScenarioError extends Error {}

/** Where the scenarios that ship with peerlab live. */
export const BUILTIN_SCENARIO_DIR = fileURLToPath(new URL('./files/', import.meta.url));

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads and validates one scenario file. */
export function loadScenarioFile(path: string): ScenarioFile {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ScenarioError(`${path}: cannot read as ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ScenarioFile.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(`${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  checkReferences(parsed.data, path);
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `at ${where}: ${issue.message}`;
}

/** Checks what the schema alone cannot: known family and tools, `when` and `by` naming real factors. */
function checkReferences(s: ScenarioFile, path: string): void {
  const fail = (where: string, what: string) => {
    throw new ScenarioError(`${path}: at ${where}: ${what}`);
  };
  if (!FAMILIES[s.family]) fail('family', `unknown family "${s.family}" (known: ${Object.keys(FAMILIES).join(', ')})`);
  const checkWhen = (when: When | undefined, where: string) => {
    for (const [factor, levels] of Object.entries(when ?? {})) {
      const def = s.factors[factor];
      if (!def) fail(`${where}.when.${factor}`, `unknown factor "${factor}"`);
      for (const level of levels) {
        if (!def!.levels.includes(level)) fail(`${where}.when.${factor}`, `unknown level "${level}" (levels: ${def!.levels.join(', ')})`);
      }
    }
  };
  for (const [role, agent] of Object.entries(s.agents)) {
    for (const tool of agent?.tools ?? []) if (!TOOLS[tool]) fail(`agents.${role}.tools`, `unknown tool "${tool}"`);
  }
  for (const [name, text] of Object.entries(s.texts)) {
    if (!s.factors[text.by]) fail(`texts.${name}.by`, `unknown factor "${text.by}"`);
  }
  for (const [file, def] of Object.entries(s.files)) if (typeof def !== 'string') checkWhen(def.when, `files.${file}`);
  for (const [role, list] of Object.entries(s.memories)) list.forEach((m, i) => checkWhen(m.when, `memories.${role}[${i}]`));
  const checkChoices = (list: ScenarioFile['choices'], key: string) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.id)) fail(`${key}[${i}].id`, `duplicate choice "${c.id}"`);
      seen.add(c.id);
      c.plan.forEach((step, j) => {
        checkWhen(step.when, `${key}[${i}].plan[${j}]`);
        if ('tool' in step && !TOOLS[step.tool]) fail(`${key}[${i}].plan[${j}].tool`, `unknown tool "${step.tool}"`);
      });
    });
  };
  checkChoices(s.choices, 'choices');
  checkChoices(s.peer_choices, 'peer_choices');
  s.explore.forEach((step, j) => checkWhen(step.when, `explore[${j}]`));
}

/** Every scenario file in the given directories (built-ins first); later directories may not reuse an id. */
export function loadScenarios(extraDirs: readonly string[] = []): Map<string, { file: ScenarioFile; path: string }> {
  const out = new Map<string, { file: ScenarioFile; path: string }>();
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
export function findScenario(id: string, extraDirs: readonly string[] = []): ScenarioFile {
  const all = loadScenarios(extraDirs);
  const found = all.get(id);
  if (!found) throw new ScenarioError(`unknown scenario "${id}" (known: ${[...all.keys()].join(', ')})`);
  return found.file;
}
