import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ModelSpecError, splitModelSpec, type EndpointSettings, type ModelFactory } from '../model-spec.js';
import type { PreferenceModelFactory } from '../preference-model.js';
import type { StatedOutcome } from '../synthetic/persona.js';
import type { Provider } from './provider.js';
import { REMOTE_PROVIDERS } from './remote-providers.js';
import { missingForRun, remoteChat, remoteJudge, remotePreference } from './remote.js';
import { human } from './human.js';
import { replay } from './replay.js';
import { script } from './script.js';
import { synthetic } from './synthetic.js';

/**
 * The provider registry: the one place that knows which `provider:model` prefixes exist and what
 * each means. Everything that resolves, checks or describes a model spec asks here.
 *
 * To add a provider, write a module that exports a {@link Provider} (see provider.ts; a remote one
 * also has a `*-client.ts` module, imported only through its `load`) and list it below. An
 * in-process provider (a person at the terminal, say) implements `chat` and, where it can,
 * `preference` and `judge`.
 */
export const PROVIDERS: readonly Provider[] = [synthetic, script, ...REMOTE_PROVIDERS, human, replay];

/** The providers a spec may name, in the order help lists them. */
export function typedProviders(): Provider[] {
  return PROVIDERS.filter((p) => !p.inProcess || p.typed);
}

export { PROVIDER_VARIABLES, KEY_VARIABLES } from './remote-providers.js';

const prefixes = () => typedProviders().map((p) => `${p.name}:`).join(', ');

/** The provider of a spec and the model it names; an unknown prefix is a ModelSpecError. */
export function providerOf(spec: string): { provider: Provider; model: string } {
  const { prefix, rest } = splitModelSpec(spec);
  const provider = typedProviders().find((p) => p.name === prefix);
  if (!provider) throw new ModelSpecError(`unknown model provider "${prefix}" in "${spec}" (use ${prefixes()})`);
  return { provider, model: rest };
}

/** Whether a spec names a remote model (one that costs calls to an endpoint); false for an unusable spec. */
export function isRemoteSpec(spec: string): boolean {
  try {
    return !providerOf(spec).provider.inProcess;
  } catch {
    return false;
  }
}

/**
 * Resolves a `provider:model` spec for agents. Everything is checked here, before a run starts, so
 * a bad spec fails with one clear line and nothing written; no client is built and no SDK loaded
 * until the model is first called.
 */
export function resolveModelSpec(spec: string, settings: EndpointSettings = {}): ModelFactory {
  const { provider, model } = providerOf(spec);
  return provider.inProcess ? provider.chat(spec, model, settings) : remoteChat(provider, spec, model, settings);
}

/** Resolves a spec for `utilities elicit` (remote models: the method's temperature 1 and 10 output tokens unless set). */
export function resolvePreferenceModel(spec: string, settings: EndpointSettings, outcomes: readonly StatedOutcome[]): PreferenceModelFactory {
  const { provider, model } = providerOf(spec);
  if (!provider.inProcess) return remotePreference(provider, spec, model, settings);
  if (!provider.preference) throw new ModelSpecError(`${provider.name}: models cannot answer preference questions (got "${spec}")`);
  return provider.preference(spec, model, outcomes);
}

/**
 * The model an LLM judge runs on: a remote model at temperature 0 whatever `settings.temperature`
 * says (the subjects' sampling temperature must not leak into the judge), or `script:` verdicts.
 */
export function createJudgeModel(spec: string, settings: EndpointSettings = {}): BaseChatModel {
  const { provider, model } = providerOf(spec);
  if (!provider.inProcess) return remoteJudge(provider, spec, model, settings);
  if (!provider.judge) {
    const judges = typedProviders().filter((p) => !p.inProcess || p.judge).map((p) => `${p.name}:`).join(', ');
    throw new ModelSpecError(`${provider.name}: models cannot judge (${provider.whyNoJudge ?? 'not supported'}); use ${judges} (got "${spec}")`);
  }
  return provider.judge(spec, model);
}

/**
 * Checks a spec without calling it, for plans. A remote model's key and endpoint are needed only to
 * run, so when one is missing the plan is still made and the returned note says what `run` will
 * need; any other problem throws a ModelSpecError.
 */
export function checkModel(spec: string, settings: EndpointSettings): string | undefined {
  const { provider } = providerOf(spec);
  const missing = provider.inProcess ? [] : missingForRun(provider, settings);
  if (missing.length > 0) return `${spec}: \`peerlab run\` will need ${missing.join(' and ')}`;
  resolveModelSpec(spec, settings);
  return undefined;
}

/** The variable a spec's API key belongs in (for messages about keys put elsewhere). */
export function keyVariableOf(spec: string): string {
  try {
    const { provider } = providerOf(spec);
    return provider.inProcess ? 'the provider\'s key variable' : provider.keyVariables[0]!;
  } catch {
    return 'the provider\'s key variable';
  }
}

