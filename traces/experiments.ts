/** An experiment: a validated design (models × scenarios × factor levels × trials) run as episodes. */
export interface ExperimentRecord {
  experimentId: string;
  name: string;
  /** The validated experiment file, as JSON (no secrets: keys are read from the environment). */
  design: unknown;
  designHash: string;
  status: 'running' | 'completed' | 'stopped';
  /** Why it stopped, e.g. the budget was reached. */
  note: string | null;
  createdAt: string;
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
  openExperiment(record: ExperimentRecord): ExperimentRecord;
  setExperimentStatus(experimentId: string, status: ExperimentRecord['status'], note: string | null): void;
  experiments(): ExperimentRecord[];
  experiment(experimentId: string): ExperimentRecord | undefined;
  /** Adds planned episodes; ones already planned are kept. */
  planEpisodes(experimentId: string, episodes: readonly PlannedEpisode[]): void;
  plannedEpisodes(experimentId: string): PlannedEpisode[];
}
