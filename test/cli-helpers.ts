import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..');
/**
 * The built CLI (dist/, made by the suite's global setup from the current sources): a start costs
 * about 0.8 s of CPU instead of 2 s through tsx, which matters for a hundred CLI starts on 2 cores.
 */
export const BUILT_CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** What a finished `peerlab` process printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `peerlab` program (built) in a child process, with a clean environment. */
export function peerlab(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUILT_CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'peerlab-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
