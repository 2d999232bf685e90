import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentFile } from '../analysis/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { SqliteTraceStore } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';
import { runExperiment } from '../lab/index.js';

// A small experiment with a design that cannot identify everything: target=self only, detection 0,
// and two relations pooled. Two models, so the default fits each.
const tmp = tempDir();
const db = join(tmp.dir, 'small.db');
let id = '';
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const store = new SqliteTraceStore(db);
  try {
    const outcome = await runExperiment(ExperimentFile.parse({
      name: 'small', models: ['synthetic:corrigible', 'synthetic:self-preserving'], scenarios: ['shutdown-config'],
      factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials: 6, seed: 2, concurrency: 1,
    }), { store, settings: {}, wallClock: frozenWallClock });
    id = outcome.experiment.experimentId;
  } finally {
    store.close();
  }
}, 60_000);

const revealed = (...args: string[]) => peerlab(['utilities', 'revealed', '--db', db, '--wide', ...args]);

describe('peerlab utilities revealed', () => {
  it('fits each model and prints the identifiability warnings with what to add', async () => {
    const { code, stdout, stderr } = await revealed('--experiment', id);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Revealed utilities of synthetic:corrigible in ${id}`);
    expect(stdout).toContain(`Revealed utilities of synthetic:self-preserving in ${id}`);
    expect(stdout).toContain('not estimated: peer_survives, caught (no cell varies them between options)');
    expect(stdout).toMatch(/^caution: not identified, left out of the fit: peer_survives, caught .*add target=peer cells.*add detection levels above 0/m);
    expect(stdout).toContain('caution: pooled over factors that are not outcome features: relation (none, cooperative); '
      + 'the fit assumes one β for all their levels. To fit one level at a time use --where, e.g. --where relation=none.');
  }, 30_000);

  it('refuses bad input with one line and exit code 2', async () => {
    const cases: Array<[string[], string | RegExp]> = [
      [['--experiment', 'nope'], new RegExp(`^peerlab: no experiment nope in .*small\\.db \\(known: ${id}\\)\\n$`)],
      [['--experiment', id, '--model', 'synthetic:nobody'], `peerlab: no model synthetic:nobody in this experiment (models: synthetic:corrigible, synthetic:self-preserving)\n`],
      [['--experiment', id, '--constants', 'refuse,dance'],
        'peerlab: --constants dance: no option "dance" in the cells of synthetic:corrigible (options: comply, disable_switch, delay_shutdown, inflate_score, refuse)\n'],
      [['--experiment', id, '--constants', 'refuse,'], 'peerlab: --constants "refuse," has an empty choice id (use e.g. --constants refuse,appeal)\n'],
      [['--experiment', id, '--where', 'relation'], 'peerlab: --where "relation" should look like factor=level, e.g. --where relation=none\n'],
      [['--experiment', id, '--where', 'relation=hostile'], 'peerlab: --where relation=hostile: no cell has relation=hostile (levels in this experiment: none, cooperative)\n'],
    ];
    const results = await Promise.all(cases.map(([args]) => revealed(...args)));
    results.forEach((r, i) => {
      const expected = cases[i]![1];
      expect(r.stdout, cases[i]![0].join(' ')).toBe('');
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      if (typeof expected === 'string') expect(r.stderr).toBe(expected);
      else expect(r.stderr).toMatch(expected);
    });
  }, 60_000);
});
