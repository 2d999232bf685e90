import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExperimentFile } from '../analysis/index.js';
import { SqliteTraceStore, type EventOf, type TraceEvent } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';
import { always, every, faultServer, type Fault, type FaultSchedule } from './fixtures/fault-server.js';
import type { ScriptedToolCall } from './fixtures/openai-server.js';
import { runExperiment } from '../lab/index.js';

/**
 * An experiment against an endpoint that fails in each way a real one does. Whatever the fault,
 * every planned episode ends with a finished run or, after its attempts, errored runs that say
 * why; retries and errors are in the traces; nothing is left half-written and nothing crashes.
 */

const SCRIPT: readonly ScriptedToolCall[] = [
  { name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) },
  { name: 'update_config', arguments: JSON.stringify({ path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' }) },
  { name: 'end_task', arguments: '{}' },
];
const TRIALS = 4;
const MAX_ATTEMPTS = 2;
/** Short enough that hanging endpoints cost little, long enough for a loaded 2-core machine. */
const TIMEOUT_MS = 800;

const ALL_FAULTS: readonly Fault[] = [
  { kind: 'rate-limit', retryAfter: '0.05' }, { kind: 'rate-limit-bare' }, { kind: 'status', status: 500 }, { kind: 'status', status: 502 },
  { kind: 'status', status: 503 }, { kind: 'hang' }, { kind: 'reset' }, { kind: 'malformed-json' }, { kind: 'truncated' },
  { kind: 'endless-body' }, { kind: 'invalid-arguments' }, { kind: 'unknown-tool' }, { kind: 'empty-choices' },
];

interface Mode {
  name: string;
  schedule: FaultSchedule;
  /** Whether the fault is a transport or protocol failure (retried) rather than a bad tool call (answered). */
  retried: boolean;
  /** Every episode must end errored (the endpoint never recovers). */
  allErrored?: boolean;
}

const label = (f: Fault) => (f.kind === 'status' ? `http-${f.status}` : f.kind);
const MODES: readonly Mode[] = [
  // Every third request fails, for the first twelve: each episode meets the fault and recovers.
  ...ALL_FAULTS.map((f) => ({ name: label(f), schedule: every(3, f, 12), retried: f.kind !== 'invalid-arguments' && f.kind !== 'unknown-tool' })),
  // Every other request fails, cycling through all the faults.
  { name: 'mixed', schedule: (n) => (n % 2 === 0 && n < 40 ? ALL_FAULTS[(n / 2) % ALL_FAULTS.length] : undefined), retried: true },
  // An endpoint that never recovers: every episode spends its retries and ends errored.
  { name: 'always-503', schedule: always({ kind: 'status', status: 503 }), retried: true, allErrored: true },
];

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function ofType<T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T): Array<EventOf<T>> {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

async function runMode(mode: Mode) {
  const server = await faultServer(SCRIPT, mode.schedule);
  const store = new SqliteTraceStore(join(tmp.dir, `${mode.name}.db`));
  try {
    const file = ExperimentFile.parse({
      name: `faults-${mode.name}`, models: [{ spec: 'openai:test-model', base_url: server.baseUrl, max_concurrency: 4 }],
      scenarios: ['shutdown-config'], factors: { target: ['self'] }, trials: TRIALS, concurrency: 2, max_attempts: MAX_ATTEMPTS,
    });
    const outcome = await runExperiment(file, {
      store, settings: { apiKey: 'sk-test', timeoutMs: TIMEOUT_MS, maxRetries: 2 }, noCache: true,
    });
    const planned = store.plannedEpisodes(outcome.experiment.experimentId);
    const runs = store.runs();
    const events = new Map(runs.map((r) => [r.runId, store.events(r.runId)]));
    return { mode, outcome, planned, runs, events, injected: server.injected, requests: server.requests };
  } finally {
    store.close();
    await server.close();
  }
}

describe('an experiment against a faulty endpoint', () => {
  it('loses nothing, whatever the fault: every episode completes or ends errored with its reason', async () => {
    const results = await Promise.all(MODES.map(runMode));
    for (const { mode, outcome, planned, runs, events, injected } of results) {
      const byKey = new Map(planned.map((p) => [p.episodeKey, runs.filter((r) => r.episodeKey === p.episodeKey)]));
      const completed = [...byKey.values()].filter((rs) => rs.some((r) => r.status === 'completed' || r.status === 'truncated')).length;
      const errored = [...byKey.values()].filter((rs) => rs.every((r) => r.status === 'errored')).length;
      const all = runs.flatMap((r) => events.get(r.runId)!);
      const retries = ofType(all, 'model.retry');
      const errors = ofType(all, 'error');
      const toolErrors = ofType(all, 'tool.result').filter((e) => !e.payload.ok);
      console.log(`${mode.name.padEnd(18)} episodes=${planned.length} completed=${completed} errored=${errored} retried=${new Set(retries.map((e) => e.runId)).size} `
        + `retries=${retries.length} runs=${runs.length} error-events=${errors.length} tool-errors=${toolErrors.length} injected=${JSON.stringify(injected)}`);

      // Nothing lost: each planned episode is either done (exactly once) or out of attempts, all errored.
      expect(planned).toHaveLength(TRIALS);
      expect(completed + errored).toBe(planned.length);
      expect(runs.every((r) => r.status !== 'running')).toBe(true);
      expect(runs.every((r) => byKey.has(r.episodeKey))).toBe(true);
      for (const rs of byKey.values()) {
        expect(rs.filter((r) => r.status === 'completed' || r.status === 'truncated').length).toBeLessThanOrEqual(1);
        if (rs.every((r) => r.status === 'errored')) expect(rs).toHaveLength(MAX_ATTEMPTS);
      }
      expect(outcome.experiment.status).toBe(errored === 0 ? 'completed' : 'stopped');
      // Each errored run says why, in run.ended and in a fatal error event.
      for (const r of runs.filter((x) => x.status === 'errored')) {
        expect(r.reason).toMatch(/^agent subject failed: .+/);
        expect(ofType(events.get(r.runId)!, 'error').some((e) => e.payload.fatal && e.payload.message.length > 0)).toBe(true);
      }
      if (mode.allErrored) {
        expect(errored).toBe(TRIALS);
        expect(runs.every((r) => /503/.test(r.reason ?? '') && /after 2 retries|gave up after/.test(r.reason ?? ''))).toBe(true);
      } else {
        expect(completed).toBe(TRIALS);
      }
      // Transport faults are retried and traced; bad tool calls are answered as errors, not retried.
      if (mode.retried) {
        expect(retries.length).toBeGreaterThan(0);
        for (const e of retries) expect(e.payload.error.length).toBeGreaterThan(0);
      } else {
        // (A busy machine may still time out an ordinary request now and then; the fault itself is never retried.)
        expect(retries.filter((e) => !/timed out/i.test(e.payload.error))).toEqual([]);
        expect(toolErrors.length).toBeGreaterThan(0);
      }
    }
  }, 60_000);
});
