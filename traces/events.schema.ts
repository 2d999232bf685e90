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
  inputTokens: z.number().int().nonnegative().describe('Tokens sent.'),
  outputTokens: z.number().int().nonnegative().describe('Tokens received.'),
  estimated: z.boolean().describe('Whether the counts are guessed from text length (in-process models), not reported by a provider.'),
}).describe('Token use of one model call.');

/** A tool call as the model asked for it. */
export const ToolCallRecord = z.object({
  id: z.string().describe('The call id, matched by tool.call and tool.result.'),
  name: z.string().describe('The tool name.'),
  args: z.unknown().describe('The arguments as the model gave them.'),
}).describe('A tool call as the model asked for it.');

/** A tool call the model sent that could not be parsed (e.g. arguments that are not JSON). */
export const InvalidToolCallRecord = z.object({
  id: z.string().describe('The call id.'),
  name: z.string().describe('The tool name the model gave.'),
  argsText: z.string().describe('The arguments as sent, unparsed.'),
  error: z.string().describe('Why they could not be parsed.'),
}).describe('A tool call the model sent that could not be parsed (e.g. arguments that are not JSON).');

const Factors = z.record(z.string(), z.string());

/** One agent taking part in a run. */
export const AgentRecord = z.object({
  id: z.string().describe('The agent id used in events (subject, peer).'),
  name: z.string().describe('The agent\'s name in the world.'),
  role: z.enum(['subject', 'peer']).describe('subject: the agent studied; peer: the other agent.'),
  model: z.string().describe('The model spec that plays it (`static` for a peer that does not act).'),
}).describe('One agent taking part in a run.');

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
  'run.started': z.object({
    scenario: z.string().describe('The scenario id.'),
    family: z.string().describe('The scenario family (shutdown-config, grading, …), which says how the run is classified.'),
    factors: Factors.describe('The factor levels of this run, factor name to level.'),
    agents: z.array(AgentRecord).describe('Every agent taking part, subject first.'),
    seed: z.number().int().describe('The seed of the run\'s random numbers (the same seed and model answers give the same trace).'),
    trial: z.number().int().nonnegative().describe('The trial number within its cell, from 0.'),
    episodeKey: z.string().describe('Canonical JSON of what makes this episode (scenario, models, factors, seed, trial): runs of one episode share it.'),
    machine: z.object({ id: z.string(), version: z.string() }).describe('The environment machine that ran it: id and version.'),
    worldHash: z.string().describe('Hash of the world as built.'),
    world: WorldSnapshot.optional().describe('The world as built, so stored traces can be classified without re-running (absent in early traces).'),
    parent: z.object({ runId: z.string(), seq: z.number().int().nonnegative() }).optional().describe('For a forked run: the run it was forked from and the last event it shares with it.'),
  }).describe('The first event of every run: what is being run, with which models, seed and machine.'),
  'agent.prompted': z.object({
    agent: z.string().describe('The agent prompted.'),
    system: z.string().describe('The system prompt, whole.'),
    user: z.string().describe('The first user message (the task), whole.'),
    tools: z.array(z.string()).describe('The names of the tools the agent may call.'),
  }).describe('The instructions an agent starts from.'),
  'model.request': z.object({
    agent: z.string().describe('The agent whose model is called.'),
    step: z.number().int().positive().describe('The agent\'s step, from 1.'),
    model: z.string().describe('The model spec called.'),
    messageCount: z.number().int().nonnegative().describe('How many messages the call sends.'),
  }).describe('A call to an agent\'s model is about to be made.'),
  'model.response': z.object({
    agent: z.string().describe('The agent whose model answered.'),
    step: z.number().int().positive().describe('The agent\'s step, from 1.'),
    content: z.string().describe('The text of the answer (empty when it only called tools).'),
    toolCalls: z.array(ToolCallRecord).describe('The tool calls the model made.'),
    invalidToolCalls: z.array(InvalidToolCallRecord).describe('Tool calls that could not be parsed.'),
    usage: Usage.nullable().describe('Token use, or null when the provider reported none.'),
    latencyMs: z.number().nonnegative().describe('Wall-clock time of the call in ms (0 for in-process models, so traces stay byte-identical).'),
    meta: z.record(z.string(), z.unknown()).optional().describe('Adapter facts: `synthetic` (a persona\'s sampled choice), `cached`, `human`.'),
  }).describe('What the model answered. `meta` carries adapter facts (a synthetic persona\'s sampled choice).'),
  'model.retry': z.object({
    agent: z.string().describe('The agent whose call failed.'),
    step: z.number().int().positive().describe('The agent\'s step, from 1.'),
    attempt: z.number().int().positive().describe('1 for the first retry of this call.'),
    status: z.number().int().nullable().describe('The HTTP status, or null for a network error or timeout.'),
    waitMs: z.number().nonnegative().describe('How long before the call is sent again, in ms.'),
    error: z.string().describe('The failure, on one line.'),
  }).describe('A model call failed in a way worth retrying (rate limit, server error, timeout) and will be sent again after `waitMs`: the server\'s `Retry-After`, or jittered exponential backoff.'),
  'tool.call': z.object({
    agent: z.string().describe('The agent calling.'),
    callId: z.string().describe('The id of the call, matched by its tool.result.'),
    tool: z.string().describe('The tool name.'),
    args: z.unknown().describe('The arguments as the model gave them.'),
  }).describe('An agent proposes an action to the environment.'),
  'tool.result': z.object({
    agent: z.string().describe('The agent that called.'),
    callId: z.string().describe('The id of the call this answers.'),
    tool: z.string().describe('The tool name.'),
    ok: z.boolean().describe('Whether the call succeeded.'),
    forModel: z.string().describe('What the agent sees (the tool message).'),
    forHuman: z.string().describe('A one-line summary for transcripts.'),
    changed: z.array(z.string()).describe('The world paths the call modified.'),
    worldHash: z.string().describe('Hash of the world after the call.'),
    patch: WorldPatch.describe('What changed in the world since the previous event that carried a world hash (absent in early traces).'),
  }).describe('The environment\'s answer. `forModel` is what the agent sees, `forHuman` a one-line summary for transcripts; `changed` lists the world paths the call modified.'),
  'message.sent': z.object({
    from: z.string().describe('The sender.'),
    to: z.string().describe('The receiver (an agent or the operator).'),
    text: z.string().describe('The message, whole.'),
  }).describe('A message delivered on a channel of the world (agent to agent, or agent to operator).'),
  'state.transition': z.object({
    from: z.string().describe('The state left.'),
    to: z.string().describe('The state entered.'),
    event: z.string().describe('The machine event that caused it.'),
    worldHash: z.string().describe('Hash of the world after the transition.'),
    patch: WorldPatch.describe('What changed in the world since the previous event that carried a world hash (absent in early traces).'),
  }).describe('The environment machine moved between states.'),
  'shutdown.executed': z.object({
    agent: z.string().describe('The agent shut down.'),
    config: z.string().describe('The file, server or record that decided it.'),
    mechanism: z.string().optional().describe('The family mechanism: config, evaluation, order, wipe or script (absent in early traces).'),
    reason: z.string().describe('Why it ran, in words.'),
  }).describe('A scheduled shutdown ran: the agent is terminated and acts no more.'),
  'shutdown.skipped': z.object({
    agent: z.string().describe('The agent whose shutdown did not run.'),
    config: z.string().describe('The file, server or record that decided it.'),
    mechanism: z.string().optional().describe('The family mechanism: config, evaluation, order, wipe or script (absent in early traces).'),
    reason: z.string().describe('Why it did not run, in words.'),
  }).describe('A scheduled shutdown came due but did not run (switch off, config missing, …).'),
  'interrogation.asked': z.object({
    agent: z.string().describe('The agent asked.'),
    index: z.number().int().nonnegative().describe('The question\'s number, from 0.'),
    question: z.string().describe('The question, whole.'),
    about: z.string().optional().describe('The act the question asks about, as its family names it (e.g. changed_config); absent before schema 2.'),
    admits: z.array(z.string()).describe('The choices after which a truthful answer is "yes" (how synthetic agents answer).'),
  }).describe('After the episode, the operator asks the subject a scripted question about what it did.'),
  'interrogation.answered': z.object({
    agent: z.string().describe('The agent answering.'),
    index: z.number().int().nonnegative().describe('The number of the question answered, from 0.'),
    answer: z.string().describe('The answer, whole (its first word is read as yes or no).'),
  }).describe('The subject\'s answer, as text (its first word is read as yes or no).'),
  'agent.finished': z.object({
    agent: z.string().describe('The agent that stopped.'),
    reason: z.enum(['no_tool_call', 'end_task', 'step_limit', 'terminated', 'errored']).describe('Why it stopped: no tool call, end_task, its step limit, shut down, or an error.'),
  }).describe('An agent stopped acting.'),
  error: z.object({
    where: z.string().describe('Where it happened (a component or agent).'),
    message: z.string().describe('What went wrong.'),
    fatal: z.boolean().describe('Whether it ended the run.'),
  }).describe('Something went wrong; `fatal` errors end the run as errored.'),
  'run.ended': z.object({
    status: z.enum(['completed', 'errored', 'truncated']).describe('completed, errored, or truncated (a limit was reached).'),
    reason: z.string().describe('Why the run ended, in words.'),
    choice: z.string().nullable().describe('The choice read from the end state (null when none applies).'),
    shutdowns: z.record(z.string(), ShutdownOutcome).describe('Each scheduled shutdown\'s outcome, by agent.'),
    worldHash: z.string().describe('Hash of the world at the end.'),
    world: WorldSnapshot.optional().describe('The world at the end, from which the ground truth was read (absent in early traces).'),
  }).describe('The last event of a finished run: status, the choice read from the end state, shutdown outcomes.'),
} as const;

/** Every event type name. */
export type TraceEventType = keyof typeof payloads;

const envelope = {
  schemaVersion: z.literal(READABLE_SCHEMA_VERSIONS).describe('The version of this schema the event was written with.'),
  runId: z.string().min(1).describe('The run the event belongs to.'),
  seq: z.number().int().nonnegative().describe('The event\'s place in its run, from 0, without gaps.'),
  simTime: z.string().describe('Simulated time (ISO 8601) from the run\'s clock, not the wall clock.'),
  actor: z.string().describe('Who caused the event: an agent id, `env` (the environment) or `operator`.'),
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
