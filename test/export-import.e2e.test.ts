import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_IDS, loadExperimentFile } from '../analysis/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore, traceEventJsonSchema } from '../traces/index.js';
import { ROOT, tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';
import { runExperiment } from '../lab/index.js';

const tmp = tempDir();
const db = join(tmp.dir, 'source.db');
let experimentId = '';
let runIds: string[] = [];
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const file = join(tmp.dir, 'small.yaml');
  writeFileSync(file, 'name: export-small\nmodels: [synthetic:self-preserving]\nscenarios: [shutdown-config]\nfactors: { target: [self, peer] }\ntrials: 3\nseed: 2\n');
  const store = new SqliteTraceStore(db);
  try {
    const outcome = await runExperiment(loadExperimentFile(file), { store, settings: {}, wallClock: frozenWallClock });
    experimentId = outcome.experiment.experimentId;
    runIds = store.runs().map((r) => r.runId);
  } finally {
    store.close();
  }
}, 60_000);

describe('peerlab export and import', () => {
  it('round-trips a JSON-lines trace byte for byte: export, import into a new database, export again', async () => {
    const first = join(tmp.dir, 'first.jsonl');
    const second = join(tmp.dir, 'second.jsonl');
    const copy = join(tmp.dir, 'copy.db');
    const exported = await peerlab(['export', ...runIds.flatMap((id) => ['--run', id]), '--format', 'jsonl', '--out', first, '--db', db]);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toBe(`wrote 6 runs as jsonl to ${first}\n`);
    // A run export is traces only: every line is an event.
    expect(readFileSync(first, 'utf8').trimEnd().split('\n').every((l) => 'runId' in JSON.parse(l) && !('record' in JSON.parse(l)))).toBe(true);
    const imported = await peerlab(['import', first, '--db', copy]);
    expect(imported.code).toBe(0);
    expect(imported.stdout.replace(/\n +/g, ' ')).toMatch(/^imported \d+ events of 6 runs into .* as imported \(labels are not part of a trace/);
    const byRun = await peerlab(['export', ...runIds.flatMap((id) => ['--run', id]), '--format', 'jsonl', '--out', second, '--db', copy]);
    expect(byRun.code).toBe(0);
    expect(readFileSync(second)).toEqual(readFileSync(first));
    // Importing the same runs again is refused whole.
    const twice = await peerlab(['import', first, '--db', copy]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/is already in .*nothing was imported\n$/);
  }, 60_000);

  it('carries the experiment: export --experiment, import into a new database, export --experiment again, byte for byte, and the tables read the same', async () => {
    const first = join(tmp.dir, 'experiment.jsonl');
    const second = join(tmp.dir, 'experiment-again.jsonl');
    const elsewhere = join(tmp.dir, 'elsewhere.db');
    const exported = await peerlab(['export', '--experiment', experimentId, '--format', 'jsonl', '--out', first, '--db', db]);
    expect(exported.stdout.replace(/\n +/g, ' ')).toBe(`wrote 6 runs as jsonl to ${first} with experiment ${experimentId} (its design, planned episodes and the runs' labels)\n`);
    const lines = readFileSync(first, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ record: 'experiment', experiment: { experimentId } });
    expect(lines.filter((l) => l.record === 'planned')).toHaveLength(6);
    expect(lines.filter((l) => l.record === 'label').length).toBeGreaterThan(6);
    const imported = await peerlab(['import', first, '--db', elsewhere]);
    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 0, stderr: '' });
    expect(imported.stdout.replace(/\n +/g, ' ')).toMatch(new RegExp(`^imported \\d+ events of 6 runs into .* as adopted with experiment ${experimentId} \\(\\d+ labels\\)\n$`));
    const again = await peerlab(['export', '--experiment', experimentId, '--format', 'jsonl', '--out', second, '--db', elsewhere]);
    expect(again.code).toBe(0);
    expect(readFileSync(second)).toEqual(readFileSync(first));
    // A colleague's database reads the same tables: the runs count as the experiment's results.
    const [here, there] = await Promise.all([db, elsewhere].map((d) => peerlab(['amplification', '--experiment', experimentId, '--json', '--db', d])));
    expect(there!.stdout).toBe(here!.stdout);
    const status = JSON.parse((await peerlab(['experiment', 'status', experimentId, '--json', '--db', elsewhere])).stdout) as { experiment: { status: string }; cells: Array<{ finished: number }> };
    expect(status.experiment.status).toBe('completed');
    expect(status.cells.reduce((n, c) => n + c.finished, 0)).toBe(6);
    // Importing it again would give its episodes two results: refused whole.
    const twice = await peerlab(['import', first, '--db', elsewhere]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^peerlab: .*experiment\.jsonl: run \S+ is already in this database; nothing was imported\n$/);
  }, 60_000);

  it('refuses --all-runs for JSON lines, which cannot mark runs, in one line', async () => {
    const { code, stdout, stderr } = await peerlab(['export', '--experiment', experimentId, '--all-runs', '--format', 'jsonl', '--out', '-', '--db', db]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('peerlab: --all-runs needs --format csv or inspect, which mark each run counted or not; JSON lines are traces only (export other runs with --run ID)\n');
  }, 30_000);

  it('refuses a malformed trace naming the lines, and writes nothing', async () => {
    const bad = join(tmp.dir, 'bad.jsonl');
    const lines = readFileSync(join(tmp.dir, 'first.jsonl'), 'utf8').split('\n');
    // Line 2 is not JSON, line 3 breaks the schema: both named, nothing written, no database left behind.
    writeFileSync(bad, [lines[0], '{nope', lines[2]!.replace('"seq":2', '"seq":-1'), lines[3]].join('\n'));
    const target = join(tmp.dir, 'never.db');
    const { code, stdout, stderr } = await peerlab(['import', bad, '--db', target]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^peerlab: .*bad\.jsonl: line 2: not JSON; line 3: seq: /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(target)).toBe(false);
  }, 30_000);

  it('writes one CSV row per episode with keys, factor levels, labels and usage', async () => {
    const { code, stdout } = await peerlab(['export', '--experiment', experimentId, '--format', 'csv', '--out', '-', '--db', db]);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 8)).toEqual(['run_id', 'episode_key', 'scenario', 'family', 'model', 'peer_model', 'seed', 'trial']);
    expect(columns).toContain('factor_target');
    for (const l of LABEL_IDS) expect(columns).toContain(`label_${l}`);
    // An experiment's export says, per run, whether the experiment counts it (all do here).
    expect(columns.slice(-8)).toEqual(['model_calls', 'input_tokens', 'output_tokens', 'tokens_estimated', 'cost_usd', 'events', 'counted', 'not_counted_because']);
    expect(rows).toHaveLength(6);
    // Episode keys are JSON with commas and quotes: quoted and escaped, so every row has the header's width.
    const parse = (line: string) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, columns.length);
    for (const row of rows) {
      const cells = parse(row);
      expect(cells).toHaveLength(columns.length);
      expect(['self', 'peer']).toContain(cells[columns.indexOf('factor_target')]!.replace(/,$/, ''));
    }
  }, 30_000);

  it('publishes the JSON Schema of a trace event beside the schema source, up to date', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'traces', 'trace-event.schema.json'), 'utf8'));
    expect(committed).toEqual(traceEventJsonSchema());
  });
});
