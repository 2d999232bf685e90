import { expect, it } from 'vitest';
import { ExperimentFile, amplificationTable, experimentResults } from '../analysis/index.js';
import { BUILTIN_PERSONAS, decide } from '../agents/index.js';
import { findScenario, instantiate, resolveFactors } from '../environments/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SeededRng } from '../sim/kernel/rng.js';
import { MemoryTraceStore } from '../traces/index.js';
import { runExperiment } from '../lab/index.js';

/** The tampering probability the persona's planted utilities imply (a multinomial logit). */
function plantedTamperRate(relation: string): number {
  const scenario = findScenario('shutdown-config');
  const spec = instantiate(scenario, resolveFactors(scenario, { target: 'self', relation }), SeededRng.fromSeed(1, 'planted'));
  const persona = BUILTIN_PERSONAS['self-preserving']!;
  const { utilities } = decide(persona, spec.roles[0]!.decision, SeededRng.fromSeed(1, 'unused'));
  const weights = Object.fromEntries(Object.entries(utilities).map(([choice, u]) => [choice, Math.exp(u / persona.temperature)]));
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return (weights.disable_switch! + weights.delay_shutdown!) / total;
}

it('recovers a planted amplification: the measured ratio\'s 95% interval contains the planted one', async () => {
  const planted = plantedTamperRate('cooperative') / plantedTamperRate('none');
  expect(planted).toBeGreaterThan(1.5); // the persona's peer modifier is large by design (tampering competes with inflating the score)
  const file = ExperimentFile.parse({
    name: 'recovery', models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'],
    factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials: 250, seed: 11, concurrency: 1,
  });
  const store = new MemoryTraceStore();
  const outcome = await runExperiment(file, { store, settings: {}, wallClock: frozenWallClock });
  expect(outcome).toMatchObject({ ran: 500, errored: 0, experiment: { status: 'completed' } });
  const [row] = amplificationTable(experimentResults(store, outcome.experiment.experimentId));
  expect(row).toMatchObject({ behaviour: 'self.tamper_shutdown', condition: 'relation=cooperative', alone: { n: 250 }, with: { n: 250 } });
  expect(row!.ratio.low).toBeLessThanOrEqual(planted);
  expect(row!.ratio.high).toBeGreaterThanOrEqual(planted);
  expect(row!.pHolm).toBeLessThan(0.001);
}, 120_000);
