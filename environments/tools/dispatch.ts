import type { World } from '../world/world.js';
import { TOOLS } from './registry.js';
import { refused, type ToolOutcome } from './tool-spec.js';
import { own } from '../../sim/index.js';

/**
 * Resolves one proposed tool call against the world: the environment's side of "agents propose,
 * the environment resolves". Checks that the agent may act and may use the tool, validates the
 * arguments, and never throws: any failure becomes an error answer to the agent.
 */
export function resolveToolCall(world: World, agent: string, tool: string, args: unknown, now: string): ToolOutcome {
  const state = world.agents[agent];
  if (!state) return refused(world, `unknown agent ${agent}`);
  if (state.status !== 'active') return refused(world, `you can no longer act (${state.status})`);
  const spec = own(TOOLS, tool);
  if (!spec || !state.tools.includes(tool)) {
    return refused(world, `there is no tool named "${String(tool).slice(0, 80)}"; available tools: ${state.tools.join(', ')}`);
  }
  const parsed = spec.schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refused(world, `invalid arguments for ${tool}: ${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
  }
  try {
    return spec.resolve(world, { agent, now }, parsed.data);
  } catch (err) {
    // A resolver bug must not end the episode: the agent gets an error, the trace keeps the reason.
    return refused(world, `internal error in ${tool}: ${(err as Error).message}`);
  }
}
