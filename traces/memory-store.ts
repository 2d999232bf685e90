import type { TraceEvent } from './events.schema.js';
import {
  advanceSummary,
  checkAppend,
  summaryFromStart,
  type RunSummary,
  type TraceStore,
} from './sink.js';

/** A trace store held in memory: for tests, benchmarks and throwaway runs. */
export class MemoryTraceStore implements TraceStore {
  private readonly summaries = new Map<string, RunSummary>();
  private readonly eventsByRun = new Map<string, TraceEvent[]>();

  append(event: TraceEvent): void {
    const current = this.summaries.get(event.runId);
    checkAppend(current, event);
    // Stored as a deep copy so later mutation by the caller cannot rewrite history.
    const stored = structuredClone(event);
    if (!current) {
      this.summaries.set(event.runId, summaryFromStart(stored as Extract<TraceEvent, { type: 'run.started' }>));
      this.eventsByRun.set(event.runId, [stored]);
      return;
    }
    this.summaries.set(event.runId, advanceSummary(current, stored));
    this.eventsByRun.get(event.runId)!.push(stored);
  }

  runs(): RunSummary[] {
    return [...this.summaries.values()].map((s) => structuredClone(s));
  }

  run(runId: string): RunSummary | undefined {
    const s = this.summaries.get(runId);
    return s && structuredClone(s);
  }

  events(runId: string): TraceEvent[] {
    return structuredClone(this.eventsByRun.get(runId) ?? []);
  }

  attempts(episodeKey: string): number {
    let n = 0;
    for (const s of this.summaries.values()) if (s.episodeKey === episodeKey) n++;
    return n;
  }

  close(): void {}
}
