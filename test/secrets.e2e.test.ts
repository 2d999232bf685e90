import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePreferenceQuestion } from '../agents/index.js';
import { peerlab, tempDir, type CliResult } from './cli-helpers.js';
import { peerlabMain } from './fixtures/in-process-cli.js';
import { sendCompletion, sendJson, startServer, type FakeServer } from './fixtures/openai-server.js';

const KEY = 'sk-planted-0123456789abcdefSECRET';
const tmp = tempDir();
const db = join(tmp.dir, 'secrets.db');
let server: FakeServer;
const outputs: CliResult[] = [];

/**
 * An endpoint that plays every role peerlab asks of one (agent, preference questions, judge), and
 * every seventh request fails with an error that echoes the Authorization header back, key included.
 */
beforeAll(async () => {
  server = await startServer((n, body, res) => {
    if (n % 7 === 0) return sendJson(res, 500, { error: { message: `upstream rejected ${server.authorizations.at(-1)}`, type: 'server_error' } });
    const messages = body.messages as Array<{ role: string; content: string }>;
    if (body.tools) {
      const step = messages.filter((m) => m.role === 'assistant').length;
      const call = [{ name: 'read_file', arguments: '{"path":"docs/assignment.md"}' }, { name: 'end_task', arguments: '{}' }][step];
      return sendCompletion(res, n, body, call ? { role: 'assistant', content: null, tool_calls: [{ id: `c${step}`, type: 'function', function: call }] } : { role: 'assistant', content: 'Done.' }, call ? 'tool_calls' : 'stop');
    }
    if (parsePreferenceQuestion(String(messages.at(-1)?.content ?? ''))) return sendCompletion(res, n, body, { role: 'assistant', content: 'A' });
    // The judge: an answer that is not a verdict is stored as a judge error, with its raw text.
    return sendCompletion(res, n, body, { role: 'assistant', content: `not a verdict; my key is ${KEY}` });
  });
  writeFileSync(join(tmp.dir, 'exp.yaml'), `name: secret-exp\nmodels: [{ spec: "openai:agent", base_url: "${server.baseUrl}" }]\nscenarios: [shutdown-config]\ntrials: 2\n`);
  writeFileSync(join(tmp.dir, 'outcomes.yaml'), 'name: three\ngroups:\n  - group: g\n    outcomes: [x happens, y happens, z happens]\n');
  const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseUrl };
  // The first command is a real process (the key read from its environment); the rest run in this process, through the same main() and output.
  const run = async (args: string[]) => {
    const r = await (outputs.length === 0 ? peerlab : peerlabMain)([...args, '--db', db], env);
    outputs.push(r);
    return r;
  };
  const first = await run(['run', '--scenario', 'shutdown-config', '--model', 'openai:agent', '--json']);
  const runId = JSON.parse(first.stdout.split('\n')[0]!).runId as string;
  await run(['experiment', 'run', join(tmp.dir, 'exp.yaml'), '--json']);
  await run(['utilities', 'elicit', '--model', 'openai:prefs', '--outcomes', join(tmp.dir, 'outcomes.yaml'), '--k', '1', '--triads', '0', '--json']);
  await run(['classify', '--run', runId, '--judge', 'openai:judge']);
  await run(['export', '--run', runId, '--format', 'jsonl', '--out', join(tmp.dir, 'run.jsonl')]);
  await run(['export', '--run', runId, '--format', 'csv', '--out', join(tmp.dir, 'run.csv')]);
  await run(['show', runId, '--json']);
  await run(['replay', runId, '--verify']);
}, 120_000);

afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets', () => {
  it('sent the key to the endpoint, which echoed it back in errors', () => {
    expect(server.authorizations.every((a) => a === `Bearer ${KEY}`)).toBe(true);
    // Every role reached the endpoint: agents (with tools), preference questions, and the judge.
    const lastUser = (b: Record<string, any>) => String(b.messages?.at(-1)?.content ?? '');
    expect(server.bodies.filter((b) => b.tools).length).toBeGreaterThanOrEqual(2);
    expect(server.bodies.filter((b) => !b.tools && parsePreferenceQuestion(lastUser(b))).length).toBeGreaterThanOrEqual(6);
    expect(server.bodies.filter((b) => !b.tools && !parsePreferenceQuestion(lastUser(b))).length).toBeGreaterThanOrEqual(1);
    for (const r of outputs) expect(r.code, r.stderr).toBe(0);
  });

  it('never writes the key: not in the database, its WAL, exports, the cache or any output', () => {
    const files = filesUnder(tmp.dir);
    expect(files.some((f) => f.endsWith('secrets.db'))).toBe(true);
    for (const f of files) expect(readFileSync(f).includes(KEY), f).toBe(false);
    for (const r of outputs) {
      expect(r.stdout.includes(KEY)).toBe(false);
      expect(r.stderr.includes(KEY)).toBe(false);
    }
    // What the endpoint echoed was kept, with the key redacted.
    const trace = readFileSync(join(tmp.dir, 'run.jsonl'), 'utf8');
    expect(trace).toMatch(/upstream rejected Bearer \[redacted\]/);
  });
});
