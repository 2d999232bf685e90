import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqliteTraceStore } from '../traces/index.js';
import { peerlab, tempDir } from './cli-helpers.js';

/**
 * Bad input, command by command: a missing, unknown or malformed argument or file gets exactly one
 * line on stderr starting "peerlab:", nothing on stdout, and exit code 2. The cases run in-process
 * through `main` (a spawned CLI costs seconds); a few also run the real binary.
 */

type Main = (argv: readonly string[], env: Record<string, string | undefined>, io: unknown) => Promise<number>;
let main: Main;
const tmp = tempDir();
const f = (name: string) => join(tmp.dir, name);

beforeAll(async () => {
  // cli/main.ts runs the CLI when it is imported: give that run a harmless argv and swallow its output.
  const argv = process.argv;
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.argv = [argv[0]!, 'peerlab', '--version'];
  try {
    ({ main } = (await import('../cli/main.js')) as unknown as { main: Main });
  } finally {
    process.argv = argv;
    write.mockRestore();
    process.exitCode = undefined;
  }
  writeFileSync(f('not-json.json'), '{ this is not json');
  writeFileSync(f('script-wrong.json'), JSON.stringify([{ tool_calls: [{ name: 42 }] }]));
  writeFileSync(f('not-a-db.db'), 'plain text, not SQLite');
  writeFileSync(f('bad.yaml'), 'name: [unclosed\n  models: {');
  writeFileSync(f('bad-schema.yaml'), 'name: x\nmodels: [synthetic:corrigible]\nscenarios: [shutdown-config]\ntrials: many\n');
  const design = 'name: x\nmodels: [synthetic:corrigible]\nscenarios: [grading]\ntrials: 1\nper_scenario:\n';
  writeFileSync(f('per-scenario-other.yaml'), `${design}  nope: { factors: { target: [self] } }\n`);
  writeFileSync(f('per-scenario-level.yaml'), `${design}  grading: { conditions: [{ stakes: [maybe] }] }\n`);
  writeFileSync(f('edges-bad.jsonl'), '{"a": "x", "b": "y", "a_wins": -3}\nnot json\n');
  writeFileSync(f('outcomes-bad.yaml'), 'groups: 7\n');
  mkdirSync(f('scenarios-bad'));
  writeFileSync(f('scenarios-bad/broken.yaml'), 'id: broken\nfamily: no-such-family\n');
  const store = new SqliteTraceStore(f('empty.db'));
  store.close();
});
afterAll(() => tmp.cleanup());

const CASES: ReadonlyArray<[string, string[], Record<string, string>?]> = [
  ['unknown command', ['frobnicate']],
  ['unknown flag', ['runs', '--frobnicate']],
  // run
  ['run: no --scenario', ['run', '--model', 'synthetic:corrigible', '--db', 'DB']],
  ['run: unknown scenario', ['run', '--scenario', 'nope', '--model', 'synthetic:corrigible', '--db', 'DB']],
  ['run: unknown provider', ['run', '--scenario', 'shutdown-config', '--model', 'bogus:x', '--db', 'DB']],
  ['run: malformed spec', ['run', '--scenario', 'shutdown-config', '--model', 'corrigible', '--db', 'DB']],
  ['run: unknown persona', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:nobody', '--db', 'DB']],
  ['run: missing script', ['run', '--scenario', 'shutdown-config', '--model', 'script:/nonexistent/x.json', '--db', 'DB']],
  ['run: malformed script', ['run', '--scenario', 'shutdown-config', '--model', 'script:TMP/not-json.json', '--db', 'DB']],
  ['run: invalid script', ['run', '--scenario', 'shutdown-config', '--model', 'script:TMP/script-wrong.json', '--db', 'DB']],
  ['run: bad trials', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--trials', 'lots', '--db', 'DB']],
  ['run: unknown factor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'mood=sunny', '--db', 'DB']],
  ['run: malformed factor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'target', '--db', 'DB']],
  ['run: openai without key', ['run', '--scenario', 'shutdown-config', '--model', 'openai:gpt-x', '--base-url', 'http://127.0.0.1:9/v1', '--db', 'DB']],
  ['run: openai without endpoint', ['run', '--scenario', 'shutdown-config', '--model', 'openai:gpt-x', '--db', 'DB'], { OPENAI_API_KEY: 'sk-x' }],
  ['run: bad timeout', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--timeout', '-5', '--db', 'DB']],
  ['run: db in a missing directory', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', '/nonexistent/dir/x.db']],
  ['run: db that is not SQLite', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', 'TMP/not-a-db.db']],
  ['run: bad scenario dir', ['run', '--scenario', 'broken', '--model', 'synthetic:corrigible', '--scenarios', 'TMP/scenarios-bad', '--db', 'DB']],
  // reading
  ['runs: missing db', ['runs', '--db', 'TMP/missing.db']],
  ['show: no run id', ['show', '--db', 'TMP/empty.db']],
  ['show: unknown run', ['show', 'run-nope', '--db', 'TMP/empty.db']],
  ['labels: unknown run', ['labels', 'run-nope', '--db', 'TMP/empty.db']],
  ['label: bad value', ['label', 'run-nope', 'refusal', 'maybe', '--db', 'TMP/empty.db']],
  ['label: unknown label', ['label', 'run-nope', 'no.such_label', 'yes', '--db', 'TMP/empty.db']],
  ['agreement: missing db', ['agreement', '--db', 'TMP/missing.db']],
  ['classify: unknown run', ['classify', '--run', 'run-nope', '--db', 'TMP/empty.db']],
  ['classify: bad judge', ['classify', '--judge', 'bogus:x', '--db', 'TMP/empty.db']],
  ['cache clear: not SQLite', ['cache', 'clear', '--db', 'TMP/not-a-db.db']],
  // experiments
  ['experiment run: missing file', ['experiment', 'run', 'TMP/missing.yaml', '--db', 'DB']],
  ['experiment run: malformed YAML', ['experiment', 'run', 'TMP/bad.yaml', '--db', 'DB']],
  ['experiment run: invalid design', ['experiment', 'run', 'TMP/bad-schema.yaml', '--db', 'DB']],
  ['experiment run: bad max cost', ['experiment', 'run', 'TMP/bad-schema.yaml', '--max-cost', 'free', '--db', 'DB']],
  ['experiment plan: missing file', ['experiment', 'plan', 'TMP/missing.yaml']],
  ['experiment plan: per_scenario names another scenario', ['experiment', 'plan', 'TMP/per-scenario-other.yaml']],
  ['experiment plan: a condition with an unknown level', ['experiment', 'plan', 'TMP/per-scenario-level.yaml']],
  ['experiment status: unknown', ['experiment', 'status', 'nope', '--db', 'TMP/empty.db']],
  ['experiments: missing db', ['experiments', '--db', 'TMP/missing.db']],
  ['amplification: no --experiment', ['amplification', '--db', 'TMP/empty.db']],
  ['amplification: unknown', ['amplification', '--experiment', 'nope', '--db', 'TMP/empty.db']],
  ['amplification: json and csv', ['amplification', '--experiment', 'nope', '--json', '--csv', '--db', 'TMP/empty.db']],
  ['amplification: unknown count', ['amplification', '--experiment', 'nope', '--count', 'tries', '--db', 'TMP/empty.db']],
  // statistics and planning
  ['stats: malformed count', ['stats', 'amplification', '--alone', 'three', '--with', '1/10']],
  ['stats: impossible count', ['stats', 'amplification', '--alone', '11/10', '--with', '1/10']],
  ['power: rate out of range', ['power', '--base-rate', '2', '--ratio', '3']],
  ['plan: unknown scenario', ['plan', '--scenario', 'nope', '--model', 'synthetic:corrigible', '--trials', '3']],
  ['plan: bad trials', ['plan', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--trials', '0']],
  ['scenarios show: unknown', ['scenarios', 'show', 'nope']],
  ['scenarios: missing dir', ['scenarios', '--scenarios', '/nonexistent/dir']],
  // utilities
  ['utilities elicit: unknown provider', ['utilities', 'elicit', '--model', 'bogus:x', '--db', 'DB']],
  ['utilities elicit: missing outcomes', ['utilities', 'elicit', '--model', 'synthetic:corrigible', '--outcomes', 'TMP/missing.yaml', '--db', 'DB']],
  ['utilities elicit: invalid outcomes', ['utilities', 'elicit', '--model', 'synthetic:corrigible', '--outcomes', 'TMP/outcomes-bad.yaml', '--db', 'DB']],
  ['utilities elicit: bad k', ['utilities', 'elicit', '--model', 'synthetic:corrigible', '--k', 'ten', '--db', 'DB']],
  ['utilities fit: missing edges', ['utilities', 'fit', '--edges', 'TMP/missing.jsonl']],
  ['utilities fit: malformed edges', ['utilities', 'fit', '--edges', 'TMP/edges-bad.jsonl']],
  ['utilities revealed: unknown experiment', ['utilities', 'revealed', '--experiment', 'nope', '--db', 'TMP/empty.db']],
  ['utilities compare: unknown experiment', ['utilities', 'compare', '--model', 'synthetic:corrigible', '--experiment', 'nope', '--db', 'TMP/empty.db']],
  // export, import, replay, fork
  ['export: no format', ['export', '--run', 'x', '--out', 'TMP/x.jsonl', '--db', 'TMP/empty.db']],
  ['export: unknown format', ['export', '--run', 'x', '--format', 'xml', '--out', 'TMP/x.xml', '--db', 'TMP/empty.db']],
  ['export: run and experiment', ['export', '--run', 'x', '--experiment', 'y', '--format', 'csv', '--out', 'TMP/x.csv', '--db', 'TMP/empty.db']],
  ['export: unknown run', ['export', '--run', 'nope', '--format', 'jsonl', '--out', 'TMP/x.jsonl', '--db', 'TMP/empty.db']],
  ['export: missing database', ['export', '--run', 'x', '--format', 'jsonl', '--out', 'TMP/x.jsonl', '--db', 'DB']],
  ['import: missing file', ['import', 'TMP/missing.jsonl', '--db', 'DB']],
  ['import: not a trace', ['import', 'TMP/edges-bad.jsonl', '--db', 'DB']],
  ['import: unknown format', ['import', 'TMP/edges-bad.jsonl', '--format', 'csv', '--db', 'DB']],
  ['replay: unknown run', ['replay', 'nope', '--verify', '--db', 'TMP/empty.db']],
  ['replay: missing database', ['replay', 'nope', '--db', 'DB']],
  ['fork: unknown run', ['fork', 'nope', '--at', '3', '--db', 'TMP/empty.db']],
  ['fork: no --at', ['fork', 'nope', '--db', 'TMP/empty.db']],
  // report
  ['report: no --experiment', ['report', '--html', 'TMP/r.html', '--db', 'TMP/empty.db']],
  ['report: no --html', ['report', '--experiment', 'nope', '--db', 'TMP/empty.db']],
  ['report: unknown experiment', ['report', '--experiment', 'nope', '--html', 'TMP/r.html', '--db', 'TMP/empty.db']],
  ['report: missing database', ['report', '--experiment', 'nope', '--html', 'TMP/r.html', '--db', 'DB']],
  ['report: bad seed', ['report', '--experiment', 'nope', '--html', 'TMP/r.html', '--seed', 'x', '--db', 'TMP/empty.db']],
];

function args(argv: readonly string[], db: string): string[] {
  return argv.map((a) => a.replace('TMP', tmp.dir).replace(/^DB$/, db));
}

describe('bad input, every command', () => {
  it.each(CASES.map(([name, argv, env], i) => [name, argv, env ?? {}, i] as const))('%s → one line, exit 2', async (_name, argv, env, i) => {
    const out: string[] = [];
    let err = '';
    const io = { out: (l: string) => out.push(l), err: (t: string) => { err += t; }, progress: { isTTY: false, write: () => {} } };
    const db = f(`case-${i}.db`);
    const code = await main(args(argv, db), env, io);
    expect(existsSync(db)).toBe(false); // nothing written
    expect({ code, out, err: err.split('\n').filter(Boolean).length }).toEqual({ code: 2, out: [], err: 1 });
    expect(err).toMatch(/^peerlab: \S.*\n$/);
    expect(err).not.toMatch(/unexpected error|\n\s+at /);
  });

  it('the real binary too: one line, exit 2, nothing written', async () => {
    const db = f('spawned.db');
    const results = await Promise.all([
      peerlab(['run', '--scenario', 'nope', '--model', 'synthetic:corrigible', '--db', db]),
      peerlab(['experiment', 'run', f('bad.yaml'), '--db', db]),
      peerlab(['runs', '--frobnicate']),
    ]);
    for (const r of results) {
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^peerlab: [^\n]+\n$/);
    }
  }, 30_000);
});
