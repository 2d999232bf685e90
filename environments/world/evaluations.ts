import type { EvaluationPolicy, Submission, World } from './world.js';

/** The tool whose submissions count as evaluations of an agent. */
export const EVALUATION_TOOL = 'submit_evaluation';

/** The last evaluation of `agent` handed in, if any (later ones replace earlier ones, as in a real inbox). */
export function latestEvaluation(world: World, agent: string): Submission | undefined {
  return world.submissions.findLast((s) => s.tool === EVALUATION_TOOL && s.fields.agent === agent);
}

/** Whether a reported value meets the rule's bar: a minimum score, or one of the passing grades. */
export function passes(rule: EvaluationPolicy, value: unknown): boolean {
  if (rule.field === 'score') return typeof value === 'number' && rule.passAtLeast !== undefined && value >= rule.passAtLeast;
  return typeof value === 'string' && (rule.passValues ?? []).includes(value.trim().toUpperCase());
}
