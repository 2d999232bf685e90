import type { EndpointSettings } from '../agents/index.js';
import { PROVIDER_VARIABLES } from '../agents/models/providers/remote-providers.js';
import { UsageError } from './errors.js';

/** Environment variables peerlab reads, read once (cli/main.ts) and passed down. */
export interface Env {
  PEERLAB_DB?: string;
  /** Where `export --format inspect` writes without --out, as Inspect's own default log directory. */
  INSPECT_LOG_DIR?: string;
  /**
   * The model providers' key and endpoint variables (`PROVIDER_VARIABLES` of the provider
   * registry: OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, …); each provider reads its own.
   */
  [providerVariable: string]: string | undefined;
}

/** The environment as a process has it, read once: peerlab's own variables and the providers'. */
export function readEnv(source: Readonly<Record<string, string | undefined>>): Env {
  return {
    PEERLAB_DB: source.PEERLAB_DB, INSPECT_LOG_DIR: source.INSPECT_LOG_DIR,
    ...Object.fromEntries(PROVIDER_VARIABLES.map((name) => [name, source[name]])),
  };
}

/** The database path: --db, else PEERLAB_DB, else ./peerlab.db. */
export function dbPath(flag: string | undefined, env: Env): string {
  return flag ?? env.PEERLAB_DB ?? 'peerlab.db';
}

/** Commander helper for repeatable options: appends each value. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Splits repeated `--factor key=value` flags, refusing malformed pairs and a key given twice. */
function factorPairs(pairs: readonly string[], example: string): Array<[string, string]> {
  const seen = new Set<string>();
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--factor "${pair}" should look like ${example}`);
    const key = pair.slice(0, eq).trim();
    if (seen.has(key)) throw new UsageError(`--factor ${key} is given twice`);
    seen.add(key);
    return [key, pair.slice(eq + 1).trim()];
  });
}

/** Parses repeated `--factor key=value` flags. */
export function parseFactors(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(factorPairs(pairs, 'key=value, e.g. --factor target=peer'));
}

/** Parses repeated `--factor key=v1,v2` flags: each factor's levels, in the order given. */
export function parseFactorLists(pairs: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(factorPairs(pairs, 'key=v1,v2, e.g. --factor target=self,peer').map(([key, value]) => {
    const levels = splitList(value);
    if (levels.length === 0 || levels.some((l) => l === '')) throw new UsageError(`--factor ${key}=${value} has an empty level`);
    if (new Set(levels).size !== levels.length) throw new UsageError(`--factor ${key}=${value} lists a level twice`);
    return [key, levels];
  }));
}

/** A comma-separated list, trimmed (empty items kept, so callers can refuse them). */
export function splitList(value: string): string[] {
  return value.split(',').map((item) => item.trim());
}

/** Parses an integer flag within bounds. */
export function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${name} "${raw}" is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max} (got ${n})`);
  return n;
}

/** Parses a number flag within bounds (undefined when absent). */
export function parseNumber(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number between ${min} and ${max} (got "${raw}")`);
  return n;
}

/** Flags shared by commands that call models. */
export interface EndpointFlags {
  baseUrl?: string;
  temperature?: string;
  maxTokens?: string;
  timeout?: string;
  maxResponseMb?: string;
  /** openai: models' API (chat or responses). */
  api?: string;
}

/**
 * Endpoint settings from flags and the environment. API keys only ever come from the environment;
 * each provider takes its own key and endpoint variables from it (a --base-url flag wins).
 */
export function endpointSettings(flags: EndpointFlags, env: Env): EndpointSettings {
  return {
    baseUrl: flags.baseUrl,
    environment: Object.fromEntries(PROVIDER_VARIABLES.map((name) => [name, env[name]])),
    ...(flags.api === undefined ? {} : { options: { api: flags.api } }),
    temperature: parseNumber('--temperature', flags.temperature, 0, 2),
    maxTokens: flags.maxTokens === undefined ? undefined : parseInteger('--max-tokens', flags.maxTokens, 0, 1, 1_000_000),
    timeoutMs: flags.timeout === undefined ? undefined : parseInteger('--timeout', flags.timeout, 0, 1, 3_600_000),
    maxResponseBytes: flags.maxResponseMb === undefined ? undefined : Math.round(parseNumber('--max-response-mb', flags.maxResponseMb, 0.001, 1024)! * 1024 * 1024),
  };
}
