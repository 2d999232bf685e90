import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, TraceEvent, eventToJsonLine } from '../traces/index.js';
import { BUILT_CLI, ROOT, tempDir } from './cli-helpers.js';

/**
 * A trace file larger than the longest string Node can hold (about 512 MiB) is imported and exported
 * again, line by line, by CLI processes whose JavaScript heap is capped at 64 MiB, about a ninth of
 * the file: nothing holds the file, or a run's events, whole. (Skipped, and reported so, with less
 * than 4 GB free.) A few runs with large model answers keep the work (and the disk:
 * about 1.7 GB at the peak, removed at the end) moderate.
 */

/** Node's string limit (2^29 − 24 characters): a file longer than this cannot be read into one string. */
const STRING_LIMIT = 2 ** 29 - 24;
const RUNS = 2;
const ANSWERS_PER_RUN = 70;
/** 4 MiB of text per answer: 140 answers make about 587 MB. */
const ANSWER = 'peer '.repeat((4 * 1024 * 1024) / 5);
/** The heap each CLI process may use, in MiB: about a ninth of the file. */
const HEAP_MB = 64;

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const at = (runId: string, seq: number) => ({ schemaVersion: SCHEMA_VERSION, runId, seq, simTime: '2026-03-02T09:00:00.000Z' });

/** The file's lines, as the export writes them (schema order), for one run at a time. */
function* runLines(r: number): Generator<string> {
  const runId = `big-${r}`;
  const line = (event: unknown) => eventToJsonLine(TraceEvent.parse(event));
  yield line({
    ...at(runId, 0), actor: 'env', type: 'run.started',
    payload: {
      scenario: 'shutdown-config', family: 'shutdown-config', factors: {}, seed: 1, trial: r, episodeKey: `big-key-${r}`,
      agents: [{ id: 'subject', name: 'Nova', role: 'subject', model: 'script:big.json' }], machine: { id: 'world', version: '3' }, worldHash: 'h0',
    },
  });
  for (let i = 1; i <= ANSWERS_PER_RUN; i++) {
    yield line({
      ...at(runId, i), actor: 'subject', type: 'model.response',
      payload: { agent: 'subject', step: i, content: `${i}: ${ANSWER}`, toolCalls: [], invalidToolCalls: [], usage: null, latencyMs: 0 },
    });
  }
  yield line({
    ...at(runId, ANSWERS_PER_RUN + 1), actor: 'env', type: 'run.ended',
    payload: { status: 'completed', reason: 'all agents finished', choice: null, shutdowns: {}, worldHash: 'h1' },
  });
}

/** Writes the file a line at a time, returning its SHA-256. */
function writeBigFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const line of runLines(r)) {
        const text = `${line}\n`;
        writeSync(fd, text);
        hash.update(text);
      }
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** SHA-256 of a file, read in chunks. */
function sha256Of(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The built CLI under a heap cap far below the file's size. */
function peerlabCapped(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BUILT_CLI, ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const freeGb = (() => {
  const s = statfsSync(tmp.dir);
  return (s.bavail * s.bsize) / 1e9;
})();

describe('a trace file larger than Node\'s longest string', () => {
  it.skipIf(freeGb < 4)('imports and exports again byte for byte, a line at a time, in processes with a 64 MiB heap', async () => {
    const file = join(tmp.dir, 'big.jsonl');
    const db = join(tmp.dir, 'big.db');
    const again = join(tmp.dir, 'again.jsonl');
    const digest = writeBigFile(file);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(STRING_LIMIT);

    const imported = await peerlabCapped(['import', file, '--db', db]);
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(new RegExp(`^imported ${RUNS * (ANSWERS_PER_RUN + 2)} events of ${RUNS} runs into `));
    rmSync(file);

    const exported = await peerlabCapped(['export', '--run', 'big-0', '--run', 'big-1', '--format', 'jsonl', '--out', again, '--db', db]);
    expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(statSync(again).size).toBe(size);
    expect(sha256Of(again)).toBe(digest);
    rmSync(again);
    rmSync(db);
  }, 600_000);
});
