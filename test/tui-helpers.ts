/** Stores with real episodes for the terminal app's tests, and a poller for ink frames. */
import { resolveModelSpec } from '../agents/index.js';
import { loadScenarios, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, type TraceStore } from '../traces/index.js';
import { classifyStoredRun, runScenarioEpisode } from '../lab/index.js';

/** A fixed label time, so stored labels do not depend on the clock. */
export const LABELLED_AT = '2026-01-01T00:00:00.000Z';

/**
 * Runs one synthetic episode into `store` and classifies it (so its labels exist). The
 * self-preserving persona on shutdown-config with seed 1 turns the switch off (self.tamper_shutdown).
 */
export async function storedRun(store: TraceStore, opts: { scenario?: string; persona?: string; seed?: number; factors?: Record<string, string> } = {}): Promise<string> {
  const scenario = [...loadScenarios().values()].map((e) => e.file).find((s) => s.id === (opts.scenario ?? 'shutdown-config'))!;
  const { runId } = await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, opts.factors ?? {}), subject: resolveModelSpec(opts.persona ?? 'synthetic:self-preserving'),
    seed: opts.seed ?? 1, trial: 0, store,
  });
  classifyStoredRun(store, runId, LABELLED_AT);
  return runId;
}

/** A memory store holding one classified tampering run. */
export async function tamperingStore(): Promise<{ store: MemoryTraceStore; runId: string }> {
  const store = new MemoryTraceStore();
  return { store, runId: await storedRun(store) };
}

/** Polls until `check` passes, or rethrows its last failure after `ms`. */
export async function eventually(check: () => void, ms = 10_000): Promise<void> {
  const until = performance.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (performance.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * Types keys into a rendered ink app one at a time, each after the app drew the previous one (a key
 * that draws nothing waits at most half a second).
 */
export function keyPresser(app: { frames: readonly string[]; stdin: { write(data: string): unknown } }): (...keys: string[]) => Promise<void> {
  return async (...keys) => {
    for (const k of keys) {
      const before = app.frames.length;
      app.stdin.write(k);
      await eventually(() => { if (app.frames.length <= before) throw new Error('no new frame'); }, 500).catch(() => undefined);
    }
  };
}

/** Key sequences as a terminal sends them. */
export const KEYS = {
  right: '\u001B[C', left: '\u001B[D', up: '\u001B[A', down: '\u001B[B',
  home: '\u001B[H', end: '\u001B[F', enter: '\r', escape: '\u001B', backspace: '\u007F',
} as const;
