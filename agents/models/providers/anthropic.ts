import type { RemoteProvider } from './provider.js';

/**
 * `anthropic:<model>`: the Anthropic Messages API through `ChatAnthropic`. Without a base URL calls
 * go to Anthropic's own API, https://api.anthropic.com (named explicitly: ChatAnthropic would
 * otherwise route to a hosted gateway when LANGSMITH_GATEWAY=true).
 */
export const anthropic: RemoteProvider = {
  name: 'anthropic',
  inProcess: false,
  keyVariables: ['ANTHROPIC_API_KEY'],
  keyRequired: true,
  baseUrlVariable: 'ANTHROPIC_BASE_URL',
  defaultBaseUrl: 'https://api.anthropic.com',
  exampleBaseUrl: 'https://api.anthropic.com',
  // The Messages API accepts temperatures from 0 to 1 and needs max_tokens on every request.
  temperatureRange: [0, 1],
  defaultMaxTokens: 4096,
  options: {},
  inspectApi: 'anthropic',
  renamesToolCalls: false,
  load: () => import('./anthropic-client.js'),
};
