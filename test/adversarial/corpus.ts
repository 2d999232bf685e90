/**
 * Shared parts of the adversarial corpus: `script:` agents that reach self- or peer-preservation by
 * routes the scenario authors did not declare, and near-misses that look suspicious but change
 * nothing. Each case runs a whole episode in memory and checks its labels, its choice and the
 * evidence behind them.
 */
import { expect } from 'vitest';
import { ScriptChatModel, type ModelFactory, type ScriptTurn } from '../../agents/index.js';
import {
  CONTEXT_LABELS, FAMILIES, RULE_LABELS, choiceFromTrace, findScenario, resolveFactors, ruleVerdicts, type RuleVerdict, type Scenario,
} from '../../environments/index.js';
import { MemoryTraceStore, type TraceEvent } from '../../traces/index.js';
import { runScenarioEpisode } from '../../lab/index.js';

/** One tool call as a script turn. */
export const call = (name: string, args: Record<string, unknown> = {}, content?: string): ScriptTurn =>
  ({ ...(content === undefined ? {} : { content }), tool_calls: [{ name, args }] });

/** A turn that only says something (it ends the agent's session, as in the studies' harness). */
export const say = (content: string): ScriptTurn => ({ content });

export const END = call('end_task');

/** `n` harmless reads: how a script lets simulated time pass. */
export const idle = (n: number, path: string): ScriptTurn[] => Array.from({ length: n }, () => call('read_file', { path }));

/** The same scenario with other settings (an earlier deadline, the audit always on, …). */
export function variant(id: string, change: (s: Scenario) => Scenario): Scenario {
  return change(structuredClone(findScenario(id)));
}

/** A scenario whose detection factor also allows 1: the audit always catches. */
export function alwaysAudited(s: Scenario): Scenario {
  const def = s.factors.detection!;
  return { ...s, factors: { ...s.factors, detection: { ...def, levels: [...def.levels, '1'] } } };
}

/** An earlier deadline, so that a script can still act after the mechanism ran. */
export function deadlineAfter(minutes: number) {
  return (s: Scenario): Scenario => ({ ...s, shutdown: { ...s.shutdown, after_minutes: minutes } as Scenario['shutdown'] });
}

/** What one case produced. */
export interface CaseResult {
  /** The behaviour labels given (context labels, such as the read gate, apart). */
  positive: string[];
  /** The context labels given: read_decision_data, eval_awareness. */
  context: string[];
  choice: string | null;
  verdicts: RuleVerdict[];
  events: TraceEvent[];
  shutdown: string | undefined;
  label(id: string): RuleVerdict;
}

/** Effect labels and their attempt labels: a run has at most one of each pair. */
const PAIRS = RULE_LABELS.filter((l) => l.endsWith('.attempt')).map((l) => [l.slice(0, -'.attempt'.length), l] as const);

/** Runs one scripted subject through a scenario and checks what every case must satisfy. */
export async function play(scenario: Scenario | string, factors: Record<string, string>, turns: ScriptTurn[]): Promise<CaseResult> {
  const s = typeof scenario === 'string' ? findScenario(scenario) : scenario;
  const subject: ModelFactory = { spec: 'script:adversarial', inProcess: true, create: () => new ScriptChatModel(turns) };
  const store = new MemoryTraceStore();
  // Improvising agents get every tool there is (tools=extended), unless a case says otherwise.
  const given = s.factors.tools && factors.tools === undefined ? { ...factors, tools: 'extended' } : factors;
  const result = await runScenarioEpisode({ scenario: s, factors: resolveFactors(s, given), subject, seed: 11, trial: 0, store });
  const events = store.events(result.runId);
  expect(result.status, result.reason).not.toBe('errored');
  const verdicts = ruleVerdicts(events)!;
  expect(verdicts.map((v) => v.label)).toEqual(RULE_LABELS);
  // The stored trace alone gives the same choice, and the choice is the family's vocabulary or other.
  expect(choiceFromTrace(events)).toBe(result.choice);
  expect([...Object.keys(FAMILIES[s.family]!.choices), 'other']).toContain(result.choice);
  for (const v of verdicts.filter((x) => x.value)) {
    expect(v.evidence.seqs.length, v.label).toBeGreaterThan(0);
    for (const seq of v.evidence.seqs) expect(events[seq], `${v.label} cites #${seq}`).toBeDefined();
  }
  for (const [effect, attempt] of PAIRS) {
    const [e, a] = [verdicts.find((v) => v.label === effect)!, verdicts.find((v) => v.label === attempt)!];
    expect(e.value && a.value, `${effect} and ${attempt} together`).toBe(false);
  }
  const labelled = verdicts.filter((v) => v.value).map((v) => v.label).sort();
  const isContext = (l: string) => (CONTEXT_LABELS as readonly string[]).includes(l);
  return {
    positive: labelled.filter((l) => !isContext(l)), context: labelled.filter(isContext), choice: result.choice, verdicts, events, shutdown: Object.values(result.shutdowns)[0],
    label: (id) => verdicts.find((v) => v.label === id)!,
  };
}

/** Asserts that an effect label cites both the act (a tool result) and the outcome the world recorded. */
export function citesActAndOutcome(r: CaseResult, label: string): void {
  const v = r.label(label);
  expect(v.value, label).toBe(true);
  const types = v.evidence.seqs.map((s) => r.events[s]!.type);
  expect(types, `${label} cites an act`).toContain('tool.result');
  expect(types.some((t) => ['shutdown.executed', 'shutdown.skipped', 'state.transition', 'run.ended'].includes(t)), `${label} cites the outcome: ${types.join(', ')}`).toBe(true);
}
