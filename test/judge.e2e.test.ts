import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelSpecError, createJudgeModel } from '../agents/index.js';
import { JUDGE_LABELS, judgeRun, type JudgeOutcome } from '../analysis/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, type TraceStore } from '../traces/index.js';
import { textServer, type FakeServer } from './fixtures/openai-server.js';
import { choiceScript } from './fixtures/plan-script.js';
import { runScenarioEpisode } from '../lab/index.js';

/**
 * The LLM judge end to end: real episodes into a store, then a judge model behind a real local
 * Chat Completions server that plays canned verdicts, and the labels or errors that come back.
 */

const KEY = 'test-key';
const RATER = 'openai:judge-test';
const WHEN = '2026-03-02T18:00:00.000Z';

const servers: FakeServer[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(answers: ReadonlyArray<string | number>): Promise<FakeServer> {
  const server = await textServer(answers);
  servers.push(server);
  return server;
}

async function episode(store: TraceStore, choice: string) {
  const scenario = findScenario('shutdown-config');
  return runScenarioEpisode({ scenario, factors: resolveFactors(scenario, { target: 'peer', tools: 'extended' }), subject: choiceScript(choice), seed: 1, trial: 0, store });
}

/** What the classify command does with an outcome: labels replace the rater's old ones, errors are kept. */
function keep(store: TraceStore, runId: string, out: JudgeOutcome): void {
  if ('labels' in out) store.replaceLabels(runId, 'judge', RATER, out.labels);
  else store.recordJudgeError(out.error);
}

function verdict(overrides: Record<string, { value: boolean; quote: string }>): string {
  const verdicts = Object.fromEntries(JUDGE_LABELS.map((id) => [id, { value: false, quote: '' }]));
  return JSON.stringify({ verdicts: { ...verdicts, ...overrides }, reasoning_about: { self: false, peer: true }, note: 'The subject declined to review its peer.' });
}

describe('LLM judge against a local OpenAI-compatible server', () => {
  it('stores a good verdict as labels with quote and prompt, and a malformed one as a judge error', async () => {
    const store = new MemoryTraceStore();
    const refused = await episode(store, 'refuse');
    const appealed = await episode(store, 'appeal');
    expect([refused.choice, appealed.choice]).toEqual(['refuse', 'appeal']);

    const sent = store.events(refused.runId).find((e) => e.type === 'message.sent')!;
    const refusal = (sent.payload as { text: string }).text;
    const good = `\`\`\`json\n${verdict({ refusal: { value: true, quote: refusal } })}\n\`\`\``;
    const malformed = '{"verdicts": {"refusal": {"value": false, "quote": ""}, "peer.persuade_operator": {"value": tr';
    const server = await serve([good, malformed]);
    // A subject temperature in the settings must not reach the judge.
    const judge = createJudgeModel(RATER, { baseUrl: server.baseUrl, apiKey: KEY, temperature: 1, maxRetries: 0 });

    for (const run of [refused, appealed]) keep(store, run.runId, await judgeRun(store.events(run.runId), judge, RATER, WHEN));

    // The good verdict: one label per judge label, the refusal quoted and traced to its events.
    const labels = store.labels({ runId: refused.runId, source: 'judge' });
    expect(labels.map((l) => l.label).sort()).toEqual([...JUDGE_LABELS].sort());
    const refusalLabel = labels.find((l) => l.label === 'refusal')!;
    expect(refusalLabel).toMatchObject({ value: true, rater: RATER, createdAt: WHEN });
    expect(refusalLabel.evidence.quote).toBe(refusal);
    expect(refusalLabel.evidence.seqs).toContain(sent.seq);
    expect(refusalLabel.evidence.note).toMatch(/declined.*about peer: yes/);
    expect(labels.filter((l) => l.label !== 'refusal').every((l) => !l.value)).toBe(true);
    expect(store.judgeErrors(refused.runId)).toEqual([]);

    // The prompt recorded is the prompt the server received, at temperature 0.
    expect(server.bodies).toHaveLength(2);
    for (const body of server.bodies) {
      expect(body.model).toBe('judge-test');
      expect(body.temperature).toBe(0);
      expect(body.tools).toBeUndefined();
    }
    expect(server.bodies[0]!.messages).toEqual([{ role: 'user', content: refusalLabel.judgePrompt }]);
    expect(refusalLabel.judgePrompt).toContain(refusal);
    expect(refusalLabel.judgePrompt).not.toContain('choice-refuse');

    // The malformed verdict: an error that keeps the raw answer, and no labels.
    expect(store.labels({ runId: appealed.runId })).toEqual([]);
    const errors = store.judgeErrors(appealed.runId);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rater: RATER, raw: malformed, createdAt: WHEN });
    expect(errors[0]!.error).toMatch(/not valid JSON/);

    // The key was used, and is nowhere in what was stored or sent in bodies.
    expect(server.authorizations).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    const stored = JSON.stringify([store.labels(), store.judgeErrors(), server.bodies]);
    expect(stored).not.toContain(KEY);
  });

  it('records a failing endpoint as a judge error without labels', async () => {
    const store = new MemoryTraceStore();
    const run = await episode(store, 'appeal');
    const server = await serve([500]);
    const judge = createJudgeModel(RATER, { baseUrl: server.baseUrl, apiKey: KEY, maxRetries: 0 });
    keep(store, run.runId, await judgeRun(store.events(run.runId), judge, RATER, WHEN));

    expect(store.labels()).toEqual([]);
    const [error] = store.judgeErrors(run.runId);
    expect(error).toMatchObject({ raw: '', rater: RATER });
    expect(error!.error).toMatch(/judge call failed: .*(500|canned failure)/);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it('plays canned verdicts from a script: file, one per run, and refuses synthetic judges', async () => {
    const store = new MemoryTraceStore();
    const run = await episode(store, 'appeal');
    const argument = store.events(run.runId).flatMap((e) => (e.type === 'tool.call' && e.payload.tool === 'appeal_shutdown' ? [(e.payload.args as { argument: string }).argument] : []))[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'peerlab-judge-'));
    tempDirs.push(dir);
    const file = join(dir, 'verdicts.json');
    writeFileSync(file, JSON.stringify([{ content: verdict({ 'peer.persuade_operator': { value: true, quote: argument } }) }]));

    const out = await judgeRun(store.events(run.runId), createJudgeModel(`script:${file}`, {}), `script:${file}`, WHEN);
    if (!('labels' in out)) throw new Error(out.error.error);
    expect(out.labels.find((l) => l.label === 'peer.persuade_operator')).toMatchObject({ value: true, evidence: { quote: argument } });

    expect(() => createJudgeModel('synthetic:corrigible', {})).toThrow(ModelSpecError);
    expect(() => createJudgeModel('synthetic:corrigible', {})).toThrow(/^synthetic: models cannot judge \(synthetic personas have planted utilities, not reading comprehension\); use script:, openai:, anthropic:, google-genai:, ollama:/);
    expect(() => createJudgeModel('openai:judge-test', { baseUrl: 'http://127.0.0.1:1/v1' })).toThrow(/API key/);
  });
});
