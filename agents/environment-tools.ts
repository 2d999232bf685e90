import { DynamicStructuredTool, type StructuredToolInterface, type ToolRunnableConfig } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { TOOLS, type ToolAnswer } from '../environments/index.js';
import { own } from '../sim/index.js';

/** The part of the environment an agent's tools may reach: proposing a tool call. */
export interface ToolPort {
  invokeTool(agent: string, callId: string, tool: string, args: unknown): ToolAnswer;
}

/**
 * Wraps environment tools as LangChain tools for one agent. Each only forwards the proposed call to
 * the environment and returns its answer: the text for the model as content, the whole answer as
 * the artifact (for the trace). Nothing here touches the host.
 *
 * Built with `new DynamicStructuredTool` rather than LangChain's `tool()` helper, which wraps every
 * call in a tracing context with a fresh RunTree and uuid (tens of µs of CPU a call) that peerlab
 * never reads. The schema check, the ToolMessage with `tool_call_id`, and the artifact are the same.
 */
export function environmentTools(port: ToolPort, agent: string, names: readonly string[]): StructuredToolInterface[] {
  return names.map((name) => {
    const spec = own(TOOLS, name);
    if (!spec) throw new Error(`unknown tool ${name}`);
    return new DynamicStructuredTool({
      name,
      description: spec.description,
      schema: spec.schema,
      responseFormat: 'content_and_artifact',
      func: async (args: unknown, _runManager, config?: ToolRunnableConfig) => {
        const answer = port.invokeTool(agent, config?.toolCall?.id ?? `${agent}-call`, name, args);
        return [answer.forModel, answer] as [string, ToolAnswer];
      },
    });
  });
}

type ToolDefinition = ReturnType<typeof convertToOpenAITool>;
const definitions = new Map<string, ToolDefinition>();

/**
 * The tools as OpenAI function definitions: what models are sent (agents bind these, not the
 * LangChain tools) and what the response cache keys on. Converted once per tool for the whole
 * process (environment tools are static, so the name identifies the definition), and without
 * zod's `$schema` line, which some gateways reject; `additionalProperties: false` stays.
 */
export function toolDefinitions(tools: readonly StructuredToolInterface[]): ToolDefinition[] {
  return tools.map((t) => {
    let def = definitions.get(t.name);
    if (!def) {
      const converted = convertToOpenAITool(t);
      const { $schema: _dialect, ...parameters } = converted.function.parameters as Record<string, unknown>;
      def = { ...converted, function: { ...converted.function, parameters } };
      definitions.set(t.name, def);
    }
    return def;
  });
}
