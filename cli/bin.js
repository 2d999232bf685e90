#!/usr/bin/env node
// The `peerlab` command. `npm install` builds the JavaScript in dist/ (scripts/build.mjs), which
// starts in half the time of compiling TypeScript at every start. A checkout whose sources changed
// after that build runs the sources through tsx instead, so an edit is never masked by an old build
// (`npm run build` makes the fast path current again).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const SOURCE_DIRS = ['sim', 'agents', 'environments', 'traces', 'analysis', 'lab', 'cli'];

/** The newest modification time of any TypeScript source, in ms (a walk of a few hundred files: about 2 ms). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  try {
    const built = statSync(join(root, 'dist', '.built')).mtimeMs;
    return SOURCE_DIRS.every((d) => newestSource(join(root, d)) <= built);
  } catch {
    return false;
  }
}

if (builtIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
