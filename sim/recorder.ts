import {
  SCHEMA_VERSION,
  TraceEvent,
  redactDeep,
  type EventOf,
  type PayloadOf,
  type TraceEventType,
  type TraceSink,
} from '../traces/index.js';
import type { SimClock } from './kernel/clock.js';

/**
 * Stamps events with the run id, the next sequence number and the simulated time, redacts any
 * registered secret, checks them against the schema, and hands each to the sink before returning.
 * `commit` makes what was recorded durable (the sink's flush): the agent loop commits before each
 * model call and the runner when the run ends, so every step's events are committed, together,
 * before the next step starts.
 *
 * A write that fails is remembered: every later `record` throws the same error without writing,
 * and the episode runner ends the run on it. Some events are recorded from callbacks whose errors
 * their caller swallows (the world machine's inspector); without this the episode would go on,
 * or wait for an ending that was never recorded.
 */
export class TraceRecorder {
  private seq = 0;
  /** What this recorder wrote, in order: the run's log so far, for readers that must see it before it ends (the choice). */
  private readonly written: TraceEvent[] = [];
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly sink: TraceSink,
    readonly runId: string,
    private readonly clock: SimClock,
  ) {}

  /** Records one event and returns it. */
  record<T extends TraceEventType>(actor: string, type: T, payload: PayloadOf<T>): EventOf<T> {
    if (this.failure) throw this.failure.error;
    const event = TraceEvent.parse({
      schemaVersion: SCHEMA_VERSION,
      runId: this.runId,
      seq: this.seq,
      simTime: this.clock.iso(),
      actor,
      type,
      // An endpoint may echo the API key (e.g. in an error message): it never reaches the trace.
      payload: redactDeep(payload),
    }) as EventOf<T>;
    try {
      this.sink.append(event);
    } catch (err) {
      this.failure = { error: err };
      throw err;
    }
    this.written.push(event);
    this.seq += 1;
    return event;
  }

  /** Makes every event recorded so far durable (one commit for a step's events); a failure is remembered as in `record`. */
  commit(): void {
    if (this.failure) throw this.failure.error;
    try {
      this.sink.flush?.();
    } catch (err) {
      this.failure = { error: err };
      throw err;
    }
  }

  /** The events recorded so far, in order. */
  events(): readonly TraceEvent[] {
    return this.written;
  }

  /** The error of the write that failed, if one did (the run cannot go on). */
  writeFailure(): { error: unknown } | undefined {
    return this.failure;
  }

  /** How many events have been recorded. */
  count(): number {
    return this.seq;
  }
}
