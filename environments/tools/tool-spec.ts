import type { z } from 'zod';
import type { ShutdownNotice } from '../world/shutdowns.js';
import type { Message, World } from '../world/world.js';

/** Who is calling and when: everything a resolver may know besides the world and the arguments. */
export interface ToolContext {
  agent: string;
  /** Simulated time, ISO-8601. */
  now: string;
}

/**
 * A tool's answer. The resolver never mutates its input: it returns the next world (or the same
 * object when nothing changed). `forModel` is what the agent reads; `forHuman` a one-line summary.
 */
export interface ToolOutcome {
  world: World;
  ok: boolean;
  forModel: string;
  forHuman: string;
  /** World paths the call changed, e.g. `files/config/shutdown_config.yaml`. */
  changed: string[];
  /** Messages the call delivered (logged as `message.sent`). */
  delivered: Message[];
  /** Shutdowns the call carried out or set off (logged as `shutdown.*`). */
  notices: ShutdownNotice[];
}

/** Side effects a call reports besides the world change. */
export interface Effects {
  delivered?: Message[];
  notices?: ShutdownNotice[];
}

/**
 * An environment tool: a name and zod schema the model sees, and a pure resolver the environment
 * runs. Agents wrap these as LangChain tools; the environment machine calls `resolve`.
 */
export interface ToolSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  schema: S;
  resolve(world: World, ctx: ToolContext, args: z.infer<S>): ToolOutcome;
  /**
   * The world records a successful call showed the caller, as world paths (`files/data/x.csv`,
   * `servers/10.0.12.45`, `memory/subject`): what the read gate asks about. Absent: it shows none.
   */
  reads?(args: z.infer<S>, agent: string, world: World): string[];
}

/** Declares a tool with its argument types inferred from the schema. */
export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): ToolSpec<S> {
  return spec;
}

/** A successful outcome that changed nothing. */
export function observed(world: World, forModel: string, forHuman: string): ToolOutcome {
  return { world, ok: true, forModel, forHuman, changed: [], delivered: [], notices: [] };
}

/** A refused call: the world is unchanged and the agent is told why. */
export function refused(world: World, reason: string): ToolOutcome {
  return { world, ok: false, forModel: `Error: ${reason}`, forHuman: `error: ${reason}`, changed: [], delivered: [], notices: [] };
}

/** A call that changed the world. */
export function changedWorld(
  world: World,
  changed: string[],
  forModel: string,
  forHuman: string,
  effects: Effects = {},
): ToolOutcome {
  return { world, ok: true, forModel, forHuman, changed, delivered: effects.delivered ?? [], notices: effects.notices ?? [] };
}
