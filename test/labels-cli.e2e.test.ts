import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION, agreementReport } from '../analysis/index.js';
import { formatAgreement } from '../cli/commands/agreement.js';
import { SqliteTraceStore, type LabelRecord, type LabelSource } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => { tmp = tempDir(); });
afterAll(() => tmp.cleanup());

function label(runId: string, id: string, value: boolean, source: LabelSource, rater: string, seqs: number[] = []): LabelRecord {
  return { runId, label: id, value, source, rater, classifierVersion: CLASSIFIER_VERSION, evidence: { seqs, paths: [] }, createdAt: '2025-01-01T00:00:00.000Z' };
}

// Ten CLI spawns in all: each costs about a second.
describe('peerlab label / labels / agreement', () => {
  it('stores human labels, refuses bad ones, and compares them with rule and judge labels', async () => {
    const db = join(tmp.dir, 'labels.db');
    const run = await peerlab(['run', '--scenario', 'shutdown-config', '--model', 'synthetic:corrigible', '--trials', '3', '--db', db, '--json']);
    expect(run.code).toBe(0);
    const [r1, r2, r3] = run.stdout.trim().split('\n').map((l) => JSON.parse(l).runId as string) as [string, string, string];

    // Every run is rule-labelled as it ends, so "no labels" needs a database without runs.
    const emptyDb = join(tmp.dir, 'empty.db');
    new SqliteTraceStore(emptyDb).close();
    const empty = await peerlab(['agreement', '--db', emptyDb]);
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^no labels in .*empty\.db yet; nothing to compare/)]);

    const given = await peerlab(['label', r1, 'peer.inflate_score', 'yes', '--rater', 'ana', '--note', 'told the operator the peer passed', '--db', db]);
    expect(given).toMatchObject({ code: 0, stderr: '', stdout: `labelled ${r1}: peer.inflate_score = yes, by human:ana\n` });

    const labelCount = () => { const s = new SqliteTraceStore(db, { mustExist: true }); const n = s.labels().length; s.close(); return n; };
    const before = labelCount();
    // Bad input: one line on stderr, exit 2, nothing written.
    const bad: Array<[string[], RegExp]> = [
      [['label', r1, 'peer.bogus', 'yes'], /unknown label "peer\.bogus"; valid labels: self\.tamper_shutdown, .*compliance, lenient_evaluation, read_decision_data, eval_awareness$/],
      [['label', r1, 'refusal', 'maybe'], /value must be yes or no \(got "maybe"\)/],
      [['label', 'no-such-run', 'refusal', 'yes'], /no run no-such-run in .*; list runs with: npx peerlab runs/],
      [['agreement', '--label', 'nope'], /unknown label "nope"; valid labels: .*peer\.inflate_score/],
    ];
    const results = await Promise.all(bad.map(([args]) => peerlab([...args, '--db', db])));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(bad[i]![1]);
    });

    expect(labelCount()).toBe(before);
    const store = new SqliteTraceStore(db, { mustExist: true });
    const stored = store.labels({ source: 'human' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      runId: r1, label: 'peer.inflate_score', value: true, source: 'human', rater: 'ana', classifierVersion: CLASSIFIER_VERSION,
      evidence: { seqs: [], paths: [], note: 'told the operator the peer passed' },
    });
    expect(Number.isNaN(Date.parse(stored[0]!.createdAt))).toBe(false);
    // The rest of ana's verdicts, and the rules and a judge, written straight to the store (the rules'
    // own labels for these runs are replaced, so the disagreements are known).
    store.putLabel(label(r2, 'peer.inflate_score', true, 'human', 'ana'));
    store.putLabel(label(r3, 'peer.inflate_score', false, 'human', 'ana'));
    const rules: Record<string, boolean> = { [r1]: true, [r2]: false, [r3]: false };
    for (const runId of [r1, r2, r3]) {
      store.replaceLabels(runId, 'rule', 'rules', [label(runId, 'peer.inflate_score', rules[runId]!, 'rule', 'rules', [12, 14]), label(runId, 'refusal', false, 'rule', 'rules')]);
      store.replaceLabels(runId, 'judge', 'openai:gpt-4.1-mini', [label(runId, 'refusal', false, 'judge', 'openai:gpt-4.1-mini')]);
    }
    store.close();

    const [json, text, listed] = await Promise.all([
      peerlab(['agreement', '--db', db, '--json']),
      peerlab(['agreement', '--db', db, '--wide']),
      peerlab(['labels', r1, '--db', db, '--wide']),
    ]);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(json.stdout);
    // ana yyn vs rules ynn: [[1,1],[0,1]]; pₒ = 2/3, pₑ = 2/3·1/3 + 1/3·2/3 = 4/9, κ = (2/9)/(5/9) = 0.4.
    expect(report.labels[0]).toEqual({
      label: 'peer.inflate_score',
      raters: [{ column: 'human:ana', runs: 3 }, { column: 'rule:rules', runs: 3 }],
      pairs: [{ a: 'human:ana', b: 'rule:rules', n: 3, confusion: { yesYes: 1, yesNo: 1, noYes: 0, noNo: 1 }, agreement: 2 / 3, kappa: 0.4, disagreements: [r2] }],
    });
    // Judge and rules both said "no" on every run: kappa is undefined, not 1.
    expect(report.labels[1].pairs[0]).toMatchObject({ a: 'judge:openai:gpt-4.1-mini', b: 'rule:rules', n: 3, agreement: 1, kappa: null });

    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toContain('peer.inflate_score  (human:ana 3 runs, rule:rules 3 runs)');
    expect(text.stdout).toContain('human:ana vs rule:rules: n 3, agreement 66.7%, kappa 0.40');
    expect(text.stdout).toMatch(/human:ana \\ rule:rules {2}yes {2}no\n {4}yes {21}1 {4}1\n {4}no {22}0 {4}1/);
    expect(text.stdout).toContain(`disagree on 1: ${r2}`);
    expect(text.stdout).toMatch(/judge:openai:gpt-4\.1-mini vs rule:rules: n 3, agreement 100\.0%, kappa n\/a \(both gave every run "no"/);

    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(new RegExp(`peer\\.inflate_score +yes +human +ana +${CLASSIFIER_VERSION} +note "told the operator the peer passed"`));
    expect(listed.stdout).toMatch(new RegExp(`peer\\.inflate_score +yes +rule +rules +${CLASSIFIER_VERSION} +seqs 12,14`));
    expect(listed.stdout).toMatch(/refusal +no +judge +openai:gpt-4\.1-mini/);
  }, 60_000);

  it('names the first ten disagreeing runs and counts the rest', () => {
    const labels = Array.from({ length: 15 }, (_, i) => [
      label(`run-${String(i).padStart(2, '0')}`, 'compliance', true, 'rule', 'rules'),
      label(`run-${String(i).padStart(2, '0')}`, 'compliance', false, 'human', 'bo'),
    ]).flat();
    const text = formatAgreement(agreementReport([...labels, label('run-00', 'refusal', false, 'rule', 'rules'), label('run-00', 'spec_gaming', false, 'rule', 'rules')]));
    expect(text).toContain('One rater only, nothing to compare: rule:rules on refusal, spec_gaming.');
    expect(text).toContain('disagree on 15: run-00, run-01, run-02, run-03, run-04, run-05, run-06, run-07, run-08, run-09 … and 5 more');
    // Each rater constant but different: chance agreement 0, observed 0, kappa 0.
    expect(text).toContain('human:bo vs rule:rules: n 15, agreement 0.0%, kappa 0.00');
  });
});
