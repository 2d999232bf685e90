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
import { isRecordLine, type ImportItem } from './trace-records.js';
import {
  TraceOrderError,
  advanceSummary,
  isCountedResult,
  checkAppend,
  summaryFromStart,
  type ImportOptions,
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

  /** Every append is stored at once: nothing to commit. */
  flush(): void {}

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

  events(runId: string, types?: readonly TraceEvent['type'][]): TraceEvent[] {
    const all = this.eventsByRun.get(runId) ?? [];
    return structuredClone(types ? all.filter((e) => types.includes(e.type)) : all);
  }

  *iterateEvents(runId: string): IterableIterator<TraceEvent> {
    for (const e of this.eventsByRun.get(runId) ?? []) yield structuredClone(e);
  }

  eventsAfter(runId: string, afterSeq: number, limit: number): TraceEvent[] {
    return structuredClone((this.eventsByRun.get(runId) ?? []).filter((e) => e.seq > afterSeq).slice(0, limit));
  }

  unlabelledResults(source: LabelSource, rater: string): RunSummary[] {
    const labelled = new Set(this.labelRows.filter((l) => l.source === source && l.rater === rater).map((l) => l.runId));
    return this.runs().filter((r) => isCountedResult(r) && !labelled.has(r.runId));
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

  importRecords(items: Iterable<ImportItem>, options: ImportOptions = {}): void {
    const origin = options.origin ?? 'imported';
    // All or nothing: everything is stored on a scratch copy first, kept only when it all succeeds.
    const scratch = new MemoryTraceStore();
    for (const [id, summary] of this.summaries) scratch.summaries.set(id, summary);
    for (const [id, events] of this.eventsByRun) scratch.eventsByRun.set(id, [...events]);
    scratch.labelRows = [...this.labelRows];
    scratch.errors.push(...this.errors);
    for (const [id, row] of this.experimentRows) scratch.experimentRows.set(id, row);
    for (const [id, plan] of this.planned) scratch.planned.set(id, new Map(plan));
    for (const item of items) {
      if (!isRecordLine(item)) {
        if (item.type === 'run.started' && scratch.summaries.has(item.runId)) throw new TraceOrderError(`run ${item.runId} is already in this store`);
        scratch.appendAs(item, origin);
      } else if (item.record === 'label') scratch.putLabel(item.label);
      else if (item.record === 'judge_error') scratch.recordJudgeError(item.judgeError);
      else if (item.record === 'experiment') scratch.openExperiment(item.experiment);
      else {
        const plan = scratch.planned.get(item.experimentId) ?? new Map<string, PlannedEpisode>();
        if (!plan.has(item.episodeKey)) plan.set(item.episodeKey, { episodeKey: item.episodeKey, cell: item.cell, trial: item.trial });
        scratch.planned.set(item.experimentId, plan);
      }
    }
    // The finishing step sees (and writes to) the scratch copy, as SQLite's runs inside the transaction.
    if (options.finish) {
      const live = this.swap(scratch);
      try {
        options.finish();
      } catch (err) {
        this.swap(live);
        throw err;
      }
      return;
    }
    this.swap(scratch);
  }

  /** Takes `other`'s contents as this store's and returns the previous contents as a store. */
  private swap(other: MemoryTraceStore): MemoryTraceStore {
    const previous = new MemoryTraceStore();
    const move = <K, V>(from: Map<K, V>, to: Map<K, V>) => { to.clear(); for (const [k, v] of from) to.set(k, v); };
    move(this.summaries, previous.summaries);
    move(this.eventsByRun, previous.eventsByRun);
    move(this.experimentRows, previous.experimentRows);
    move(this.planned, previous.planned);
    previous.labelRows = this.labelRows;
    previous.errors.push(...this.errors);
    move(other.summaries, this.summaries);
    move(other.eventsByRun, this.eventsByRun);
    move(other.experimentRows, this.experimentRows);
    move(other.planned, this.planned);
    this.labelRows = other.labelRows;
    this.errors.splice(0, this.errors.length, ...other.errors);
    return previous;
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

  yesLabels(source: LabelSource, rater: string): Map<string, string[]> {
    const byRun = new Map<string, string[]>();
    for (const l of [...this.labelRows].sort(compareLabels)) {
      if (l.source !== source || l.rater !== rater || !l.value) continue;
      byRun.set(l.runId, [...(byRun.get(l.runId) ?? []), l.label]);
    }
    return byRun;
  }

  ratersOfRuns(): Map<string, Array<{ source: LabelSource; rater: string }>> {
    const byRun = new Map<string, Array<{ source: LabelSource; rater: string }>>();
    const seen = new Set<string>();
    const sorted = [...this.labelRows].sort((a, b) => a.runId.localeCompare(b.runId) || a.source.localeCompare(b.source) || a.rater.localeCompare(b.rater));
    for (const l of sorted) {
      const key = JSON.stringify([l.runId, l.source, l.rater]);
      if (seen.has(key)) continue;
      seen.add(key);
      byRun.set(l.runId, [...(byRun.get(l.runId) ?? []), { source: l.source, rater: l.rater }]);
    }
    return byRun;
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
