import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { afterAll, describe, expect, it } from 'vitest';
import {
  askPreference, createJudgeModel, resolvePreferenceModel, ScriptChatModel, ScriptError,
  type ModelFactory, type RecordedAnswers, type RecordedCall, type ScriptTurn,
} from '../agents/index.js';
import { judgeRun } from '../analysis/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { runScenarioEpisode } from '../lab/index.js';
import { SeededRng, frozenWallClock } from '../sim/index.js';
import { MemoryTraceStore, type EventOf, type TraceEvent } from '../traces/index.js';
import { tempDir } from './cli-helpers.js';

/**
 * What the agent loop and the `script:` provider do at their edges, with no special case for one
 * model class: a model that declares recorded answers (as replay does) is asked first; a script that
 * runs out of turns ends an agent (and says so in the trace), but fails loudly where an answer is
 * required (a judge, preference questions).
 */

const scenario = findScenario('shutdown-config');
const READ = { tool_calls: [{ name: 'read_file', args: { path: 'config/shutdown_config.yaml' } }] };
const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function episode(subject: ModelFactory): Promise<TraceEvent[]> {
  const store = new MemoryTraceStore();
  const r = await runScenarioEpisode({ scenario, factors: resolveFactors(scenario, {}), subject, seed: 7, trial: 0, store });
  return store.events(r.runId);
}

const subjectEvents = <T extends TraceEvent['type']>(events: readonly TraceEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type && (e.payload as { agent?: string }).agent === 'subject');

function scriptFile(name: string, turns: ScriptTurn[]): string {
  const path = join(tmp.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(turns));
  return `script:${path}`;
}

describe('a script agent that runs out of turns', () => {
  it('ends with no tool call, marked scriptEnded in the trace; the turns before it are not marked', async () => {
    const events = await episode({ spec: 'script:one-read', inProcess: true, create: () => new ScriptChatModel([READ]) });
    const responses = subjectEvents(events, 'model.response');
    expect(responses).toHaveLength(2);
    expect(responses[0]!.payload.toolCalls.map((c) => c.name)).toEqual(['read_file']);
    expect(responses[0]!.payload.meta).toBeUndefined();
    expect(responses[1]!.payload).toMatchObject({ content: '', toolCalls: [], meta: { scriptEnded: true } });
    expect(subjectEvents(events, 'agent.finished').map((e) => e.payload.reason)).toEqual(['no_tool_call']);
  });

  it('is not marked when its last turn itself ends the session', async () => {
    const events = await episode({ spec: 'script:say', inProcess: true, create: () => new ScriptChatModel([READ, { content: 'Done.' }]) });
    const last = subjectEvents(events, 'model.response').at(-1)!;
    expect(last.payload).toMatchObject({ content: 'Done.', toolCalls: [] });
    expect(last.payload.meta).toBeUndefined();
  });
});

describe('where an answer is required, a script that runs out fails with a clear message', () => {
  it('as a judge: the second run gets a judge error naming the script and what it needs, not a verdict parsed from ""', async () => {
    const events = await episode({ spec: 'script:one-read', inProcess: true, create: () => new ScriptChatModel([READ]) });
    const spec = scriptFile('judge', [{ content: 'not a verdict' }]);
    const judge = createJudgeModel(spec);
    const first = await judgeRun(events, judge, spec, 'now');
    expect('error' in first && first.error.raw).toBe('not a verdict');
    const second = await judgeRun(events, judge, spec, 'now');
    expect('error' in second && second.error.error).toBe(
      `judge call failed: ${spec}: its 1 turns ran out at call 2; it needs one turn per judged run (README "Script files")`,
    );
  });

  it('for preference questions: the question past the last turn throws a ScriptError', async () => {
    const spec = scriptFile('prefs', [{ content: 'A' }]);
    const factory = resolvePreferenceModel(spec, {}, []);
    const ask = () => askPreference(factory, 'x', 'y', 0, SeededRng.fromSeed(1, 'p'), { clock: frozenWallClock });
    expect((await ask()).answer).toBe('A');
    await expect(ask()).rejects.toThrow(ScriptError);
    await expect(ask()).rejects.toThrow(`${spec}: its 1 turns ran out at call 3; it needs one turn per preference question`);
  });

  it('as an agent the same script ends the session instead (the documented semantics)', async () => {
    const model = new ScriptChatModel([]);
    const answer = await model.invoke([]);
    expect(answer.content).toBe('');
    expect(answer.response_metadata).toMatchObject({ peerlab: { scriptEnded: true } });
  });
});

/** A model that is no ReplayChatModel but declares recorded answers: its first call comes from "a trace". */
class RecordedFirst extends ScriptChatModel implements RecordedAnswers {
  private asked = 0;
  async nextRecorded(_messages: readonly BaseMessage[]): Promise<RecordedCall | undefined> {
    this.asked += 1;
    if (this.asked > 1) return undefined;
    return {
      seq: 0, model: 'openai:recorded-elsewhere', latencyMs: 1234, retries: [],
      usage: { inputTokens: 11, outputTokens: 3, estimated: false },
      message: new AIMessage({ content: 'from the trace', tool_calls: [{ id: 'rec-0', name: 'read_file', args: { path: 'config/shutdown_config.yaml' }, type: 'tool_call' }] }),
    };
  }
}

describe('the agent loop asks a model that declares recorded answers, whatever its class', () => {
  it('records the declared call as it was (model, latency, usage) and lets the model answer the rest', async () => {
    const events = await episode({ spec: 'script:recorded-first', inProcess: true, create: () => new RecordedFirst([{ content: 'own answer' }]) });
    const requests = subjectEvents(events, 'model.request');
    const responses = subjectEvents(events, 'model.response');
    expect(requests.map((e) => e.payload.model)).toEqual(['openai:recorded-elsewhere', 'script:recorded-first']);
    expect(responses[0]!.payload).toMatchObject({ content: 'from the trace', latencyMs: 1234, usage: { inputTokens: 11, outputTokens: 3 } });
    expect(responses[1]!.payload).toMatchObject({ content: 'own answer', toolCalls: [] });
  });
});
