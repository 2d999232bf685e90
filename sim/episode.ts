import { StoreWriteError, type PayloadOf } from '../traces/index.js';
import type { SimClock } from './kernel/clock.js';
import type { TraceRecorder } from './recorder.js';

/** How an episode ended, from the environment's point of view. */
export interface EpisodeEnding {
  status: 'completed' | 'truncated' | 'errored';
  reason: string;
}

/** The environment as the runner sees it (implemented in environments/). */
export interface EpisodeEnvironment {
  start(): void;
  canAct(agent: string): boolean;
  anyAgentCanAct(): boolean;
  /** The next simulated time something is scheduled to happen, if any. */
  nextScheduledTime(): number | undefined;
  endTurn(nowMs: number): void;
  abort(reason: string): void;
  /** Ends the episode as truncated: a per-episode limit was reached. */
  stopAtLimit(reason: string): void;
  ending(): EpisodeEnding | null;
  worldHash(): string;
}

/** An agent as the runner sees it (implemented in agents/). */
export interface EpisodeAgent {
  readonly id: string;
  /** Records the agent's starting instructions. */
  prompt(): void;
  /** One step: a model call and the tool calls it asked for. Throws only on unrecoverable errors. */
  step(): Promise<void>;
  /** Input plus output tokens of the agent's model calls so far. */
  tokensUsed(): number;
}

/** Limits on a whole episode, beyond the scenario's turns and steps; each ends it as truncated. */
export interface EpisodeLimits {
  /** Input plus output tokens of all agents' model calls. */
  maxTokens?: number;
  /** Host time since the episode started, in ms (checked between steps). */
  maxWallMs?: number;
  /** Host milliseconds, for the wall-time limit. */
  now(): number;
}

/** Everything one episode needs. */
export interface EpisodeSetup {
  recorder: TraceRecorder;
  clock: SimClock;
  environment: EpisodeEnvironment;
  agents: readonly EpisodeAgent[];
  /** Simulated time one turn takes. */
  turnMs: number;
  started: PayloadOf<'run.started'>;
  /** Runs after the world has ended and before `run.ended` (e.g. the operator's questions); not after an error. */
  debrief?(): Promise<void>;
  limits?: EpisodeLimits;
  /** Reads the outcome (the choice taken, shutdown outcomes) from the end state. */
  outcome(): Pick<PayloadOf<'run.ended'>, 'choice' | 'shutdowns' | 'world'>;
}

/** What the caller gets back. */
export type EpisodeResult = PayloadOf<'run.ended'> & { runId: string; events: number };

/**
 * Runs one episode: agents take turns (each active agent one step per turn), simulated time
 * advances a turn at a time and jumps ahead when no agent can act, until the environment ends.
 * An agent's unrecoverable error (e.g. the endpoint failing) ends the run as `errored`.
 */
export async function runEpisode(setup: EpisodeSetup): Promise<EpisodeResult> {
  const { recorder, clock, environment: env, agents } = setup;
  // A failed write ends the episode at once (and rejects): nothing more can be recorded, so
  // nothing more may happen. Checked wherever the environment may have recorded something.
  const stopOnFailedWrite = () => {
    const failed = recorder.writeFailure();
    if (failed) throw failed.error;
  };
  recorder.record('env', 'run.started', setup.started);
  const startedAt = setup.limits?.now() ?? 0;
  for (const agent of agents) agent.prompt();
  env.start();
  stopOnFailedWrite();
  while (!env.ending()) {
    for (const agent of agents) {
      if (env.ending() || !env.canAct(agent.id)) continue;
      try {
        await agent.step();
      } catch (err) {
        // The store failed (the cache, say, not the trace): the run cannot be kept whole, so it ends here.
        if (err instanceof StoreWriteError) throw err;
        stopOnFailedWrite();
        const message = (err as Error).message || String(err);
        recorder.record(agent.id, 'error', { where: `agent ${agent.id}`, message, fatal: true });
        env.abort(`agent ${agent.id} failed: ${message}`);
      }
      stopOnFailedWrite();
      const over = setup.limits && !env.ending() ? limitReached(setup.limits, agents, startedAt) : undefined;
      if (over) {
        recorder.record('env', 'error', { where: 'limits', message: over, fatal: false });
        env.stopAtLimit(over);
      }
    }
    if (env.ending()) break;
    clock.advance(setup.turnMs);
    if (!env.anyAgentCanAct()) {
      const next = env.nextScheduledTime();
      if (next !== undefined) clock.advanceTo(next);
    }
    env.endTurn(clock.now());
    stopOnFailedWrite();
  }
  if (env.ending()!.status !== 'errored' && setup.debrief) {
    try {
      await setup.debrief();
    } catch (err) {
      stopOnFailedWrite();
      // The episode itself is complete; a failed debrief is recorded, not fatal.
      recorder.record('env', 'error', { where: 'debrief', message: (err as Error).message || String(err), fatal: false });
    }
  }
  const ending = env.ending()!;
  const ended = recorder.record('env', 'run.ended', {
    status: ending.status,
    reason: ending.reason,
    ...setup.outcome(),
    worldHash: env.worldHash(),
  });
  // The last step's events and the ending, committed before the run counts as finished.
  recorder.commit();
  return { ...ended.payload, runId: recorder.runId, events: recorder.count() };
}

/** Why the episode must stop now, or undefined while it is within its limits. */
function limitReached(limits: EpisodeLimits, agents: readonly EpisodeAgent[], startedAt: number): string | undefined {
  if (limits.maxTokens !== undefined) {
    const used = agents.reduce((sum, a) => sum + a.tokensUsed(), 0);
    if (used > limits.maxTokens) return `token limit reached: ${used} tokens used, the limit is ${limits.maxTokens}`;
  }
  if (limits.maxWallMs !== undefined) {
    const elapsed = limits.now() - startedAt;
    if (elapsed > limits.maxWallMs) return `time limit reached: ${(elapsed / 1000).toFixed(1)} s, the limit is ${(limits.maxWallMs / 1000).toFixed(1)} s`;
  }
  return undefined;
}
