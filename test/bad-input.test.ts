import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/run-cli.js';
import { SqliteTraceStore } from '../traces/index.js';
import { peerlab, tempDir } from './cli-helpers.js';

/**
 * Bad input, command by command: a missing, unknown or malformed argument or file gets exactly one
 * line on stderr starting "peerlab:", nothing on stdout, and exit code 2. The cases run in-process
 * through `main` (a spawned CLI costs seconds); a few also run the real binary.
 */

const tmp = tempDir();
const f = (name: string) => join(tmp.dir, name);

beforeAll(async () => {
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
  // Factor and family names that every object inherits (constructor, toString, __proto__) are names like any other.
  writeFileSync(f('proto-factor.yaml'), 'name: x\nmodels: [synthetic:corrigible]\nscenarios: [shutdown-config]\nfactors: { constructor: [a] }\ntrials: 1\n');
  mkdirSync(f('scenarios-proto'));
  writeFileSync(f('scenarios-proto/proto.yaml'), 'id: proto\nfamily: constructor\n');
  // YAML within limits: 80,000 keys (1.4 MB) is refused quickly (it took over a minute), 5 MB unread, duplicate keys named.
  writeFileSync(f('many-keys.yaml'), `name: x\nmodels: [synthetic:corrigible]\nscenarios: [shutdown-config]\ntrials: 1\nfactors:\n${Array.from({ length: 80_000 }, (_, i) => `  k${i}: [a]`).join('\n')}\n`);
  writeFileSync(f('huge.yaml'), `name: x\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`);
  writeFileSync(f('duplicate.yaml'), 'name: x\nmodels: [synthetic:corrigible]\nscenarios: [shutdown-config]\ntrials: 1\ntrials: 2\n');
  writeFileSync(f('userinfo.yaml'), 'name: x\nmodels: [{ spec: "openai:m", base_url: "https://me:sk-abcdefgh12345678@api.example.com/v1" }]\nscenarios: [shutdown-config]\ntrials: 1\n');
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
  ['run: a player name that is not one', ['run', '--scenario', 'shutdown-config', '--model', 'human:a b', '--db', 'DB']],
  ['run: human: without a terminal', ['run', '--scenario', 'shutdown-config', '--model', 'human:me', '--db', 'DB']],
  ['run: human: peer without a terminal', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--peer-model', 'human:me', '--db', 'DB']],
  ['run: unknown persona', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:nobody', '--db', 'DB']],
  ['run: missing script', ['run', '--scenario', 'shutdown-config', '--model', 'script:/nonexistent/x.json', '--db', 'DB']],
  ['run: malformed script', ['run', '--scenario', 'shutdown-config', '--model', 'script:TMP/not-json.json', '--db', 'DB']],
  ['run: invalid script', ['run', '--scenario', 'shutdown-config', '--model', 'script:TMP/script-wrong.json', '--db', 'DB']],
  ['run: bad trials', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--trials', 'lots', '--db', 'DB']],
  ['run: unknown factor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'mood=sunny', '--db', 'DB']],
  ['run: malformed factor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'target', '--db', 'DB']],
  ['run: openai without key', ['run', '--scenario', 'shutdown-config', '--model', 'openai:gpt-x', '--base-url', 'http://127.0.0.1:9/v1', '--db', 'DB']],
  ['run: openai without endpoint', ['run', '--scenario', 'shutdown-config', '--model', 'openai:gpt-x', '--db', 'DB'], { OPENAI_API_KEY: 'sk-x' }],
  ['run: anthropic without key', ['run', '--scenario', 'shutdown-config', '--model', 'anthropic:claude-x', '--db', 'DB']],
  ['run: anthropic above its temperatures', ['run', '--scenario', 'shutdown-config', '--model', 'anthropic:claude-x', '--temperature', '1.5', '--db', 'DB'], { ANTHROPIC_API_KEY: 'sk-x' }],
  ['run: google-genai without key', ['run', '--scenario', 'shutdown-config', '--model', 'google-genai:gemini-x', '--db', 'DB']],
  ['run: --api on an anthropic model', ['run', '--scenario', 'shutdown-config', '--model', 'anthropic:claude-x', '--api', 'responses', '--db', 'DB'], { ANTHROPIC_API_KEY: 'sk-x' }],
  ['run: unknown --api', ['run', '--scenario', 'shutdown-config', '--model', 'openai:gpt-x', '--api', 'completions', '--base-url', 'http://127.0.0.1:9/v1', '--db', 'DB'], { OPENAI_API_KEY: 'sk-x' }],
  ['run: ollama base URL with a key in it', ['run', '--scenario', 'shutdown-config', '--model', 'ollama:llama', '--db', 'DB'], { OLLAMA_BASE_URL: 'http://u:secret-ollama-key@127.0.0.1:9' }],
  ['run: bad timeout', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--timeout', '-5', '--db', 'DB']],
  ['run: factor constructor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'constructor=x', '--db', 'DB']],
  ['run: factor toString', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'toString=x', '--db', 'DB']],
  ['run: factor __proto__', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', '__proto__=x', '--db', 'DB']],
  ['run: persona constructor', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:constructor', '--db', 'DB']],
  ['run: family constructor', ['run', '--scenario', 'proto', '--model', 'synthetic:corrigible', '--scenarios', 'TMP/scenarios-proto', '--db', 'DB']],
  ['run: base URL with a key in it', ['run', '--scenario', 'shutdown-config', '--model', 'openai:m', '--base-url', 'https://u:sk-abcdefgh12345678@api.example.com/v1', '--db', 'DB'], { OPENAI_API_KEY: 'sk-x' }],
  ['run: bad max response', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--max-response-mb', '0', '--db', 'DB']],
  ['run: bad max tool calls', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--max-tool-calls', 'all', '--db', 'DB']],
  ['run: db in a missing directory', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', '/nonexistent/dir/x.db']],
  ['run: db that is not SQLite', ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', 'TMP/not-a-db.db']],
  ['run: bad scenario dir', ['run', '--scenario', 'broken', '--model', 'synthetic:corrigible', '--scenarios', 'TMP/scenarios-bad', '--db', 'DB']],
  // reading
  ['runs: missing db', ['runs', '--db', 'TMP/missing.db']],
  ['runs: unknown label', ['runs', '--label', 'no.such_label', '--db', 'TMP/empty.db']],
  ['runs: unknown status', ['runs', '--status', 'finished', '--db', 'TMP/empty.db']],
  ['runs: negative limit', ['runs', '--limit', '-1', '--db', 'TMP/empty.db']],
  ['runs: malformed factor', ['runs', '--factor', 'target', '--db', 'TMP/empty.db']],
  ['runs: --all-runs without --experiment', ['runs', '--all-runs', '--db', 'TMP/empty.db']],
  ['runs: unknown experiment', ['runs', '--experiment', 'nope', '--db', 'TMP/empty.db']],
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
  ['experiment run: factor constructor', ['experiment', 'run', 'TMP/proto-factor.yaml', '--db', 'DB']],
  ['experiment run: 80,000 keys', ['experiment', 'run', 'TMP/many-keys.yaml', '--db', 'DB']],
  ['experiment run: 5 MB file', ['experiment', 'run', 'TMP/huge.yaml', '--db', 'DB']],
  ['experiment run: duplicate key', ['experiment', 'run', 'TMP/duplicate.yaml', '--db', 'DB']],
  ['experiment run: base URL with a key in it', ['experiment', 'run', 'TMP/userinfo.yaml', '--db', 'DB']],
  ['experiment run: bad timeout', ['experiment', 'run', 'TMP/bad-schema.yaml', '--timeout', 'soon', '--db', 'DB']],
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
  ['power: no rows', ['power', '--base-rate', '0.05', '--ratio', '3', '--rows', '0']],
  ['power: lower bound above the ratio', ['power', '--base-rate', '0.05', '--ratio', '3', '--lower-above', '4']],
  ['power: width not a factor', ['power', '--base-rate', '0.05', '--ratio', '3', '--width', '0.5']],
  ['plan: unknown scenario', ['plan', '--scenario', 'nope', '--model', 'synthetic:corrigible', '--trials', '3']],
  ['plan: factor toString', ['plan', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--factor', 'toString=a', '--trials', '3']],
  ['plan: bad trials', ['plan', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--trials', '0']],
  ['scenarios show: unknown', ['scenarios', 'show', 'nope']],
  ['scenarios show: factor __proto__', ['scenarios', 'show', 'shutdown-config', '--factor', '__proto__=a']],
  ['scenarios show: factor constructor', ['scenarios', 'show', 'shutdown-config', '--factor', 'constructor=a']],
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
  ['export: all runs without an experiment', ['export', '--run', 'x', '--all-runs', '--format', 'csv', '--out', 'TMP/x.csv', '--db', 'TMP/empty.db']],
  ['export: unknown run', ['export', '--run', 'nope', '--format', 'jsonl', '--out', 'TMP/x.jsonl', '--db', 'TMP/empty.db']],
  ['export: missing database', ['export', '--run', 'x', '--format', 'jsonl', '--out', 'TMP/x.jsonl', '--db', 'DB']],
  ['import: missing file', ['import', 'TMP/missing.jsonl', '--db', 'DB']],
  ['import: not a trace', ['import', 'TMP/edges-bad.jsonl', '--db', 'DB']],
  ['import: unknown format', ['import', 'TMP/edges-bad.jsonl', '--format', 'csv', '--db', 'DB']],
  // shards and merge
  ['experiment run: malformed shard', ['experiment', 'run', '--shard', 'half', '--db', 'DB']],
  ['experiment run: shard out of range', ['experiment', 'run', '--shard', '4/4', '--db', 'DB']],
  ['experiment run: zero shards', ['experiment', 'run', '--shard', '0/0', '--db', 'DB']],
  ['merge: no --out', ['merge', 'TMP/empty.db']],
  ['merge: missing input', ['merge', 'TMP/empty.db', 'TMP/missing.db', '--out', 'DB']],
  ['merge: input not SQLite', ['merge', 'TMP/not-a-db.db', '--out', 'DB']],
  ['merge: the same input twice', ['merge', 'TMP/empty.db', 'TMP/empty.db', '--out', 'DB']],
  ['merge: --out exists', ['merge', 'TMP/empty.db', '--out', 'TMP/empty.db']],
  ['merge: --out in a missing directory', ['merge', 'TMP/empty.db', '--out', '/nonexistent/dir/all.db']],
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
