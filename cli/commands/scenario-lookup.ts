import { ScenarioError, loadScenarios, type Scenario } from '../../environments/index.js';

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
