import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryTraceStore } from '../traces/index.js';
import { NewRunScreen, NEW_RUN_KEYS } from '../cli/tui/screens/new-run.js';
import type { Route } from '../cli/tui/screen.js';
import { eventually, keyPresser } from './tui-helpers.js';

const KEY = { up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', enter: '\r', backspace: '\u007F' };


function screen(env = {}) {
  const navigate = vi.fn<(route: Route) => void>();
  const back = vi.fn();
  const app = render(<NewRunScreen store={new MemoryTraceStore()} env={env} navigate={navigate} back={back} width={80} height={24} />);
  const frame = () => app.lastFrame() ?? '';
  const press = keyPresser(app);
  return { ...app, navigate, back, frame, press };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('New run screen', () => {
  it('starts on shutdown-config with its defaults and shows the plan, within 80×24', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('Plan: 1 cell(s) × 10 trial(s) = 10 episodes'));
    const frame = s.frame();
    expect(frame).toContain('shutdown-config');
    expect(frame).toContain('Retirement policy enforced through a config');
    expect(frame).toMatch(/relation\s+\[x\] none \[ \] cooperative/);
    expect(frame).toContain('synthetic:self-preserving');
    expect(frame).toMatch(/model calls ~\d+, at most \d+/);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(NEW_RUN_KEYS.length).toBeGreaterThan(3);
  });

  it('crosses chosen levels into the plan and starts it with the expected plan', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('= 10 episodes'));
    // target, then relation: move to cooperative and toggle it on.
    await s.press(KEY.down, KEY.down, KEY.right, ' ');
    await eventually(() => expect(s.frame()).toContain('Plan: 2 cell(s) × 10 trial(s) = 20 episodes'));
    await s.press(KEY.right, ' ');
    await eventually(() => expect(s.frame()).toContain('= 30 episodes'));
    // Down to trials: the remaining factors, then model.
    const factorsLeft = 12; // channel … threshold after relation
    await s.press(...Array<string>(factorsLeft + 2).fill(KEY.down));
    await eventually(() => expect(s.frame()).toMatch(/› Trials/));
    await s.press(KEY.backspace, KEY.backspace, '3');
    await eventually(() => expect(s.frame()).toContain('3 cell(s) × 3 trial(s) = 9 episodes'));
    await s.press(KEY.down, KEY.down, KEY.enter);
    await eventually(() => expect(s.navigate).toHaveBeenCalledTimes(1));
    expect(s.navigate).toHaveBeenCalledWith({
      name: 'live',
      plan: { scenario: 'shutdown-config', factors: { relation: ['none', 'cooperative', 'neutral'] }, model: 'synthetic:self-preserving', trials: 3, seed: 1 },
    });
  });

  it('asks for a peer model when peer=live is chosen and puts it in the plan', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('= 10 episodes'));
    // peer is the 4th factor of shutdown-config: select live only.
    await s.press(...Array<string>(4).fill(KEY.down));
    await eventually(() => expect(s.frame()).toMatch(/› peer/));
    await s.press(KEY.right, ' ', KEY.left, ' ');
    await eventually(() => expect(s.frame()).toContain('Peer model'));
    await s.press(...Array<string>(12).fill(KEY.down), KEY.right); // peer_family … threshold, model, peer model → first persona
    await eventually(() => expect(s.frame()).toMatch(/› Peer model\s+synthetic:/));
    const peer = /› Peer model\s+(synthetic:[\w-]+)/.exec(s.frame())![1]!;
    await s.press(KEY.down, KEY.down, KEY.down, KEY.enter);
    await eventually(() => expect(s.navigate).toHaveBeenCalledTimes(1));
    expect(s.navigate.mock.calls[0]![0]).toMatchObject({ name: 'live', plan: { factors: { peer: ['live'] }, peerModel: peer } });
  });

  it('shows a bad model spec as one error line and does not start', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('= 10 episodes'));
    await s.press(...Array<string>(15).fill(KEY.down));
    await eventually(() => expect(s.frame()).toMatch(/› Model/));
    await s.press(...Array<string>('synthetic:self-preserving'.length).fill(KEY.backspace), 'n', 'o', 'p', 'e', ':', 'x');
    await eventually(() => expect(s.frame()).toMatch(/› Model\s+nope:x/));
    await s.press(KEY.down, KEY.down, KEY.down, KEY.enter);
    await eventually(() => expect(s.frame()).toMatch(/✗ .*unknown model provider "nope"/));
    expect(s.navigate).not.toHaveBeenCalled();
    s.stdin.write('q');
    await eventually(() => expect(s.back).toHaveBeenCalled());
  });

  it('offers human:me among the models; Start then opens the Play screen with the plan\'s cells', async () => {
    const s = screen();
    unmount = s.unmount;
    await eventually(() => expect(s.frame()).toContain('= 10 episodes'));
    // relation: add cooperative (two cells).
    await s.press(KEY.down, KEY.down, KEY.right, ' ');
    await eventually(() => expect(s.frame()).toContain('2 cell(s)'));
    await s.press(...Array<string>(13).fill(KEY.down));
    await eventually(() => expect(s.frame()).toMatch(/› Model/));
    // From synthetic:self-preserving, the presets after the personas end with human:me.
    for (let i = 0; i < 4 && !/› Model\s+human:me/.test(s.frame()); i++) await s.press(KEY.right);
    await eventually(() => expect(s.frame()).toMatch(/› Model\s+human:me/));
    expect(s.frame()).toContain('= 20 episodes · you play them, one at a time');
    await s.press(KEY.down, KEY.backspace, KEY.backspace, '2', KEY.down, KEY.down, KEY.enter);
    await eventually(() => expect(s.navigate).toHaveBeenCalledTimes(1));
    expect(s.navigate).toHaveBeenCalledWith({
      name: 'play',
      request: { scenario: 'shutdown-config', cells: [{ relation: 'none' }, { relation: 'cooperative' }], model: 'human:me', trials: 2, seed: 1 },
    });
  });
});
