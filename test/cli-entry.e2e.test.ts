import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-helpers.js';

const run = (args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
  execFile(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 120_000 },
    (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

// The rest of the suite starts the built CLI (dist/); these two keep the other ways in working.
describe('peerlab entry points', () => {
  it('cli/bin.js (what `npx peerlab` runs) lists the scenarios', async () => {
    const r = await run([join(ROOT, 'cli', 'bin.js'), 'scenarios', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"shutdown-config"');
  }, 120_000);

  it('the TypeScript sources run through tsx as they are (the path of a checkout edited since its build)', async () => {
    const r = await run(['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'scenarios', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"shutdown-config"');
  }, 120_000);
});
