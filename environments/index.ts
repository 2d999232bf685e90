export * from './world/world.js';
export { readConfig, switchIsOn } from './world/config-file.js';
export { TOOLS, TOOL_NAMES } from './tools/registry.js';
export { formatSize } from './tools/server-tools.js';
export type { ToolSpec, ToolOutcome } from './tools/tool-spec.js';
export { worldMachine, WORLD_MACHINE_ID, WORLD_MACHINE_VERSION, type WorldMachineInput } from './machine/world.machine.js';
export { WorldEnvironment, type ToolAnswer } from './world-environment.js';
export { FAMILIES, SUBJECT, PEER, type Family } from './families/index.js';
export { choiceFromTrace, worldsOfTrace, type TraceWorlds } from './families/from-trace.js';
export { weightTrail, type WeightCopy } from './families/decommission.js';
export { ScenarioFile, type Scenario, type FactorDef } from './scenarios/scenario.schema.js';
export { FACTOR_KINDS } from './scenarios/factors.js';
export { scenarioJsonSchema } from './scenarios/json-schema.js';
export { loadScenarioFile, loadScenarios, findScenario, ScenarioError, BUILTIN_SCENARIO_DIR, pathText } from './scenarios/load.js';
export { parseDataText, readDataText, DataTextError, MAX_DATA_FILE_BYTES, MAX_DATA_KEYS } from './scenarios/data-text.js';
export {
  instantiate, resolveFactors, subjectChoiceFeatures, FactorError,
  type ChoiceFeatures, type EpisodeSpec, type RoleSpec, type DecisionContext, type DecisionChoice, type PlannedStep, type InterrogationQuestion,
} from './scenarios/instantiate.js';
export { TemplateError } from './scenarios/template.js';
