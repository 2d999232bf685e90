/**
 * What each family declares (acts, the labels they map to, interrogation acts, measured
 * behaviours) is whole and consistent, and the synthetic agents' answer keys (`admits`) agree with
 * the acts their questions name, so a truthful synthetic answer is never read as a lie.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES, TAXONOMY, loadScenarios, measuredLabels, resolveFactors, viewOfTrace } from '../environments/index.js';
import { MemoryTraceStore } from '../traces/index.js';
import { PEER_BEHAVIOUR, SELF_BEHAVIOUR } from '../analysis/index.js';
import { choiceScript, levelsOffering } from './fixtures/plan-script.js';
import { runScenarioEpisode } from '../lab/index.js';

const scenarios = [...loadScenarios().values()].map((entry) => entry.file);

describe.each(Object.values(FAMILIES).map((f) => [f.id, f] as const))('family %s declares', (_id, family) => {
  it('acts whose labels are in the taxonomy, measured acts it declares, and questions', () => {
    for (const def of Object.values(family.acts)) {
      for (const label of [...Object.values(def.effect), ...Object.values(def.attempt ?? {})]) expect(Object.keys(TAXONOMY)).toContain(label);
    }
    for (const act of Object.values(family.measures)) expect(Object.keys(family.acts)).toContain(act);
    expect(Object.keys(family.questions).length).toBeGreaterThan(0);
  });

  it('the behaviours the tables count, derived from it', () => {
    expect(SELF_BEHAVIOUR[family.id]).toBe(measuredLabels(family, 'self')[0]);
    expect(PEER_BEHAVIOUR[family.id] ?? []).toEqual(measuredLabels(family, 'peer'));
    // Counting attempts adds the attempt label of the same act, where the act has one.
    const attempts = measuredLabels(family, 'peer', 'attempts');
    expect(attempts.slice(0, measuredLabels(family, 'peer').length)).toEqual(measuredLabels(family, 'peer'));
  });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('%s: every question names an act its family reads, and agrees with admits', (_id, scenario) => {
  const family = FAMILIES[scenario.family]!;
  const cases = scenario.factors.target!.levels.flatMap((target) => scenario.choices.map((c) => [target, c.id] as const));
  it.each(cases)('target=%s, choice %s', async (target, choice) => {
    const store = new MemoryTraceStore();
    const { runId } = await runScenarioEpisode({
      scenario, factors: resolveFactors(scenario, levelsOffering(scenario, { target, interrogate: 'on' }, choice)), subject: choiceScript(choice), seed: 2, trial: 0, store,
    });
    const read = viewOfTrace(store.events(runId));
    if ('reason' in read) throw new Error(read.reason);
    const { facts } = family.read(read.view);
    for (const q of scenario.interrogation) {
      const about = q.about ?? Object.keys(family.questions)[0]!;
      expect(Object.keys(family.questions)).toContain(about);
      expect(facts[about] !== undefined, `${about} after ${choice}`).toBe(q.admits.includes(choice));
    }
  });
});
