import { afterEach, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../traces/index.js';
import { ModelSpecError } from '../model-spec.js';
import { anthropic } from './anthropic.js';
import { googleGenai } from './google-genai.js';
import { ollama } from './ollama.js';
import { openai } from './openai.js';
import type { Endpoint } from './provider.js';
import { KEY_VARIABLES, PROVIDERS, PROVIDER_VARIABLES, checkModel, createJudgeModel, isRemoteSpec, providerOf, resolveModelSpec, resolvePreferenceModel, typedProviders } from './registry.js';
import { RemoteChatModel } from './remote-chat-model.js';

const env = (vars: Record<string, string>) => ({ environment: vars });

describe('the provider registry', () => {
  it('has one module per prefix; replay is made from traces, never named', () => {
    expect(PROVIDERS.map((p) => p.name)).toEqual(['synthetic', 'script', 'openai', 'anthropic', 'google-genai', 'ollama', 'human', 'replay']);
    expect(typedProviders().map((p) => p.name)).not.toContain('replay');
    expect(() => providerOf('replay:x')).toThrow('unknown model provider "replay" in "replay:x" (use synthetic:, script:, openai:, anthropic:, google-genai:, ollama:, human:)');
    expect(PROVIDER_VARIABLES).toEqual([
      'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'GOOGLE_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'OLLAMA_API_KEY', 'OLLAMA_BASE_URL',
    ]);
    expect(KEY_VARIABLES).toEqual(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GOOGLE_API_KEY', 'GEMINI_API_KEY', 'OLLAMA_API_KEY']);
    expect([isRemoteSpec('anthropic:x'), isRemoteSpec('synthetic:corrigible'), isRemoteSpec('human:alice'), isRemoteSpec('nope')]).toEqual([true, false, false, false]);
  });

  it('calls a provider\'s own public API when no endpoint is named (openai: must be named)', () => {
    expect(resolveModelSpec('anthropic:claude-x', env({ ANTHROPIC_API_KEY: 'k' })).endpoint?.baseUrl).toBe('https://api.anthropic.com');
    expect(resolveModelSpec('google-genai:gemini-x', env({ GOOGLE_API_KEY: 'k' })).endpoint?.baseUrl).toBe('https://generativelanguage.googleapis.com');
    expect(resolveModelSpec('ollama:llama', {}).endpoint?.baseUrl).toBe('http://127.0.0.1:11434');
    expect(() => resolveModelSpec('openai:gpt-x', env({ OPENAI_API_KEY: 'k' }))).toThrow(
      'openai:gpt-x needs an endpoint: pass --base-url or set OPENAI_BASE_URL (e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1)');
    // The provider's variable, then a flag or setting over it.
    expect(resolveModelSpec('anthropic:c', env({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://proxy.test' })).endpoint?.baseUrl).toBe('http://proxy.test');
    expect(resolveModelSpec('anthropic:c', { baseUrl: 'http://flag.test', ...env({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://proxy.test' }) }).endpoint?.baseUrl).toBe('http://flag.test');
  });

  it('needs each provider\'s own key, read from its own variables', () => {
    expect(() => resolveModelSpec('anthropic:c', env({ OPENAI_API_KEY: 'k' }))).toThrow('anthropic:c needs an API key: set ANTHROPIC_API_KEY');
    expect(() => resolveModelSpec('google-genai:g', {})).toThrow('google-genai:g needs an API key: set GOOGLE_API_KEY or GEMINI_API_KEY');
    expect(() => resolveModelSpec('google-genai:g', env({ GEMINI_API_KEY: 'k' }))).not.toThrow();
    expect(() => resolveModelSpec('openai:o', { baseUrl: 'http://x.test/v1' })).toThrow('openai:o needs an API key: set OPENAI_API_KEY (a local server accepts any non-empty value)');
    // A key found is a secret from then on, wherever it would be written.
    resolveModelSpec('anthropic:c', env({ ANTHROPIC_API_KEY: 'sk-ant-registry-test-99' }));
    expect(redactSecrets('echo sk-ant-registry-test-99')).toBe('echo [redacted]');
  });

  it('checks settings against what each API accepts', () => {
    expect(() => resolveModelSpec('anthropic:c', { temperature: 1.5, ...env({ ANTHROPIC_API_KEY: 'k' }) })).toThrow('anthropic:c: temperature 1.5 is outside 0–1, the range anthropic: models accept');
    expect(() => resolveModelSpec('anthropic:c', { options: { api: 'responses' }, ...env({ ANTHROPIC_API_KEY: 'k' }) })).toThrow('anthropic:c: anthropic: models have no setting "api"');
    expect(() => resolveModelSpec('openai:o', { baseUrl: 'http://x.test/v1', options: { api: 'completions' }, ...env({ OPENAI_API_KEY: 'k' }) })).toThrow('openai:o: setting api is "completions"; use chat or responses');
    expect(() => resolveModelSpec('ollama:l', { baseUrl: 'http://u:pw@127.0.0.1:1' })).toThrow('base URL for 127.0.0.1:1 carries credentials (user:key@): remove them and set the key in OLLAMA_API_KEY');
  });

  it('puts into episode keys exactly the settings that change answers (openai: chat keys as before)', () => {
    const base = { baseUrl: 'http://x.test/v1/', ...env({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }) };
    expect(resolveModelSpec('openai:o', base).keySettings).toEqual({ base_url: 'http://x.test/v1', temperature: 1 });
    expect(resolveModelSpec('openai:o', { ...base, maxTokens: 50, options: { api: 'chat' } }).keySettings).toEqual({ base_url: 'http://x.test/v1', temperature: 1, max_tokens: 50 });
    expect(resolveModelSpec('openai:o', { ...base, options: { api: 'responses' } }).keySettings).toEqual({ base_url: 'http://x.test/v1', temperature: 1, api: 'responses' });
    // Anthropic needs max_tokens: peerlab's default is sent, so the key holds it.
    expect(resolveModelSpec('anthropic:c', { ...base, temperature: 0.3 }).keySettings).toEqual({ base_url: 'http://x.test/v1', temperature: 0.3, max_tokens: 4096 });
    expect(resolveModelSpec('synthetic:corrigible', base).keySettings).toBeUndefined();
    // The cache keys on a changed API too; an unchanged one leaves openai: chat cache keys as they were.
    expect(resolveModelSpec('openai:o', { ...base, options: { api: 'responses' } }).endpoint?.options).toEqual({ api: 'responses' });
    expect(resolveModelSpec('openai:o', base).endpoint).toEqual({ baseUrl: 'http://x.test/v1/', temperature: 1 });
  });

  it('notes what a plan will need to run, and refuses what is wrong', () => {
    expect(checkModel('anthropic:c', {})).toBe('anthropic:c: `peerlab run` will need ANTHROPIC_API_KEY');
    expect(checkModel('openai:o', {})).toBe('openai:o: `peerlab run` will need OPENAI_API_KEY and an endpoint (--base-url or OPENAI_BASE_URL)');
    expect(checkModel('ollama:l', {})).toBeUndefined();
    expect(() => checkModel('anthropic:c', { temperature: 2, ...env({ ANTHROPIC_API_KEY: 'k' }) })).toThrow(ModelSpecError);
  });

  it('gives every remote provider as judge and for preference questions; synthetic: cannot judge', () => {
    for (const spec of ['openai:o', 'anthropic:c', 'google-genai:g', 'ollama:l']) {
      const settings = { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' };
      expect(createJudgeModel(spec, settings)).toBeInstanceOf(RemoteChatModel);
      expect(resolvePreferenceModel(spec, settings, []).endpoint).toMatchObject({ temperature: 1, maxTokens: 10 });
    }
    expect(() => createJudgeModel('synthetic:corrigible')).toThrow(/^synthetic: models cannot judge/);
    expect(() => createJudgeModel('anthropic:c', { temperature: 1.7, apiKey: 'k' })).not.toThrow(); // the judge runs at 0 whatever is set
  });
});

describe('provider clients', () => {
  const endpoint = (baseUrl: string, options: Record<string, string> = {}): Endpoint => ({
    baseUrl, apiKey: 'k', temperature: 1, maxTokens: undefined, timeoutMs: 1000, maxResponseBytes: 1024, options,
  });
  const gateway = process.env.LANGSMITH_GATEWAY;
  afterEach(() => {
    if (gateway === undefined) delete process.env.LANGSMITH_GATEWAY;
    else process.env.LANGSMITH_GATEWAY = gateway;
  });

  it('are always built with the endpoint peerlab resolved, even when LANGSMITH_GATEWAY asks for a gateway', async () => {
    process.env.LANGSMITH_GATEWAY = 'true';
    const cases: Array<[typeof openai, string, (m: any) => string]> = [
      [openai, 'https://api.openai.com/v1', (m) => m.clientConfig.baseURL],
      [anthropic, anthropic.defaultBaseUrl!, (m) => m.apiUrl],
      [googleGenai, googleGenai.defaultBaseUrl!, (m) => m.baseUrl],
      [ollama, ollama.defaultBaseUrl!, (m) => m.baseUrl],
    ];
    for (const [provider, url, baseOf] of cases) {
      const client = (await provider.load()).connect('m', endpoint(url, provider === openai ? { api: 'chat' } : {}));
      expect(baseOf(client.model)).toBe(url);
    }
  });
});
