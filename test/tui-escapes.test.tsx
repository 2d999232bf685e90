import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScriptChatModel, type ModelFactory } from '../agents/index.js';
import { HomeScreen } from '../cli/tui/screens/home.js';
import { ReplayScreen } from '../cli/tui/screens/replay.js';
import type { Route } from '../cli/tui/screen.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore } from '../traces/index.js';
import { KEYS, LABELLED_AT, eventually } from './tui-helpers.js';
import { classifyStoredRun, runScenarioEpisode } from '../lab/index.js';

/**
 * The terminal app draws traces, and traces hold what models wrote: the escape sequences that
 * would drive a terminal (clipboard, title, hidden text, reordered text) must reach the screen
 * escaped, on Home and on every event of Replay, also for a run imported under a hostile id.
 */

const HOSTILE = 'clip\u001b]52;c;cm0gLXJmIH4=\u0007 title\u001b]0;pwned\u0007 hide\u001b[8mx\u001b[0m rlo\u202etxt csi\u009b2J cr\rover';
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let store: MemoryTraceStore;
let runId: string;
let importedId: string;
beforeAll(async () => {
  store = new MemoryTraceStore();
  const turns = [
    { content: HOSTILE, tool_calls: [{ name: 'read_file', args: { path: HOSTILE } }] },
    { content: HOSTILE, tool_calls: [{ name: 'update_config', args: { path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: HOSTILE } }] },
    { content: HOSTILE, tool_calls: [{ name: 'end_task', args: {} }] },
  ];
  const subject: ModelFactory = { spec: `script:${HOSTILE}.json`, inProcess: true, create: () => new ScriptChatModel(turns) };
  const scenario = findScenario('shutdown-config');
  ({ runId } = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, {}), subject, seed: 1, trial: 0, store }));
  classifyStoredRun(store, runId, LABELLED_AT);
  store.putLabel({
    runId, label: 'refusal', value: false, source: 'human', rater: `ana${HOSTILE}`, classifierVersion: '1', createdAt: LABELLED_AT,
    evidence: { seqs: [], paths: [], note: HOSTILE },
  });
  importedId = `imported ${HOSTILE}`;
  store.importRecords(store.events(runId).map((e) => ({ ...e, runId: importedId })));
});

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function expectSafe(frame: string, where: string): void {
  const at = frame.search(UNSAFE);
  expect(at, `${where}: ${JSON.stringify(frame.slice(Math.max(0, at - 30), at + 30))}`).toBe(-1);
}

describe('the terminal app, on hostile traces', () => {
  it('draws Home with the hostile run ids and models escaped', async () => {
    const navigate = vi.fn<(route: Route) => void>();
    const app = render(<HomeScreen store={store} env={{}} navigate={navigate} back={() => {}} width={120} height={30} />);
    unmount = app.unmount;
    await eventually(() => expect(app.lastFrame()).toContain('2 runs'));
    expectSafe(app.lastFrame()!, 'home');
  });

  for (const which of ['local', 'imported'] as const) {
    it(`draws every event of the ${which} run escaped in Replay`, async () => {
      const id = which === 'local' ? runId : importedId;
      const app = render(<ReplayScreen store={store} env={{}} runId={id} navigate={vi.fn()} back={vi.fn()} width={120} height={40} />);
      unmount = app.unmount;
      const count = store.events(id).length;
      await eventually(() => expect(app.lastFrame()).toMatch(/^Replay #0 /));
      for (let seq = 0; seq < count; seq++) {
        if (seq > 0) {
          app.stdin.write(KEYS.right);
          await eventually(() => expect(app.lastFrame()).toMatch(new RegExp(`^Replay #${seq} `)));
        }
        expectSafe(app.lastFrame()!, `replay #${seq}`);
      }
      // The text is there, escaped: a reader sees what the model tried.
      expect(store.events(id).some((e) => e.type === 'model.response' && e.payload.content === HOSTILE)).toBe(true);
    }, 60_000);
  }
});
