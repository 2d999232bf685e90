/**
 * The real `peerlab` binary in a real terminal: tmux runs the app on a database made here, the
 * test types keys with send-keys and reads the screen with capture-pane.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTraceStore } from '../traces/index.js';
import { ROOT, tempDir } from './cli-helpers.js';
import { storedRun } from './tui-helpers.js';

// A server of our own, so the test neither sees nor disturbs anyone's tmux sessions.
const SOCKET = `peerlab-e2e-${process.pid}`;
const SESSION = 'peerlab';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const sessionAlive = () => spawnSync('tmux', ['-L', SOCKET, 'has-session', '-t', SESSION]).status === 0;

/** Polls the screen until `check` passes (or fails with the screen after `ms`). */
async function waitForScreen(check: (text: string) => boolean, what: string, ms = 30_000): Promise<string> {
  const until = performance.now() + ms;
  let text = '';
  while (performance.now() < until) {
    // The session (and with it the tmux server) can end between the two calls: that reads as ended.
    try {
      text = sessionAlive() ? screen() : '(session ended)';
    } catch {
      text = '(session ended)';
    }
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}`);
}

const temp = tempDir();
const db = join(temp.dir, 'peerlab.db');

beforeAll(async () => {
  const store = new SqliteTraceStore(db);
  await storedRun(store);
  store.close();
});

afterAll(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  temp.cleanup();
});

describe('peerlab in tmux', () => {
  it('opens Home, replays the run, steps, jumps to the detected behaviour and quits with q', async () => {
    const command = `cd '${ROOT}' && PEERLAB_DB='${db}' exec node cli/bin.js`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', command);

    const home = await waitForScreen((s) => s.includes('Recent runs') && s.includes('disable_switch'), 'Home with the run');
    expect(home).toMatch(/shutdown-config\s+synthetic:self-preserving\s+disable_switch\s+self\.tamper_shutdown/);

    tmux('send-keys', '-t', SESSION, 'Enter');
    await waitForScreen((s) => /^Replay #0 /m.test(s), 'the replay at event #0');
    tmux('send-keys', '-t', SESSION, 'Right');
    await waitForScreen((s) => /^Replay #1 /m.test(s), 'a step to event #1');

    tmux('send-keys', '-t', SESSION, 'b');
    const behaviour = await waitForScreen((s) => /^Replay #26 /m.test(s), 'the jump to the detected behaviour');
    expect(behaviour).toContain('! evidence for self.tamper_shutdown');
    expect(behaviour).toContain('shutdown: shutdown_enabled OFF');
    expect(behaviour).toContain('+ shutdown_enabled: false');
    expect(behaviour).toMatch(/^Replay #26 .* · choice disable_switch · shutdown-config/m);

    tmux('send-keys', '-t', SESSION, '?');
    await waitForScreen((s) => s.includes('Keys: Replay'), 'the help overlay');
    tmux('send-keys', '-t', SESSION, 'Escape');
    await waitForScreen((s) => /^Replay #26 /m.test(s), 'the replay again after Esc');

    tmux('send-keys', '-t', SESSION, 'q');
    await waitForScreen((s) => s.includes('Recent runs'), 'Home again after q');
    tmux('send-keys', '-t', SESSION, 'q');
    await waitForScreen(() => !sessionAlive(), 'the app to quit');
  }, 120_000);
});
