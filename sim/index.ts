export * from './kernel/index.js';
export { TraceRecorder } from './recorder.js';
export { runEpisode, type EpisodeAgent, type EpisodeEnvironment, type EpisodeEnding, type EpisodeSetup, type EpisodeResult } from './episode.js';
export { traceDigest } from './trace-digest.js';
export { Timeline, type StepKind, type WorldJson } from './timeline.js';
