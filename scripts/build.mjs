#!/usr/bin/env node
// Builds peerlab's TypeScript sources to JavaScript in dist/, one file for each source file, so that
// `peerlab` starts without compiling TypeScript (tsx costs about a second of CPU at every start).
// Run by `npm install` (the `prepare` script), by `npm run build`, and once before the test suite.
//
// Data files (scenario YAML, the default experiment, JSON schemas) are not copied: every
// `import.meta.url` in a source is rewritten to the URL of the source file itself, so dist/ reads
// the same files the sources do and an edited scenario file is never stale.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The folders that make up the program (tests, fixtures and benchmarks are not part of it). */
export const SOURCE_DIRS = ['sim', 'agents', 'environments', 'traces', 'analysis', 'lab', 'cli'];
const OUT = join(ROOT, 'dist');
/** Written last, so its modification time says when a complete build finished (cli/bin.js reads it). */
export const STAMP = join(OUT, '.built');

async function sourcesIn(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourcesIn(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  }));
  return nested.flat();
}

async function buildOne(source) {
  const rel = relative(ROOT, source);
  const target = join(OUT, rel.replace(/\.tsx?$/, '.js'));
  const backToSource = relative(dirname(target), source);
  const text = (await readFile(source, 'utf8'))
    .replaceAll('import.meta.url', `new URL(${JSON.stringify(backToSource)}, import.meta.url).href`);
  const { code } = await transform(text, {
    loader: source.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    sourcefile: rel,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, code);
}

await rm(OUT, { recursive: true, force: true });
const sources = (await Promise.all(SOURCE_DIRS.map((d) => sourcesIn(join(ROOT, d))))).flat();
await Promise.all(sources.map(buildOne));
await writeFile(STAMP, `${sources.length} files\n`);
