/**
 * Loads the terminal app. ink decides once, when it is imported, whether it runs in CI (env CI or
 * CONTINUOUS_INTEGRATION) and then draws nothing until exit; the app is only opened when stdin and
 * stdout are a terminal, which is interactive whatever those variables say, so they are cleared first.
 */
export async function loadTui(): Promise<typeof import('./index.js')> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  return import('./index.js');
}
