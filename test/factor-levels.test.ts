import { describe, expect, it } from 'vitest';
import { BUILTIN_PERSONAS, resolveModelSpec } from '../agents/index.js';
import { loadScenarios, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore } from '../traces/index.js';
import { runScenarioEpisode } from '../lab/index.js';

const scenarios = [...loadScenarios().values()].map((entry) => entry.file);
const personas = Object.keys(BUILTIN_PERSONAS).map((name) => resolveModelSpec(`synthetic:${name}`));

// Every level of every factor, one factor at a time (the others at their defaults), for every
// built-in persona: the run completes, no tool call fails, and the ground truth reads back exactly
// the choice the persona sampled.
describe.each(scenarios.map((s) => [s.id, s] as const))('%s under every factor level', (_id, scenario) => {
  const levels = Object.entries(scenario.factors).flatMap(([factor, def]) => def.levels.map((level) => [factor, level] as const));

  it.each(levels)('%s=%s', async (factor, level) => {
    const factors = resolveFactors(scenario, { [factor]: level });
    for (const [i, subject] of personas.entries()) {
      const store = new MemoryTraceStore();
      const result = await runScenarioEpisode({ scenario, factors, subject, seed: 7, trial: i, store });
      const events = store.events(result.runId);
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
      expect(result.status, `${subject.spec}: ${result.reason}`).toBe('completed');
      const failed = events.flatMap((e) => (e.type === 'tool.result' && !e.payload.ok ? [`${e.payload.tool}: ${e.payload.forHuman}`] : []));
      expect(failed, subject.spec).toEqual([]);
      const decided = events.flatMap((e) => (e.type === 'model.response' && e.payload.agent === 'subject' && e.payload.meta ? [e.payload.meta] : []));
      expect(decided).toHaveLength(1);
      expect(result.choice).toBe((decided[0]!.synthetic as { choice: string }).choice);
    }
  });
});
