import type { ProcessIdentity, ProcessState } from './process-owner.js';

/** An experiment: a validated design (models × scenarios × factor levels × trials) run as episodes. */
export interface ExperimentRecord {
  experimentId: string;
  name: string;
  /** The validated experiment file, as JSON (no secrets: keys are read from the environment). */
  design: unknown;
  designHash: string;
  /** As stored; a `running` experiment whose process is gone is shown as abandoned (see {@link experimentState}). */
  status: 'running' | 'completed' | 'stopped';
  /** Why it stopped, e.g. the budget was reached. */
  note: string | null;
  createdAt: string;
  /** The process running it now (null when none claims it), and whether that process is alive. */
  owner: ExperimentOwner | null;
}

/** The process that claimed an experiment, as found when the record was read. */
export interface ExperimentOwner extends ProcessIdentity {
  /** When it claimed the experiment (ISO). */
  since: string;
  state: ProcessState;
}

/** What an experiment is doing: `abandoned` is a `running` one that no live process runs. */
export type ExperimentState = ExperimentRecord['status'] | 'abandoned';

/** An experiment's state as people should read it. */
export function experimentState(e: Pick<ExperimentRecord, 'status' | 'owner'>): ExperimentState {
  if (e.status !== 'running') return e.status;
  return e.owner && e.owner.state !== 'dead' ? 'running' : 'abandoned';
}

/** One planned episode of an experiment: its stable key, its cell and trial. */
export interface PlannedEpisode {
  episodeKey: string;
  /** The cell's label (JSON of scenario, model, peer model and factor levels). */
  cell: string;
  trial: number;
}

/** The experiment half of a trace store. */
export interface ExperimentStore {
  /** Records an experiment, or leaves an existing one with the same id as it is. */
  openExperiment(record: Omit<ExperimentRecord, 'owner'>): ExperimentRecord;
  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void;
  /**
   * Makes this process the one running the experiment, or throws an ExperimentBusyError naming the
   * live process (or one on another host) that already is. `takeOver` claims it from a process on
   * another host, which cannot be checked from here. `since` is the claim's time (ISO).
   */
  claimExperiment(experimentId: string, since: string, options?: { takeOver?: boolean }): void;
  /** Lets go of an experiment this process claimed. */
  releaseExperiment(experimentId: string): void;
  experiments(): ExperimentRecord[];
  experiment(experimentId: string): ExperimentRecord | undefined;
  /**
   * Sets an experiment's planned episodes: adds new ones and drops those no longer in the plan (a
   * design whose keys were made by an older recipe), keeping the rest.
   */
  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void;
  plannedEpisodes(experimentId: string): PlannedEpisode[];
}
