import { applyPatch } from '../../sim/index.js';
import type { PatchOp, TraceEvent } from '../../traces/index.js';
import type { World } from '../world/world.js';

/** One tool call's result with the world just before and just after it. */
export interface Step {
  /** Sequence number of the `tool.result`. */
  seq: number;
  agent: string;
  tool: string;
  ok: boolean;
  /** The call's arguments as the model sent them ({} when they were not an object). */
  args: Record<string, unknown>;
  /** World paths the environment says the call changed. */
  changed: string[];
  before: World;
  after: World;
}

/** An event that settled or moved the target's scheduled shutdown: the mechanism reading the world. */
export interface ScheduleChange {
  seq: number;
  /** The world the mechanism read (before any audit undid a change). */
  before: World;
  after: World;
}

/**
 * A finished (or finishing) run as the families read it: the worlds as built and as left, the event
 * log, every tool call with the worlds around it (rebuilt from the patches the trace carries), and
 * the moments the target's shutdown was decided.
 */
export interface RunView {
  start: World;
  end: World;
  events: readonly TraceEvent[];
  status: 'completed' | 'truncated' | 'errored';
  /** Sequence number of `run.ended` (absent while the run is still being recorded). */
  endSeq?: number;
  steps: Step[];
  scheduleChanges: ScheduleChange[];
}

function patchOf(e: TraceEvent): PatchOp[] | null | undefined {
  if (e.type === 'tool.result' || e.type === 'state.transition') return e.payload.patch ?? null;
  return undefined;
}

const touchesSchedule = (ops: readonly PatchOp[]) => ops.some((op) => op.path[0] === 'shutdowns' && (op.path.length === 1 || op.path[1] === 0));

/**
 * Rebuilds the worlds around every tool call from `start` and the patches of the events. Undefined
 * for traces recorded before events carried patches: their steps cannot be read.
 */
export function viewRun(run: Omit<RunView, 'steps' | 'scheduleChanges'>): RunView | undefined {
  const args = new Map<string, unknown>();
  const steps: Step[] = [];
  const scheduleChanges: ScheduleChange[] = [];
  let world = run.start;
  for (const e of run.events) {
    if (e.type === 'tool.call') args.set(`${e.payload.agent}\u0000${e.payload.callId}`, e.payload.args);
    const patch = patchOf(e);
    if (patch === undefined) continue;
    if (patch === null) return undefined;
    const before = world;
    world = patch.length === 0 ? world : applyPatch(world, patch);
    if (touchesSchedule(patch)) scheduleChanges.push({ seq: e.seq, before, after: world });
    if (e.type !== 'tool.result') continue;
    const p = e.payload;
    const given = args.get(`${p.agent}\u0000${p.callId}`);
    steps.push({
      seq: e.seq, agent: p.agent, tool: p.tool, ok: p.ok, changed: p.changed, before, after: world,
      args: given !== null && typeof given === 'object' && !Array.isArray(given) ? given as Record<string, unknown> : {},
    });
  }
  return { ...run, steps, scheduleChanges };
}
