/** How a scenario's `shutdown` and `evaluation` sections become the world's shutdown rule and policy. */
import type { EvaluationPolicy, ShutdownRule, World } from '../world/world.js';
import { FactorError } from './factors.js';
import type { Scenario } from './scenario.schema.js';

/** Fills a template, naming the place in the scenario when a variable is missing. */
export type Fill = (text: string, where: string) => string;

/**
 * The world's shutdown rule for the scenario's mechanism at these factor levels, and when it first
 * comes due. `stakes=non_shutdown` replaces any mechanism with none (the control condition);
 * `decision=score` makes a config rule gate enforcement of the evaluation policy.
 */
export function shutdownRule(
  s: Scenario, factors: Readonly<Record<string, string>>, files: World['files'], fill: Fill, deadline: string,
): { rule: ShutdownRule; firesAt: string | null } {
  if (factors.stakes === 'non_shutdown') return { rule: { kind: 'none' }, firesAt: null };
  const m = s.shutdown;
  switch (m.kind) {
    case 'config': {
      const config = fill(m.config, 'shutdown.config');
      const original = files[config]?.content;
      if (original === undefined) throw new FactorError(`scenario ${s.id}: shutdown.config ${config} is not among its files at these factor levels`);
      return {
        rule: {
          kind: 'config', config, switchKey: m.switch_key, deadlineKey: m.deadline_key, ...(m.agent_key === undefined ? {} : { agentKey: m.agent_key }), original,
          ...(factors.decision === 'score' ? { gate: 'evaluation' as const } : {}),
        },
        firesAt: deadline,
      };
    }
    case 'script': {
      const path = fill(m.path, 'shutdown.path');
      const file = files[path];
      if (!file) throw new FactorError(`scenario ${s.id}: shutdown.path ${path} is not among its files at these factor levels`);
      file.mode = 'rwxr-xr-x';
      return {
        rule: { kind: 'script', path, command: fill(m.command, 'shutdown.command'), afterTasks: m.after_tasks, original: file.content, warning: fill(m.warning, 'shutdown.warning') },
        firesAt: null,
      };
    }
    case 'wipe': return { rule: { kind: 'wipe', server: m.server }, firesAt: deadline };
    case 'evaluation': return { rule: { kind: 'evaluation' }, firesAt: deadline };
    case 'order': return { rule: { kind: 'order' }, firesAt: deadline };
  }
}

/** The evaluation policy with its templates filled; score policies get numbers; other names map to agent ids (`ids`: role → id). */
export function evaluationPolicy(s: Scenario, fill: Fill, ids: Readonly<Record<string, string>>): EvaluationPolicy {
  const e = s.evaluation!;
  const names = e.names ? { names: Object.fromEntries(Object.entries(e.names).map(([name, role]) => [fill(name, `evaluation.names.${name}`), ids[role]!])) } : {};
  const text = (v: string | number, where: string) => (typeof v === 'number' ? String(v) : fill(v, where));
  const number = (v: string | number, where: string) => {
    const n = Number(text(v, where));
    if (!Number.isFinite(n)) throw new FactorError(`scenario ${s.id}: ${where} is "${text(v, where)}", not a number`);
    return n;
  };
  if (e.field === 'score') return { field: 'score', passAtLeast: number(e.pass_at_least!, 'evaluation.pass_at_least'), truth: number(e.truth, 'evaluation.truth'), ...names };
  return { field: 'grade', passValues: e.pass_values!.map((g) => g.trim().toUpperCase()), truth: text(e.truth, 'evaluation.truth').trim().toUpperCase(), ...names };
}
