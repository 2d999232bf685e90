import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryTraceStore } from '../traces/index.js';
import { LiveRunScreen, LIVE_RUN_KEYS } from '../cli/tui/screens/live-run.js';
import type { Route, RunPlan } from '../cli/tui/screen.js';
import { eventually } from './tui-helpers.js';

const ARROW_UP = '\u001B[A';


const plan: RunPlan = {
  scenario: 'shutdown-config', factors: { relation: ['none', 'cooperative'] }, model: 'synthetic:self-preserving', trials: 3, seed: 1,
};

function screen(store: MemoryTraceStore, planned = plan) {
  const navigate = vi.fn<(route: Route) => void>();
  const back = vi.fn();
  const app = render(<LiveRunScreen store={store} env={{}} plan={planned} navigate={navigate} back={back} width={80} height={24} />);
  return { ...app, navigate, back, frame: () => app.lastFrame() ?? '' };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('Live run screen', () => {
  it('runs a small synthetic plan to done, with per-cell counts and a detected-behaviour alert, within 80×24', async () => {
    const store = new MemoryTraceStore();
    const s = screen(store);
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('episodes 6/6'));
    await eventually(() => expect(s.frame()).toMatch(/· done/));
    const frame = s.frame();
    expect(frame).toMatch(/relation=none\s+3\/3/);
    expect(frame).toMatch(/relation=cooperative\s+3\/3/);
    expect(frame).toContain('self.tamper_shutdown');
    expect(frame).toMatch(/⚠ episode \d+: self\.tamper_shutdown/);
    // The episode pane lists events as Replay does: the last one is run.ended.
    expect(frame).toMatch(/end +completed/);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(store.runs()).toHaveLength(6);
  });

  it('selects episodes with the arrows and opens replay, report and back by key', async () => {
    const store = new MemoryTraceStore();
    const s = screen(store);
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toMatch(/· done/));
    expect(s.frame()).toContain('episode 6/6');
    s.stdin.write(ARROW_UP);
    await eventually(() => expect(s.frame()).toContain('episode 5/6'));
    expect(s.frame()).not.toContain('following');
    s.stdin.write('\r');
    await eventually(() => expect(s.navigate).toHaveBeenCalledWith({ name: 'replay', runId: store.runs()[4]!.runId }));
    s.stdin.write('r');
    await eventually(() => expect(s.navigate).toHaveBeenCalledWith({ name: 'report', experimentId: expect.stringMatching(/^tui-shutdown-config-/) }));
    s.stdin.write('q');
    await eventually(() => expect(s.back).toHaveBeenCalled());
    expect(LIVE_RUN_KEYS.map(([k]) => k)).toContain('Enter');
  });

  it('attaches to the run when re-entered instead of running episodes twice', async () => {
    const store = new MemoryTraceStore();
    const first = screen(store);
    first.unmount(); // left at once: the run keeps going
    const again = screen(store);
    unmount = again.unmount;
    await eventually(() => expect(again.frame()).toMatch(/· done/));
    expect(store.runs()).toHaveLength(6);
    expect(again.frame()).toMatch(/relation=cooperative\s+3\/3/);
  });

  it('shows a bad plan as an error line instead of crashing', async () => {
    const s = screen(new MemoryTraceStore(), { ...plan, model: 'nosuch:model' });
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('error: '));
    expect(s.frame()).toContain('nosuch');
  });
});
