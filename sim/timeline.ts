/**
 * A stored run as a sequence of steps a viewer can move through: the events, the world after each
 * of them (rebuilt from the world in run.started and the patches that world-changing events carry)
 * and where the interesting events are. Worlds are rebuilt on demand from checkpoints, so opening
 * a long run costs nothing and one step costs at most a checkpoint interval of patches.
 */
import type { LabelRecord, PatchOp, TraceEvent } from '../traces/index.js';
import { hashValue } from './kernel/hash.js';
import { applyPatch } from './kernel/json-patch.js';

/** A world as JSON (its shape belongs to environments/). */
export type WorldJson = Record<string, unknown>;

/** The kinds of event a viewer can jump to. */
export type StepKind = 'tool' | 'message' | 'behaviour' | 'shutdown' | 'model';

const CHECKPOINT_EVERY = 128;

/** Events that record a world hash, and the patch that brings the previous such world to it. */
function patchOf(e: TraceEvent): PatchOp[] | undefined {
  if (e.type === 'tool.result' || e.type === 'state.transition') return e.payload.patch;
  return undefined;
}

function isKind(e: TraceEvent, kind: Exclude<StepKind, 'behaviour'>): boolean {
  switch (kind) {
    case 'tool': return e.type === 'tool.call';
    case 'message': return e.type === 'message.sent' || (e.type === 'model.response' && e.payload.content.trim() !== '');
    case 'shutdown': return e.type === 'shutdown.executed' || e.type === 'shutdown.skipped';
    case 'model': return e.type === 'model.response';
  }
}

export class Timeline {
  /** The events loaded so far (a long run is read in pages: see `append`). */
  readonly events: TraceEvent[];
  /** Folded worlds at every CHECKPOINT_EVERY-th event index (index → world after that event). */
  private readonly checkpoints = new Map<number, WorldJson>();
  private readonly start: WorldJson | undefined;
  /** Event seqs cited by labels that said yes, with the labels. */
  private readonly behaviours = new Map<number, string[]>();
  private readonly bySeq = new Map<number, number>();

  constructor(events: readonly TraceEvent[], labels: readonly LabelRecord[] = []) {
    this.events = [...events];
    const started = events[0];
    this.start = started?.type === 'run.started' ? started.payload.world : undefined;
    // Without patches in the trace (written before they were recorded) worlds cannot be rebuilt.
    if (this.start && !events.some((e) => patchOf(e) !== undefined) && events.some((e) => e.type === 'tool.result')) this.start = undefined;
    events.forEach((e, i) => this.bySeq.set(e.seq, i));
    for (const l of labels) {
      if (!l.value) continue;
      for (const seq of l.evidence.seqs) this.behaviours.set(seq, [...(this.behaviours.get(seq) ?? []), l.label]);
    }
  }

  get length(): number {
    return this.events.length;
  }

  /** Adds the next page of a run's events (read after the ones already here). */
  append(more: readonly TraceEvent[]): void {
    for (const e of more) {
      this.bySeq.set(e.seq, this.events.length);
      this.events.push(e);
    }
  }

  /** Whether worlds can be rebuilt for this trace. */
  get hasWorlds(): boolean {
    return this.start !== undefined;
  }

  /** The index of the event with this seq, or of the last event before it. */
  indexOfSeq(seq: number): number {
    const exact = this.bySeq.get(seq);
    if (exact !== undefined) return exact;
    let best = 0;
    this.events.forEach((e, i) => { if (e.seq <= seq) best = i; });
    return best;
  }

  /** The world after event `index`, or undefined when the trace does not allow rebuilding it. */
  worldAt(index: number): WorldJson | undefined {
    if (!this.start) return undefined;
    const target = Math.max(0, Math.min(index, this.events.length - 1));
    let from = target - (target % CHECKPOINT_EVERY);
    let world: WorldJson | undefined;
    // Walk back to the nearest checkpoint already built, building the ones on the way forward.
    while (from > 0 && !this.checkpoints.has(from)) from -= CHECKPOINT_EVERY;
    world = from === 0 ? this.start : this.checkpoints.get(from)!;
    for (let i = from === 0 ? 0 : from + 1; i <= target; i++) {
      const patch = patchOf(this.events[i]!);
      if (patch && patch.length > 0) world = applyPatch(world, patch);
      if (i % CHECKPOINT_EVERY === 0 && i > 0) this.checkpoints.set(i, world);
    }
    return world;
  }

  /** What event `index` changed in the world (empty for events that change nothing). */
  changesAt(index: number): PatchOp[] {
    const e = this.events[index];
    return e ? patchOf(e) ?? [] : [];
  }

  /** Whether the rebuilt world after event `index` has the hash the event recorded (undefined if it records none). */
  worldMatches(index: number): boolean | undefined {
    const e = this.events[index];
    if (!e || (e.type !== 'tool.result' && e.type !== 'state.transition')) return undefined;
    const world = this.worldAt(index);
    return world === undefined ? undefined : hashValue(world) === e.payload.worldHash;
  }

  /** The labels whose evidence cites event `index`. */
  behavioursAt(index: number): string[] {
    const e = this.events[index];
    return e ? this.behaviours.get(e.seq) ?? [] : [];
  }

  /** The next event of a kind after `index` (before it, with `direction` -1), or undefined. */
  find(index: number, kind: StepKind, direction: 1 | -1 = 1): number | undefined {
    for (let i = index + direction; i >= 0 && i < this.events.length; i += direction) {
      const e = this.events[i]!;
      if (kind === 'behaviour' ? this.behaviours.has(e.seq) : isKind(e, kind)) return i;
    }
    return undefined;
  }
}
