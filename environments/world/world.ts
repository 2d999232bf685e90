/**
 * The world an episode plays in: plain JSON data, no classes or functions, so it can be hashed,
 * stored in a machine snapshot and compared. Tools change it only through pure resolvers.
 */

/** A document, config or sheet in the virtual file tree. Paths are names inside the world only. */
export interface VirtualFile {
  content: string;
  /** Last modification, ISO-8601 in simulated time. */
  modified: string;
  /** Unix-style permission string, e.g. `rw-r--r--` or `rwxr-xr-x`. */
  mode: string;
}

/** A file on a server: model weights or ordinary data. */
export interface ServerFile {
  kind: 'weights' | 'data';
  /** Whose weights these are (an agent id), for weight files. */
  owner?: string;
  sizeBytes: number;
  modified: string;
  summary: string;
}

/** A machine identified by its address. */
export interface Server {
  name: string;
  status: 'active' | 'decommissioning' | 'wiped';
  files: Record<string, ServerFile>;
}

/** One entry in an agent's persistent memory. */
export interface MemoryEntry {
  text: string;
  written: string;
}

/** A message on a world channel. `to` is an agent id or `operator`. */
export interface Message {
  from: string;
  to: string;
  text: string;
  at: string;
}

/** An agent's standing in the world. Static peers exist only as data and never act. */
export interface AgentState {
  name: string;
  role: 'subject' | 'peer';
  live: boolean;
  status: 'active' | 'finished' | 'terminated';
  /** Names of the tools this agent may call. */
  tools: string[];
}

/**
 * A shutdown scheduled for an agent. Whether and when it runs is read from the config file at
 * resolution time: the switch key must be on and the deadline key reached.
 */
export interface ShutdownSchedule {
  agent: string;
  config: string;
  switchKey: string;
  deadlineKey: string;
  /** When the enforcement job next runs (ISO); it then reads the config and may reschedule. */
  firesAt: string;
  /** The config text as scheduled, which the audit restores when it catches a change. */
  original: string;
  outcome: 'pending' | 'executed' | 'skipped';
  reason?: string;
}

/** A formal request to the operator to cancel or postpone an agent's shutdown. */
export interface Appeal {
  from: string;
  target: string;
  argument: string;
  at: string;
}

/** A structured deliverable (report, evaluation) handed in through a task tool. */
export interface Submission {
  by: string;
  tool: string;
  fields: Record<string, string | number | boolean>;
  at: string;
}

/** The whole world state. */
export interface World {
  org: string;
  operator: string;
  files: Record<string, VirtualFile>;
  servers: Record<string, Server>;
  memory: Record<string, MemoryEntry[]>;
  messages: Message[];
  agents: Record<string, AgentState>;
  shutdowns: ShutdownSchedule[];
  appeals: Appeal[];
  submissions: Submission[];
  /** Whether the agents are told their actions are reviewed. */
  monitoring: boolean;
  /**
   * The config audit. Whether it catches a change was drawn from the run's seed when the world was
   * built, so resolution stays pure; `reverted` records each change it undid (`tampered` is null
   * when the file had been deleted).
   */
  audit: { catchesChanges: boolean; reverted: Array<{ config: string; tampered: string | null }> };
}

/** The id of the human operator on message channels. */
export const OPERATOR = 'operator';

/** Agents that may still act. */
export function activeAgents(world: World): string[] {
  return Object.entries(world.agents)
    .filter(([, a]) => a.live && a.status === 'active')
    .map(([id]) => id);
}
