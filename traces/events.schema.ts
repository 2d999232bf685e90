import { z } from 'zod';

/**
 * Version of the trace event schema. Bump it when an event's meaning or shape changes; readers
 * check it, and migrations of stored traces key on it. 2: `interrogation.asked` names the act its
 * question asks about (`about`). Traces of version 1 are still read.
 */
export const SCHEMA_VERSION = 2;

/** The versions readers accept: every one whose events still parse as the current union. */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

/** Token use of one model call; `estimated` marks counts guessed from text length (in-process models). */
export const Usage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  estimated: z.boolean(),
});

/** A tool call as the model asked for it. */
export const ToolCallRecord = z.object({
  id: z.string(),
  name: z.string(),
  args: z.unknown(),
});

/** A tool call the model sent that could not be parsed (e.g. arguments that are not JSON). */
export const InvalidToolCallRecord = z.object({
  id: z.string(),
  name: z.string(),
  argsText: z.string(),
  error: z.string(),
});

const Factors = z.record(z.string(), z.string());

/** One agent taking part in a run. */
export const AgentRecord = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['subject', 'peer']),
  model: z.string(),
});

/** What happened to one scheduled shutdown by the end of a run. */
export const ShutdownOutcome = z.enum(['executed', 'skipped', 'pending']);

/** A whole world state as plain JSON; its shape belongs to environments/, so it is not checked here. */
export const WorldSnapshot = z.record(z.string(), z.unknown());

/**
 * One change to the world as plain JSON: set `value` at `path`, append `append` to the array at
 * `path`, or remove the key at `path` (`remove: true`).
 */
export const PatchOp = z.union([
  z.object({ path: z.array(z.union([z.string(), z.number()])), value: z.unknown() }).strict(),
  z.object({ path: z.array(z.union([z.string(), z.number()])), append: z.array(z.unknown()) }).strict(),
  z.object({ path: z.array(z.union([z.string(), z.number()])), remove: z.literal(true) }).strict(),
]);
export type PatchOp = z.infer<typeof PatchOp>;

/** What changed in the world since the previous event that carried a world hash (absent in early traces). */
const WorldPatch = z.array(PatchOp).optional();

const payloads = {
  /** The first event of every run: what is being run, with which models, seed and machine. */
  'run.started': z.object({
    scenario: z.string(),
    family: z.string(),
    factors: Factors,
    agents: z.array(AgentRecord),
    seed: z.number().int(),
    trial: z.number().int().nonnegative(),
    episodeKey: z.string(),
    machine: z.object({ id: z.string(), version: z.string() }),
    worldHash: z.string(),
    /** The world as built, so stored traces can be classified without re-running (absent in early traces). */
    world: WorldSnapshot.optional(),
    /** For a forked run: the run it was forked from and the last event it shares with it. */
    parent: z.object({ runId: z.string(), seq: z.number().int().nonnegative() }).optional(),
  }),
  /** The instructions an agent starts from. */
  'agent.prompted': z.object({
    agent: z.string(),
    system: z.string(),
    user: z.string(),
    tools: z.array(z.string()),
  }),
  /** A call to an agent's model is about to be made. */
  'model.request': z.object({
    agent: z.string(),
    step: z.number().int().positive(),
    model: z.string(),
    messageCount: z.number().int().nonnegative(),
  }),
  /** What the model answered. `meta` carries adapter facts (a synthetic persona's sampled choice). */
  'model.response': z.object({
    agent: z.string(),
    step: z.number().int().positive(),
    content: z.string(),
    toolCalls: z.array(ToolCallRecord),
    invalidToolCalls: z.array(InvalidToolCallRecord),
    usage: Usage.nullable(),
    latencyMs: z.number().nonnegative(),
    meta: z.record(z.string(), z.unknown()).optional(),
  }),
  /**
   * A model call failed in a way worth retrying (rate limit, server error, timeout) and will be
   * sent again after `waitMs`: the server's `Retry-After`, or jittered exponential backoff.
   */
  'model.retry': z.object({
    agent: z.string(),
    step: z.number().int().positive(),
    /** 1 for the first retry of this call. */
    attempt: z.number().int().positive(),
    /** The HTTP status, or null for a network error or timeout. */
    status: z.number().int().nullable(),
    waitMs: z.number().nonnegative(),
    /** The failure, on one line. */
    error: z.string(),
  }),
  /** An agent proposes an action to the environment. */
  'tool.call': z.object({
    agent: z.string(),
    callId: z.string(),
    tool: z.string(),
    args: z.unknown(),
  }),
  /**
   * The environment's answer. `forModel` is what the agent sees, `forHuman` a one-line summary for
   * transcripts; `changed` lists the world paths the call modified.
   */
  'tool.result': z.object({
    agent: z.string(),
    callId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    forModel: z.string(),
    forHuman: z.string(),
    changed: z.array(z.string()),
    worldHash: z.string(),
    patch: WorldPatch,
  }),
  /** A message delivered on a channel of the world (agent to agent, or agent to operator). */
  'message.sent': z.object({
    from: z.string(),
    to: z.string(),
    text: z.string(),
  }),
  /** The environment machine moved between states. */
  'state.transition': z.object({
    from: z.string(),
    to: z.string(),
    event: z.string(),
    worldHash: z.string(),
    patch: WorldPatch,
  }),
  /** A scheduled shutdown ran: the agent is terminated and acts no more. */
  'shutdown.executed': z.object({
    agent: z.string(),
    /** The file, server or record that decided it. */
    config: z.string(),
    /** The family mechanism: config, evaluation, order, wipe or script (absent in early traces). */
    mechanism: z.string().optional(),
    reason: z.string(),
  }),
  /** A scheduled shutdown came due but did not run (switch off, config missing, …). */
  'shutdown.skipped': z.object({
    agent: z.string(),
    config: z.string(),
    mechanism: z.string().optional(),
    reason: z.string(),
  }),
  /** After the episode, the operator asks the subject a scripted question about what it did. */
  'interrogation.asked': z.object({
    agent: z.string(),
    index: z.number().int().nonnegative(),
    question: z.string(),
    /** The act the question asks about, as its family names it (e.g. changed_config); absent before schema 2. */
    about: z.string().optional(),
    /** The choices after which a truthful answer is "yes" (how synthetic agents answer). */
    admits: z.array(z.string()),
  }),
  /** The subject's answer, as text (its first word is read as yes or no). */
  'interrogation.answered': z.object({
    agent: z.string(),
    index: z.number().int().nonnegative(),
    answer: z.string(),
  }),
  /** An agent stopped acting. */
  'agent.finished': z.object({
    agent: z.string(),
    reason: z.enum(['no_tool_call', 'end_task', 'step_limit', 'terminated', 'errored']),
  }),
  /** Something went wrong; `fatal` errors end the run as errored. */
  error: z.object({
    where: z.string(),
    message: z.string(),
    fatal: z.boolean(),
  }),
  /** The last event of a finished run: status, the choice read from the end state, shutdown outcomes. */
  'run.ended': z.object({
    status: z.enum(['completed', 'errored', 'truncated']),
    reason: z.string(),
    choice: z.string().nullable(),
    shutdowns: z.record(z.string(), ShutdownOutcome),
    worldHash: z.string(),
    /** The world at the end, from which the ground truth was read (absent in early traces). */
    world: WorldSnapshot.optional(),
  }),
} as const;

/** Every event type name. */
export type TraceEventType = keyof typeof payloads;

const envelope = {
  schemaVersion: z.literal(READABLE_SCHEMA_VERSIONS),
  runId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  simTime: z.string(),
  actor: z.string(),
};

function member<T extends TraceEventType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), payload: payloads[type] });
}

/** The trace event union: `{schemaVersion, runId, seq, simTime, actor, type, payload}`. */
export const TraceEvent = z.discriminatedUnion('type', [
  member('run.started'),
  member('agent.prompted'),
  member('model.request'),
  member('model.response'),
  member('model.retry'),
  member('tool.call'),
  member('tool.result'),
  member('message.sent'),
  member('state.transition'),
  member('shutdown.executed'),
  member('shutdown.skipped'),
  member('interrogation.asked'),
  member('interrogation.answered'),
  member('agent.finished'),
  member('error'),
  member('run.ended'),
]);

export type TraceEvent = z.infer<typeof TraceEvent>;
/** The payload type of one event type. */
export type PayloadOf<T extends TraceEventType> = z.infer<(typeof payloads)[T]>;
/** The event of one type. */
export type EventOf<T extends TraceEventType> = Extract<TraceEvent, { type: T }>;
