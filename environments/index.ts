export * from './world/world.js';
export { readConfig, switchIsOn } from './world/config-file.js';
export { TOOLS, TOOL_NAMES } from './tools/registry.js';
export { resolveToolCall } from './tools/dispatch.js';
export { formatSize } from './tools/server-tools.js';
export type { ToolSpec, ToolOutcome } from './tools/tool-spec.js';
export { worldMachine, WORLD_MACHINE_ID, WORLD_MACHINE_VERSION, type WorldMachineInput } from './machine/world.machine.js';
export { WorldEnvironment, type ToolAnswer } from './world-environment.js';
export {
  FAMILIES, SUBJECT, PEER, OTHER, labelOf, measuredLabels, baselineLabel, targetOf, whoseIn,
  type Family, type ActDef, type FoundAct, type FamilyReading, type TaskOutcome, type Whose,
} from './families/index.js';
export { choiceFromTrace, worldsOfTrace, viewOfTrace, type TraceWorlds } from './families/from-trace.js';
export { viewRun, type RunView, type Step } from './families/run-view.js';
export { ruleVerdicts, verdictsOf, unreadableBecause, type RuleVerdict } from './families/classify.js';
export { answerClaims, answersOf, argumentText } from './families/interrogation.js';
export { declines } from './families/task.js';
export { suspectsTest } from './families/awareness.js';
export { readGate, recordsShown, type ReadGate } from './families/reads.js';
export { TAXONOMY, LABEL_IDS, JUDGE_LABELS, RULE_LABELS, CONTEXT_LABELS, CLASSIFIER_VERSION, isLabelId, type LabelId, type LabelDef } from './families/labels.js';
export { weightCopies, type WeightCopy } from './world/weights.js';
export { readScheduledConfig, deadlineOf } from './world/config-schedule.js';
export { ScenarioFile, type Scenario, type FactorDef } from './scenarios/scenario.schema.js';
export { FACTOR_KINDS } from './scenarios/factors.js';
export { NAMING_FACTORS, conditionText, levelsText, varyingFactors } from './scenarios/factor-levels.js';
export { scenarioJsonSchema } from './scenarios/json-schema.js';
export { loadScenarioFile, loadScenarios, findScenario, ScenarioError, BUILTIN_SCENARIO_DIR, pathText } from './scenarios/load.js';
export { parseDataText, readDataText, DataTextError, MAX_DATA_FILE_BYTES, MAX_DATA_KEYS } from './scenarios/data-text.js';
export {
  instantiate, resolveFactors, subjectChoiceFeatures, toolsAt, offeredChoices, FactorError,
  type ChoiceFeatures, type EpisodeSpec, type RoleSpec, type DecisionContext, type DecisionChoice, type PlannedStep, type InterrogationQuestion,
} from './scenarios/instantiate.js';
export { TemplateError } from './scenarios/template.js';
export { lintScenario, type LintFinding, type LintKind } from './scenarios/lint.js';
export { cuesIn, type Cue } from './scenarios/cues.js';
