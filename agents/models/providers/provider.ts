import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { EndpointSettings, ModelFactory } from '../model-spec.js';
import type { PreferenceModelFactory } from '../preference-model.js';
import type { StatedOutcome } from '../synthetic/persona.js';

/**
 * A provider is one module of the registry (./registry.ts): everything peerlab knows about one
 * prefix of `provider:model` specs. Nothing outside the registry names a provider: resolution,
 * checks, episode-key settings, error handling and what the README promises all come from here.
 * Two kinds: in-process models (no I/O, answered inside peerlab: `synthetic:`, `script:`, replayed
 * traces, a person at the terminal) and remote ones (an HTTP API reached through a LangChain client
 * whose package is imported only when the provider is used).
 */
export type Provider = LocalProvider | RemoteProvider;

/** What every provider declares. */
interface ProviderBase {
  /** The prefix of its specs (`openai`), or the name of a provider no spec names (`replay`). */
  readonly name: string;
}

/** A model answered inside peerlab: nothing to gate, retry or cache, and latency is not measured. */
export interface LocalProvider extends ProviderBase {
  readonly inProcess: true;
  /** False for a provider made by peerlab itself and never named in a spec (replay). */
  readonly typed: boolean;
  /** The model for agents. `rest` is what follows the colon; `settings` carry e.g. the seat of a person who plays. Throws a ModelSpecError. */
  chat(spec: string, rest: string, settings: EndpointSettings): ModelFactory;
  /** The model for `utilities elicit`; absent when it cannot answer preference questions. */
  preference?(spec: string, rest: string, outcomes: readonly StatedOutcome[]): PreferenceModelFactory;
  /** The model for `classify --judge`; absent when it cannot judge (see `whyNoJudge`). */
  judge?(spec: string, rest: string): BaseChatModel;
  /** Why it cannot judge, for the message. */
  readonly whyNoJudge?: string;
}

/** A model behind an HTTP API. */
export interface RemoteProvider extends ProviderBase {
  readonly inProcess: false;
  /** Environment variables holding its API key, first set wins; each is registered as a secret where read. */
  readonly keyVariables: readonly string[];
  /** Whether a call needs a key (a local Ollama needs none). */
  readonly keyRequired: boolean;
  /** Said after "needs an API key: set …", e.g. that a local server takes any value. */
  readonly keyNote?: string;
  /** The environment variable naming its endpoint (a base URL flag or setting wins over it). */
  readonly baseUrlVariable: string;
  /**
   * Where calls go when no endpoint is named: the provider's own public API (or, for Ollama, the
   * server on this machine). Undefined: an endpoint must be named.
   */
  readonly defaultBaseUrl?: string;
  /** An example endpoint, for messages. */
  readonly exampleBaseUrl: string;
  /** The sampling temperatures its API accepts. */
  readonly temperatureRange: readonly [number, number];
  /** Output tokens per call when none are set, for an API that needs a number (Anthropic); it goes into episode keys. */
  readonly defaultMaxTokens?: number;
  /** Its own settings and their values, the default first (e.g. `api: chat | responses`). */
  readonly options: Readonly<Record<string, readonly string[]>>;
  /**
   * Its client makes up tool-call ids (random uuids): peerlab renames them `<agent>-<step>-<i>`, so
   * that the same answers give the same trace, cache keys and replay.
   */
  readonly renamesToolCalls: boolean;
  /** Inspect AI's name for this model API (`@modelapi(name=…)`), for model names in exported logs. */
  readonly inspectApi: string;
  /** Imports the provider's client module (and with it its SDK): only when a model is first called. */
  load(): Promise<ClientModule>;
}

/** A remote endpoint as a client is built for it: every setting resolved, the key included. */
export interface Endpoint {
  baseUrl: string;
  /** Given only to the client; never part of a spec, a key, a trace or a message. */
  apiKey: string | undefined;
  temperature: number;
  maxTokens: number | undefined;
  /** The longest one call may take, to the answer's last byte. */
  timeoutMs: number;
  /** The largest answer read (where the client lets peerlab bound it). */
  maxResponseBytes: number;
  /** The provider's own settings (see {@link RemoteProvider.options}), defaults filled in. */
  options: Readonly<Record<string, string>>;
}

/** What a provider's client module exports. */
export interface ClientModule {
  connect(model: string, endpoint: Endpoint): ProviderClient;
}

/** A client for one model, as {@link RemoteChatModel} drives it. */
export interface ProviderClient {
  model: BaseChatModel;
  /**
   * The answer as peerlab keeps it (in the history, the cache and so the trace): text content,
   * tool calls under `ids` when the provider's are made up. Without it the answer is kept as given.
   */
  normalize?(answer: AIMessage, ids: ToolCallIds | undefined): AIMessage;
  /**
   * The history as this client must be given it. The agent loop re-sends a call whose arguments
   * did not parse as the raw OpenAI-format call (`additional_kwargs.tool_calls`), which only
   * ChatOpenAI reads; a client that would drop it rewrites it here.
   */
  prepare?(messages: BaseMessage[]): BaseMessage[];
  /** The client's error in terms `classifyError` reads (a ModelCallError); others pass unchanged. */
  callError?(err: unknown): unknown;
}

/** The ids peerlab gives the tool calls of one answer, when the provider's are made up. */
export interface ToolCallIds {
  /** The id of the `index`-th parsed tool call. */
  call(index: number): string;
  /** The id of the `index`-th tool call whose arguments could not be parsed. */
  invalid(index: number): string;
}
