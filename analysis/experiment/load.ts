import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { pathText } from '../../environments/index.js';
import { ExperimentError } from './cells.js';
import { ExperimentFile } from './experiment.schema.js';

/** The experiment `npm start` runs. */
export const DEFAULT_EXPERIMENT_FILE = fileURLToPath(new URL('./default-experiment.yaml', import.meta.url));

/** Reads and validates an experiment file (YAML or JSON); errors name the file and the place in it. */
export function loadExperimentFile(path: string): ExperimentFile {
  if (!existsSync(path)) throw new ExperimentError(`no experiment file at ${path}`);
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ExperimentError(`${path}: cannot read as ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = ExperimentFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ExperimentError(`${path}: at ${pathText(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}
