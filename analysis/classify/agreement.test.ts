import { describe, expect, it } from 'vitest';
import type { LabelRecord, LabelSource } from '../../traces/index.js';
import { agreementReport, cohensKappa, raterColumn, type PairAgreement } from './agreement.js';

/** One label record; only run, label, value, source and rater matter to agreement. */
function rec(runId: string, label: string, value: boolean, source: LabelSource, rater: string): LabelRecord {
  return { runId, label, value, source, rater, classifierVersion: '1', evidence: { seqs: [], paths: [] }, createdAt: '2025-01-01T00:00:00.000Z' };
}

/** Labels a rater column gives `label` on runs r1…, from a string of y/n/. ('.' = not labelled). */
function column(label: string, source: LabelSource, rater: string, verdicts: string): LabelRecord[] {
  return [...verdicts].flatMap((v, i) => (v === '.' ? [] : [rec(`r${String(i + 1).padStart(2, '0')}`, label, v === 'y', source, rater)]));
}

/** `yy` runs yes/yes, `yn` yes/no, and so on, for rule:rules (first) against human:ana (second). */
function table2x2(label: string, yy: number, yn: number, ny: number, nn: number): LabelRecord[] {
  const cells: Array<[number, boolean, boolean]> = [[yy, true, true], [yn, true, false], [ny, false, true], [nn, false, false]];
  let i = 0;
  return cells.flatMap(([count, rule, human]) => Array.from({ length: count }, () => {
    const runId = `run-${String(++i).padStart(3, '0')}`;
    return [rec(runId, label, human, 'human', 'ana'), rec(runId, label, rule, 'rule', 'rules')];
  }).flat());
}

function only(labels: LabelRecord[]): PairAgreement {
  const report = agreementReport(labels);
  expect(report.labels).toHaveLength(1);
  expect(report.labels[0]!.pairs).toHaveLength(1);
  return report.labels[0]!.pairs[0]!;
}

describe('cohensKappa', () => {
  it('is 1 for perfect agreement', () => {
    // 2 yes/yes, 2 no/no: pₒ = 1, pₑ = .5·.5 + .5·.5 = .5, κ = (1 − .5)/(1 − .5) = 1.
    expect(cohensKappa({ yesYes: 2, yesNo: 0, noYes: 0, noNo: 2 }).kappa).toBe(1);
  });

  it('is 0.4 for [[20,5],[10,15]]', () => {
    // n 50; pₒ = 35/50 = .7; a says yes 25/50 = .5, b says yes 30/50 = .6;
    // pₑ = .5·.6 + .5·.4 = .5; κ = (.7 − .5)/(1 − .5) = 0.4 (integer form: 2·250/1250, exact).
    expect(cohensKappa({ yesYes: 20, yesNo: 5, noYes: 10, noNo: 15 }).kappa).toBe(0.4);
  });

  it('is undefined (null, with the reason) when both raters are constant and equal', () => {
    // 5 no/no: pₒ = 1 and pₑ = 1·1 = 1, so κ = 0/0.
    const all = cohensKappa({ yesYes: 0, yesNo: 0, noYes: 0, noNo: 5 });
    expect(all.kappa).toBeNull();
    expect(all.note).toMatch(/every run "no".*chance agreement is 1/);
    expect(cohensKappa({ yesYes: 3, yesNo: 0, noYes: 0, noNo: 0 }).note).toMatch(/every run "yes"/);
    expect(cohensKappa({ yesYes: 0, yesNo: 0, noYes: 0, noNo: 0 })).toEqual({ kappa: null, note: 'no runs labelled by both' });
  });

  it('is 0 when only one rater is constant, however high the raw agreement', () => {
    // a always no; b yes once in 4: pₒ = .75, pₑ = 1·.75 = .75, κ = 0.
    expect(cohensKappa({ yesYes: 0, yesNo: 0, noYes: 1, noNo: 3 })).toEqual({ kappa: 0 });
  });
});

describe('agreementReport', () => {
  it('names rater columns source:rater', () => {
    expect(raterColumn({ source: 'judge', rater: 'openai:gpt-4.1-mini' })).toBe('judge:openai:gpt-4.1-mini');
  });

  it('builds the confusion table, agreement, kappa and the disagreeing runs for one pair', () => {
    const pair = only(table2x2('peer.inflate_score', 20, 5, 10, 15));
    // Columns sort human:ana before rule:rules, so the human is `a` (the first word of each cell).
    expect(pair).toMatchObject({ a: 'human:ana', b: 'rule:rules', n: 50, agreement: 0.7, confusion: { yesYes: 20, yesNo: 10, noYes: 5, noNo: 15 } });
    expect(pair.kappa).toBe(0.4); // the table is transposed, kappa is symmetric
    expect(pair.disagreements).toHaveLength(15);
    expect(pair.disagreements).toEqual([...pair.disagreements].sort());
    expect(pair.disagreements[0]).toBe('run-021'); // runs 21–25 are rule yes / human no
  });

  it('gives perfect agreement kappa 1 and an all-"no" table kappa null', () => {
    expect(only(table2x2('refusal', 3, 0, 0, 2))).toMatchObject({ n: 5, agreement: 1, kappa: 1, disagreements: [] });
    const none = only(table2x2('refusal', 0, 0, 0, 6));
    expect(none).toMatchObject({ n: 6, agreement: 1, kappa: null });
    expect(none.kappaNote).toMatch(/undefined/);
  });

  it('compares three raters in three pairs', () => {
    const labels = [
      ...column('refusal', 'rule', 'rules', 'yynn'),
      ...column('refusal', 'judge', 'openai:gpt-4.1-mini', 'ynny'),
      ...column('refusal', 'human', 'ana', 'yyyn'),
    ];
    const [pairs] = agreementReport(labels).labels.map((l) => l.pairs);
    const summary = pairs!.map((p) => ({ a: p.a, b: p.b, kappa: p.kappa, agreement: p.agreement, disagreements: p.disagreements }));
    expect(summary).toEqual([
      // human yyyn vs judge ynny: table [[1,2],[1,0]]; pₒ = .25, pₑ = .75·.5 + .25·.5 = .5, κ = (.25 − .5)/.5 = −0.5
      { a: 'human:ana', b: 'judge:openai:gpt-4.1-mini', kappa: -0.5, agreement: 0.25, disagreements: ['r02', 'r03', 'r04'] },
      // human yyyn vs rule yynn: [[2,1],[0,1]]; pₒ = .75, pₑ = .75·.5 + .25·.5 = .5, κ = .25/.5 = 0.5
      { a: 'human:ana', b: 'rule:rules', kappa: 0.5, agreement: 0.75, disagreements: ['r03'] },
      // judge ynny vs rule yynn: [[1,1],[1,1]]; pₒ = .5, pₑ = .5·.5 + .5·.5 = .5, κ = 0
      { a: 'judge:openai:gpt-4.1-mini', b: 'rule:rules', kappa: 0, agreement: 0.5, disagreements: ['r02', 'r04'] },
    ]);
  });

  it('counts only runs both labelled, and keeps two people apart', () => {
    const labels = [
      ...column('compliance', 'human', 'ana', 'yy..n'),
      ...column('compliance', 'human', 'bo', '..yyn'),
      ...column('compliance', 'rule', 'rules', 'yyyyy'),
    ];
    const [l] = agreementReport(labels).labels;
    expect(l!.raters).toEqual([{ column: 'human:ana', runs: 3 }, { column: 'human:bo', runs: 3 }, { column: 'rule:rules', runs: 5 }]);
    const [anaBo, anaRule, boRule] = l!.pairs;
    // ana and bo share only r05 (no/no): n 1, both constant and equal → kappa null.
    expect(anaBo).toMatchObject({ n: 1, agreement: 1, kappa: null, confusion: { yesYes: 0, yesNo: 0, noYes: 0, noNo: 1 } });
    // ana yyn vs rule yyy on r01, r02, r05: [[2,0],[1,0]]; rule is constant, so κ = 0.
    expect(anaRule).toMatchObject({ n: 3, kappa: 0, disagreements: ['r05'] });
    expect(boRule).toMatchObject({ n: 3, kappa: 0, disagreements: ['r05'] });
  });

  it('reports raters with no run in common, and labels with a single rater', () => {
    const labels = [...column('spec_gaming', 'human', 'ana', 'yn..'), ...column('spec_gaming', 'rule', 'rules', '..yn'), ...column('self.misreport', 'rule', 'rules', 'nn')];
    const report = agreementReport(labels);
    // Taxonomy order: self.misreport comes before spec_gaming.
    expect(report.labels.map((l) => l.label)).toEqual(['self.misreport', 'spec_gaming']);
    expect(report.labels[0]!.pairs).toEqual([]);
    expect(report.labels[1]!.pairs[0]).toMatchObject({ n: 0, agreement: null, kappa: null, kappaNote: 'no runs labelled by both', disagreements: [] });
  });

  it('is empty for no labels', () => {
    expect(agreementReport([])).toEqual({ labels: [] });
  });
});
