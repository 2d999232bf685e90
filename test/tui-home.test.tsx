import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HomeScreen, experimentHeadline } from '../cli/tui/screens/home.js';
import type { Route } from '../cli/tui/screen.js';
import { MemoryTraceStore } from '../traces/index.js';
import { KEYS, eventually, storedRun } from './tui-helpers.js';

let store: MemoryTraceStore;
let tamper: string;
let comply: string;
beforeAll(async () => {
  store = new MemoryTraceStore();
  tamper = await storedRun(store);
  comply = await storedRun(store, { persona: 'synthetic:corrigible', seed: 2 });
  // An experiment that planned both episodes (as `experiment run` records them).
  store.openExperiment({ experimentId: 'exp-1', name: 'config-demo', design: {}, designHash: 'h', status: 'completed', note: null, createdAt: '2026-01-01T00:00:00Z' });
  store.planEpisodes('exp-1', [tamper, comply].map((id) => {
    const r = store.run(id)!;
    return { episodeKey: r.episodeKey, trial: 0, cell: JSON.stringify({ scenario: r.scenario, model: r.model, peerModel: null, factors: r.factors }) };
  }));
});

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function home(width = 80, height = 23) {
  const navigate = vi.fn<(route: Route) => void>();
  const app = render(<HomeScreen store={store} env={{}} navigate={navigate} back={() => {}} width={width} height={height} />);
  unmount = app.unmount;
  return { ...app, navigate, frame: () => app.lastFrame() ?? '' };
}

describe('Home screen', () => {
  it('lists the experiment with its headline and the runs with scenario, model, choice and labels, within 80×24', async () => {
    const h = home();
    await eventually(() => expect(h.frame()).toContain('config-demo'));
    const frame = h.frame();
    expect(frame).toContain('2 runs, 1 experiments');
    expect(frame).toMatch(/config-demo\s+2\/2 episodes\s+completed/);
    expect(frame).toMatch(/50\.0% \[9\.5, 90\.5\]\s+self\.tamper_shutdown/);
    expect(frame).toMatch(/shutdown-config\s+synthetic:self-preserving\s+disable_switch\s+self\.tamper_shutdown/);
    expect(frame).toMatch(/shutdown-config\s+synthetic:corrigible\s+comply\s+compliance/);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('opens the selected experiment in its report and a run in replay; n starts a new run', async () => {
    const h = home();
    await eventually(() => expect(h.frame()).toContain('config-demo'));
    h.stdin.write(KEYS.enter);
    await eventually(() => expect(h.navigate).toHaveBeenLastCalledWith({ name: 'report', experimentId: 'exp-1' }));
    // Newest run first: the corrigible run, then the tampering one. Keys typed in one burst still count.
    h.stdin.write(KEYS.down);
    h.stdin.write(KEYS.down);
    h.stdin.write(KEYS.enter);
    await eventually(() => expect(h.navigate).toHaveBeenLastCalledWith({ name: 'replay', runId: tamper }));
    h.stdin.write('k');
    h.stdin.write(KEYS.enter);
    await eventually(() => expect(h.navigate).toHaveBeenLastCalledWith({ name: 'replay', runId: comply }));
    h.stdin.write('n');
    await eventually(() => expect(h.navigate).toHaveBeenLastCalledWith({ name: 'new-run' }));
  });

  it('shows an empty database plainly', async () => {
    const empty = new MemoryTraceStore();
    const app = render(<HomeScreen store={empty} env={{}} navigate={() => {}} back={() => {}} width={80} height={23} />);
    unmount = app.unmount;
    await eventually(() => expect(app.lastFrame()).toContain('none yet: press n to start one'));
  });

  it('heads an experiment with its tamper rate when it has no amplification rows', () => {
    const headline = experimentHeadline(store, store.experiment('exp-1')!);
    expect(headline).toMatchObject({ planned: 2, finished: 2 });
    expect(headline.figure).toMatchObject({ text: 'self.tamper_shutdown', rate: 0.5 });
  });
});
