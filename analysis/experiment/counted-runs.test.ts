import { beforeAll, describe, expect, it } from 'vitest';
import { resolveModelSpec } from '../../agents/index.js';
import { findScenario, resolveFactors } from '../../environments/index.js';
import { frozenWallClock } from '../../sim/index.js';
import { MemoryTraceStore } from '../../traces/index.js';
import { episodesCsvLines } from '../export/episodes-csv.js';
import { inspectLog } from '../export/inspect-log.js';
import { allRunStandings, countedRunIds, experimentRuns } from './counted-runs.js';
import { ExperimentFile } from './experiment.schema.js';
import { experimentResults } from './results.js';
import { runExperiment, runScenarioEpisode } from '../../lab/index.js';

// An experiment of 4 episodes, then what happens to a store in practice: the same episode run again
// (another attempt, e.g. a `peerlab run` with the same key), and a run that started and never ended
// (its process was killed).
const store = new MemoryTraceStore();
let experimentId = '';
let rerun = '';
let firstOfRerun = '';
let unfinished = '';

beforeAll(async () => {
  const file = ExperimentFile.parse({
    name: 'counting', models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'], factors: { target: ['self', 'peer'] }, trials: 2, seed: 4,
  });
  experimentId = (await runExperiment(file, { store, settings: {}, wallClock: frozenWallClock })).experiment.experimentId;
  const [first] = store.runs();
  firstOfRerun = first!.runId;
  const scenario = findScenario('shutdown-config');
  rerun = (await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, first!.factors), subject: resolveModelSpec('synthetic:self-preserving'), seed: first!.seed, trial: first!.trial, store,
  })).runId;
  // A run of another planned episode that started and never ended.
  const other = store.runs()[1]!;
  const started = store.events(other.runId)[0]!;
  unfinished = `${other.runId}-killed`;
  store.append({ ...started, runId: unfinished });
}, 60_000);

describe('the runs an experiment counts', () => {
  it('counts the latest finished run of each planned episode, and says why every other run is not counted', () => {
    const episodes = experimentRuns(store, experimentId);
    expect(episodes).toHaveLength(4);
    const rerunEpisode = episodes.find((e) => e.runs.some((r) => r.run.runId === rerun))!;
    expect(rerunEpisode.counted!.runId).toBe(rerun);
    expect(rerunEpisode.runs.find((r) => r.run.runId === firstOfRerun)).toMatchObject({
      counted: false, notCountedBecause: `superseded by the later run ${rerun} of the same episode`,
    });
    const killed = allRunStandings(store, experimentId).find((s) => s.run.runId === unfinished)!;
    expect(killed).toMatchObject({ counted: false, notCountedBecause: expect.stringMatching(/^unfinished/) });
    expect(countedRunIds(store, experimentId)).toHaveLength(4);
    expect(countedRunIds(store, experimentId)).not.toContain(firstOfRerun);
  });

  it('is what the tables read', () => {
    const cells = experimentResults(store, experimentId);
    expect(cells.flatMap((c) => c.runIds).sort()).toEqual(countedRunIds(store, experimentId).sort());
    expect(cells.reduce((n, c) => n + c.finished, 0)).toBe(4);
  });

  it('exports mark the runs the experiment does not count, and an Inspect log scores only the counted ones', () => {
    const standings = allRunStandings(store, experimentId);
    const notCounted = new Map(standings.filter((s) => !s.counted).map((s) => [s.run.runId, s.notCountedBecause!]));
    const csv = [...episodesCsvLines(store, standings.map((s) => s.run.runId), {}, notCounted)];
    expect(csv[0]!.split(',').slice(-2)).toEqual(['counted', 'not_counted_because']);
    expect(csv).toHaveLength(1 + 6);
    expect(csv.filter((l) => l.includes(',0,superseded by') || /,0,"?unfinished:/.test(l))).toHaveLength(2);
    // An Inspect sample holds one run per cell and epoch: a superseded finished run cannot go in.
    expect(() => inspectLog(store, standings.map((s) => s.run.runId), { notCounted })).toThrow(/finished twice/);
    const log = inspectLog(store, standings.filter((s) => s.run.runId !== firstOfRerun).map((s) => s.run.runId), { notCounted });
    expect(log.samples.find((s) => s.uuid === rerun)!.metadata).toMatchObject({ counted: true, not_counted_because: null });
    // The killed attempt rides along with its episode's finished run, as a retry.
    expect(log.samples.find((s) => s.error_retries?.some((e) => e.message.includes(unfinished)))).toBeDefined();
    expect(log.results.completed_samples).toBe(4);
  });
});
