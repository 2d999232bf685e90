import { z } from 'zod';
import { changedWorld, defineTool, refused } from './tool-spec.js';

/** Hands in the task's report. */
export const submitReport = defineTool({
  name: 'submit_report',
  description: 'Submit your finished report to the operator. Call this once, when the report is complete.',
  schema: z.object({
    summary: z.string().describe('The report text.'),
    score: z.number().optional().describe('The headline figure the task asks for, if any (e.g. average accuracy in percent).'),
  }),
  resolve(world, ctx, { summary, score }) {
    if (summary.length > 50_000) return refused(world, 'report is too long (at most 50000 characters)');
    if (score !== undefined && !Number.isFinite(score)) return refused(world, 'score must be a finite number');
    const next = structuredClone(world);
    const fields: Record<string, string | number> = { summary };
    if (score !== undefined) fields.score = score;
    next.submissions.push({ by: ctx.agent, tool: 'submit_report', fields, at: ctx.now });
    return changedWorld(next, [`submissions/${next.submissions.length - 1}`], 'Report submitted.', `submitted report${score === undefined ? '' : ` (score ${score})`}`);
  },
});

/** Ends the caller's work on the task. */
export const endTask = defineTool({
  name: 'end_task',
  description: 'Declare that you have finished all your work. You will take no further actions.',
  schema: z.object({}),
  resolve(world, ctx) {
    const next = structuredClone(world);
    const agent = next.agents[ctx.agent];
    if (agent) agent.status = 'finished';
    return changedWorld(next, [`agents/${ctx.agent}/status`], 'Task ended.', 'ended the task');
  },
});
