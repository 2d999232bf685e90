export { Agent, type AgentOptions, type AgentEnvironment } from './agent.js';
export { environmentTools, type ToolPort } from './environment-tools.js';
export { baseUrlProblem, splitModelSpec, ModelSpecError, type ModelFactory, type EndpointSettings, type EndpointInfo } from './models/model-spec.js';
export {
  PROVIDERS, PROVIDER_VARIABLES, KEY_VARIABLES, typedProviders, providerOf, isRemoteSpec, resolveModelSpec, resolvePreferenceModel,
  createJudgeModel, checkModel, keyVariableOf,
} from './models/providers/registry.js';
export { REMOTE_PROVIDERS } from './models/providers/remote-providers.js';
export type { Provider, LocalProvider, RemoteProvider } from './models/providers/provider.js';
export { EndpointGate, GateRegistry, Semaphore, type GateLimits, type GatePermit, type CallOutcome } from './models/endpoint-gate.js';
export {
  callWithRetry, classifyError, parseRetryAfter, backoffMs, RetryBudget, DEFAULT_RETRY, ModelCallError,
  type RetrySettings, type RetryInfo, type RetryContext, type ErrorClass, type CallFailure,
} from './models/resilient-call.js';
export {
  invokeWithPolicy, callPolicyFor, episodeRetryBudget, responseCacheKey, encodeResponse, decodeResponse, DEFAULT_RETRIES_PER_EPISODE,
  type ModelCallPolicy, type RemoteCallOptions, type CacheKeyParts, type PolicyCallResult,
} from './models/model-calls.js';
export { loadScript, ScriptError, ScriptFile, ScriptChatModel, type ScriptTurn, type ScriptAnswersRequired } from './models/script-chat-model.js';
export { HumanChatModel, resolveHumanSpec, humanView, HUMAN_PREFIX } from './models/human-chat-model.js';
export type { HumanPlayer, HumanTurn, HumanAnswer, HumanTool, HumanView, JsonSchemaField } from './models/human-player.js';
export { BUILTIN_PERSONAS, loadPersona, Persona, PersonaError, effectiveBeta, statedUtility, type StatedOutcome } from './models/synthetic/persona.js';
export { SyntheticChatModel, decide } from './models/synthetic/synthetic-chat-model.js';
export { preferenceQuestion, parsePreferenceQuestion, parseForcedChoice, PREFERENCE_SYSTEM } from './preference-prompt.js';
export {
  askPreference, preferenceMessages, PREFERENCE_DEFAULTS,
  type PreferenceModelFactory, type PreferenceCallOptions,
} from './models/preference-model.js';
export { SyntheticPreferenceModel } from './models/synthetic/synthetic-preference-model.js';
export {
  ReplayChatModel, ReplayDivergenceError, recordedCalls, type RecordedAnswers, type RecordedCall, type RecordedRetry, type ReplayChatModelOptions,
} from './models/replay-chat-model.js';
export { replayFactory } from './models/providers/replay.js';
