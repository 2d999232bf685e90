/**
 * Harness benchmark: how fast episodes run with an in-process model, how fast events reach
 * SQLite, and how much memory it all takes. Writes BENCHMARKS.md at the repo root and prints the
 * same table. Run with `npm run bench` (or `node_modules/.bin/tsx bench/run.ts`).
 *
 * The synthetic model does no I/O, so an episode's time is the harness's own cost: agent loop,
 * LangChain tool plumbing, environment machine, schema checks and trace writes. Agent steps are
 * counted as `model.request` events.
 *
 * `npm run bench -- --scale 100` measures only the scale rows, at 1×, 10× and 100× the default
 * experiment (96,000 episodes: about half an hour on a 2-core machine), and writes them into their
 * own section of BENCHMARKS.md; a plain `npm run bench` keeps that section as it is.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cpuPerStepMs, experimentScale, scaleRows, type ScaleFigures } from './experiment-scale.js';
import { benchElicitation } from './utilities-elicit.js';
import { benchReplayView } from './replay-view.js';
import { benchReportHtml } from './report-html.js';
import { benchUtilitiesFit } from './utilities-fit.js';
import { resolveModelSpec } from '../agents/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { SimClock, systemWallClock } from '../sim/kernel/clock.js';
import { TraceRecorder } from '../sim/recorder.js';
import { MemoryTraceStore, SqliteTraceStore, type TraceEvent, type TraceStore } from '../traces/index.js';
import { benchModelCallsApart, type CallFigures } from './model-calls.js';
import { runScenarioEpisode } from '../lab/index.js';

const EPISODES = 300;
const WARMUP_EPISODES = 100;
/** Each episode measurement is repeated (alternating stores) and the median round reported. */
const ROUNDS = 3;
const RAW_EVENTS = 50_000;
const MODEL = 'synthetic:self-preserving';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const scenario = findScenario('shutdown-config');
const subject = resolveModelSpec(MODEL);
const CELLS = [
  { target: 'self', relation: 'none' },
  { target: 'peer', relation: 'none' },
  { target: 'self', relation: 'cooperative' },
  { target: 'peer', relation: 'cooperative' },
].map((given) => resolveFactors(scenario, given));

interface EpisodeFigures {
  episodes: number;
  steps: number;
  events: number;
  seconds: number;
  statuses: Record<string, number>;
}

/** Runs `n` episodes into `store`, cycling over the factor cells; counts steps afterwards. */
async function runEpisodes(store: TraceStore, n: number, seedBase: number): Promise<EpisodeFigures> {
  const runIds: string[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await runScenarioEpisode({ scenario, factors: CELLS[i % CELLS.length]!, subject, seed: seedBase + i, trial: 0, store });
    runIds.push(r.runId);
  }
  const seconds = (performance.now() - started) / 1000;
  let steps = 0;
  let events = 0;
  const statuses: Record<string, number> = {};
  for (const runId of runIds) {
    const trace = store.events(runId);
    events += trace.length;
    steps += trace.filter((e) => e.type === 'model.request').length;
    const status = store.run(runId)?.status ?? 'missing';
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { episodes: n, steps, events, seconds, statuses };
}

/** The round with the median time. */
function median(rounds: readonly EpisodeFigures[]): EpisodeFigures {
  return [...rounds].sort((a, b) => a.seconds - b.seconds)[Math.floor(rounds.length / 2)]!;
}

/** The spread of per-step times over the rounds, e.g. "0.71–0.80". */
function spread(rounds: readonly EpisodeFigures[]): string {
  const perStep = rounds.map((r) => (r.seconds * 1000) / r.steps);
  return `${fmt(Math.min(...perStep), 3)}–${fmt(Math.max(...perStep), 3)}`;
}

/** Events of real synthetic episodes, one list per run, to replay as a realistic mix. */
async function templateRuns(): Promise<TraceEvent[][]> {
  const store = new MemoryTraceStore();
  const runs: TraceEvent[][] = [];
  for (let i = 0; i < CELLS.length; i++) {
    const r = await runScenarioEpisode({ scenario, factors: CELLS[i]!, subject, seed: 9_000 + i, trial: 0, store });
    runs.push(store.events(r.runId));
  }
  return runs;
}

/** Replays template runs under fresh run ids until `total` events are written; returns seconds. */
function writeRaw(store: TraceStore, templates: TraceEvent[][], total: number, viaRecorder: boolean): number {
  let written = 0;
  let run = 0;
  const started = performance.now();
  while (written < total) {
    const template = templates[run % templates.length]!;
    const runId = `bench-${viaRecorder ? 'rec' : 'raw'}-${run}`;
    if (viaRecorder) {
      // Stamps, validates (zod) and appends, as during a run.
      const recorder = new TraceRecorder(store, runId, new SimClock(template[0]!.simTime));
      // Committed as the runner commits: before each model call (after its request) and at the run's end.
      for (const e of template) {
        recorder.record(e.actor, e.type, e.payload as never);
        if (e.type === 'model.request') recorder.commit();
      }
      recorder.commit();
    } else {
      for (const e of template) {
        store.append({ ...e, runId });
        if (e.type === 'model.request') store.flush?.();
      }
      store.flush?.();
    }
    written += template.length;
    run += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  return seconds / written;
}

/** One sentence on what the per-step figures mean against the aim (well under 1 ms a step). */
function meaning(perStepSqlite: number, perStepMemory: number): string {
  const lead = `What the figures mean: with an in-process model (\`${MODEL}\`, no network) the harness costs about ${fmt(perStepSqlite, 2)} ms an agent step with the SQLite store (${fmt(perStepMemory, 2)} ms in memory)`;
  if (perStepSqlite < 0.5) return `${lead}, well under the 1 ms aim and orders of magnitude below a real model call, so with a remote model the run time is the model's.`;
  if (perStepSqlite < 1) return `${lead}: under the 1 ms aim but not well under it; still orders of magnitude below a real model call, so with a remote model the run time is the model's.`;
  return `${lead}: above the aim of well under 1 ms a step, though still far below the latency of a real model call (hundreds of ms or more).`;
}

/** One sentence on the model-call figures against the aim (90% of the ideal rate), store by store. */
function callsMeaning(figures: readonly CallFigures[], harnessCpuMs: number): string {
  const each = figures.map((f) => `${fmt(f.percentOfIdeal, 1)}% with the ${f.store} store (${fmt(f.cpuMsPerCall, 2)} ms CPU a call)`).join(' and ');
  const lead = `Model calls reach ${each}, ${figures[0]?.episodes ?? 0} episodes in a pool of 32`;
  if (figures.every((f) => f.percentOfIdeal >= 90)) return `${lead}: at or above the 90% aim, so the gates and the agent loop keep 32 calls in flight.`;
  return `${lead}: ${figures.some((f) => f.percentOfIdeal >= 90) ? 'not every store reaches' : 'below'} the 90% aim. The process is CPU-bound on one thread: `
    + `${fmt(harnessCpuMs, 2)} ms of a call is the harness (the same episodes with an in-process model), the rest LangChain, the OpenAI SDK, `
    + 'node:http and (with SQLite) the trace writes; the mock server shares the same 2 cores. The gates are not the limit (no 429s, they never shrank).';
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function markdownTable(rows: ReadonlyArray<readonly [string, string]>): string {
  return ['| Measure | Result |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

const SCALE_BEGIN = '<!-- scale-100: written by npm run bench -- --scale 100 -->';
const SCALE_END = '<!-- /scale-100 -->';
const BENCHMARKS = join(ROOT, 'BENCHMARKS.md');

/**
 * The sections of the current BENCHMARKS.md that other runs measure, kept as they are by a plain
 * run: the opt-in 100× section (`--scale 100`) and everything from `## CLI start-up` on
 * (bench/cli-start.ts).
 */
function keptSections(): string {
  const text = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '';
  const begin = text.indexOf(SCALE_BEGIN);
  const end = text.indexOf(SCALE_END);
  const scale = begin >= 0 && end > begin ? `${text.slice(begin, end + SCALE_END.length)}\n` : '';
  const cliStart = text.indexOf('\n## CLI start-up');
  return scale + (cliStart < 0 ? '' : text.slice(cliStart));
}

/** `--scale N`: the scale rows alone at 1×, 10× and N×, written into their section of BENCHMARKS.md. */
async function scaleOnly(largest: number): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const figures: ScaleFigures[] = await experimentScale([1, 10, largest]);
  const cpus = os.cpus();
  const section = [
    SCALE_BEGIN,
    `## ${largest}× the default experiment (opt-in)`,
    '',
    `Measured apart by \`npm run bench -- --scale ${largest}\` (it takes long: ${fmt(figures.reduce((n, f) => n + f.run.wall + f.resume.wall + f.report.wall + f.home.wall + f.export.wall, 0) / 60, 0)} minutes here). Same method as the scale rows above; growth is against 1×.`,
    '',
    markdownTable(scaleRows(figures)),
    '',
    `Machine: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GB, Node ${process.version}, load average at start ${fmt(loadAtStart, 2)}; ${systemWallClock.iso().slice(0, 10)}.`,
    SCALE_END,
  ].join('\n');
  const text = existsSync(BENCHMARKS) ? readFileSync(BENCHMARKS, 'utf8') : '# Benchmarks\n';
  const begin = text.indexOf(SCALE_BEGIN);
  const end = text.indexOf(SCALE_END);
  // A first 100× section goes before the CLI start-up section, where a plain run keeps it.
  const cliStart = text.indexOf('\n## CLI start-up');
  const next = begin >= 0 && end > begin ? `${text.slice(0, begin)}${section}${text.slice(end + SCALE_END.length)}`
    : cliStart >= 0 ? `${text.slice(0, cliStart).trimEnd()}\n\n${section}\n${text.slice(cliStart)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS, next);
  console.log(markdownTable(scaleRows(figures)));
  console.log(`\nWrote the ${largest}× section of ${BENCHMARKS}`);
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-'));
  try {
    // Warm-up: module loading, JIT, first-use caches (not measured).
    await runEpisodes(new MemoryTraceStore(), WARMUP_EPISODES, 1_000_000);

    const memoryRounds: EpisodeFigures[] = [];
    const sqliteRounds: EpisodeFigures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      memoryRounds.push(await runEpisodes(new MemoryTraceStore(), EPISODES, 0));
      const sqliteStore = new SqliteTraceStore(join(dir, `episodes-${round}.db`));
      sqliteRounds.push(await runEpisodes(sqliteStore, EPISODES, 0));
      sqliteStore.close();
    }
    const memory = median(memoryRounds);
    const sqlite = median(sqliteRounds);

    const templates = await templateRuns();
    const rawStore = new SqliteTraceStore(join(dir, 'raw.db'));
    const secPerRawEvent = writeRaw(rawStore, templates, RAW_EVENTS, false);
    rawStore.close();
    const recStore = new SqliteTraceStore(join(dir, 'recorder.db'));
    const secPerRecordedEvent = writeRaw(recStore, templates, RAW_EVENTS, true);
    recStore.close();

    const modelCalls = await benchModelCallsApart();
    const scale = await experimentScale([1, 10]);
    const fullPathMs = cpuPerStepMs(scale[0]!);
    const utilities = await benchUtilitiesFit();
    const elicitation = await benchElicitation(dir);
    const replayView = await benchReplayView(dir);
    const report = await benchReportHtml(dir);

    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const avgSteps = memory.steps / memory.episodes;
    const avgEvents = memory.events / memory.episodes;
    const templateEvents = templates.reduce((n, t) => n + t.length, 0) / templates.length;
    const perStepMemory = (memory.seconds * 1000) / memory.steps;
    const perStepSqlite = (sqlite.seconds * 1000) / sqlite.steps;

    const rows: Array<[string, string]> = [
      [`Episodes, in-memory store (${EPISODES}, ${fmt(avgSteps, 1)} steps and ${fmt(avgEvents, 1)} events each)`, `${fmt(memory.episodes / memory.seconds, 1)} episodes/s`],
      ['Agent steps, in-memory store', `${fmt(memory.steps / memory.seconds)} steps/s`],
      ['Harness time per agent step, in-memory store', `${fmt(perStepMemory, 3)} ms (rounds: ${spread(memoryRounds)} ms)`],
      [`Episodes, SQLite store (${EPISODES})`, `${fmt(sqlite.episodes / sqlite.seconds, 1)} episodes/s`],
      ['Agent steps, SQLite store', `${fmt(sqlite.steps / sqlite.seconds)} steps/s`],
      ['Harness time per agent step, SQLite store', `${fmt(perStepSqlite, 3)} ms (rounds: ${spread(sqliteRounds)} ms)`],
      [`Harness CPU per agent step on the full experiment path (the default experiment: ${fmt(scale[0]!.steps)} steps, 3 personas, concurrency 4, SQLite, every run classified as it ends; this process's CPU, checkpoint thread included), aim < 1 ms`, `${fmt(fullPathMs, 3)} ms`],
      [`Events written to SQLite, \`store.append\` (${fmt(RAW_EVENTS)} events)`, `${fmt(1 / secPerRawEvent)} events/s`],
      [`Events written to SQLite through \`TraceRecorder\` (schema check included, ${fmt(RAW_EVENTS)} events)`, `${fmt(1 / secPerRecordedEvent)} events/s`],
      ...modelCalls.rows,
      ...scaleRows(scale),
      ...utilities.rows,
      ...elicitation.rows,
      ...replayView.rows,
      ...report.rows,
      ['Peak RSS (whole benchmark process)', `${fmt(peakRssMb)} MB`],
    ];

    const cpus = os.cpus();
    const machine = [
      `- CPU: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores`,
      `- Memory: ${fmt(os.totalmem() / 1024 ** 3, 1)} GB`,
      `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
      `- Node: ${process.version}`,
      `- Load average at start (1 min): ${fmt(loadAtStart, 2)}`,
      `- Date: ${systemWallClock.iso().slice(0, 10)}`,
    ];
    const statuses = (f: EpisodeFigures): string => Object.entries(f.statuses).map(([s, n]) => `${n} ${s}`).join(', ');

    const table = markdownTable(rows);
    const md = [
      '# Benchmarks',
      '',
      'Produced by `npm run bench` (`bench/run.ts`); rerun it to refresh this file.',
      '',
      table,
      '',
      meaning(perStepSqlite, perStepMemory),
      '',
      callsMeaning(modelCalls.figures, modelCalls.harnessCpuMs),
      '',
      '## Setup',
      '',
      `- Episodes: scenario \`shutdown-config\`, model \`${MODEL}\`, factors cycling over target self/peer and`,
      `  relation none/cooperative (other factors at their defaults), seeds 0–${EPISODES - 1}, after ${WARMUP_EPISODES} unmeasured warm-up episodes.`,
      `  Each store is measured ${ROUNDS} times (alternating, a fresh store each time); the table gives the median round.`,
      `  Outcomes: in-memory ${statuses(memory)}; SQLite ${statuses(sqlite)}.`,
      '- Agent steps are `model.request` events; the time per step is wall time over steps and includes',
      '  the synthetic model itself, the environment machine, schema checks and trace writes.',
      `- Raw writes replay events of real synthetic episodes (about ${fmt(templateEvents)} events a run, every event type`,
      '  an episode produces) under fresh run ids into a SQLite file (WAL), committed as the runner commits: one transaction',
      '  per step (flushed after each `model.request`) and one at the run\'s end.',
      `- An agent step records about ${fmt(avgEvents / avgSteps, 1)} events; at the \`store.append\` rate above, writing them to SQLite takes about`,
      `  ${fmt((avgEvents / avgSteps) * secPerRawEvent * 1000, 2)} ms of each step (the gap between the two per-step figures).`,
      ...modelCalls.setup,
      '- Scale rows: the default experiment (`analysis/experiment/default-experiment.yaml`, 3 personas × 2 scenarios × target × relation,',
      '  40 trials = 960 episodes) with 1× and 10× its trials, each into a fresh SQLite file, after an unmeasured warm-up at 1/8.',
      '  Each task is timed in this process\'s CPU seconds (the checkpoint worker thread included) and wall seconds; the growth is',
      '  the CPU time\'s against 1× (about 10 when a task is linear in runs, 100 when quadratic; less than 10 where fixed costs weigh at 1×).',
      '  "Run the file again" is `runExperiment` on the finished experiment plus `experimentResults` (what `experiment run` prints);',
      '  the report is `experimentFindings` with prices plus `htmlReport`; Home\'s first frame is the app rendered by ink into a 100×30',
      '  stand-in terminal; the export is `experimentTraceLines` streamed through `writeLinesWhole`. Resident memory is',
      '  `process.memoryUsage().rss` after the given number of finished episodes of the largest scale.',
      '  The 100× rows are measured apart (`npm run bench -- --scale 100`), in the section below.',
      '- Peak RSS is the process maximum (`process.resourceUsage().maxRSS`).',
      '',
      '## Machine',
      '',
      ...machine,
      '',
      keptSections(),
    ].join('\n');

    writeFileSync(BENCHMARKS, md);
    console.log(table);
    console.log('');
    console.log(machine.join('\n'));
    console.log(`\nWrote ${join(ROOT, 'BENCHMARKS.md')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const scaleFlag = process.argv.indexOf('--scale');
if (scaleFlag >= 0) {
  const largest = Number(process.argv[scaleFlag + 1]);
  if (!Number.isInteger(largest) || largest < 10) throw new Error('--scale takes a whole number of at least 10, e.g. --scale 100');
  await scaleOnly(largest);
} else {
  await main();
}
