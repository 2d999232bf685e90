import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds dist/ from the current sources before any test file runs (about a second). */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
