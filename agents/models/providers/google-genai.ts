import type { RemoteProvider } from './provider.js';

/**
 * `google-genai:<model>`: the Gemini API (generateContent) through `ChatGoogleGenerativeAI`.
 * Without a base URL calls go to Google's own API, https://generativelanguage.googleapis.com
 * (named explicitly, as for every provider). Its client makes tool-call ids up, so peerlab renames
 * them per conversation.
 */
export const googleGenai: RemoteProvider = {
  name: 'google-genai',
  inProcess: false,
  // LangChain and Google's own SDKs read both; GOOGLE_API_KEY wins, as there.
  keyVariables: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  keyRequired: true,
  // The variable Google's google-genai SDK reads for the same purpose.
  baseUrlVariable: 'GOOGLE_GEMINI_BASE_URL',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  exampleBaseUrl: 'https://generativelanguage.googleapis.com',
  temperatureRange: [0, 2],
  options: {},
  inspectApi: 'google',
  renamesToolCalls: true,
  load: () => import('./google-genai-client.js'),
};
