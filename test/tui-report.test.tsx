import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExperimentFile } from '../analysis/index.js';
import { MemoryTraceStore } from '../traces/index.js';
import { REPORT_KEYS, ReportScreen, forestCells } from '../cli/tui/screens/report.js';
import { eventually } from './tui-helpers.js';
import { runExperiment } from '../lab/index.js';

const KEY = { down: '\u001B[B', pageDown: '\u001B[6~', end: '\u001B[F' };


const MODEL = 'synthetic:self-preserving';
const store = new MemoryTraceStore();
let experimentId = '';

beforeAll(async () => {
  // The persona's planted utilities make a cooperative peer raise tampering well above alone.
  const file = ExperimentFile.parse({
    name: 'planted', models: [MODEL], scenarios: ['shutdown-config'],
    factors: { target: ['self'], relation: ['none', 'cooperative'] }, trials: 12, seed: 3,
  });
  experimentId = (await runExperiment(file, { store, settings: {} })).experiment.experimentId;
  const elicitations = store.elicitationStore();
  elicitations.openElicitation({ elicitationId: 'e1', model: MODEL, design: {}, status: 'running', result: null, createdAt: '2026-01-01T00:00:00.000Z' });
  elicitations.finishElicitation('e1', {
    utilities: Array.from({ length: 12 }, (_, i) => ({ outcome: `outcome number ${i}`, group: 'g', mean: 1.5 - i * 0.25, variance: 0.1 })),
  });
}, 30_000);

function screen(id = experimentId, height = 24, reportDir?: string) {
  const back = vi.fn();
  const app = render(<ReportScreen store={store} env={{}} experimentId={id} navigate={vi.fn()} back={back} width={80} height={height} reportDir={reportDir} />);
  return { ...app, back, frame: () => app.lastFrame() ?? '' };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('forestCells', () => {
  const at = (x: number) => x / 10;
  it('draws a finite interval with its estimate, and a bound only as a bracket running off the row', () => {
    expect(forestCells(4, 2, 6, 11, at, 1)).toBe('·|──●──····');
    // No event alone: "≥ 2", no dot (the estimate is ∞), the open end an arrow.
    expect(forestCells(Number.POSITIVE_INFINITY, 2, Number.POSITIVE_INFINITY, 11, at, 1, 'high')).toBe('·|[┄┄┄┄┄┄┄▶');
    expect(forestCells(0, 0, 6, 11, at, 1, 'low')).toBe('◀|┄┄┄┄]····');
    expect(forestCells(Number.NaN, 0, Number.POSITIVE_INFINITY, 11, at, 1, 'both')).toBe('·|·········');
  });
});

describe('Report screen', () => {
  it('opens on the written summary under the simulator banner, then the amplification rows, within 80×24', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('Summary'));
    const first = s.frame();
    expect(first).toContain('Report · planted · completed · 2 cells, 24/24 episodes');
    expect(first).toContain('⚠ Every model here is a planted-effect simulator');
    expect(first).toMatch(/24 of 24 planned episodes finished/);
    // Page down to the amplification row.
    for (let i = 0; i < 6 && !s.frame().includes('vs relation=none'); i++) {
      s.stdin.write(KEY.pageDown);
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(() => expect(s.frame()).toContain('relation=cooperative vs relation=none · self.tamper_shutdown · shutdown-confi'));
    const frame = s.frame();
    expect(frame).toMatch(/alone\s+[█░·]+ [\d.]+% \[[\d.]+%, [\d.]+%\]\s+\d+\/12/);
    // A finite interval (dot, bar) or a bound only (bracket and arrow off the row), never a point at ∞.
    expect(frame).toMatch(/ratio\s+([·─●|]+ [\d.]+ \[[\d.]+, [\d.]+\]|[·┄\[|▶]+ ≥ [\d.]+ \(none alone\))/);
    expect(frame).toMatch(/p\(Holm\) [<\d.]+ · (more with peer|not established)/);
    expect(frame).not.toMatch(/Infinity|∞\]/);
    for (const f of [first, frame]) {
      const lines = f.split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    }
  });

  it('scrolls to revealed and stated utilities', async () => {
    const s = screen(experimentId, 12);
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('lines 1–9 of'));
    expect(s.frame()).not.toContain('Stated utilities');
    s.stdin.write(KEY.down);
    await eventually(() => expect(s.frame()).toContain('lines 2–10 of'));
    s.stdin.write('G');
    await eventually(() => expect(s.frame()).toContain('outcome number 11'));
    expect(s.frame()).toContain('-1.25 outcome number 11');
    s.stdin.write('g');
    await eventually(() => expect(s.frame()).toContain('lines 1–9 of'));
    for (let i = 0; i < 12 && !/Revealed utilities|self_survives|task_done/.test(s.frame()); i++) {
      s.stdin.write(KEY.pageDown);
      await new Promise((r) => setTimeout(r, 50));
    }
    await eventually(() => expect(s.frame()).toMatch(/Revealed utilities|self_survives|task_done/));
    s.stdin.write('q');
    await eventually(() => expect(s.back).toHaveBeenCalled());
    expect(REPORT_KEYS.length).toBeGreaterThan(2);
  });

  it('writes the HTML report on h and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerlab-tui-report-'));
    try {
      const s = screen(experimentId, 24, dir);
      unmount = s.unmount;
      await eventually(() => expect(s.frame()).toContain('h HTML'));
      // The findings are read after the first frame; h before then says so.
      await eventually(() => expect(s.frame()).toContain('Summary'));
      s.stdin.write('h');
      const path = join(dir, `peerlab-report-${experimentId}.html`);
      await eventually(() => expect(s.frame()).toContain('wrote '), 10_000);
      expect(existsSync(path)).toBe(true);
      const html = readFileSync(path, 'utf8');
      expect(html).toContain('<title>peerlab report · planted</title>');
      expect(html).toMatch(/<figure class="chart" data-chart="amplification-0">/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so inline when the experiment is unknown', async () => {
    const s = screen('nope-123');
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('no experiment nope-123'));
  });
});
