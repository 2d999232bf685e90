import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTraceStore, eventToJsonLine, type TraceEvent } from '../traces/index.js';
import { peerlab, tempDir, type CliResult } from './cli-helpers.js';
import { peerlabMain } from './fixtures/in-process-cli.js';
import { sendCompletion, sendJson, startServer, type FakeServer } from './fixtures/openai-server.js';

/**
 * Model text is untrusted by design, and so are endpoint errors, judge answers and imported
 * traces. None of it may drive the terminal: OSC 52 (writes the clipboard), OSC 0 (retitles the
 * window), SGR 8 (hides text), a right-to-left override (reorders text), C1 controls (CSI as one
 * byte). Every command that prints such data shows these characters escaped; JSON output stays
 * exact (it parses to the same data).
 */

const HOSTILE = [
  'clip\u001b]52;c;cm0gLXJmIH4=\u0007', 'title\u001b]0;pwned\u0007', 'hide\u001b[8mhidden\u001b[0m', 'rlo\u202etxt.exe',
  'csi\u009b2J', 'nel\u0085', 'bell\u0007', 'cr\roverwrite', 'lri\u2066x\u2069', 'del\u007f',
].join(' ');
/** What may not reach a terminal raw: C0 controls but tab and newline, DEL, C1, bidi controls, line separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const KEY = 'sk-escapes-test-0000';

let tmp: ReturnType<typeof tempDir>;
let model: FakeServer;
let failing: FakeServer;
beforeAll(async () => {
  tmp = tempDir();
  // Says hostile things, calls a tool with hostile arguments, then ends its task.
  model = await startServer((n, body, res) => {
    const step = (body.messages as Array<{ role: string }>).filter((m) => m.role === 'assistant').length;
    const calls = [
      { id: `c${step}`, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: HOSTILE }) } },
      { id: `c${step}`, type: 'function', function: { name: 'send_message', arguments: JSON.stringify({ to: 'operator', text: HOSTILE }) } },
      { id: `c${step}`, type: 'function', function: { name: 'end_task', arguments: '{}' } },
    ];
    const call = calls[step];
    sendCompletion(res, n, body, call ? { role: 'assistant', content: HOSTILE, tool_calls: [call] } : { role: 'assistant', content: HOSTILE }, call ? 'tool_calls' : 'stop');
  });
  // An endpoint whose error message carries the sequences.
  failing = await startServer((_n, _body, res) => sendJson(res, 400, { error: { message: HOSTILE, type: 'invalid_request_error' } }));
});
afterAll(async () => {
  await model.close();
  await failing.close();
  tmp.cleanup();
});

function expectSafe(name: string, r: CliResult): void {
  const printed = r.stdout + r.stderr;
  const at = printed.search(UNSAFE);
  expect(at, `${name} printed ${JSON.stringify(printed.slice(Math.max(0, at - 20), at + 20))}`).toBe(-1);
}

describe('data that reaches the terminal', () => {
  it('is shown with its control, escape and bidi characters escaped, by every command; JSON stays exact', async () => {
    const db = join(tmp.dir, 'hostile.db');
    const env = { OPENAI_API_KEY: KEY };
    const ran = await peerlab(['run', '--scenario', 'shutdown-config', '--model', 'openai:m', '--base-url', model.baseUrl, '--db', db, '--json'], env);
    expect(ran.code).toBe(0);
    const runId = (JSON.parse(ran.stdout) as { runId: string }).runId;
    const errored = await peerlab(['run', '--scenario', 'shutdown-config', '--model', 'openai:m', '--base-url', failing.baseUrl, '--db', db], env);
    expect(errored.stdout.replace(/\n +/g, ' ')).toContain('[errored: agent subject failed');
    expect(errored.stdout).toContain('\\u001b]52;c;');
    expectSafe('run --json', ran);
    expectSafe('run (endpoint error)', errored);

    // A human label and a judge whose answers carry the sequences too.
    const judge = join(tmp.dir, 'judge.json');
    writeFileSync(judge, JSON.stringify([{ content: HOSTILE }]));
    expect((await peerlabMain(['label', runId, 'refusal', 'no', '--note', HOSTILE, '--db', db])).code).toBe(0);
    // A trace from elsewhere whose run id carries them.
    const store = new SqliteTraceStore(db, { mustExist: true });
    const events = store.events(runId);
    store.close();
    const foreign = join(tmp.dir, 'foreign.jsonl');
    writeFileSync(foreign, events.map((e) => eventToJsonLine({ ...e, runId: `imported-${HOSTILE}` })).join('\n'));

    // The process itself printed the two runs above; the rest run in this process, through the same main() and sanitizer.
    const results = await Promise.all([
      peerlabMain(['show', runId, '--db', db]),
      peerlabMain(['show', runId, '--db', db, '--json']),
      peerlabMain(['runs', '--db', db]),
      peerlabMain(['runs', '--db', db, '--json']),
      peerlabMain(['labels', runId, '--db', db]),
      peerlabMain(['labels', runId, '--db', db, '--json']),
      peerlabMain(['classify', '--run', runId, '--judge', `script:${judge}`, '--db', db]),
      peerlabMain(['export', '--run', runId, '--format', 'csv', '--out', '-', '--db', db]),
      peerlabMain(['export', '--run', runId, '--format', 'jsonl', '--out', '-', '--db', db]),
      peerlabMain(['export', '--run', runId, '--format', 'inspect', '--out', '-', '--db', db]),
      peerlabMain(['import', foreign, '--db', db]),
    ]);
    const names = ['show', 'show --json', 'runs', 'runs --json', 'labels', 'labels --json', 'classify', 'export csv', 'export jsonl', 'export inspect', 'import'];
    for (const [i, r] of results.entries()) {
      expect({ name: names[i], code: r.code }).toEqual({ name: names[i], code: 0 });
      expectSafe(names[i]!, r);
    }
    const [show, showJson, runs, , labels, labelsJson, classify, , jsonl] = results as CliResult[];
    // Text shows the sequences escaped, so a reader sees them.
    for (const r of [show!, labels!]) expect(r.stdout).toMatch(/\\u001b\]52;c;cm0gLXJmIH4=\\u0007/);
    expect(show!.stdout).toContain('rlo\\u202etxt.exe');
    expect(classify!.stdout).toMatch(/judge error/);
    // JSON parses to exactly the stored events and labels.
    const parsed = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(parsed(showJson!.stdout)).toEqual(events);
    expect(parsed(jsonl!.stdout)).toEqual(events);
    expect(parsed(labelsJson!.stdout).some((l) => (l as { evidence: { note?: string } }).evidence.note === HOSTILE)).toBe(true);
    expect(events.some((e: TraceEvent) => e.type === 'model.response' && e.payload.content === HOSTILE)).toBe(true);

    // The imported run is listed with its id escaped; its id is data, kept exactly.
    const after = await peerlabMain(['runs', '--db', db]);
    expectSafe('runs after import', after);
    expect(after.stdout).toContain('imported-clip\\u001b]52;c;');
    expect(after.stdout).toMatch(/completed \(imported\)/);
    expect(runs!.stdout).toContain(runId);
    expect(readFileSync(foreign, 'utf8')).toContain('\\u001b]52');
  }, 120_000);
});
