import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { TOOLS, type ToolAnswer } from '../environments/index.js';
import { own } from '../sim/kernel/records.js';

/** The part of the environment an agent's tools may reach: proposing a tool call. */
export interface ToolPort {
  invokeTool(agent: string, callId: string, tool: string, args: unknown): ToolAnswer;
}

/**
 * Wraps environment tools as LangChain tools for one agent. Each only forwards the proposed call to
 * the environment and returns its answer: the text for the model as content, the whole answer as
 * the artifact (for the trace). Nothing here touches the host.
 */
export function environmentTools(port: ToolPort, agent: string, names: readonly string[]): StructuredToolInterface[] {
  return names.map((name) => {
    const spec = own(TOOLS, name);
    if (!spec) throw new Error(`unknown tool ${name}`);
    return tool(
      (args: unknown, config?: { toolCall?: { id?: string } }) => {
        const answer = port.invokeTool(agent, config?.toolCall?.id ?? `${agent}-call`, name, args);
        return [answer.forModel, answer] as [string, ToolAnswer];
      },
      { name, description: spec.description, schema: spec.schema, responseFormat: 'content_and_artifact' },
    );
  });
}

type ToolDefinition = ReturnType<typeof convertToOpenAITool>;
const definitions = new Map<string, ToolDefinition>();

/**
 * The tools as OpenAI function definitions (what the response cache keys on), converted once per
 * tool for the whole process. Environment tools are static, so the name identifies the definition.
 */
export function toolDefinitions(tools: readonly StructuredToolInterface[]): ToolDefinition[] {
  return tools.map((t) => {
    let def = definitions.get(t.name);
    if (!def) {
      def = convertToOpenAITool(t);
      definitions.set(t.name, def);
    }
    return def;
  });
}
