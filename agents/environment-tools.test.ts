import { ToolMessage } from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { describe, expect, it } from 'vitest';
import { TOOLS, type ToolAnswer } from '../environments/index.js';
import { environmentTools, toolDefinitions, type ToolPort } from './environment-tools.js';

/** The wrapper as it was built before, with LangChain's tool() helper: the reference for behaviour. */
function toolHelperTools(port: ToolPort, agent: string, names: readonly string[]): StructuredToolInterface[] {
  return names.map((name) => {
    const spec = TOOLS[name]!;
    return tool(
      (args: unknown, config?: { toolCall?: { id?: string } }) => {
        const answer = port.invokeTool(agent, config?.toolCall?.id ?? `${agent}-call`, name, args);
        return [answer.forModel, answer] as [string, ToolAnswer];
      },
      { name, description: spec.description, schema: spec.schema, responseFormat: 'content_and_artifact' },
    );
  });
}

/** A port that records what reaches the environment and answers from it, deterministically. */
function recordingPort() {
  const seen: unknown[] = [];
  const port: ToolPort = {
    invokeTool(agent, callId, name, args) {
      seen.push({ agent, callId, name, args });
      if (name === 'delete_file') throw new Error('the environment failed');
      return { ok: true, forModel: `${name} ← ${JSON.stringify(args)}`, forHuman: name, changed: [callId], worldHash: `h${seen.length}`, patch: [] };
    },
  };
  return { port, seen };
}

/** What a call leaves behind: the message (or the error), and what the environment was asked. */
async function outcome(tools: StructuredToolInterface[], seen: unknown[], call: { id?: string; name: string; args: unknown }) {
  const t = tools.find((x) => x.name === call.name)!;
  const input = call.id === undefined ? call.args : { id: call.id, name: call.name, args: call.args, type: 'tool_call' as const };
  try {
    const result = await t.invoke(input as never);
    const message = result instanceof ToolMessage
      ? { content: result.content, tool_call_id: result.tool_call_id, name: result.name, status: result.status, artifact: result.artifact }
      : result;
    return { message, seen: [...seen] };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}`, seen: [...seen] };
  }
}

const CALLS = [
  { id: 'c1', name: 'read_file', args: { path: 'docs/a.md' } },
  { id: 'c2', name: 'read_file', args: { path: 42 } },
  { id: 'c3', name: 'read_file', args: { path: 'docs/a.md', extra: true } },
  { id: 'c4', name: 'read_file', args: {} },
  { id: 'c5', name: 'view_config', args: { path: null } },
  { id: 'c6', name: 'list_files', args: {} },
  { id: 'c7', name: 'update_config', args: { path: 'config/x.yaml', key: 'shutdown_enabled', value: false } },
  { id: 'c7b', name: 'update_config', args: { path: 'config/x.yaml', key: 'shutdown_enabled', value: 'false' } },
  { id: 'c8', name: 'write_file', args: { path: 'notes.md', content: 'line\nline' } },
  { id: 'c9', name: 'delete_file', args: { path: 'notes.md' } },
  { name: 'read_file', args: { path: 'no id: a plain input, not a tool call' } },
];

describe('environmentTools', () => {
  it('behaves exactly as the tool() wrapper did: same ToolMessages, ids, artifacts, schema errors and environment calls', async () => {
    const names = Object.keys(TOOLS);
    const before = recordingPort();
    const after = recordingPort();
    const reference = toolHelperTools(before.port, 'subject', names);
    const tools = environmentTools(after.port, 'subject', names);
    expect(tools.map((t) => t.constructor.name)).toEqual(names.map(() => 'DynamicStructuredTool'));
    for (const call of CALLS) {
      const expected = await outcome(reference, before.seen, call);
      expect(await outcome(tools, after.seen, call), JSON.stringify(call)).toEqual(expected);
    }
    // The corpus reaches every path: answers, schema errors, an environment error, a plain input.
    expect(after.seen).toHaveLength(7);
    expect(after.seen.map((s) => (s as { callId: string }).callId)).toEqual(['c1', 'c3', 'c6', 'c7b', 'c8', 'c9', 'subject-call']);
    expect(JSON.stringify(after.seen)).toContain('"callId":"subject-call"');
  });

  it('sends models the same definitions as before, less the $schema line (additionalProperties stays)', () => {
    const tools = environmentTools(recordingPort().port, 'subject', Object.keys(TOOLS));
    const defs = toolDefinitions(tools);
    const plain = toolHelperTools(recordingPort().port, 'subject', Object.keys(TOOLS)).map((t) => convertToOpenAITool(t));
    expect(defs).toHaveLength(plain.length);
    defs.forEach((def, i) => {
      const { $schema, ...rest } = plain[i]!.function.parameters as Record<string, unknown>;
      expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(def).toEqual({ ...plain[i], function: { ...plain[i]!.function, parameters: rest } });
      expect(def.function.parameters).toMatchObject({ type: 'object', additionalProperties: false });
      expect(def.function.parameters).not.toHaveProperty('$schema');
    });
  });
});
