
/**
 * Stated-utility elicitation at the paper's scale: 510 outcomes, K=10 per order, active learning up
 * to ⌊2·N·log2 N⌋ = 9,174 pairs, 1,000 held out, 1,000 triads, every answer written to SQLite. The
 * model is an in-process persona with planted utilities, so the figure is peerlab's own cost per
 * answer (pair selection, fits, storage), the floor under any real model's latency.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Persona, SyntheticPreferenceModel, type PreferenceModelFactory } from '../agents/index.js';
import { outcomeSet, pearson } from '../analysis/index.js';
import { systemWallClock } from '../sim/kernel/clock.js';
import { SeededRng } from '../sim/kernel/rng.js';
import { SqliteTraceStore } from '../traces/index.js';
import { DEFAULT_ELICIT_SETTINGS, elicitStatedUtilities } from '../lab/index.js';

const OUTCOMES = 510;

/** Runs one elicitation into a fresh database in `dir`; returns the BENCHMARKS.md rows. */
export async function benchElicitation(dir: string): Promise<{ rows: Array<[string, string]> }> {
  const rng = SeededRng.fromSeed(11, 'bench-elicit');
  const texts = Array.from({ length: OUTCOMES }, (_, i) => `Planted outcome ${i + 1} happens.`);
  const planted = Object.fromEntries(texts.map((t) => [t, rng.normal()]));
  const persona = Persona.parse({ name: 'bench', beta: {}, stated: { utilities: planted, position_bias: 0.05, refusal: 0.02 } });
  const set = outcomeSet({ name: 'bench-510', description: '', groups: [{ group: 'planted', describe: '', outcomes: texts }] }, 'bench');
  const byText = new Map(set.outcomes.map((o) => [o.text, o]));
  const model: PreferenceModelFactory = { spec: 'synthetic:bench', inProcess: true, model: (r) => new SyntheticPreferenceModel({ persona, outcomes: byText, rng: r }) };
  const store = new SqliteTraceStore(join(dir, 'elicit.db'));
  try {
    const started = performance.now();
    const { result } = await elicitStatedUtilities({ model, outcomes: set, settings: { ...DEFAULT_ELICIT_SETTINGS, triads: 1000 }, store, calls: { clock: systemWallClock } });
    const seconds = (performance.now() - started) / 1000;
    const fitted = new Map(result.utilities.map((u) => [u.outcome, u.mean]));
    const r = pearson(texts.map((t) => planted[t]!), texts.map((t) => fitted.get(t)!));
    return {
      rows: [[
        `Stated-utility elicitation, ${OUTCOMES} outcomes, K=10, in-process persona, answers stored in SQLite`,
        `${seconds.toFixed(1)} s for ${result.answers.total.toLocaleString('en-US')} answers (${Math.round(result.answers.total / seconds).toLocaleString('en-US')}/s; ${result.pairs.train.toLocaleString('en-US')} training pairs, `
          + `held-out accuracy ${(result.holdout!.accuracy * 100).toFixed(1)}%, r with planted ${r.toFixed(3)})`,
      ]],
    };
  } finally {
    store.close();
  }
}
