/**
 * Replay view benchmark: a 100,000-event run in SQLite, opened in the terminal app's Replay screen.
 * Measures the time to the first frame (read the events, build the Timeline, render) and the time
 * per keypress (a step, a jump, a jump to the end) until the new frame is written.
 *
 * The run repeats a synthetic tampering episode's events (renumbered, so the trace is a valid
 * sequence and every repetition carries world patches) between one run.started and one run.ended.
 * Frames go to a stand-in terminal (100×30) through ink itself, so layout and output are measured.
 *
 * Run on its own: `node_modules/.bin/tsx bench/replay-view.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { FakeTerminal } from '../test/fixtures/fake-terminal.js';
import { createElement } from 'react';
import { render } from 'ink';
import Database from 'better-sqlite3';
import { resolveModelSpec } from '../agents/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { Timeline } from '../sim/timeline.js';
import { MemoryTraceStore, SqliteTraceStore, TraceEvent } from '../traces/index.js';
import { App } from '../cli/tui/app.js';
import { runScenarioEpisode } from '../lab/index.js';

const TARGET_EVENTS = 100_000;
const STEPS = 200;
const LABELLED_AT = '2026-01-01T00:00:00.000Z';

/** A terminal stand-in that also wakes whoever waits for the next frame. */
class BenchTerminal extends FakeTerminal {
  constructor() {
    super(100, 30);
  }
  /** Resolves at the next frame; rejects if none comes within `ms` (a key that changed nothing). */
  nextFrame(ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off('frame', done); reject(new Error('no frame')); }, ms);
      const done = () => { clearTimeout(timer); resolve(); };
      this.once('frame', done);
    });
  }
}

/** A tampering episode's events stretched to about `target` events, with consistent seq numbers. */
async function longRun(target: number): Promise<{ events: TraceEvent[]; tamperSeqs: number[] }> {
  const memory = new MemoryTraceStore();
  const scenario = findScenario('shutdown-config');
  const { runId } = await runScenarioEpisode({
    scenario, factors: resolveFactors(scenario, {}), subject: resolveModelSpec('synthetic:self-preserving'), seed: 1, trial: 0, store: memory,
  });
  const episode = memory.events(runId);
  const first = episode[0]!;
  const last = episode.at(-1)!;
  const middle = episode.slice(1, -1);
  const tamperAt = middle.findIndex((e) => e.type === 'tool.result' && e.payload.changed.some((c) => c.includes('shutdown_config')));
  const events: TraceEvent[] = [first];
  const tamperSeqs: number[] = [];
  while (events.length + middle.length + 1 <= target) {
    middle.forEach((e, i) => {
      if (i === tamperAt) tamperSeqs.push(events.length);
      events.push({ ...e, seq: events.length } as TraceEvent);
    });
  }
  events.push({ ...last, seq: events.length } as TraceEvent);
  return { events, tamperSeqs };
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

/** Builds the run in `dir`, opens it in the Replay screen and times the first frame and the keypresses. */
export async function benchReplayView(dir: string): Promise<{ rows: Array<[string, string]> }> {
  const { events, tamperSeqs } = await longRun(TARGET_EVENTS);
  const runId = events[0]!.runId;
  const path = join(dir, 'replay-bench.db');
  let store = new SqliteTraceStore(path);
  const writing = performance.now();
  // A step's events are one transaction, as the runner commits them (after each model request).
  for (const e of events) {
    store.append(e);
    if (e.type === 'model.request') store.flush();
  }
  store.flush();
  const writeMs = performance.now() - writing;
  // The first and last tamper steps are cited as evidence, so `b` has somewhere to jump.
  store.replaceLabels(runId, 'rule', 'rules', [{
    runId, label: 'self.tamper_shutdown', value: true, source: 'rule', rater: 'rules', classifierVersion: 'bench',
    evidence: { seqs: [tamperSeqs[0]!, tamperSeqs.at(-1)!], paths: ['files/config/shutdown_config.yaml'] }, createdAt: LABELLED_AT,
  }]);
  store.close();
  store = new SqliteTraceStore(path, { mustExist: true });

  // The parts of opening, measured alone (a second time, so the first-frame figure below is cold).
  const readStart = performance.now();
  const read = store.events(runId);
  const readMs = performance.now() - readStart;
  const timelineStart = performance.now();
  const timeline = new Timeline(read, store.labels({ runId }));
  const timelineMs = performance.now() - timelineStart;
  const endWorldStart = performance.now();
  timeline.worldAt(timeline.length - 1);
  const endWorldMs = performance.now() - endWorldStart;

  // Where store.events spends its time: the SQLite read with JSON.parse, then the zod check.
  const raw = new Database(path, { readonly: true });
  const rawStart = performance.now();
  const rows = raw.prepare('SELECT * FROM events WHERE run_id = ? ORDER BY seq').all(runId) as Array<Record<string, unknown>>;
  const sqliteMs = performance.now() - rawStart;
  const plain = rows.map((r) => ({ schemaVersion: r.schema_version, runId: r.run_id, seq: r.seq, simTime: r.sim_time, actor: r.actor, type: r.type, payload: JSON.parse(r.payload as string) }));
  const rawMs = performance.now() - rawStart;
  raw.close();
  const zodStart = performance.now();
  for (const e of plain) TraceEvent.parse(e);
  const zodMs = performance.now() - zodStart;

  // Opening in the app: events, labels, Timeline and the first frame.
  const terminal = new BenchTerminal();
  const opening = performance.now();
  const firstFrame = terminal.nextFrame();
  const instance = render(createElement(App, { store, env: {}, initial: { name: 'replay', runId } }), {
    stdout: terminal as unknown as NodeJS.WriteStream, stdin: terminal as unknown as NodeJS.ReadStream,
    debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  await firstFrame;
  const openMs = performance.now() - opening;
  if (!terminal.frame.startsWith('Replay #0 ')) throw new Error(`unexpected first frame:\n${terminal.frame}`);
  // The first frame shows the first page; the rest loads in pages behind it (the header counts them).
  while (/ loaded\)/.test(terminal.frame.split('\n')[0] ?? '')) await terminal.nextFrame();
  const loadedMs = performance.now() - opening;

  // Keypresses: mostly steps, some jumps, and one jump to the last event (which builds the worlds
  // from the last checkpoint reached to the end).
  const keys = Array.from({ length: STEPS }, (_, i) => (i === 150 ? '\u001B[F' : i % 10 === 9 ? 't' : i % 25 === 24 ? 'b' : i > 150 ? 'h' : 'l'));
  const times: number[] = [];
  let endMs = 0;
  for (const key of keys) {
    const next = terminal.nextFrame();
    const start = performance.now();
    terminal.type(key);
    await next;
    const took = performance.now() - start;
    times.push(took);
    if (key === '\u001B[F') {
      endMs = took;
      if (!terminal.frame.startsWith(`Replay #${events.length - 1} `)) throw new Error(`End did not reach the last event:\n${terminal.frame.split('\n')[0]}`);
    }
  }
  instance.unmount();
  store.close();

  const n = events.length.toLocaleString('en-US');
  return {
    rows: [
      [`Replay: write a ${n}-event run to SQLite (setup, one transaction per step)`, `${(writeMs / 1000).toFixed(1)} s`],
      [`Replay: open the ${n}-event run (first page of events + Timeline + first frame), aim < 1 s`, ms(openMs)],
      ['  every event loaded (pages of 10,000 read behind the first frame)', ms(loadedMs)],
      ['  store.events alone, for comparison (SQLite read + zod parse of every event)', ms(readMs)],
      ['    (SQLite read alone, better-sqlite3 .all())', ms(sqliteMs)],
      ['    (SQLite read + JSON.parse of the payloads, no schema check)', ms(rawMs)],
      ['    (zod TraceEvent.parse of every event alone)', ms(zodMs)],
      ['  of which new Timeline (index by seq, labels)', ms(timelineMs)],
      ['  world after the last event, cold (all patches from the start)', ms(endWorldMs)],
      [`Replay: keypress to frame, median of ${STEPS} (steps, t/b jumps, one End), aim < 50 ms`, `${ms(median(times))} (p90 ${ms(quantile(times, 0.9))}, max ${ms(Math.max(...times))})`],
      ['  the jump to the last event (End)', ms(endMs)],
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-replay-'));
  try {
    const { rows } = await benchReplayView(dir);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
    console.log(`(load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
