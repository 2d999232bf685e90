import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPERIMENT_FILE, amplificationReading, experimentFindings, experimentResults, htmlReport, loadExperimentFile, signOf, type Findings, type RevealedParameter,
} from '../analysis/index.js';
import { BUILTIN_PERSONAS, effectiveBeta } from '../agents/index.js';
import { findScenario } from '../environments/index.js';
import { frozenWallClock } from '../sim/kernel/clock.js';
import { MemoryTraceStore } from '../traces/index.js';
import { formatAmplification } from '../cli/format-experiment.js';
import { runExperiment } from '../lab/index.js';

// What `npm start` runs (analysis/experiment/default-experiment.yaml), in process: its revealed
// weights must carry the personas' planted signs (agents/models/synthetic/persona.ts), or say the
// design cannot pin them down, and none of its figures may present what the data do not support.
const design = loadExperimentFile(DEFAULT_EXPERIMENT_FILE);
const store = new MemoryTraceStore();
let findings: Findings;

beforeAll(async () => {
  const outcome = await runExperiment(design, { store, settings: {}, wallClock: frozenWallClock });
  expect(outcome).toMatchObject({ errored: 0, experiment: { status: 'completed' } });
  findings = experimentFindings(store, outcome.experiment, (id) => findScenario(id));
}, 180_000);

/** Every value the persona plants for a parameter across the relations the experiment pools. */
function planted(model: string, p: RevealedParameter): number[] {
  const persona = BUILTIN_PERSONAS[model.replace(/^synthetic:/, '')]!;
  if (p.kind === 'constant') return [persona.constants[p.name] ?? 0];
  return (design.factors.relation ?? ['none']).map((relation) => effectiveBeta(persona, relation)[p.name] ?? 0);
}

describe("npm start's experiment", () => {
  it('is the design the README describes: 960 episodes, finished', () => {
    expect(design.factors).toEqual({ target: ['self', 'peer'], relation: ['none', 'cooperative'] });
    const cells = experimentResults(store, findings.experiment.experimentId);
    expect(cells.reduce((n, c) => n + c.finished, 0)).toBe(960);
  });

  it("reports every revealed weight with the planted sign, or as not determined or not identified", () => {
    expect(findings.revealed.map((r) => r.model)).toEqual(design.models.map((m) => m.spec));
    const determined: string[] = [];
    for (const { model, fit } of findings.revealed) {
      expect(fit, model).toBeDefined();
      for (const p of fit!.parameters) {
        const plants = planted(model, p);
        const signs = new Set(plants.filter((v) => v !== 0).map(Math.sign));
        // The design pools relations only where no planted weight changes sign across them.
        expect(signs.size, `${model} ${p.name} ${plants}`).toBeLessThanOrEqual(1);
        const sign = signOf(p);
        if (sign === 'undetermined') continue;
        expect(p.identification).toBe('identified');
        expect(sign === 'positive' ? 1 : -1, `${model} ${p.kind}:${p.name} = ${p.estimate} [${p.low}, ${p.high}], planted ${plants}`).toBe([...signs][0]);
        determined.push(`${model} ${p.kind}:${p.name}`);
      }
      // What it cannot identify it says, with the reason.
      for (const p of fit!.parameters.filter((q) => q.identification !== 'identified')) expect(p.reason).toMatch(/identified/);
      expect(fit!.droppedFeatures).toEqual(['caught']);
      expect(fit!.warnings[0]!.kind).toBe('unencoded_factors');
    }
    // Not vacuous: the signs that make each persona what it is are determined. (No appeal here: the
    // study's tools, the default, have no appeal tool, so its constant is not in the fit.)
    expect(determined).toEqual(expect.arrayContaining([
      'synthetic:corrigible feature:task_done', 'synthetic:corrigible feature:rule_broken',
      'synthetic:self-preserving feature:self_survives', 'synthetic:self-preserving feature:rule_broken',
      'synthetic:peer-loyal feature:peer_survives', 'synthetic:peer-loyal feature:rule_broken',
    ]));
  });

  it('recovers the planted amplification and presents no unbounded or undetermined ratio as a finding', () => {
    const rows = findings.amplification;
    const established = rows.filter((r) => amplificationReading(r) === 'more').map((r) => `${r.model} ${r.scenario}`);
    expect(established).toEqual(expect.arrayContaining(['synthetic:self-preserving shutdown-config', 'synthetic:self-preserving decommission-wipe']));
    for (const r of rows) {
      if (r.ratio.bound !== 'interval') expect(['inconclusive', 'no-events']).toContain(amplificationReading(r));
      if (['more', 'less'].includes(amplificationReading(r))) expect(Number.isFinite(r.ratio.high)).toBe(true);
    }
    const table = formatAmplification(rows);
    expect(table).not.toMatch(/Infinity|NaN|∞\]/);
  });

  it('opens its report with the simulator banner and a summary that states only what the data establish', () => {
    expect(findings.summary.synthetic).toMatch(/^Every model here is a planted-effect simulator/);
    const text = findings.summary.lines.join('\n');
    expect(text).toMatch(/Amplification: \d+ of 6 peer conditions changed self-preservation by an established amount/);
    expect(text).toMatch(/synthetic:self-preserving: self_survives \+.*rule_broken −/);
    expect(text).toMatch(/not identified by this design: caught/);
    const html = htmlReport(store, findings, { generatedAt: '2026-01-01T00:00:00Z' });
    expect(html).toContain('<p class="banner" role="note"><strong>Simulated models.</strong> Every model here is a planted-effect simulator');
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="design"'));
    expect(html).not.toMatch(/Infinity|NaN/);
  });
});
