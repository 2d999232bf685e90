import type { RemoteProvider } from './provider.js';

/**
 * `ollama:<model>`: Ollama's native chat API (/api/chat, streamed as JSON lines) through
 * `ChatOllama`. Without a base URL calls go to the Ollama server on this machine,
 * http://127.0.0.1:11434 (Ollama's own default). A key is optional: when OLLAMA_API_KEY is set it
 * is sent as a bearer token (ollama.com, or a server behind a proxy that wants one). Its client
 * makes tool-call ids up, so peerlab renames them per conversation.
 */
export const ollama: RemoteProvider = {
  name: 'ollama',
  inProcess: false,
  keyVariables: ['OLLAMA_API_KEY'],
  keyRequired: false,
  // The variable ChatOllama itself reads.
  baseUrlVariable: 'OLLAMA_BASE_URL',
  defaultBaseUrl: 'http://127.0.0.1:11434',
  exampleBaseUrl: 'http://127.0.0.1:11434',
  temperatureRange: [0, 2],
  options: {},
  inspectApi: 'ollama',
  renamesToolCalls: true,
  load: () => import('./ollama-client.js'),
};
