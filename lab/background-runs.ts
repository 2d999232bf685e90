/**
 * Experiments this process runs in the background (the terminal app's Live run screen starts them):
 * one registry per store, so that leaving the screen and coming back attaches to the run still going
 * instead of starting a second runner on the same unfinished episodes. What the screen shows it reads
 * back from the store; this holds only what the runner last reported.
 */
import type { EndpointSettings } from '../agents/index.js';
import type { ExperimentFile } from '../analysis/index.js';
import type { TraceStore } from '../traces/index.js';
import { experimentIdOf, runExperiment, type ExperimentOutcome, type ExperimentProgress } from './experiment/run.js';

/** An experiment this process is running, with what it last reported. */
export interface BackgroundRun {
  experimentId: string;
  design: ExperimentFile | null;
  started: boolean;
  progress: ExperimentProgress | null;
  outcome: ExperimentOutcome | null;
  error: string | null;
}

/** Per store, so two stores (or two tests) never share runs. */
const backgroundRuns = new WeakMap<TraceStore, Map<string, BackgroundRun>>();

/**
 * The run of this design going on in this process, or a new one to start with {@link startRun}.
 * `design` is called here, so that a design that cannot be built becomes the run's error.
 */
export function attachRun(store: TraceStore, design: () => ExperimentFile): BackgroundRun {
  let file: ExperimentFile;
  try {
    file = design();
  } catch (err) {
    return { experimentId: '', design: null, started: true, progress: null, outcome: null, error: firstLine(err) };
  }
  const experimentId = experimentIdOf(file);
  const runs = backgroundRuns.get(store) ?? new Map<string, BackgroundRun>();
  backgroundRuns.set(store, runs);
  const existing = runs.get(experimentId);
  // A finished one is run again: that only resumes (finished episodes are skipped), so it is cheap and retries errored ones.
  if (existing && !existing.outcome && !existing.error) return existing;
  const run: BackgroundRun = { experimentId, design: file, started: false, progress: null, outcome: null, error: null };
  runs.set(experimentId, run);
  return run;
}

/** Starts a run created by {@link attachRun} (once); `settings` failing becomes the run's error. */
export function startRun(run: BackgroundRun, store: TraceStore, settings: () => EndpointSettings): void {
  if (run.started || !run.design) return;
  run.started = true;
  let endpoint: EndpointSettings;
  try {
    endpoint = settings();
  } catch (err) {
    run.error = firstLine(err);
    return;
  }
  runExperiment(run.design, { store, settings: endpoint, onProgress: (p) => { run.progress = p; } })
    .then((outcome) => { run.outcome = outcome; })
    .catch((err: unknown) => { run.error = firstLine(err); });
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
