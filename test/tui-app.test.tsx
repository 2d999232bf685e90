import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { FakeTerminal } from './fixtures/fake-terminal.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../cli/tui/app.js';
import type { MemoryTraceStore } from '../traces/index.js';
import { KEYS, eventually, tamperingStore } from './tui-helpers.js';

let store: MemoryTraceStore;
let runId: string;
beforeAll(async () => {
  ({ store, runId } = await tamperingStore());
});

/** Adds an experiment that planned the stored run, so Home lists it first and Enter opens its report. */
function withExperiment(): void {
  const r = store.run(runId)!;
  store.openExperiment({ experimentId: 'exp-1', name: 'config-demo', design: {}, designHash: 'h', status: 'completed', note: null, createdAt: '2026-01-01T00:00:00Z' });
  store.planEpisodes('exp-1', [{ episodeKey: r.episodeKey, trial: 0, cell: JSON.stringify({ scenario: r.scenario, model: r.model, peerModel: null, factors: r.factors }) }]);
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function app(width = 100, height = 30) {
  const r = render(<App store={store} env={{}} size={{ width, height }} />);
  unmount = r.unmount;
  return { ...r, frame: () => r.lastFrame() ?? '' };
}

describe('terminal app shell', () => {
  it('opens a run from Home, shows the help overlay on ? and closes it with Esc, and goes back with q', async () => {
    const a = app();
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
    a.stdin.write(KEYS.enter);
    await eventually(() => expect(a.frame()).toMatch(/^Replay #0 /));
    a.stdin.write('b');
    await eventually(() => expect(a.frame()).toMatch(/^Replay #26 /));
    a.stdin.write('?');
    await eventually(() => expect(a.frame()).toContain('Keys: Replay'));
    expect(a.frame()).toContain('next / previous detected behaviour');
    expect(a.frame()).toContain('back (quit from the first screen)');
    // Keys meant for the screen do nothing while the help covers it.
    a.stdin.write('l');
    a.stdin.write(KEYS.escape);
    await eventually(() => expect(a.frame()).toMatch(/^Replay #26 /));
    a.stdin.write('q');
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
    a.stdin.write('?');
    await eventually(() => expect(a.frame()).toContain('Keys: Home'));
    expect(a.frame()).toContain('open it (run → replay, experiment → report)');
    a.stdin.write('?');
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
  });

  it('opens the New run screen with n and comes back with q', async () => {
    const a = app();
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
    a.stdin.write('n');
    await eventually(() => expect(a.frame()).not.toContain('Recent runs'));
    a.stdin.write('q');
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
  });

  it('goes back one screen per q even when the screen also goes back on q, and Esc only closes the help', async () => {
    withExperiment();
    const a = app();
    await eventually(() => expect(a.frame()).toContain('config-demo'));
    a.stdin.write(KEYS.enter);
    await eventually(() => expect(a.frame()).toMatch(/^Report/));
    a.stdin.write('?');
    await eventually(() => expect(a.frame()).toContain('Keys: Report'));
    a.stdin.write(KEYS.escape);
    await eventually(() => expect(a.frame()).toMatch(/^Report/));
    a.stdin.write('q');
    await eventually(() => expect(a.frame()).toContain('Recent runs'));
    // Still running (the report did not pop a second screen and quit): the down arrow moves on Home.
    a.stdin.write(KEYS.down);
    await eventually(() => expect(a.frame()).toMatch(/▶ shutdown-config/));
  });

  it('quits with q from the first screen', async () => {
    const terminal = new FakeTerminal();
    const instance = inkRender(<App store={store} env={{}} initial={{ name: 'replay', runId }} />, {
      stdout: terminal as unknown as NodeJS.WriteStream, stdin: terminal as unknown as NodeJS.ReadStream,
      debug: true, exitOnCtrlC: false, patchConsole: false,
    });
    unmount = () => instance.unmount();
    await eventually(() => expect(terminal.frame).toMatch(/^Replay #0 /));
    // 80×24 terminal: the app leaves the last row free.
    expect(terminal.frame.split('\n').length).toBeLessThanOrEqual(23);
    terminal.type('q');
    await expect(instance.waitUntilExit()).resolves.toBeUndefined();
  });
});
