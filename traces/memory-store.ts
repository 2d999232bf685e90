import type { TraceEvent } from './events.schema.js';
import { MemoryResponseCache, type ResponseCache } from './response-cache.js';
import { MemoryElicitationStore } from './memory-elicitations.js';
import type { ElicitationStore } from './elicitations.js';
import type { ExperimentRecord, PlannedEpisode } from './experiments.js';
import { currentProcess } from './process-owner.js';
import { ExperimentBusyError } from './store-errors.js';
import {
  UnknownRunError, checkLabel, compareLabels, type JudgeErrorRecord, type LabelFilter, type LabelRecord, type LabelSource,
} from './labels.js';
import {
  TraceOrderError,
  advanceSummary,
  checkAppend,
  summaryFromStart,
  type RunOrigin,
  type RunSummary,
  type TraceStore,
} from './sink.js';

/** A trace store held in memory: for tests, benchmarks and throwaway runs. */
export class MemoryTraceStore implements TraceStore {
  private readonly summaries = new Map<string, RunSummary>();
  private readonly eventsByRun = new Map<string, TraceEvent[]>();
  private labelRows: LabelRecord[] = [];
  private readonly errors: JudgeErrorRecord[] = [];
  private readonly experimentRows = new Map<string, ExperimentRecord>();
  private readonly planned = new Map<string, Map<string, PlannedEpisode>>();
  private readonly cache = new MemoryResponseCache();
  private readonly elicitationLog = new MemoryElicitationStore();

  append(event: TraceEvent): void {
    this.appendAs(event, 'local');
  }

  private appendAs(event: TraceEvent, origin: RunOrigin): void {
    const current = this.summaries.get(event.runId);
    checkAppend(current, event);
    // Stored as a deep copy so later mutation by the caller cannot rewrite history.
    const stored = structuredClone(event);
    if (!current) {
      this.summaries.set(event.runId, { ...summaryFromStart(stored as Extract<TraceEvent, { type: 'run.started' }>), origin });
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

  eventsAfter(runId: string, afterSeq: number, limit: number): TraceEvent[] {
    return structuredClone((this.eventsByRun.get(runId) ?? []).filter((e) => e.seq > afterSeq).slice(0, limit));
  }

  attempts(episodeKey: string): number {
    let n = 0;
    for (const s of this.summaries.values()) if (s.episodeKey === episodeKey) n++;
    return n;
  }

  failedAttempts(episodeKey: string): number {
    let n = 0;
    for (const s of this.summaries.values()) if (s.episodeKey === episodeKey && s.status === 'errored' && s.origin !== 'imported') n++;
    return n;
  }

  importEvents(events: readonly TraceEvent[], origin: Exclude<RunOrigin, 'local'> = 'imported'): void {
    const runIds = [...new Set(events.map((e) => e.runId))];
    const present = runIds.filter((id) => this.summaries.has(id));
    if (present.length > 0) throw new TraceOrderError(`run ${present.slice(0, 5).join(', ')} already in this store`);
    // All or nothing: checked on a scratch store first.
    const scratch = new MemoryTraceStore();
    for (const e of events) scratch.appendAs(e, origin);
    for (const id of runIds) {
      this.summaries.set(id, scratch.summaries.get(id)!);
      this.eventsByRun.set(id, scratch.eventsByRun.get(id)!);
    }
  }

  replaceLabels(runId: string, source: LabelSource, rater: string, records: readonly LabelRecord[]): void {
    this.mustHave(runId);
    const checked = records.map(checkLabel);
    const kept = this.labelRows.filter((l) => !(l.runId === runId && l.source === source && l.rater === rater));
    this.labelRows = [...kept, ...checked];
    this.errors.splice(0, this.errors.length, ...this.errors.filter((e) => !(e.runId === runId && e.rater === rater)));
  }

  putLabel(record: LabelRecord): void {
    this.mustHave(record.runId);
    record = checkLabel(record);
    const same = (l: LabelRecord) => l.runId === record.runId && l.label === record.label && l.source === record.source && l.rater === record.rater;
    this.labelRows = [...this.labelRows.filter((l) => !same(l)), structuredClone(record)];
  }

  labels(filter: LabelFilter = {}): LabelRecord[] {
    return this.labelRows
      .filter((l) => (filter.runId === undefined || l.runId === filter.runId) && (filter.source === undefined || l.source === filter.source))
      .sort(compareLabels)
      .map((l) => structuredClone(l));
  }

  recordJudgeError(error: JudgeErrorRecord): void {
    this.mustHave(error.runId);
    this.errors.push(structuredClone(error));
  }

  judgeErrors(runId?: string): JudgeErrorRecord[] {
    return this.errors.filter((e) => runId === undefined || e.runId === runId).map((e) => structuredClone(e));
  }

  openExperiment(record: Omit<ExperimentRecord, 'owner'>): ExperimentRecord {
    if (!this.experimentRows.has(record.experimentId)) this.experimentRows.set(record.experimentId, { ...structuredClone(record), owner: null });
    return structuredClone(this.experimentRows.get(record.experimentId)!);
  }

  claimExperiment(experimentId: string, since: string): void {
    const row = this.experimentRows.get(experimentId);
    if (!row) return;
    // A memory store lives in one process: a claim still held is this process running it already.
    if (row.owner) throw new ExperimentBusyError(`experiment ${experimentId} is already being run by this process since ${row.owner.since}`);
    this.experimentRows.set(experimentId, { ...row, owner: { ...currentProcess(), since, state: 'alive' } });
  }

  releaseExperiment(experimentId: string): void {
    const row = this.experimentRows.get(experimentId);
    if (row) this.experimentRows.set(experimentId, { ...row, owner: null });
  }

  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void {
    const row = this.experimentRows.get(experimentId);
    if (row) this.experimentRows.set(experimentId, { ...row, status, note });
  }

  experiments(): ExperimentRecord[] {
    return [...this.experimentRows.values()].map((r) => structuredClone(r));
  }

  experiment(experimentId: string): ExperimentRecord | undefined {
    const row = this.experimentRows.get(experimentId);
    return row && structuredClone(row);
  }

  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void {
    const before = this.planned.get(experimentId) ?? new Map<string, PlannedEpisode>();
    const keys = new Set(episodes.map((e) => e.episodeKey));
    const plan = new Map([...before].filter(([key]) => keys.has(key)));
    for (const e of episodes) if (!plan.has(e.episodeKey)) plan.set(e.episodeKey, { ...e });
    this.planned.set(experimentId, plan);
  }

  plannedEpisodes(experimentId: string): PlannedEpisode[] {
    return [...(this.planned.get(experimentId)?.values() ?? [])].map((e) => ({ ...e }));
  }

  /** The cache of remote model answers, kept as long as the store. */
  elicitationStore(): ElicitationStore {
    return this.elicitationLog;
  }

  responseCache(): ResponseCache {
    return this.cache;
  }

  private mustHave(runId: string): void {
    if (!this.summaries.has(runId)) throw new UnknownRunError(`no run ${runId}`);
  }

  close(): void {}
}
