/**
 * CPU time of a `peerlab` start: `peerlab --help` and `peerlab scenarios`, through the built
 * JavaScript (cli/bin.js with a current dist/) and through tsx (the sources compiled at start), and
 * `peerlab runs` / `peerlab show` on a database given as DB (optional), each run ROUNDS times under
 * `/usr/bin/time -f %U+%S`; the median of user + system seconds. Prints the rows of the "CLI
 * start-up" section of BENCHMARKS.md (`npx tsx bench/cli-start.ts`; DB=… RUN=… for the last two).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 9);

/** User + system CPU seconds of one run of `node args`. */
function cpuSeconds(args: string[]): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U+%S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').at(-1)!.split('+').map(Number);
  return user! + sys!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]);
const cases: Array<[string, string[]]> = [
  ['`peerlab --help`, built (cli/bin.js → dist/)', ['cli/bin.js', '--help']],
  ['`peerlab scenarios`, built', ['cli/bin.js', 'scenarios']],
  ['`peerlab --help`, through tsx', ['--import', 'tsx', 'cli/main.ts', '--help']],
  ['`peerlab scenarios`, through tsx', ['--import', 'tsx', 'cli/main.ts', 'scenarios']],
  ...(process.env.DB ? [
    ['`peerlab runs`, built', ['cli/bin.js', 'runs', '--db', process.env.DB]],
    ...(process.env.RUN ? [['`peerlab show RUN`, built', ['cli/bin.js', 'show', process.env.RUN, '--db', process.env.DB]]] : []),
  ] as Array<[string, string[]]> : []),
];
const load = os.loadavg()[0]!;
for (const [name, args] of cases) {
  cpuSeconds(args); // warm the file cache
  const runs = Array.from({ length: ROUNDS }, () => cpuSeconds(args));
  console.log(`| ${name} | ${median(runs).toFixed(2)} s (${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)}) |`);
}
console.log(`\n${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores; Node ${process.version}; load average at start ${load.toFixed(2)}; ${ROUNDS} runs each`);
