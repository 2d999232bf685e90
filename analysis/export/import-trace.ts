/**
 * `peerlab import`: a JSON-lines file into a database, read and stored one line at a time in one
 * transaction (all of it or nothing). A file of runs (`export --run`) brings runs marked `imported`,
 * never results of this database's experiments unless adopted. A file an experiment's export wrote
 * brings the experiment too: it is restored (or joins the one here with the same definition: the
 * shards of an experiment exported from their databases import into one), its runs count as its
 * results (marked `adopted`: they are its own runs, made elsewhere) and its labels come with them,
 * so `report` works on it. Refused whole: a run already here, an experiment here under the same id
 * with another definition or still being run by a live process, and a run of an episode that already
 * has runs here (two results for one episode would depend on the order of imports).
 */
import {
  InvalidLabelError, TraceImportError, TraceOrderError, UnknownRunError, isRecordLine, readTraceFile, type ImportItem, type TraceStore,
} from '../../traces/index.js';
import { canonicalJson } from '../../sim/index.js';
import { settleExperimentStatus } from '../experiment/counted-runs.js';

/** What an import stored. */
export interface ImportSummary {
  events: number;
  runs: number;
  labels: number;
  judgeErrors: number;
  /** Experiments the file carried (restored or joined). */
  experiments: string[];
  origin: 'imported' | 'adopted';
}

/** Where an item came from, for messages: the run and seq of an event, else the record's kind. */
function whereOf(item: ImportItem | undefined): string {
  if (!item) return 'the file';
  if (isRecordLine(item)) return `a ${item.record} record`;
  return `event ${item.runId}#${item.seq} (${item.type})`;
}

/** Imports `path` into `store`; `adopt` marks a file of runs as this database's own. */
export function importTraceFile(store: TraceStore, path: string, options: { adopt?: boolean } = {}): ImportSummary {
  const items = readTraceFile(path);
  // The first item says what kind of file this is (an experiment's export starts with its record).
  const first = items.next();
  const isExperiment = !first.done && isRecordLine(first.value) && first.value.record === 'experiment';
  const summary: ImportSummary = {
    events: 0, runs: 0, labels: 0, judgeErrors: 0, experiments: [], origin: options.adopt || isExperiment ? 'adopted' : 'imported',
  };
  const keysHere = new Set<string>();
  let current: ImportItem | undefined;
  const refuse = (why: string) => new TraceImportError(`${path}: ${why}; nothing was imported`);

  function* checked(): Generator<ImportItem> {
    for (let next = first; !next.done; next = items.next()) {
      const item = next.value;
      current = item;
      if (!isRecordLine(item)) {
        summary.events += 1;
        if (item.type === 'run.started') {
          summary.runs += 1;
          if (store.run(item.runId)) throw refuse(`run ${item.runId} is already in this database`);
          const key = item.payload.episodeKey;
          if (isExperiment && !keysHere.has(key) && store.attempts(key) > 0) {
            throw refuse(`episode ${key} of run ${item.runId} already has runs in this database (one episode, two results): import into a database without them`);
          }
          keysHere.add(key);
        }
      } else if (item.record === 'experiment') {
        const here = store.experiment(item.experiment.experimentId);
        if (here && (here.designHash !== item.experiment.designHash || canonicalJson(here.design) !== canonicalJson(item.experiment.design))) {
          throw refuse(`experiment ${here.experimentId} is already in this database with another definition`);
        }
        if (here?.owner && here.owner.state !== 'dead') {
          throw refuse(`experiment ${here.experimentId} is being run here by process ${here.owner.pid}; import when it is done`);
        }
        summary.experiments.push(item.experiment.experimentId);
      } else if (item.record === 'label') summary.labels += 1;
      else if (item.record === 'judge_error') summary.judgeErrors += 1;
      yield item;
    }
    current = undefined;
  }

  try {
    store.importRecords(checked(), {
      origin: summary.origin,
      // Inside the transaction: the experiments' status as their runs here now have it.
      finish: () => { for (const id of summary.experiments) settleExperimentStatus(store, id, 'imported'); },
    });
  } catch (err) {
    if (err instanceof TraceOrderError || err instanceof UnknownRunError || err instanceof InvalidLabelError) {
      const message = (err as Error).message;
      throw refuse(`${whereOf(current)}: ${message}`);
    }
    throw err;
  }
  return summary;
}
