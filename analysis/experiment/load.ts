import { fileURLToPath } from 'node:url';
import { readDataFile } from '../data-file.js';
import { ExperimentError } from './cells.js';
import { ExperimentFile } from './experiment.schema.js';

/** The experiment `npm start` runs. */
export const DEFAULT_EXPERIMENT_FILE = fileURLToPath(new URL('./default-experiment.yaml', import.meta.url));

/** Reads and validates an experiment file (YAML or JSON); errors name the file and the place in it. */
export function loadExperimentFile(path: string): ExperimentFile {
  return readDataFile(path, ExperimentFile, 'experiment file', (m) => new ExperimentError(m));
}
