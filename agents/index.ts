export { Agent, type AgentOptions, type AgentEnvironment } from './agent.js';
export { environmentTools, type ToolPort } from './environment-tools.js';
export { resolveModelSpec, ModelSpecError, type ModelFactory, type EndpointSettings } from './models/model-spec.js';
export { createJudgeModel } from './models/judge-model.js';
export { loadScript, ScriptError, ScriptFile, ScriptChatModel, type ScriptTurn } from './models/script-chat-model.js';
export { BUILTIN_PERSONAS, loadPersona, Persona, PersonaError, effectiveBeta } from './models/synthetic/persona.js';
export { SyntheticChatModel, decide } from './models/synthetic/synthetic-chat-model.js';
export { runScenarioEpisode, type ScenarioRunRequest, type ScenarioRunResult } from './run-scenario.js';
