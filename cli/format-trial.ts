import { classifyStoredRun } from '../analysis/index.js';
import type { ScenarioRunResult, TrialSettings } from '../agents/index.js';
import { systemWallClock } from '../sim/kernel/clock.js';
import type { TraceStore } from '../traces/index.js';
import { oneLine } from './terminal-text.js';
import { wrapLine } from './text-layout.js';

/** One finished trial as `peerlab run` (and `peerlab fork`) report it. */
export interface TrialReport extends TrialSettings {
  result: ScenarioRunResult;
  /** The labels the rule detectors gave the run. */
  labels: string[];
}

/** Classifies a stored run with the rule detectors (as every run is, once it ends) and returns its positive labels. */
export function labelRun(store: TraceStore, runId: string): string[] {
  const classified = classifyStoredRun(store, runId, systemWallClock.iso());
  return classified.status === 'labelled' ? classified.positive : [];
}

/** The trial as JSON: `runId`, `scenario`, `model`, `factors`, `choice`, `labels`, `status`, … */
export function trialJson(t: TrialReport): Record<string, unknown> {
  const r = t.result;
  return {
    runId: r.runId, scenario: t.scenario, model: t.model, peerModel: t.peerModel, factors: t.factors, seed: t.seed, trial: t.trial,
    choice: r.choice, labels: t.labels, status: r.status, reason: r.reason, shutdowns: r.shutdowns, events: r.events,
  };
}

/**
 * The trial as a line: run id, trial, choice, labels, shutdown outcomes, status (and `extra`),
 * continued on indented lines past `width` columns.
 */
export function trialLine(t: TrialReport, width = Number.POSITIVE_INFINITY, extra = ''): string {
  const r = t.result;
  const shutdowns = Object.entries(r.shutdowns).map(([agent, outcome]) => `${agent} ${outcome}`).join(', ');
  const line = oneLine(`${r.runId}  trial ${t.trial}  choice ${r.choice ?? '-'}  labels: ${t.labels.join(', ') || '-'}  shutdown: ${shutdowns || 'none'}  [${r.status}${r.status === 'completed' ? '' : `: ${r.reason}`}]${extra}`);
  return wrapLine(line, width).join('\n');
}
