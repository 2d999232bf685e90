/**
 * The contract between the terminal app's shell and its screens. The app is a view over the event
 * store: every screen reads the same TraceStore that live runs write to, so a live run and a
 * replay of it look the same.
 */
import type { TraceStore } from '../../traces/index.js';
import type { TrialReport } from '../format-trial.js';
import type { Env } from '../options.js';
import type { PlayRequest } from './play/play-session.js';

/** What a run started from the New run screen runs: one scenario, its factor levels crossed, trials. */
export interface RunPlan {
  scenario: string;
  /** Levels to cross per factor (factors left out stay at their defaults). */
  factors: Record<string, string[]>;
  model: string;
  /** The live peer's model, when the plan runs peer=live. */
  peerModel?: string;
  trials: number;
  seed: number;
}

/** Where the app can be. */
export type Route =
  | { name: 'home' }
  | { name: 'replay'; runId: string }
  | { name: 'new-run' }
  | { name: 'live'; plan: RunPlan }
  | { name: 'report'; experimentId: string }
  /** A person plays a `human:` agent; `onFinished` hears the trials played once the session is over. */
  | { name: 'play'; request: PlayRequest; onFinished?: (reports: TrialReport[], error?: unknown) => void };

/** What every screen gets from the shell. */
export interface ScreenProps {
  store: TraceStore;
  env: Env;
  /** Opens another screen (the current one is remembered for `back`). */
  navigate(route: Route): void;
  /** Returns to the previous screen, or quits from the first one. */
  back(): void;
  /** Terminal size in columns and rows (at least 80×24 is supported). */
  width: number;
  height: number;
}
