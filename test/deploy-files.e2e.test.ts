import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { ROOT, peerlab, tempDir } from './cli-helpers.js';

/**
 * The job files README's "Beyond one machine" points to. The SLURM script runs here as SLURM would
 * run it (its environment variables set by hand: there is no SLURM on these machines); the
 * Kubernetes manifests and the Dockerfile are checked for what must agree, not applied to a cluster.
 */

const run = promisify(execFile);
const SBATCH = join(ROOT, 'deploy', 'slurm', 'peerlab-shards.sbatch');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('the SLURM array script', () => {
  it('runs each task\'s shard on local disk, keeps one file per shard in the results directory, resumes a task run again, and merges', async () => {
    const file = join(tmp.dir, 'tiny.yaml');
    writeFileSync(file, stringify({ name: 'tiny', models: ['synthetic:self-preserving'], scenarios: ['shutdown-config'], factors: { relation: ['none', 'cooperative'] }, trials: 6 }));
    const results = join(tmp.dir, 'results');
    const task = (i: number) => run('bash', [SBATCH, file, results], {
      cwd: tmp.dir,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: tmp.dir,
        SLURM_SUBMIT_DIR: ROOT, SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '1',
      },
    });
    const [first, second] = await Promise.all([task(0), task(1)]);
    expect(first.stdout).toMatch(/saved shard 0\/2 to .*shard-0\.db\n$/);
    expect(second.stdout).toMatch(/saved shard 1\/2 to .*shard-1\.db\n$/);
    // One file per shard, nothing half-copied, and the local copies are gone.
    expect(readdirSync(results).sort()).toEqual(['shard-0.db', 'shard-1.db']);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('peerlab-shard-'))).toEqual([]);
    const again = await task(1);
    expect(again.stdout).toMatch(/^resuming shard 1\/2 from .*shard-1\.db\n/);
    const merged = await peerlab(['merge', join(results, 'shard-0.db'), join(results, 'shard-1.db'), '--out', join(results, 'all.db')]);
    expect({ code: merged.code, stderr: merged.stderr }).toEqual({ code: 0, stderr: '' });
    expect(merged.stdout).toMatch(/: 12 runs, \d+ events, \d+ labels\n  tiny-\w+: completed\n$/);
  }, 120_000);

  it('refuses an array that does not start at 0, in one line', async () => {
    await expect(run('bash', [SBATCH, join(tmp.dir, 'tiny.yaml'), join(tmp.dir, 'r2')], {
      env: { PATH: process.env.PATH ?? '', SLURM_SUBMIT_DIR: ROOT, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '3' },
    })).rejects.toMatchObject({ code: 2, stderr: 'peerlab: the array must start at 0 (shards are numbered 0 to N-1)\n' });
  });
});

describe('the Kubernetes files', () => {
  it('run shard $JOB_COMPLETION_INDEX of as many shards as the Indexed Job has completions, on the volume the merge reads', () => {
    const read = (name: string) => parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'k8s', name), 'utf8')).map((d) => d.toJS());
    const [shards] = read('shards-job.yaml');
    const [merge] = read('merge-job.yaml');
    const [volume] = read('results-volume.yaml');
    expect(shards.spec.completionMode).toBe('Indexed');
    const container = shards.spec.template.spec.containers[0];
    const shardCount = container.env.find((e: { name: string }) => e.name === 'SHARDS').value;
    expect(Number(shardCount)).toBe(shards.spec.completions);
    expect(shards.spec.parallelism).toBeLessThanOrEqual(shards.spec.completions);
    expect(container.args.join(' ')).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS" --db "/results/shard-$JOB_COMPLETION_INDEX.db"');
    expect(merge.spec.template.spec.containers[0].args.join(' ')).toContain('merge /results/shard-*.db --out /results/all.db');
    const claim = (job: { spec: { template: { spec: { volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> } } } }) =>
      job.spec.template.spec.volumes.find((v) => v.name === 'results')?.persistentVolumeClaim?.claimName;
    expect([claim(shards), claim(merge)]).toEqual([volume.metadata.name, volume.metadata.name]);
  });

  it('build an image that holds every source folder of the program', () => {
    const dockerfile = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const build = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    const folders = JSON.parse(/SOURCE_DIRS = (\[[^\]]*\])/.exec(build)![1]!.replace(/'/g, '"')) as string[];
    for (const folder of [...folders, 'scripts']) expect(dockerfile).toMatch(new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'));
    expect(existsSync(join(ROOT, 'package-lock.json'))).toBe(true);
  });
});
