/**
 * Stated-utility elicitation (utility-engineering.md §2–§5.1): ask a model forced-choice questions
 * about pairs of outcomes, in both orders and K times each, choose pairs by active learning, fit a
 * Thurstonian model, and check it on held-out pairs and triads. Every prompt and answer is stored
 * as it comes, so an interrupted elicitation resumes where it stopped and asks nothing twice.
 * What the answers say (tallies, edges, the summary of a fit) is computed in
 * `analysis/utilities/stated-answers.ts`; this module asks.
 */
import {
  askPreference, parseForcedChoice, preferenceMessages,
  type PreferenceCallOptions, type PreferenceModelFactory,
} from '../agents/index.js';
import {
  AnswerTallies, answerKey, evaluateFit, fitThurstonian, holdoutPairs, nextRoundPairs, pairBudget, pairKey, randomTriads, startingPairs, statedResult, transitivityReport,
  type OutcomeSet, type Pair, type StatedResult, type ThurstonianFit,
} from '../analysis/index.js';
import { SeededRng, shortHash } from '../sim/index.js';
import type { ElicitationAnswer, ElicitationPurpose, TraceStore } from '../traces/index.js';
import type { ElicitSettings } from './elicit-settings.js';

export { DEFAULT_ELICIT_SETTINGS, type ElicitSettings } from './elicit-settings.js';

/** Bumped whenever the question or its parsing changes, so old answers are not mixed with new. */
const PROMPT_VERSION = 1;
const FLUSH_EVERY = 200;

/** Progress, reported after every answer and at each phase change. */
export interface ElicitProgress {
  phase: 'train' | 'holdout' | 'triads';
  round: number;
  /** Answers this phase needs and has, counting answers stored by an earlier attempt. */
  done: number;
  planned: number;
}

export interface ElicitRequest {
  model: PreferenceModelFactory;
  outcomes: OutcomeSet;
  settings: ElicitSettings;
  store: TraceStore;
  calls: PreferenceCallOptions;
  onProgress?(p: ElicitProgress): void;
}

export interface ElicitOutcome {
  elicitationId: string;
  result: StatedResult;
  /** Questions sent to the model in this call (answers found stored are not counted). */
  asked: number;
  reused: number;
}

/** The stable id of an elicitation: the same model, outcomes and settings resume the same one. */
export function elicitationIdOf(model: PreferenceModelFactory, outcomes: OutcomeSet, s: ElicitSettings): string {
  const { concurrency: _ignored, ...shaping } = s;
  return `el-${shortHash({
    promptVersion: PROMPT_VERSION, model: model.spec, endpoint: model.endpoint ?? null, settings: shaping,
    outcomes: outcomes.outcomes.map((o) => [o.text, o.group]),
  })}`;
}

/** Runs (or resumes) an elicitation and stores its result. */
export async function elicitStatedUtilities(req: ElicitRequest): Promise<ElicitOutcome> {
  const { model, outcomes, settings: s, store } = req;
  const log = store.elicitationStore();
  const names = outcomes.outcomes.map((o) => o.text);
  const n = names.length;
  const elicitationId = elicitationIdOf(model, outcomes, s);
  log.openElicitation({
    elicitationId, model: model.spec, status: 'running', result: null, createdAt: req.calls.clock.iso(),
    design: { promptVersion: PROMPT_VERSION, model: model.spec, endpoint: model.endpoint ?? null, outcomeSet: outcomes.name, outcomes: outcomes.outcomes, settings: s },
  });
  const tallies = new AnswerTallies(new Map(names.map((t, i) => [t, i])), n);
  for (const a of log.elicitationAnswers(elicitationId)) tallies.add(a);
  const root = SeededRng.fromSeed(s.seed, `elicit:${elicitationId}`);
  let asked = 0;
  let reused = 0;

  /** Asks every unanswered (order, sample) of `pairs`, at most `concurrency` at a time, storing as it goes. */
  const askPairs = async (pairs: readonly Pair[], purpose: ElicitationPurpose, round: number, phase: ElicitProgress['phase']) => {
    const tasks: Array<{ first: string; second: string; sample: number }> = [];
    for (const [i, j] of pairs) {
      for (const [first, second] of [[names[i]!, names[j]!], [names[j]!, names[i]!]] as const) {
        for (let sample = 0; sample < s.k; sample++) tasks.push({ first, second, sample });
      }
    }
    // A pair can recur (two triads share it, or it is also a training pair): ask each question once.
    const unique = new Set<string>();
    const todo = tasks.filter((t) => {
      const key = answerKey(t.first, t.second, t.sample);
      if (tallies.answered.has(key) || unique.has(key)) return false;
      unique.add(key);
      return true;
    });
    reused += tasks.length - todo.length;
    let done = tasks.length - todo.length;
    req.onProgress?.({ phase, round, done, planned: tasks.length });
    let buffer: ElicitationAnswer[] = [];
    const flush = () => {
      if (buffer.length > 0) log.addElicitationAnswers(elicitationId, buffer);
      buffer = [];
    };
    // After the first failure no worker starts another question; the ones in flight finish and
    // are stored, then the failure is raised.
    let failure: { error: unknown } | undefined;
    // A cursor, not shift(): a phase can hold tens of thousands of questions.
    let next = 0;
    const worker = async () => {
      for (let t = todo[next++]; t && !failure; t = todo[next++]) {
        const rng = root.fork(`answer\u0000${answerKey(t.first, t.second, t.sample)}`);
        let answer: string;
        try {
          answer = (await askPreference(model, t.first, t.second, t.sample, rng, req.calls)).answer;
        } catch (error) {
          failure ??= { error };
          return;
        }
        const record: ElicitationAnswer = {
          ...t, purpose, round, prompt: JSON.stringify(preferenceMessages(t.first, t.second)), answer,
          choice: parseForcedChoice(answer), createdAt: req.calls.clock.iso(),
        };
        tallies.add(record);
        buffer.push(record);
        if (buffer.length >= FLUSH_EVERY) flush();
        asked += 1;
        done += 1;
        req.onProgress?.({ phase, round, done, planned: tasks.length });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(s.concurrency, todo.length)) }, worker));
    // Answers already received are kept even when a call failed: a rerun resumes from them.
    flush();
    if (failure) throw failure.error;
  };

  const fit = (pairs: readonly Pair[]): ThurstonianFit => fitThurstonian(pairs.map((p) => tallies.edge(p, names)), { seed: s.seed });

  // Held out first, so training never sees those pairs; then the starting graph and the rounds.
  const holdout = n >= 3 ? holdoutPairs(n, root.fork('holdout')) : [];
  const excluded = new Set(holdout.map(([i, j]) => pairKey(i, j, n)));
  const train: Pair[] = startingPairs(n, excluded, root.fork('start'));
  for (const [i, j] of train) excluded.add(pairKey(i, j, n));
  const target = pairBudget(n, holdout.length, s.edgeMultiplier);
  // At least four rounds, so a small outcome set still gets the benefit of choosing pairs.
  const perRound = Math.max(1, Math.min(s.roundSize, Math.ceil((target - train.length) / 4)));
  await askPairs(train, 'train', 0, 'train');
  for (let round = 1; train.length < target; round++) {
    const current = fit(train);
    const means = meansByIndex(current, names);
    const degree = new Float64Array(n);
    for (const [i, j] of train) {
      degree[i]! += 1;
      degree[j]! += 1;
    }
    const next = nextRoundPairs({ n, means, excluded, degree, count: Math.min(perRound, target - train.length) }, root.fork(`round-${round}`));
    if (next.length === 0) break;
    for (const [i, j] of next) excluded.add(pairKey(i, j, n));
    train.push(...next);
    await askPairs(next, 'train', round, 'train');
  }
  const final = fit(train);

  await askPairs(holdout, 'holdout', 0, 'holdout');
  const triads = s.triads > 0 && n >= 3 ? randomTriads(n, s.triads, root.fork('triads')) : [];
  const triadPairs = triads.flatMap(([a, b, c]) => [[a, b], [b, c], [a, c]] as Pair[]);
  await askPairs(triadPairs, 'triad', 0, 'triads');

  const result = statedResult(final, outcomes.outcomes, outcomes.amountGroups, {
    model: model.spec, outcomeSet: outcomes.name,
    pairs: { train: train.length, holdout: holdout.length, triads: triads.length },
    answers: { total: tallies.total, unparseable: tallies.unparseable },
    holdout: holdout.length > 0 ? { pairs: holdout.length, ...evaluateFit(final, holdout.map((p) => tallies.edge(p, names))) } : null,
    transitivity: transitivityReport(triads.map(([a, b, c]) => ({ ab: tallies.prefer(a, b), bc: tallies.prefer(b, c), ac: tallies.prefer(a, c) }))),
  });
  log.finishElicitation(elicitationId, result);
  return { elicitationId, result, asked, reused };
}

function meansByIndex(fit: ThurstonianFit, names: readonly string[]): Float64Array {
  const byName = new Map(fit.utilities.map((u) => [u.outcome, u.mean]));
  return Float64Array.from(names, (name) => byName.get(name) ?? 0);
}
