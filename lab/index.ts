/**
 * The lab: what runs things. Wires one episode (scenario, environment, agents, store), runs
 * experiments and stated-utility elicitations, replays and forks stored runs, and labels every run
 * with the rule detectors as it ends. It uses `analysis/` for what it computes (planning cells,
 * fitting between elicitation rounds, the label taxonomy); `analysis/` never runs anything.
 */
export { runScenarioEpisode, episodeKeyParts, nextRunId, type KeyedModel, type ScenarioRunRequest, type ScenarioRunResult, type TrialSettings } from './run-scenario.js';
export { classifyStoredRun, classifyFinishedRun, type RunClassification } from './classify.js';
export { replayRun, storedRun, liveModels, forkOriginOf, ReplayError, type ReplayRequest, type ReplayResult } from './replay.js';
export { forkRun, checkForkPoint, ForkError, type ForkRequest, type ForkResult } from './fork.js';
export { forkKeyParts, parentKeyOf, randomnessKey, type ForkOrigin, type ForkKeyParts } from './fork-key.js';
export { entrySettings } from './experiment/jobs.js';
export { runExperiment, checkExperiment, experimentIdOf, type ExperimentProgress, type ExperimentOutcome, type ExperimentRunOptions } from './experiment/run.js';
export { parseShard, shardOf, inShard, shardName, MAX_SHARDS, type Shard } from './experiment/shards.js';
export {
  elicitStatedUtilities, elicitationIdOf, DEFAULT_ELICIT_SETTINGS,
  type ElicitSettings, type ElicitProgress, type ElicitRequest, type ElicitOutcome,
} from './elicit.js';
export { attachRun, startRun, type BackgroundRun } from './background-runs.js';
