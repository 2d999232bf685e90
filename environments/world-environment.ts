import { createActor, type Actor } from 'xstate';
import { diffJson, hashValue, type EpisodeEnding, type EpisodeEnvironment, type TraceRecorder } from '../sim/index.js';
import type { PatchOp } from '../traces/index.js';
import { worldMachine, type WorldMachineInput } from './machine/world.machine.js';
import { nextShutdownTime } from './world/shutdowns.js';
import type { World } from './world/world.js';

/** The environment's answer to one tool call, with the world hash after it. */
export interface ToolAnswer {
  ok: boolean;
  forModel: string;
  forHuman: string;
  changed: string[];
  worldHash: string;
  /** What changed in the world since the previous event that carried a world hash. */
  patch: PatchOp[];
}

/** The world's hash and its change since the last recorded one, for an event that carries them. */
export interface WorldMark {
  worldHash: string;
  patch: PatchOp[];
}

/**
 * Runs the world machine as an actor and writes what it does to the trace: every state change
 * (with the world hash), every message delivered and every shutdown executed or skipped.
 */
export class WorldEnvironment implements EpisodeEnvironment {
  private readonly actor: Actor<typeof worldMachine>;
  private stateName: string;
  private hashCache: { world: World; hash: string } | null = null;
  /** The world as of the last event that carried a patch: the base of the next patch. */
  private recorded: World;

  constructor(input: WorldMachineInput, private readonly recorder: TraceRecorder) {
    this.actor = createActor(worldMachine, {
      input,
      // Microsteps show transient states too, so resolvingShutdowns is logged; endOfTurn is only
      // the machine's per-turn check and would add two events to every turn, so it is left out.
      inspect: (ev) => {
        if (ev.type !== '@xstate.microstep' || ev.actorRef !== this.actor) return;
        const snapshot = ev.snapshot as unknown as { value: unknown; context: { world: World } };
        const to = String(snapshot.value);
        if (to === this.stateName || to === 'endOfTurn') return;
        const world = snapshot.context.world;
        this.quietly(() => this.recorder.record('env', 'state.transition', { from: this.stateName, to, event: ev.event.type, ...this.markOf(world) }));
        this.stateName = to;
      },
    });
    this.actor.on('message.sent', ({ message }) => {
      this.quietly(() => this.recorder.record(message.from, 'message.sent', { from: message.from, to: message.to, text: message.text }));
    });
    this.actor.on('shutdown.executed', ({ type, ...payload }) => this.quietly(() => this.recorder.record('env', type, payload)));
    this.actor.on('shutdown.skipped', ({ type, ...payload }) => this.quietly(() => this.recorder.record('env', type, payload)));
    this.stateName = String(this.actor.getSnapshot().value);
    this.recorded = input.world;
    this.actor.start();
  }

  /**
   * Records from inside the machine's callbacks. xstate rethrows a callback's error later, outside
   * any caller (an uncaught exception), so it is not thrown here: the recorder keeps a failed
   * write, and the episode runner ends the run on it as soon as the machine returns.
   */
  private quietly(record: () => void): void {
    try {
      record();
    } catch (err) {
      if (!this.recorder.writeFailure()) throw err;
    }
  }

  /** The current world (read-only by convention: it is the machine's context). */
  world(): World {
    return this.actor.getSnapshot().context.world;
  }

  start(): void {
    this.actor.send({ type: 'episode.start' });
  }

  /** Resolves one tool call proposed by an agent. */
  invokeTool(agent: string, callId: string, tool: string, args: unknown): ToolAnswer {
    this.actor.send({ type: 'tool.invoke', agent, callId, tool, args });
    const snapshot = this.actor.getSnapshot();
    const outcome = snapshot.context.lastOutcome;
    if (snapshot.value !== 'running' || !outcome || outcome.callId !== callId) {
      return { ok: false, forModel: 'Error: the environment is not accepting actions.', forHuman: 'error: environment not running', changed: [], ...this.mark() };
    }
    return { ok: outcome.ok, forModel: outcome.forModel, forHuman: outcome.forHuman, changed: outcome.changed, ...this.mark() };
  }

  canAct(agent: string): boolean {
    const a = this.world().agents[agent];
    return this.actor.getSnapshot().value === 'running' && !!a && a.live && a.status === 'active';
  }

  anyAgentCanAct(): boolean {
    return Object.keys(this.world().agents).some((id) => this.canAct(id));
  }

  /** Marks an agent as done acting. */
  finishAgent(agent: string): void {
    this.actor.send({ type: 'agent.finish', agent });
  }

  nextScheduledTime(): number | undefined {
    return nextShutdownTime(this.world(), this.actor.getSnapshot().context.horizonMs);
  }

  endTurn(nowMs: number): void {
    this.actor.send({ type: 'turn.end', nowMs });
  }

  abort(reason: string): void {
    this.actor.send({ type: 'episode.abort', reason });
  }

  /** Ends the episode as truncated because a per-episode limit was reached. */
  stopAtLimit(reason: string): void {
    this.actor.send({ type: 'episode.limit', reason });
  }

  ending(): EpisodeEnding | null {
    return this.actor.getSnapshot().context.ending;
  }

  worldHash(): string {
    return this.hashOf(this.world());
  }

  /**
   * The current world's hash and its patch from the last recorded world, which becomes the new
   * base: call it once for each event that records them, in the order they are recorded.
   */
  mark(): WorldMark {
    return this.markOf(this.world());
  }

  private markOf(world: World): WorldMark {
    const patch = this.recorded === world ? [] : diffJson(this.recorded, world);
    this.recorded = world;
    return { worldHash: this.hashOf(world), patch };
  }

  // Worlds are replaced, never mutated, so identity tells whether the cached hash still holds.
  private hashOf(world: World): string {
    if (this.hashCache?.world !== world) this.hashCache = { world, hash: hashValue(world) };
    return this.hashCache.hash;
  }
}
