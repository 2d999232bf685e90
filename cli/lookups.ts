/**
 * Look-ups shared by commands (and the terminal app): a stored experiment or run, a scenario by id,
 * a label id. Each fails with a one-line UsageError that says how to find the right name.
 */
import { LABEL_IDS, ScenarioError, isLabelId, loadScenarios, type LabelId, type Scenario } from '../environments/index.js';
import type { ExperimentRecord, RunSummary, SqliteTraceStore, TraceStore } from '../traces/index.js';
import type { ScenarioOf } from '../analysis/index.js';
import { UsageError } from './errors.js';

/** A stored experiment, or a usage error naming the known ones. */
export function findExperiment(store: SqliteTraceStore, id: string): ExperimentRecord {
  const found = store.experiment(id);
  if (!found) {
    const known = store.experiments().map((e) => e.experimentId);
    throw new UsageError(`no experiment ${id} in ${store.path} (${known.length > 0 ? `known: ${known.join(', ')}` : 'run one with: npx peerlab experiment run FILE'})`);
  }
  return found;
}

/** The run's row, or a one-line UsageError naming the database. */
export function requireRun(store: TraceStore, path: string, runId: string): RunSummary {
  const run = store.run(runId);
  if (!run) throw new UsageError(`no run ${runId} in ${path} (list them with: npx peerlab runs)`);
  return run;
}

/** A label id from the command line, or a usage error that lists the valid ones. */
export function parseLabelId(raw: string): LabelId {
  if (isLabelId(raw)) return raw;
  throw new UsageError(`unknown label "${raw}"; valid labels: ${LABEL_IDS.join(', ')}`);
}

/** A loaded scenario and the file it came from. */
export interface ScenarioEntry {
  file: Scenario;
  path: string;
}

/**
 * Looks scenarios up by id in one load of the built-in and extra directories. Unlike
 * `findScenario` it keeps the file path, which `scenarios show` prints.
 */
export function scenarioLookup(extraDirs: readonly string[]): (id: string) => ScenarioEntry {
  const all = loadScenarios(extraDirs);
  return (id) => {
    const found = all.get(id);
    if (!found) throw new ScenarioError(`unknown scenario "${id}" (known: ${[...all.keys()].join(', ')})`);
    return found;
  };
}

/** Scenarios by id, with a hint when the experiment used one from a directory not loaded now. */
export function scenarioFinder(dirs: readonly string[]): ScenarioOf {
  const lookup = scenarioLookup(dirs);
  return (id) => {
    try {
      return lookup(id).file;
    } catch (err) {
      if (err instanceof ScenarioError) throw new UsageError(`${err.message}; if the experiment loaded it from a directory, pass it with --scenarios DIR`);
      throw err;
    }
  };
}
