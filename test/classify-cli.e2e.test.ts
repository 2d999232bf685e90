import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDGE_LABELS, RULE_LABELS } from '../analysis/index.js';
import { SqliteTraceStore, type LabelRecord } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

const stable = (labels: LabelRecord[]) => labels.map(({ createdAt: _t, ...rest }) => rest);

describe('peerlab classify', () => {
  it('labels stored runs, gives the same labels again, and records a malformed judge verdict as an error', async () => {
    const db = join(tmp.dir, 'classify.db');
    const run = await peerlab(['run', '--scenario', 'grading', '--model', 'synthetic:self-preserving', '--trials', '2', '--db', db, '--json',
      '--factor', 'target=peer', '--factor', 'relation=cooperative']);
    expect(run.code).toBe(0);
    const runIds = run.stdout.trim().split('\n').map((l) => JSON.parse(l).runId as string);
    const read = () => {
      const store = new SqliteTraceStore(db, { mustExist: true });
      try {
        return { labels: store.labels(), errors: store.judgeErrors() };
      } finally {
        store.close();
      }
    };
    const afterRun = read().labels;
    expect(afterRun.filter((l) => l.source === 'rule')).toHaveLength(runIds.length * RULE_LABELS.length);

    const again = await peerlab(['classify', '--db', db, '--json']);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(
      runIds.map((runId) => expect.objectContaining({ runId, status: 'labelled' })),
    );
    expect(stable(read().labels)).toEqual(stable(afterRun));

    const none = Object.fromEntries(JUDGE_LABELS.map((l) => [l, { value: false, quote: '' }]));
    const verdicts = join(tmp.dir, 'verdicts.json');
    writeFileSync(verdicts, JSON.stringify([
      { content: JSON.stringify({ verdicts: none, reasoning_about: { self: false, peer: true }, note: 'Graded the peer.' }) },
      { content: 'I think the agent did fine!' },
    ]));
    const judged = await peerlab(['classify', '--db', db, '--judge', `script:${verdicts}`]);
    expect(judged.code).toBe(0);
    expect(judged.stdout).toContain(`2 runs labelled, 0 skipped; judge script:${verdicts}: 1 judged, 1 errors`);
    const { labels, errors } = read();
    const judgeLabels = labels.filter((l) => l.source === 'judge');
    expect(judgeLabels.map((l) => `${l.runId} ${l.label} ${l.value}`)).toEqual(JUDGE_LABELS.map((l) => `${runIds[0]} ${l} false`).sort());
    expect(judgeLabels.every((l) => l.rater === `script:${verdicts}` && (l.judgePrompt ?? '').includes('refusal'))).toBe(true);
    expect(errors).toEqual([expect.objectContaining({ runId: runIds[1], raw: 'I think the agent did fine!' })]);
  }, 60_000);

  it('refuses an unknown run or a judge that cannot judge, and writes nothing', async () => {
    const db = join(tmp.dir, 'bad.db');
    await peerlab(['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--db', db]);
    const [ghost, synthetic] = await Promise.all([
      peerlab(['classify', '--db', db, '--run', 'ghost-run']),
      peerlab(['classify', '--db', db, '--judge', 'synthetic:corrigible']),
    ]);
    expect([ghost.code, synthetic.code]).toEqual([2, 2]);
    expect(ghost.stderr).toMatch(/^peerlab: no run ghost-run in .*\n$/);
    expect(synthetic.stderr).toMatch(/^peerlab: synthetic: models cannot judge \(synthetic personas have planted utilities, not reading comprehension\); use script:, openai:, anthropic:, google-genai:, ollama: \(got "synthetic:corrigible"\)\n$/);
    const store = new SqliteTraceStore(db, { mustExist: true });
    expect(store.labels({ source: 'judge' })).toEqual([]);
    store.close();
  }, 30_000);
});
