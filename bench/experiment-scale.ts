/**
 * Scale: the default experiment (`npm start`'s design, 960 episodes) at 1×, 10× and (opt-in) 100×
 * its trials, into a fresh SQLite file each, and what a researcher then does with it: run the
 * episodes, run the file again with nothing left to do (what `experiment run` prints included),
 * write the HTML report, open the terminal app (Home's first frame) and export the experiment as
 * JSON lines. Each is timed in CPU seconds of this process (worker threads included) and wall
 * seconds; the growth factor of each against 1× says whether it stays linear in runs (about 10 and
 * 100) or not (100 and 10,000 for a cost quadratic in runs).
 *
 * Resident memory is sampled as the largest experiment grows: nothing may accumulate per episode.
 * The 1× run also gives the harness CPU per agent step on the full experiment path (synthetic
 * models, SQLite, classification of every run as it ends).
 *
 * Run on its own: `node_modules/.bin/tsx bench/experiment-scale.ts [scale ...]` (default 1 10).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { render } from 'ink';
import {
  DEFAULT_EXPERIMENT_FILE, ExperimentFile, allRunStandings, experimentFindings, experimentResults, experimentTraceLines, htmlReport, loadExperimentFile, pricesOf,
} from '../analysis/index.js';
import { App } from '../cli/tui/app.js';
import { scenarioFinder } from '../cli/lookups.js';
import { writeLinesWhole } from '../cli/write-out.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore } from '../traces/index.js';
import { FakeTerminal } from '../test/fixtures/fake-terminal.js';
import { runExperiment } from '../lab/index.js';

/** One measurement: CPU and wall seconds. */
export interface Timing {
  cpu: number;
  wall: number;
}

/** What one scale gave. */
export interface ScaleFigures {
  scale: number;
  episodes: number;
  steps: number;
  events: number;
  dbMb: number;
  exportMb: number;
  run: Timing;
  resume: Timing;
  report: Timing;
  home: Timing;
  export: Timing;
  /** Resident memory (MB) after a number of finished episodes. */
  rss: Array<{ done: number; mb: number }>;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; timing: Timing }> {
  const cpu = cpuSeconds();
  const wall = performance.now();
  const value = await work();
  return { value, timing: { cpu: cpuSeconds() - cpu, wall: (performance.now() - wall) / 1000 } };
}

/** The default experiment with `scale` times its trials. */
export function scaledDesign(scale: number): ExperimentFile {
  const base = loadExperimentFile(DEFAULT_EXPERIMENT_FILE);
  return { ...base, name: `${base.name}-x${String(scale).replace('.', '_')}`, trials: Math.round(base.trials * scale) };
}

/** Time from mounting the app on a store to its first frame (Home), through ink itself. */
async function homeFirstFrame(store: SqliteTraceStore): Promise<string> {
  const terminal = new FakeTerminal(100, 30);
  const first = new Promise<string>((resolve) => terminal.once('frame', () => resolve(terminal.frame)));
  const app = render(createElement(App, { store, env: {} }), {
    stdout: terminal as unknown as NodeJS.WriteStream, stdin: terminal as unknown as NodeJS.ReadStream, debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  const frame = await first;
  app.unmount();
  return frame;
}

/** Runs and measures one scale in `dir` (its database and export are removed afterwards). */
export async function measureScale(scale: number, dir: string): Promise<ScaleFigures> {
  const design = scaledDesign(scale);
  const path = join(dir, `scale-${scale}.db`);
  const store = new SqliteTraceStore(path);
  try {
    let marks: Set<number> | undefined;
    const rss: ScaleFigures['rss'] = [];
    const ran = await timed(() => runExperiment(design, {
      store, settings: {}, wallClock: frozenWallClock,
      onProgress: (p) => {
        marks ??= new Set([0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.round(p.total * f)));
        if (marks.has(p.done)) rss.push({ done: p.done, mb: process.memoryUsage().rss / 2 ** 20 });
      },
    }));
    const total = ran.value.ran;
    const { experimentId } = ran.value.experiment;
    // What `experiment run FILE` does when everything has run: resume (nothing to do) and the tables.
    const resume = await timed(async () => {
      const outcome = await runExperiment(design, { store, settings: {}, wallClock: frozenWallClock });
      if (outcome.ran !== 0) throw new Error(`the second run ran ${outcome.ran} episodes`);
      return experimentResults(store, experimentId);
    });
    // `peerlab report --experiment ID --html FILE`: the findings (with token use and cost) and the HTML.
    const report = await timed(() => {
      const experiment = store.experiment(experimentId)!;
      const findings = experimentFindings(store, experiment, scenarioFinder([]), { prices: pricesOf(design), seed: 42 });
      return htmlReport(store, findings, { generatedAt: frozenWallClock.iso() }).length;
    });
    const home = await timed(() => homeFirstFrame(store));
    if (!home.value.includes(`${total}/${total} episodes`)) throw new Error(`Home's first frame does not show the experiment:\n${home.value}`);
    // `peerlab export --experiment ID --format jsonl --out FILE`: the counted runs, streamed to the file.
    const out = join(dir, `scale-${scale}.jsonl`);
    const exported = await timed(() => {
      const runIds = allRunStandings(store, experimentId).filter((s) => s.counted).map((s) => s.run.runId);
      return writeLinesWhole(out, experimentTraceLines(store, experimentId, runIds));
    });
    let steps = 0;
    let events = 0;
    for (const r of store.runs()) {
      steps += store.events(r.runId, ['model.request']).length;
      events += r.eventCount;
    }
    const exportMb = statSync(out).size / 1e6;
    rmSync(out, { force: true });
    return {
      scale, episodes: ran.value.ran, steps, events, dbMb: statSync(path).size / 1e6, exportMb,
      run: ran.timing, resume: resume.timing, report: report.timing, home: home.timing, export: exported.timing, rss,
    };
  } finally {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (t: Timing) => `${fmt(t.cpu, t.cpu < 10 ? 2 : 1)} s CPU (${fmt(t.wall, t.wall < 10 ? 2 : 1)} s wall)`;

/** BENCHMARKS.md rows for the scales measured: each task's time and its growth against the first scale. */
export function scaleRows(figures: readonly ScaleFigures[]): Array<[string, string]> {
  const base = figures[0]!;
  const tasks: Array<[keyof Pick<ScaleFigures, 'run' | 'resume' | 'report' | 'home' | 'export'>, string]> = [
    ['run', 'run the episodes (concurrency 4, each classified as it ends)'],
    ['resume', 'run the file again: nothing to do, then the tables `experiment run` prints'],
    ['report', 'HTML report (findings with token use and cost, charts, transcripts)'],
    ['home', "terminal app: Home screen's first frame"],
    ['export', 'export the experiment as JSON lines (streamed to a file)'],
  ];
  const rows: Array<[string, string]> = [];
  for (const f of figures) {
    const label = `${f.scale}× the default experiment (${f.episodes.toLocaleString('en-US')} episodes, ${f.steps.toLocaleString('en-US')} steps, ${f.events.toLocaleString('en-US')} events; database ${fmt(f.dbMb, 0)} MB, export ${fmt(f.exportMb, 0)} MB)`;
    rows.push([label, '']);
    for (const [key, text] of tasks) {
      const growth = f === base ? '' : `; growth ×${fmt(f[key].cpu / base[key].cpu, 1)} for ×${f.scale / base.scale} the runs`;
      rows.push([`  ${text}`, `${secs(f[key])}${growth}`]);
    }
  }
  const largest = figures.at(-1)!;
  if (largest.rss.length > 1) {
    const first = largest.rss[0]!;
    const last = largest.rss.at(-1)!;
    rows.push([`Resident memory as the ${largest.scale}× experiment grows`, largest.rss.map((s) => `${s.done.toLocaleString('en-US')}: ${fmt(s.mb, 0)} MB`).join(', ')
      + ` (${fmt(((last.mb - first.mb) * 1024) / (last.done - first.done), 2)} KB per episode from ${first.done.toLocaleString('en-US')} on)`]);
  }
  return rows;
}

/** Harness CPU per agent step on the full experiment path, from the 1× run. */
export function cpuPerStepMs(f: ScaleFigures): number {
  return (f.run.cpu * 1000) / f.steps;
}

/** Measures the scales in order (each in a fresh database), removing everything after. */
export async function experimentScale(scales: readonly number[] = [1, 10]): Promise<ScaleFigures[]> {
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-scale-'));
  try {
    // Warm-up (an eighth of the default, not reported): module loading and the JIT, which would
    // otherwise count against the smallest scale and flatter the growth factors.
    await measureScale(0.125, dir);
    const figures: ScaleFigures[] = [];
    for (const scale of scales) figures.push(await measureScale(scale, dir));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const scales = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const figures = await experimentScale(scales.length > 0 ? scales : [1, 10]);
  for (const [k, v] of scaleRows(figures)) console.log(`${k}${v ? `: ${v}` : ''}`);
  console.log(`harness CPU per step (1×, full path with SQLite): ${cpuPerStepMs(figures[0]!).toFixed(3)} ms`);
}
