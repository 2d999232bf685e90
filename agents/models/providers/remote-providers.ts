import { anthropic } from './anthropic.js';
import { googleGenai } from './google-genai.js';
import { ollama } from './ollama.js';
import { openai } from './openai.js';
import type { RemoteProvider } from './provider.js';

/**
 * The remote providers and the environment variables they read. Kept apart from the registry so
 * that the CLI can read its environment at start without loading any model code (these modules
 * only declare; their SDKs load when a model is first called).
 */
export const REMOTE_PROVIDERS: readonly RemoteProvider[] = [openai, anthropic, googleGenai, ollama];

/** The environment variables providers read (keys and endpoints): the CLI reads exactly these, once. */
export const PROVIDER_VARIABLES: readonly string[] = REMOTE_PROVIDERS.flatMap((p) => [...p.keyVariables, p.baseUrlVariable]);

/** The variables that hold API keys: registered as secrets where the CLI reads them. */
export const KEY_VARIABLES: readonly string[] = REMOTE_PROVIDERS.flatMap((p) => p.keyVariables);
