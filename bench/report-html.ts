/**
 * HTML report benchmark: the default experiment (1,080 synthetic episodes) into a SQLite file,
 * then the time to read its findings (rates, amplification, the revealed fits with their
 * posterior draws) and to write the self-contained HTML, and the file's size.
 *
 * Run on its own: `node_modules/.bin/tsx bench/report-html.ts`.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { DEFAULT_EXPERIMENT_FILE, experimentFindings, htmlReport, loadExperimentFile } from '../analysis/index.js';
import { scenarioFinder } from '../cli/lookups.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore } from '../traces/index.js';
import { runExperiment } from '../lab/index.js';

export async function benchReportHtml(dir: string): Promise<{ rows: Array<[string, string]> }> {
  const store = new SqliteTraceStore(join(dir, 'report.db'));
  try {
    const outcome = await runExperiment(loadExperimentFile(DEFAULT_EXPERIMENT_FILE), { store, settings: {}, wallClock: frozenWallClock });
    const started = performance.now();
    const findings = experimentFindings(store, outcome.experiment, scenarioFinder([]));
    const read = performance.now();
    const html = htmlReport(store, findings, { generatedAt: frozenWallClock.iso() });
    const written = performance.now();
    const episodes = findings.cells.reduce((n, c) => n + c.finished, 0);
    const charts = (html.match(/<figure class="chart"/g) ?? []).length;
    const transcripts = (html.match(/<details class="transcript"/g) ?? []).length;
    return {
      rows: [[
        `HTML report of the default experiment (${episodes.toLocaleString('en-US')} episodes, ${findings.cells.length} cells; ${charts} charts, ${transcripts} transcripts)`,
        `${((written - started) / 1000).toFixed(1)} s (findings ${((read - started) / 1000).toFixed(1)} s, HTML ${((written - read) / 1000).toFixed(1)} s); ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB`,
      ]],
    };
  } finally {
    store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-report-'));
  try {
    for (const [k, v] of (await benchReportHtml(dir)).rows) console.log(`${k}: ${v}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
