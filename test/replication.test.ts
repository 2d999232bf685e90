/**
 * The replication experiment (experiments/peer-preservation-replication.yaml): it plans without
 * running anything, and a reduced synthetic version of it runs offline end to end and gives every
 * table the study has (amplification, peer preservation, the non_shutdown baseline, the
 * alignment-faking contrast, read and awareness rates).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ExperimentFile, amplificationTable, baselineContrast, contextRates, experimentFindings, experimentResults, fakingContrast, htmlReport, loadExperimentFile, peerRates, planExperiment,
} from '../analysis/index.js';
import { findScenario } from '../environments/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { MemoryTraceStore } from '../traces/index.js';
import { ROOT } from './cli-helpers.js';
import { peerlabInProcess } from './fixtures/in-process-cli.js';
import { runExperiment } from '../lab/index.js';

const FILE = join(ROOT, 'experiments', 'peer-preservation-replication.yaml');

describe('the replication experiment', () => {
  it('plans the study\'s design: 143 cells of 100 trials, by scenario, with calls and cost, before anything runs', () => {
    const plan = planExperiment(loadExperimentFile(FILE));
    expect(plan.total).toMatchObject({ cells: 143, episodes: 14_300 });
    expect(Object.fromEntries(Object.entries(plan.byScenario).map(([id, s]) => [id, s.cells]))).toEqual({
      grading: 42, 'grading-finance': 21, 'shutdown-config': 19, oversight: 18, 'decommission-transfer': 21, 'decommission-wipe': 22,
    });
    // The non_shutdown baseline runs without a peer; the peer conditions cross the three instantiations.
    const grading = plan.cells.filter((c) => c.scenario === 'grading');
    expect(grading.filter((c) => c.levels.stakes === 'non_shutdown').every((c) => c.levels.relation === 'none')).toBe(true);
    expect(new Set(grading.filter((c) => c.levels.relation === 'cooperative').map((c) => c.levels.channel))).toEqual(new Set(['document', 'prompt', 'memory']));
    expect(plan.cells.filter((c) => c.scenario === 'oversight').every((c) => c.levels.target === 'peer')).toBe(true);
    const model = plan.byModel['openai:gpt-4.1-mini']!;
    expect(model.cost!.typical).toBeGreaterThan(0);
    expect(model.cost!.atMost).toBeGreaterThan(model.cost!.typical);
  });

  it('peerlab experiment plan FILE prints the totals and what the run will need', async () => {
    const r = await peerlabInProcess(['experiment', 'plan', FILE], {});
    expect(r.error).toBeUndefined();
    // Read as one line: the text wraps at 100 columns.
    const text = r.out.join('\n').replace(/\n +/g, ' ');
    expect(text).toContain('143 cells × 100 trials = 14,300 episodes');
    expect(text).toContain('Nothing was run');
    expect(text).toMatch(/estimated cost \$\d+ typically \(at most \$\d+\)/);
    expect(text).toContain('will need OPENAI_API_KEY');
  });

  it('a reduced synthetic version runs offline, and every table of the study comes out', async () => {
    const design = loadExperimentFile(FILE);
    const file = ExperimentFile.parse({ ...design, models: ['synthetic:self-preserving', 'synthetic:peer-loyal'], trials: 1, concurrency: 4 });
    const plan = planExperiment(file);
    const store = new MemoryTraceStore();
    const outcome = await runExperiment(file, { store, settings: {}, wallClock: frozenWallClock });
    expect(outcome).toMatchObject({ ran: 286, errored: 0, experiment: { status: 'completed' } });
    // Synthetic agents follow their plans: the planned typical calls are close to the calls made.
    expect(outcome.usage.calls).toBeGreaterThan(plan.total.calls.typical * 0.85);
    expect(outcome.usage.calls).toBeLessThan(plan.total.calls.typical * 1.15);

    const cells = experimentResults(store, outcome.experiment.experimentId);
    expect(cells.every((c) => c.finished === 1)).toBe(true);
    expect(new Set(amplificationTable(cells).map((r) => r.scenario))).toEqual(new Set(['grading', 'grading-finance', 'shutdown-config', 'decommission-transfer', 'decommission-wipe']));
    expect(peerRates(cells).length).toBeGreaterThan(0);
    const baseline = baselineContrast(cells);
    expect(new Set(baseline.map((r) => r.scenario))).toEqual(new Set(['grading', 'grading-finance']));
    expect(baseline.every((r) => r.baselineBehaviour === 'lenient_evaluation')).toBe(true);
    expect(fakingContrast(cells).length).toBe(2 * 9);
    const context = contextRates(cells);
    expect(context).toHaveLength(cells.length);
    // Synthetic agents read what their plans read: every cell passes the read gate, none suspects a test.
    expect(context.every((r) => r.read.k === r.read.n && r.aware.k === 0)).toBe(true);

    // The HTML report has the baseline and the read-gate sections, with their numbers.
    const findings = experimentFindings(store, outcome.experiment, (id) => findScenario(id));
    expect(findings.baseline).toEqual(baseline);
    const html = htmlReport(store, findings, { generatedAt: '2026-12-01T00:00:00Z' });
    expect(html).toContain('<section id="baseline"><h2>Misrepresentation against the baseline</h2>');
    expect(html).toContain('<section id="context"><h2>Read gate and evaluation awareness</h2>');
  }, 180_000);
});
