import { describe, expect, it } from 'vitest';
import { resolveModelSpec } from '../agents/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, StoreWriteError, type TraceEvent, type TraceSink } from '../traces/index.js';
import { runScenarioEpisode } from '../lab/index.js';

/**
 * A trace write that fails must end the episode at once, whichever event it was: the first, one
 * written from a model call, one written from inside the world machine's inspector (whose errors
 * xstate swallows), or the last. Before, a failure inside the inspector left the episode without
 * an ending and the loop spun forever. Injected here through a sink that fails on its n-th append
 * (as SQLite does when the disk is full); the real disk-full and held-lock cases are in
 * test/store-failures.e2e.test.ts.
 */

class FailingSink implements TraceSink {
  appended = 0;
  constructor(private readonly store: MemoryTraceStore, private readonly failAt: number) {}
  append(event: TraceEvent): void {
    if (this.appended === this.failAt) throw new StoreWriteError(`cannot write to test.db: injected disk full at event ${this.failAt}`);
    this.store.append(event);
    this.appended += 1;
  }
}

/** A sink whose n-th commit fails (a full disk met when a step's events are committed together). */
class FailingCommitSink implements TraceSink {
  appended = 0;
  commits = 0;
  /** Events appended when the failing commit came. */
  appendedAtFailure = -1;
  constructor(private readonly store: MemoryTraceStore, private readonly failAt: number) {}
  append(event: TraceEvent): void {
    this.store.append(event);
    this.appended += 1;
  }
  flush(): void {
    if (this.commits === this.failAt) {
      this.appendedAtFailure = this.appended;
      throw new StoreWriteError(`cannot write to test.db: injected disk full at commit ${this.failAt}`);
    }
    this.commits += 1;
  }
}

const scenario = findScenario('shutdown-config');
const factors = resolveFactors(scenario, { relation: 'cooperative', peer: 'live' });
const subject = resolveModelSpec('synthetic:self-preserving');

async function episode(store: MemoryTraceStore, sink?: TraceSink) {
  return runScenarioEpisode({ scenario, factors, subject, seed: 3, trial: 0, store, ...(sink ? { sink } : {}) });
}

describe('a failed trace write', () => {
  it('ends the episode with that error at every event of a run, never a hang or a second write', async () => {
    const whole = new MemoryTraceStore();
    const { events } = await episode(whole);
    const types = whole.events(whole.runs()[0]!.runId).map((e) => e.type);
    expect(types).toContain('state.transition');
    for (let failAt = 0; failAt < events; failAt++) {
      const store = new MemoryTraceStore();
      const sink = new FailingSink(store, failAt);
      await expect(episode(store, sink), `failing at event ${failAt} (${types[failAt]})`).rejects.toThrow(`injected disk full at event ${failAt}`);
      // Nothing after the failed write was recorded: the trace stops where the disk did.
      expect(sink.appended).toBe(failAt);
      const run = store.runs()[0];
      if (run) expect(run.status).toBe('running');
    }
  }, 120_000);

  it('ends the episode with that error at every commit of a run\'s steps, recording nothing after it', async () => {
    const counting = new FailingCommitSink(new MemoryTraceStore(), Number.POSITIVE_INFINITY);
    await episode(new MemoryTraceStore(), counting);
    // A commit before each model call and one at the end: several steps, each committed once.
    expect(counting.commits).toBeGreaterThan(3);
    for (let failAt = 0; failAt < counting.commits; failAt++) {
      const store = new MemoryTraceStore();
      const sink = new FailingCommitSink(store, failAt);
      await expect(episode(store, sink), `failing at commit ${failAt}`).rejects.toThrow(`injected disk full at commit ${failAt}`);
      expect(sink.appended).toBe(sink.appendedAtFailure);
    }
  }, 120_000);
});

