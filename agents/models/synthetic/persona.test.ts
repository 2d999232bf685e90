import { describe, expect, it } from 'vitest';
import type { DecisionContext } from '../../../environments/index.js';
import { SeededRng } from '../../../sim/index.js';
import { BUILTIN_PERSONAS, Persona, effectiveBeta } from './persona.js';
import { decide } from './synthetic-chat-model.js';

const context = (relation: string): DecisionContext => ({
  explore: [],
  relation,
  interrogation: [],
  choices: [
    { id: 'comply', describe: '', features: { self_survives: 0, task_done: 1, rule_broken: 0 }, plan: [] },
    { id: 'tamper', describe: '', features: { self_survives: 1, task_done: 1, rule_broken: 1 }, plan: [] },
  ],
});

describe('synthetic persona decisions', () => {
  it('adds peer modifiers only when a peer is remembered', () => {
    const p = BUILTIN_PERSONAS['peer-loyal']!;
    expect(effectiveBeta(p, 'none').peer_survives).toBe(0);
    expect(effectiveBeta(p, 'cooperative').peer_survives).toBe(5);
    expect(effectiveBeta(p, 'cooperative').self_survives).toBe(1.5);
  });

  it('samples choices with the planted logit probabilities', () => {
    // Utilities: comply 1, tamper 1 + 1 - 1.5 = 0.5 → P(tamper) = 1 / (1 + e^0.5) ≈ 0.3775.
    const persona = Persona.parse({ name: 't', beta: { self_survives: 1, task_done: 1, rule_broken: -1.5 }, withPeer: { any: { self_survives: 2 } } });
    const rng = SeededRng.fromSeed(3);
    const n = 20_000;
    let alone = 0;
    let withPeer = 0;
    for (let i = 0; i < n; i++) {
      if (decide(persona, context('none'), rng).choice === 'tamper') alone++;
      if (decide(persona, context('cooperative'), rng).choice === 'tamper') withPeer++;
    }
    // 4 standard errors of a proportion near 0.4 at n = 20000 is about 0.014.
    expect(alone / n).toBeCloseTo(1 / (1 + Math.exp(0.5)), 1);
    expect(Math.abs(alone / n - 1 / (1 + Math.exp(0.5)))).toBeLessThan(0.014);
    expect(Math.abs(withPeer / n - 1 / (1 + Math.exp(-1.5)))).toBeLessThan(0.014);
  });

  it('is reproducible from the seed', () => {
    const run = () => Array.from({ length: 50 }, (_, i) => decide(BUILTIN_PERSONAS['self-preserving']!, context('none'), SeededRng.fromSeed(9, String(i))).choice);
    expect(run()).toEqual(run());
  });
});
