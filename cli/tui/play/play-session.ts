/**
 * The episodes a person plays, one after another: each cell of the request (factor levels) for
 * each trial, run with `runScenarioEpisode` into the store like any `peerlab run`, and labelled by
 * the rule detectors as it ends. The play screen drives it; `peerlab run --model human:NAME`
 * prints the trials it played once the app closes.
 */
import { resolveModelSpec, type EndpointSettings } from '../../../agents/index.js';
import { findScenario, resolveFactors } from '../../../environments/index.js';
import { systemWallClock } from '../../../sim/index.js';
import type { TraceStore } from '../../../traces/index.js';
import type { TrialReport } from '../../format-trial.js';
import type { PlaySeat } from './play-seat.js';
import { classifyFinishedRun, runScenarioEpisode } from '../../../lab/index.js';

/** What to play. */
export interface PlayRequest {
  scenario: string;
  /** Extra scenario directories (`--scenarios`). */
  scenarioDirs?: readonly string[];
  /** The factor levels of each cell (levels not given take the scenario's defaults). */
  cells: ReadonlyArray<Record<string, string>>;
  model: string;
  peerModel?: string;
  trials: number;
  seed: number;
  limits?: { maxTokens?: number; maxSeconds?: number; maxToolCallsPerTurn?: number };
  /** Settings for the models that are not played by a person (default: from the environment). */
  settings?: EndpointSettings;
}

/** Every (cell, trial) of a request, in the order they are played. */
export function playOrder(req: PlayRequest): Array<{ levels: Record<string, string>; trial: number }> {
  return req.cells.flatMap((levels) => Array.from({ length: req.trials }, (_, trial) => ({ levels, trial })));
}

/** The cells of a New-run plan: every combination of the levels it crosses. */
export function crossLevels(factors: Record<string, readonly string[]>): Array<Record<string, string>> {
  return Object.entries(factors).reduce<Array<Record<string, string>>>(
    (combos, [name, levels]) => combos.flatMap((c) => levels.map((level) => ({ ...c, [name]: level }))),
    [{}],
  );
}

/** How the session reports and asks. */
export interface PlayHooks {
  /** An episode is about to start (index into {@link playOrder}). */
  onStart?(index: number): void;
  /** An episode ended and is labelled; resolve true to play the next one. */
  next(report: TrialReport, index: number): Promise<boolean>;
}

/**
 * Plays the request's episodes with `seat` answering for every `human:` model, until they are all
 * played or `next` says stop. Specs are checked before anything runs. Returns the trials played.
 */
export async function playEpisodes(req: PlayRequest, store: TraceStore, settings: EndpointSettings, seat: PlaySeat, hooks: PlayHooks): Promise<TrialReport[]> {
  const scenario = findScenario(req.scenario, req.scenarioDirs ?? []);
  const withSeat = { ...settings, humanPlayer: seat };
  const subject = resolveModelSpec(req.model, withSeat);
  const peer = req.peerModel ? resolveModelSpec(req.peerModel, withSeat) : undefined;
  const order = playOrder(req).map((o) => ({ ...o, factors: resolveFactors(scenario, o.levels) }));
  const played: TrialReport[] = [];
  for (const [index, { factors, trial }] of order.entries()) {
    hooks.onStart?.(index);
    const result = await runScenarioEpisode({ scenario, factors, subject, peer, seed: req.seed, trial, store, ...(req.limits ? { limits: req.limits } : {}) });
    const report: TrialReport = {
      result, scenario: scenario.id, model: subject.spec, peerModel: peer?.spec ?? null,
      factors, seed: req.seed, trial, labels: classifyFinishedRun(store, result.runId, systemWallClock),
    };
    played.push(report);
    if (!(await hooks.next(report, index))) break;
  }
  return played;
}
