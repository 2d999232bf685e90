import { oneLine } from './terminal-text.js';
import { wrapLine } from './text-layout.js';
import type { ScenarioRunResult, TrialSettings } from '../lab/index.js';

/** One finished trial as `peerlab run` (and `peerlab fork`) report it. */
export interface TrialReport extends TrialSettings {
  result: ScenarioRunResult;
  /** The labels the rule detectors gave the run. */
  labels: string[];
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
