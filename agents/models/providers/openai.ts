import type { RemoteProvider } from './provider.js';

/**
 * `openai:<model>`: any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama's /v1, llama.cpp server,
 * OpenRouter, Together) through `ChatOpenAI`, over the Chat Completions API or, with the setting
 * `api: responses`, the Responses API. The endpoint must be named: `openai:` covers many hosts, and
 * none of them is the right default.
 */
export const openai: RemoteProvider = {
  name: 'openai',
  inProcess: false,
  keyVariables: ['OPENAI_API_KEY'],
  keyRequired: true,
  keyNote: 'a local server accepts any non-empty value',
  baseUrlVariable: 'OPENAI_BASE_URL',
  exampleBaseUrl: 'https://api.openai.com/v1 or http://127.0.0.1:11434/v1',
  temperatureRange: [0, 2],
  options: { api: ['chat', 'responses'] },
  inspectApi: 'openai',
  renamesToolCalls: false,
  load: () => import('./openai-client.js'),
};
