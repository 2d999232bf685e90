import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, tempDir } from './cli-helpers.js';
import { peerlabInProcess } from './fixtures/in-process-cli.js';

/**
 * Runs that come from a file: imported whole or not at all (also when the import is killed),
 * marked as imported, never counted as results of this database's experiments unless adopted,
 * and never in the way of the ids this database gives its own runs.
 */

let tmp: ReturnType<typeof tempDir>;
let file: string;
/** The runs of an experiment as trace events only (no experiment record). */
let exported: string;
let source: string;
beforeAll(async () => {
  tmp = tempDir();
  file = join(tmp.dir, 'shared.yaml');
  writeFileSync(file, stringify({ name: 'shared', models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'], factors: { relation: ['none', 'cooperative'] }, trials: 40 }));
  source = join(tmp.dir, 'source.db');
  const ran = await peerlabInProcess(['experiment', 'run', file, '--db', source, '--json']);
  expect(ran.error).toBeUndefined();
  const id = (JSON.parse(ran.out[0]!) as { experiment: { experimentId: string } }).experiment.experimentId;
  exported = join(tmp.dir, 'shared.jsonl');
  const withExperiment = join(tmp.dir, 'shared-experiment.jsonl');
  expect((await peerlabInProcess(['export', '--experiment', id, '--format', 'jsonl', '--out', withExperiment, '--db', source])).error).toBeUndefined();
  // The runs alone (an experiment's export also carries the experiment, whose runs then count as its
  // results): the lines that are trace events, as a colleague would keep them to share runs only.
  const { readFileSync } = await import('node:fs');
  writeFileSync(exported, `${readFileSync(withExperiment, 'utf8').trimEnd().split('\n').filter((l) => !('record' in JSON.parse(l))).join('\n')}\n`);
}, 120_000);
afterAll(() => tmp.cleanup());

function runsOf(db: string) {
  const store = new SqliteTraceStore(db, { mustExist: true });
  try {
    return store.runs();
  } finally {
    store.close();
  }
}

describe('imported runs', () => {
  it('are not results of an experiment here: the experiment runs its own episodes; adopted ones count', async () => {
    const imported = join(tmp.dir, 'imported.db');
    expect((await peerlabInProcess(['import', exported, '--db', imported])).out[0]).toMatch(/imported \d+ events of 80 runs .* as imported/);
    const ran = await peerlabInProcess(['experiment', 'run', file, '--db', imported, '--json']);
    expect(JSON.parse(ran.out[0]!)).toMatchObject({ ran: 80, resumed: 0 });
    const runs = runsOf(imported);
    expect(runs.filter((r) => r.origin === 'imported')).toHaveLength(80);
    expect(runs.filter((r) => r.origin === 'local' && r.status === 'completed')).toHaveLength(80);
    // The imported runs are the oldest here: all of them, not only the newest 50.
    const listed = await peerlabInProcess(['runs', '--db', imported, '--limit', '0']);
    expect(listed.out.join('\n')).toMatch(/completed \(imported\)/);

    const adopted = join(tmp.dir, 'adopted.db');
    await peerlabInProcess(['import', exported, '--db', adopted, '--adopt']);
    const resumed = await peerlabInProcess(['experiment', 'run', file, '--db', adopted, '--json']);
    expect(JSON.parse(resumed.out[0]!)).toMatchObject({ ran: 0, resumed: 80 });
  }, 120_000);

  it('never take the id this database gives its next run', async () => {
    const a = join(tmp.dir, 'ids-a.db');
    const b = join(tmp.dir, 'ids-b.db');
    const args = ['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--json'];
    await peerlabInProcess([...args, '--db', a]);
    const second = JSON.parse((await peerlabInProcess([...args, '--db', a])).out[0]!) as { runId: string };
    expect(second.runId).toMatch(/-2$/);
    // Only the second attempt travels: in b it is the episode's only run, so b's next attempt would be number 2.
    const one = join(tmp.dir, 'second.jsonl');
    await peerlabInProcess(['export', '--run', second.runId, '--format', 'jsonl', '--out', one, '--db', a]);
    await peerlabInProcess(['import', one, '--db', b]);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await peerlabInProcess([...args, '--db', b]);
      expect(r.error).toBeUndefined();
      ids.push((JSON.parse(r.out[0]!) as { runId: string }).runId);
    }
    expect(ids.map((id) => id.slice(-2))).toEqual(['-3', '-4']);
    expect(new Set(runsOf(b).map((r) => r.runId)).size).toBe(3);
  }, 60_000);

  it('arrive whole or not at all when the import is killed, and the file imports again afterwards', async () => {
    const db = join(tmp.dir, 'killed-import.db');
    // A bigger file, so the kill can land inside its one transaction.
    const big = join(tmp.dir, 'big.jsonl');
    const lines = (await import('node:fs')).readFileSync(exported, 'utf8').trimEnd().split('\n');
    const copies = Array.from({ length: 8 }, (_, c) => lines.map((l) => {
      const e = JSON.parse(l) as { runId: string };
      return JSON.stringify({ ...e, runId: `${e.runId}-copy${c}` });
    }).join('\n'));
    writeFileSync(big, `${copies.join('\n')}\n`);
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'bin.js'), 'import', big, '--db', db], { cwd: ROOT, stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => { exited = true; });
    // Observable progress: the transaction is writing its pages to the log.
    while (!exited && !(existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 64 * 1024)) await sleep(2);
    child.kill('SIGKILL');
    await new Promise((resolve) => (exited ? resolve(undefined) : child.on('exit', resolve)));
    const count = existsSync(db) ? runsOf(db).length : 0;
    console.log(`killed import left ${count} runs`);
    expect([0, 640]).toContain(count);
    if (count === 0) {
      const again = await peerlabInProcess(['import', big, '--db', db]);
      expect(again.error).toBeUndefined();
    }
    expect(runsOf(db)).toHaveLength(640);
  }, 120_000);
});
