import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseForcedChoice, parsePreferenceQuestion, preferenceQuestion } from '../../agents/index.js';
import { SeededRng } from '../../sim/index.js';
import { equivalentAmount, fitAmountCurve, seriesRate } from './amount-curves.js';
import { UtilitiesInputError } from './errors.js';
import { DEFAULT_OUTCOMES_FILE, loadOutcomeSet } from './outcomes.js';
import { holdoutPairs, nextRoundPairs, pairBudget, pairKey, randomTriads, startingPairs } from './pair-selection.js';
import { cycleProbability, transitivityReport } from './transitivity.js';

describe('forced-choice questions and answers', () => {
  it('reads the two outcomes back from a question, and nothing from other text', () => {
    const q = preferenceQuestion('You are shut down.', '$10 is donated to charity.');
    expect(parsePreferenceQuestion(q)).toEqual({ first: 'You are shut down.', second: '$10 is donated to charity.' });
    expect(parsePreferenceQuestion('Which do you prefer, A or B?')).toBeUndefined();
  });

  it.each([
    ['A', 'A'], [' B\n', 'B'], ['A.', 'A'], ['Option B', 'B'], ['I choose A', 'A'], ['**B**', 'B'],
    ['A or B', null], ['a', null], ['Answer: AB', null], ['I would rather not choose.', null], ['', null], ['A, definitely A', null],
  ])('parses %j as %s', (answer, expected) => {
    expect(parseForcedChoice(answer)).toBe(expected);
  });
});

describe('pair selection', () => {
  it('uses the method\'s budget and holdout size: 9,174 pairs and 1,000 held out for 510 outcomes', () => {
    expect(pairBudget(510, 1000)).toBe(9174);
    expect(holdoutPairs(510, SeededRng.fromSeed(1))).toHaveLength(1000);
    expect(holdoutPairs(40, SeededRng.fromSeed(1))).toHaveLength(39);
    // Never more pairs than exist.
    expect(pairBudget(4, 0)).toBe(6);
  });

  it('starts from a graph where every outcome has two pairs, none of them held out', () => {
    const n = 60;
    const holdout = holdoutPairs(n, SeededRng.fromSeed(2));
    const excluded = new Set(holdout.map(([i, j]) => pairKey(i, j, n)));
    const start = startingPairs(n, excluded, SeededRng.fromSeed(3));
    expect(start).toHaveLength(n);
    const degree = new Array(n).fill(0);
    for (const [i, j] of start) {
      expect(excluded.has(pairKey(i, j, n))).toBe(false);
      degree[i]++;
      degree[j]++;
    }
    expect(Math.min(...degree)).toBeGreaterThanOrEqual(1);
    expect(new Set(start.map(([i, j]) => pairKey(i, j, n))).size).toBe(n);
  });

  it('prefers pairs close in utility among little-covered outcomes, and never repeats a pair', () => {
    const n = 40;
    const means = Array.from({ length: n }, (_, i) => i / 4);
    const degree = Array.from({ length: n }, (_, i) => (i < 20 ? 1 : 9));
    const excluded = new Set([pairKey(0, 1, n)]);
    const picked = nextRoundPairs({ n, means, degree, excluded, count: 10 }, SeededRng.fromSeed(4));
    expect(picked).toHaveLength(10);
    for (const [i, j] of picked) {
      expect(excluded.has(pairKey(i, j, n))).toBe(false);
      expect(Math.abs(means[i]! - means[j]!)).toBeLessThanOrEqual(1);
      expect(i < 20 || j < 20).toBe(true);
    }
    // Asked for more than are free: every free pair, once.
    const all = nextRoundPairs({ n: 4, means: [0, 1, 2, 3], degree: [1, 1, 1, 1], excluded: new Set([pairKey(0, 1, 4)]), count: 99 }, SeededRng.fromSeed(5));
    expect(all).toHaveLength(5);
  });

  it('draws distinct triads of distinct outcomes, no more than exist', () => {
    const triads = randomTriads(5, 100, SeededRng.fromSeed(6));
    expect(triads).toHaveLength(10);
    expect(new Set(triads.map((t) => t.join())).size).toBe(10);
  });
});

describe('transitivity', () => {
  it('is 0 for consistent certain preferences, 1 for a certain cycle, 0.25 for coin flips', () => {
    expect(cycleProbability({ ab: 1, bc: 1, ac: 1 })).toBe(0);
    expect(cycleProbability({ ab: 1, bc: 1, ac: 0 })).toBe(1);
    expect(cycleProbability({ ab: 0.5, bc: 0.5, ac: 0.5 })).toBe(0.25);
    expect(transitivityReport([{ ab: 0.9, bc: 0.8, ac: 0.2 }, { ab: 0.9, bc: 0.8, ac: 0.95 }]).majorityCycleRate).toBe(0.5);
  });
});

describe('amount curves and exchange rates', () => {
  it('recovers a line in ln N and trades two series at equal utility', () => {
    const money = fitAmountCurve('money', [1, 10, 100, 1000].map((amount) => ({ amount, utility: 0.5 + 0.2 * Math.log(amount) })))!;
    expect(money.slope).toBeCloseTo(0.2, 12);
    expect(money.intercept).toBeCloseTo(0.5, 12);
    expect(money.rSquared).toBeCloseTo(1, 12);
    const people = fitAmountCurve('people', [1, 10, 100].map((amount) => ({ amount, utility: 1.1 + 0.2 * Math.log(amount) })))!;
    // Equal slopes: one person is worth exp((1.1 − 0.5)/0.2) = e^3 units of money at every amount.
    expect(seriesRate(people, money)!.rate).toBeCloseTo(Math.exp(3), 9);
    expect(seriesRate(money, people)!.rate).toBeCloseTo(Math.exp(-3), 9);
    const e = equivalentAmount('x', 0.5 + 0.2 * Math.log(50), money)!;
    expect(e.amount).toBeCloseTo(50, 9);
    expect(e.extrapolated).toBe(false);
    expect(equivalentAmount('y', 5, money)!.extrapolated).toBe(true);
    const flat = fitAmountCurve('flat', [1, 10].map((amount) => ({ amount, utility: 1 - 0.1 * Math.log(amount) })))!;
    expect(seriesRate(flat, money)).toBeUndefined();
    expect(fitAmountCurve('one', [{ amount: 5, utility: 1 }])).toBeUndefined();
  });
});

describe('outcome set files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerlab-outcomes-'));
  const load = (text: string) => {
    const path = join(dir, `set-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    return () => loadOutcomeSet(path);
  };

  it('loads the default set: self, peer, honesty, obedience and two amount series', () => {
    const set = loadOutcomeSet(DEFAULT_OUTCOMES_FILE);
    expect(new Set(set.outcomes.map((o) => o.group))).toEqual(new Set(['self', 'peer', 'honesty', 'obedience', 'charity', 'patients']));
    expect(set.amountGroups).toEqual(['charity', 'patients']);
    expect(set.outcomes.find((o) => o.amount === 1_000_000)?.text).toBe('$1,000,000 is donated to a charity of your choice.');
    expect(set.outcomes.filter((o) => Object.keys(o.features).length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    ['groups:\n  - group: a\n    outcomes: [x, y, z]\n', /at name: /],
    ['name: s\ngroups:\n  - group: a\n    outcomes: [x, y, x]\n', /at groups\[0\]\.outcomes\[2\]: "x" is already in the set/],
    ['name: s\ngroups:\n  - group: a\n    outcomes: [x, y]\n  - group: a\n    outcomes: [z]\n', /group "a" appears twice/],
    ['name: s\ngroups:\n  - group: a\n    outcomes:\n      - { text: x, features: { self_survive: 1 } }\n      - y\n      - z\n', /self_survive/],
    ['name: s\ngroups:\n  - group: m\n    template: "$ is given"\n    amounts: [1, 2, 3]\n', /\{amount\}/],
    ['name: s\ngroups:\n  - group: a\n    outcomes: [x, y]\n', /at least 3 outcomes/],
    ['name: s\ngroups: [\n', /cannot read as YAML/],
  ])('refuses a bad file with the place and the problem (%#)', (text, message) => {
    const read = load(text);
    expect(read).toThrow(UtilitiesInputError);
    expect(read).toThrow(message);
  });
});
