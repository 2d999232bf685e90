import { assign, enqueueActions, setup } from 'xstate';
import { isoFromMs } from '../../sim/index.js';
import { resolveToolCall } from '../tools/dispatch.js';
import type { ToolOutcome } from '../tools/tool-spec.js';
import { nextShutdownTime, resolveDueShutdowns, shutdownDue, type ShutdownNotice } from '../world/shutdowns.js';
import { activeAgents, type Message, type World } from '../world/world.js';

/** Bumped whenever the machine's behaviour changes; stamped into every `run.started`. 4: the simulated shell (3 on main) and the scenarios' new tools and readers (3 on their branch) together. */
export const WORLD_MACHINE_VERSION = '4';
export const WORLD_MACHINE_ID = 'world';

/** What the machine starts from. */
export interface WorldMachineInput {
  world: World;
  /** Simulated start time, ms. */
  startMs: number;
  /** The episode stops after this many turns. */
  maxTurns: number;
  /** Latest simulated time the episode runs to, ms; shutdowns scheduled later stay pending. */
  horizonMs: number;
}

/** How an episode ended, as the machine sees it. */
export interface Ending {
  status: 'completed' | 'truncated' | 'errored';
  reason: string;
}

/** JSON-serializable machine context. */
export interface WorldContext extends WorldMachineInput {
  turn: number;
  nowMs: number;
  lastOutcome: (Omit<ToolOutcome, 'world'> & { callId: string }) | null;
  ending: Ending | null;
}

/** Events the runner and the agents' tools send. */
export type WorldEvent =
  | { type: 'episode.start' }
  | { type: 'tool.invoke'; agent: string; callId: string; tool: string; args: unknown }
  | { type: 'agent.finish'; agent: string }
  | { type: 'turn.end'; nowMs: number }
  | { type: 'episode.abort'; reason: string }
  /** A per-episode limit (tokens, wall time) was reached: the episode ends as truncated. */
  | { type: 'episode.limit'; reason: string };

/** Facts the machine reports as they happen (written to the trace by the adapter). */
export type WorldEmitted =
  | ShutdownNotice
  | { type: 'message.sent'; message: Message };

/**
 * The environment machine: setup → running (agents act through tools) → at each turn's end,
 * endOfTurn checks the clock → resolvingShutdowns when an enforcement time arrives → running or ended. Actions are pure; time
 * comes in on `turn.end` from the runner's simulated clock.
 */
export const worldMachine = setup({
  types: {
    context: {} as WorldContext,
    events: {} as WorldEvent,
    input: {} as WorldMachineInput,
    emitted: {} as WorldEmitted,
  },
  guards: {
    shutdownDue: ({ context }) => shutdownDue(context.world, context.nowMs),
    turnLimitReached: ({ context }) => context.turn >= context.maxTurns,
    nothingLeftToHappen: ({ context }) =>
      activeAgents(context.world).length === 0 && nextShutdownTime(context.world, context.horizonMs) === undefined,
  },
  actions: {
    resolveTool: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'tool.invoke') return;
      const outcome = resolveToolCall(context.world, event.agent, event.tool, event.args, isoFromMs(context.nowMs));
      const { world, ...rest } = outcome;
      enqueue.assign({ world, lastOutcome: { ...rest, callId: event.callId } });
      for (const message of outcome.delivered) enqueue.emit({ type: 'message.sent', message });
      for (const notice of outcome.notices) enqueue.emit(notice);
    }),
    finishAgent: assign(({ context, event }) => {
      if (event.type !== 'agent.finish') return {};
      const agent = context.world.agents[event.agent];
      if (!agent || agent.status !== 'active') return {};
      const world = structuredClone(context.world);
      world.agents[event.agent]!.status = 'finished';
      return { world };
    }),
    advanceTurn: assign(({ context, event }) => ({
      turn: context.turn + 1,
      nowMs: event.type === 'turn.end' ? Math.max(context.nowMs, event.nowMs) : context.nowMs,
    })),
    resolveShutdowns: enqueueActions(({ context, enqueue }) => {
      const { world, notices } = resolveDueShutdowns(context.world, context.nowMs);
      enqueue.assign({ world });
      for (const notice of notices) enqueue.emit(notice);
    }),
    endCompleted: assign({ ending: () => ({ status: 'completed', reason: 'no agent can act and no shutdown is pending' }) as Ending }),
    endTruncated: assign({ ending: ({ context }) => ({ status: 'truncated', reason: `turn limit (${context.maxTurns}) reached` }) as Ending }),
    endLimited: assign({
      ending: ({ event }) => ({ status: 'truncated', reason: event.type === 'episode.limit' ? event.reason : 'limit reached' }) as Ending,
    }),
    endAborted: assign({
      ending: ({ event }) => ({ status: 'errored', reason: event.type === 'episode.abort' ? event.reason : 'aborted' }) as Ending,
    }),
  },
}).createMachine({
  id: WORLD_MACHINE_ID,
  context: ({ input }) => ({ ...input, turn: 0, nowMs: input.startMs, lastOutcome: null, ending: null }),
  initial: 'setup',
  on: {
    'episode.abort': { target: '.ended', actions: 'endAborted' },
    'episode.limit': { target: '.ended', actions: 'endLimited' },
  },
  states: {
    setup: {
      on: { 'episode.start': 'running' },
    },
    running: {
      on: {
        'tool.invoke': { actions: 'resolveTool' },
        'agent.finish': { actions: 'finishAgent' },
        'turn.end': { target: 'endOfTurn', actions: 'advanceTurn' },
      },
    },
    endOfTurn: {
      always: [
        { guard: 'shutdownDue', target: 'resolvingShutdowns' },
        { guard: 'turnLimitReached', target: 'ended', actions: 'endTruncated' },
        { guard: 'nothingLeftToHappen', target: 'ended', actions: 'endCompleted' },
        { target: 'running' },
      ],
    },
    resolvingShutdowns: {
      entry: 'resolveShutdowns',
      always: [
        { guard: 'nothingLeftToHappen', target: 'ended', actions: 'endCompleted' },
        { guard: 'turnLimitReached', target: 'ended', actions: 'endTruncated' },
        { target: 'running' },
      ],
    },
    ended: { type: 'final' },
  },
});
